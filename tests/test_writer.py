"""The writer: escaping, validation before writing, atomic replace, ordering, locking, cache."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from beancount.parser import printer as bean_printer
from conftest import Cli, reload, snapshot, transactions
from hypothesis import given, settings
from hypothesis import strategies as st

from kkmp_cli import app
from kkmp_cli.core import fsutil, ledger, printer
from kkmp_cli.core.ledger import Paths
from kkmp_cli.errors import BukuBermasalah, PenulisanDitolak, PeriodeDitutup
from kkmp_cli.members import deposits
from kkmp_cli.members import register as members

D = dt.date


def _member(root: Path, name: str = "Siti Aminah", date: D = D(2025, 1, 2)) -> str:
    _, entries = app.record(Paths(root), lambda b: members.add(b, name, date))
    return str(entries[0].values[1].value)


def test_injection_is_stored_as_plain_text(coop_dir: Path) -> None:
    evil = 'Budi "Bos" \\ x\n2025-01-01 open Aset:Curian IDR\t;'
    nak = _member(coop_dir, evil)
    entries, errors = reload(coop_dir)
    assert errors == []
    assert not any(isinstance(e, data.Open) and e.account == "Aset:Curian" for e in entries)
    book = ledger.load(Paths(coop_dir))
    assert members.get(book, nak).nama == 'Budi "Bos" \\ x 2025-01-01 open Aset:Curian IDR ;'


def test_amounts_at_fixed_column_and_bean_format_changes_nothing(coop_dir: Path) -> None:
    nak = _member(coop_dir)
    app.record(
        Paths(coop_dir),
        lambda b: deposits.deposit(b, nak, "sukarela", Decimal(1_500_000), D(2025, 1, 3)),
    )
    path = Paths(coop_dir).year_file(2025)
    text = path.read_text()
    line = next(x for x in text.splitlines() if x.startswith("  Aset:Kas"))
    assert line.index("IDR") == ledger.CURRENCY_COLUMN - 1
    out = subprocess.run(
        [sys.executable, "-m", "beancount.scripts.format", "-c", "70", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == text


def test_entries_are_kept_in_date_order_and_diff_is_only_new_lines(coop_dir: Path) -> None:
    nak = _member(coop_dir)
    paths = Paths(coop_dir)
    for day in (10, 20):
        app.record(
            paths,
            lambda b, d=day: deposits.deposit(b, nak, "wajib", Decimal(10_000), D(2025, 3, d)),
        )
    before = paths.year_file(2025).read_text().splitlines()
    app.record(paths, lambda b: deposits.deposit(b, nak, "wajib", Decimal(10_000), D(2025, 3, 15)))
    after = paths.year_file(2025).read_text().splitlines()
    added = [line for line in after if line not in before or after.count(line) > before.count(line)]
    assert any("BKM-2025-000003" in line for line in added)
    # The new entry and its blank line, nothing else.
    assert len(after) - len(before) == len(printer.render(transactions(coop_dir)[-1]).splitlines())
    dated = [x[:10] for x in after if x[:4] == "2025"]
    assert dated == sorted(dated)


def test_broken_ledger_is_reported_not_written(coop_dir: Path) -> None:
    _member(coop_dir)
    path = Paths(coop_dir).year_file(2025)
    path.write_text(path.read_text() + '\n2025-02-01 * "rusak"\n  Aset:Kas 10 IDR\n')
    before = snapshot(coop_dir)
    with pytest.raises(BukuBermasalah) as exc:
        app.record(Paths(coop_dir), lambda b: members.add(b, "Baru", D(2025, 2, 2)))
    assert "2025.beancount" in str(exc.value)
    assert snapshot(coop_dir) == before


def test_invalid_plan_is_refused_and_nothing_changes(coop_dir: Path) -> None:
    before = snapshot(coop_dir)
    bad = ledger.transaction(
        D(2025, 1, 5),
        "Tidak seimbang",
        [ledger.posting("Aset:Kas", Decimal(10)), ledger.posting("Aset:Bank", Decimal(-9))],
        meta={"id": "BM-2025-000001"},
    )
    with pytest.raises(PenulisanDitolak):
        app.record(Paths(coop_dir), lambda b: [bad])
    unknown = ledger.transaction(
        D(2025, 1, 5),
        "Akun tak dikenal",
        [ledger.posting("Aset:Kas", Decimal(10)), ledger.posting("Aset:Entah", Decimal(-10))],
        meta={"id": "BM-2025-000001"},
    )
    with pytest.raises(PenulisanDitolak):
        app.record(Paths(coop_dir), lambda b: [unknown])
    assert snapshot(coop_dir) == before


def test_a_twin_staged_later_in_the_same_session_is_refused(coop_dir: Path) -> None:
    """The day's entries are grouped by shape once per session and only the new ones added
    (#16): a twin staged in a later stage of the same session, after other entries of that
    day, is still found, and nothing is written."""
    from kkmp_cli.core import writer

    nak = _member(coop_dir)
    paths = Paths(coop_dir)
    before = snapshot(coop_dir)
    day = D(2025, 2, 1)
    with writer.session(paths) as s:
        s.stage(deposits.deposit(s.book, nak, "sukarela", Decimal(5_000), day))
        s.stage(deposits.deposit(s.book, nak, "wajib", Decimal(10_000), day))
        s.stage(deposits.deposit(s.book, nak, "sukarela", Decimal(6_000), day))
        with pytest.raises(PenulisanDitolak, match="sama persis"):
            s.stage(deposits.deposit(s.book, nak, "wajib", Decimal(10_000), day))
    assert snapshot(coop_dir) == before


def test_exact_duplicate_is_refused(coop_dir: Path) -> None:
    nak = _member(coop_dir)
    paths = Paths(coop_dir)
    plan = lambda b: deposits.deposit(b, nak, "wajib", Decimal(10_000), D(2025, 2, 1))  # noqa: E731
    app.record(paths, plan)
    # Same deposit again: only the document number differs, which noduplicates ignores.
    with pytest.raises(PenulisanDitolak, match="sama persis"):
        app.record(paths, plan)
    app.record(
        paths,
        lambda b: deposits.deposit(
            b, nak, "wajib", Decimal(10_000), D(2025, 2, 1), keterangan="kedua"
        ),
    )
    assert len(transactions(coop_dir)) == 2


def test_closed_year_is_refused(ledger_from_text) -> None:
    book = ledger_from_text(
        """
        2025-12-31 custom "tutup-buku" 2025 "digest"
        """
    )
    assert book.closed_years() == {2025}
    with pytest.raises(PeriodeDitutup):
        app.record(book.paths, lambda b: members.add(b, "Telat", D(2025, 6, 1)))


def test_failed_replace_leaves_the_old_file(
    coop_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(coop_dir)

    def boom(src, dst):
        raise OSError("disk penuh")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        app.record(Paths(coop_dir), lambda b: members.add(b, "Siti", D(2025, 1, 2)))
    assert snapshot(coop_dir) == before
    assert not [p for p in coop_dir.rglob("*.tmp")]


def test_cache_after_write_equals_a_fresh_load(coop_dir: Path) -> None:
    nak = _member(coop_dir)
    paths = Paths(coop_dir)
    app.record(paths, lambda b: deposits.deposit(b, nak, "pokok", Decimal(100_000), D(2025, 1, 2)))
    app.record(paths, lambda b: deposits.deposit(b, nak, "wajib", Decimal(10_000), D(2025, 1, 3)))
    cached_entries, cached_errors, _ = pickle.loads(paths.cache().read_bytes())
    fresh, errors = reload(coop_dir)
    assert errors == [] and cached_errors == []
    key = lambda e: (e.date, type(e).__name__, e.meta["lineno"], e.meta["filename"])  # noqa: E731
    assert sorted(cached_entries, key=key) == sorted(fresh, key=key)


def _record_many(root: str, nak: str, start: int) -> None:
    for i in range(10):
        app.record(
            Paths(Path(root)),
            lambda b, i=i: deposits.deposit(
                b, nak, "sukarela", Decimal(1000 * (start + i)), D(2025, 2, 1 + i)
            ),
        )


def test_two_processes_recording_at_once_lose_nothing(coop_dir: Path) -> None:
    a = _member(coop_dir, "Satu")
    b = _member(coop_dir, "Dua")
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_record_many, args=(str(coop_dir), a, 1)),
        ctx.Process(target=_record_many, args=(str(coop_dir), b, 100)),
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    txns = transactions(coop_dir)
    assert len(txns) == 20
    assert len({t.meta["id"] for t in txns}) == 20


MEMBER_A0001 = """
    2025-01-02 custom "anggota" "masuk" "A0001" "Siti"

    2025-01-02 open Ekuitas:Simpanan-Pokok:A0001 IDR

    2025-01-02 open Ekuitas:Simpanan-Wajib:A0001 IDR

    2025-01-02 open Kewajiban:Simpanan-Sukarela:A0001 IDR

    2025-03-01 balance Aset:Kas 0 IDR
    """


def test_later_balance_assertion_forces_full_check(ledger_from_text) -> None:
    book = ledger_from_text(MEMBER_A0001)
    assert book.errors == []
    before = snapshot(book.paths.root)
    with pytest.raises(PenulisanDitolak, match="saldo Aset:Kas tidak sama"):
        app.record(
            book.paths,
            lambda b: deposits.deposit(b, "A0001", "wajib", Decimal(10_000), D(2025, 2, 1)),
        )
    assert snapshot(book.paths.root) == before
    app.record(
        book.paths, lambda b: deposits.deposit(b, "A0001", "wajib", Decimal(10_000), D(2025, 3, 2))
    )
    assert len(transactions(book.paths.root)) == 1


def test_back_dated_insert_keeps_cache_and_line_numbers_true(coop_dir: Path) -> None:
    nak = _member(coop_dir)
    paths = Paths(coop_dir)
    for day in (5, 25):
        app.record(
            paths,
            lambda b, d=day: deposits.deposit(b, nak, "wajib", Decimal(10_000), D(2025, 3, d)),
        )
    app.record(paths, lambda b: deposits.deposit(b, nak, "wajib", Decimal(10_000), D(2025, 3, 15)))
    cached_entries, _, _ = pickle.loads(paths.cache().read_bytes())
    fresh, errors = reload(coop_dir)
    assert errors == []
    key = lambda e: (e.meta["filename"], e.meta["lineno"])  # noqa: E731
    assert sorted(cached_entries, key=key) == sorted(fresh, key=key)


def test_fast_align_is_bean_format_exactly() -> None:
    """printer.align must produce what `bean-format -c 70` (align_beancount) produces."""
    import re

    from beancount.scripts.format import align_beancount

    example = Path(__file__).resolve().parent.parent / "examples" / "kdmp-sukamaju"
    for path in example.rglob("*.beancount"):
        text = path.read_text()
        squashed = re.sub(r" {2,}(-?\d)", r"  \1", text)
        assert printer.align(squashed) == align_beancount(squashed, currency_column=70), path
        assert printer.align(text) == text
    odd = (
        "2025-01-01 balance Aset:Kas   10 IDR\n    Aset:Kas  -5.00 IDR\n\tAset:Bank 7 IDR\n  x: 1\n"
    )
    assert printer.align(odd) == align_beancount(odd, currency_column=70)


_LINE_PARTS = st.sampled_from(
    [
        '2025-01-01 * "Setor"',
        "2025-01-01 balance Aset:Kas",
        "2025-01-01 open Aset:Kas IDR",
        "  Aset:Lancar:Kas",
        "    Liabilitas:Simpanan:A0001",
        "\tAset:Bank",
        "   ",
        '  id: "BKM-2025-000001"',
        "; catatan 10 IDR",
        "10",
        "-5.00",
        "1,250,000.5",
        "(2 * 3)",
        "IDR",
        "BERAS-5KG {62000 IDR}",
        "@ 5 IDR",
        '"',
        "",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_LINE_PARTS, max_size=5).map(" ".join), max_size=12))
def test_align_is_bean_format_on_any_hand_edited_text(lines: list[str]) -> None:
    """periksa compares every journal file with `printer.canonical` (= `align`): it must say
    what `bean-format -c 70` says of whatever a hand edit left (#16)."""
    from beancount.scripts.format import align_beancount

    for text in ("\n".join(lines), "\n".join(lines) + "\n"):
        assert printer.canonical(text) == align_beancount(text, currency_column=70)


def test_quick_transaction_format_equals_beancount_printer() -> None:
    """printer._format's quick path gives what beancount's printer gives, aligned by bean-format."""
    from beancount.parser import parser

    example = Path(__file__).resolve().parent.parent / "examples" / "kdmp-sukamaju"
    extra = """
2025-03-01 * "Budi \\"B\\"" "" #tag ^PJ-2025-0001 ^BKK-1
  id: "BM-2025-000009"
  nilai: 2.5
  flag: TRUE
  Aset:Piutang-Pinjaman:A0001   100 IDR
    pinjaman: "PJ-2025-0002"
  Aset:Persediaan:Sembako   -2 BERAS-5KG {}
  Aset:Persediaan:Sembako   3 BERAS-5KG {60000 IDR, 2025-01-03}
  Beban:HPP-Sembako:Anggota
"""
    texts = [p.read_text() for p in example.rglob("*.beancount")]
    texts.append("\n".join(ledger.HEADER_OPTIONS) + "\n" + extra)
    entries, errors, _ = parser.parse_string(texts[-1])
    assert errors == [] and len(entries) == 1
    count = 0
    for text in texts:
        entries, _, _ = parser.parse_string(text)
        for entry in entries:
            if isinstance(entry, data.Transaction):
                count += 1
                quick = printer._format(entry) + "\n"
                slow = printer.align(bean_printer.format_entry(entry) + "\n")
                assert quick == slow, slow
    assert count > 1000


def test_atomic_write_goes_through_a_symlink_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "asli" / "berkas.txt"
    target.parent.mkdir()
    target.write_text("lama\n")
    os.chmod(target, 0o600)
    link = tmp_path / "tautan.txt"
    link.symlink_to(target)
    fsutil.atomic_write(link, "baru\n")
    assert link.is_symlink() and target.read_text() == "baru\n"
    assert target.stat().st_mode & 0o777 == 0o600
    fresh = tmp_path / "baru.txt"
    fsutil.atomic_write(fresh, "x\n")
    assert fresh.stat().st_mode & 0o777 == 0o644


def test_commit_failing_before_its_commit_point_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "sub" / "b.txt"
    a.write_text("a0\n")
    real = os.replace

    def fail_on_intent(src, dst):
        if Path(dst).name == fsutil.INTENT_FILE:
            raise OSError(28, "disk penuh", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", fail_on_intent)
    with pytest.raises(OSError):
        fsutil.commit(tmp_path, {a: ("a1\n", 0o644), b: ("b1\n", 0o644)})
    monkeypatch.undo()
    assert a.read_text() == "a0\n" and not b.exists()
    assert not fsutil.pending(tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "sub"]
    fsutil.commit(tmp_path, {a: ("a1\n", 0o644), b: ("b1\n", 0o644)})
    assert (a.read_text(), b.read_text()) == ("a1\n", "b1\n")
    assert not fsutil.pending(tmp_path)


def test_interrupted_commit_is_finished_by_recover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("a0\n")
    b.write_text("b0\n")
    real = os.replace
    calls = []

    def crash_after_first_target(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # intent, a, then b fails
            raise OSError(5, "mati", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", crash_after_first_target)
    with pytest.raises(OSError):
        fsutil.commit(tmp_path, {a: ("a1\n", 0o644), b: ("b1\n", 0o644)})
    monkeypatch.undo()
    assert (a.read_text(), b.read_text()) == ("a1\n", "b0\n")
    assert fsutil.pending(tmp_path)
    assert fsutil.recover(tmp_path) is True
    assert (a.read_text(), b.read_text()) == ("a1\n", "b1\n")
    assert not fsutil.pending(tmp_path)
    assert fsutil.recover(tmp_path) is False


def test_unreadable_intent_refuses(coop_dir: Path) -> None:
    (coop_dir / fsutil.INTENT_FILE).write_text("{rusak")
    before = snapshot(coop_dir)
    with pytest.raises(BukuBermasalah, match="tidak terbaca"):
        app.record(Paths(coop_dir), lambda b: members.add(b, "Siti", D(2025, 1, 2)))
    assert snapshot(coop_dir) == before


def test_a_year_file_without_its_last_newline_keeps_its_last_line(coop_dir: Path) -> None:
    """A hand edit (an editor that drops the final newline) leaves the last line unterminated:
    the next command writes after it and loses nothing (#16 found the writer dropped it)."""
    nak = _member(coop_dir)
    for day in (3, 4):
        app.record(
            Paths(coop_dir),
            lambda b, day=day: deposits.deposit(
                b, nak, "sukarela", Decimal(10_000 * day), D(2025, 1, day)
            ),
        )
    path = Paths(coop_dir).year_file(2025)
    path.write_text(path.read_text().rstrip("\n"))
    before = len(transactions(coop_dir))
    app.record(
        Paths(coop_dir),
        lambda b: deposits.deposit(b, nak, "sukarela", Decimal(50_000), D(2025, 1, 5)),
    )
    entries, errors = reload(coop_dir)
    assert errors == []
    assert len(transactions(coop_dir)) == before + 1
    assert path.read_text().endswith("\n")
    book = ledger.load(Paths(coop_dir))
    assert book.balance("Kewajiban:Simpanan-Sukarela:" + nak) == Decimal(-120_000)


def test_many_members_on_one_day_are_not_compared_with_each_other(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The twin check for noduplicates hashes only the day's entries of the same shape (a
    directive's account, a register line's member): an import of members all registered on
    one day hashed every earlier one for each (3 000 took two minutes, found by trying, #16)."""
    from beancount.core import compare

    calls = [0]
    real = compare.hash_entry

    def counting(entry, exclude_meta=False):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return real(entry, exclude_meta=exclude_meta)

    monkeypatch.setattr(compare, "hash_entry", counting)
    rows = ["tanggal,nama,nak,jk"] + [f"02-01-2025,Anggota {i},,P" for i in range(300)]
    sheet = tmp_path / "anggota.csv"
    sheet.write_text("\n".join(rows) + "\n")
    r = cli("impor", str(sheet), "--jenis", "anggota")
    assert r.exit_code == 0, r.output
    assert calls[0] < 300, calls[0]  # was about 300 x 300 x 2
    entries, errors = reload(cli.root)
    assert not errors and sum(isinstance(e, data.Custom) for e in entries) >= 300
