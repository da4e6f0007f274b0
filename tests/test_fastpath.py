"""Recording does not grow with history (#16): with a year closed, a command loads the closed
years' summary from the cache instead of their entries; it must plan and write exactly what the
full path does, and a cache made stale in any way must be noticed and rebuilt."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Cli, close_2025, coop_with_stock_and_a_loan, same_on_cache_and_without
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kkmp_cli import app
from kkmp_cli.core import ledger, writer
from kkmp_cli.core.ledger import Paths
from kkmp_cli.counter import safedates
from kkmp_cli.members import deposits

EXAMPLES = int(os.environ.get("KKMP_PROPERTY_EXAMPLES", "8"))
SUKARELA = "Kewajiban:Simpanan-Sukarela:A0001"


def _ok(cli: Cli, *args: str) -> None:
    r = cli(*args)
    assert r.exit_code == 0, (args, r.output)


@pytest.fixture(scope="module")
def closed_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two members, stock bought and a loan made in 2025, 2025 closed, a little of 2026."""
    root = tmp_path_factory.mktemp("tertutup") / "kop"
    cli = coop_with_stock_and_a_loan(root, "KKMP Uji Tutup")
    _ok(cli, "gerai", "jual", "BERAS-5KG", "5", "--tanggal", "10-03-2025")
    close_2025(cli)
    _ok(cli, "simpanan", "setor", "A0002", "wajib", "10rb", "--tanggal", "05-01-2026")
    ledger.refresh_cache(Paths(root))
    return root


def _copy(source: Path, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(source, dest, symlinks=True)
    return dest


def test_the_cache_sets_the_closed_year_apart(closed_books: Path) -> None:
    book = ledger.load(Paths(closed_books))
    assert book.sealed is not None and book.sealed.last.year == 2025
    assert all(e.date.year >= 2026 or e.meta["filename"].endswith("akun.beancount")
               or ledger._fava_setting(e) for e in book.live_entries)  # fmt: skip
    fresh = ledger.load(Paths(closed_books), fresh=True)
    assert fresh.sealed is None
    assert book.balances() == fresh.balances()
    assert book.opens() == fresh.opens() and list(book.opens()) == list(fresh.opens())
    assert book.inventory("Aset:Persediaan:BERAS-5KG") == fresh.inventory(
        "Aset:Persediaan:BERAS-5KG"
    )
    # Asking for every entry reads the closed year: the same list as a full load.
    assert book.entries == fresh.entries


def test_recording_reads_no_closed_year_entry(
    closed_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(closed_books, tmp_path / "kop")

    def refuse(self: ledger.Sealed) -> list[object]:
        raise AssertionError("the closed year's entries were read")

    monkeypatch.setattr(ledger.Sealed, "_entries", refuse)
    cli = Cli(root)
    for args in (
        ("simpanan", "setor", "A0001", "sukarela", "50rb", "--tanggal", "06-01-2026"),
        ("kas", "keluar", "Listrik", "30rb", "--keterangan", "Token", "--tanggal", "07-01-2026"),
    ):
        _ok(cli, *args)
    book = ledger.load(Paths(root))
    assert book.sealed is not None
    # The date check of a command without --tanggal looks at the open year only.
    assert safedates._last_entry_date(book, dt.date(2026, 12, 31)) == dt.date(2026, 1, 7)


COMMANDS = st.sampled_from(
    [
        ("simpanan", "setor", "A0001", "sukarela", "{amount}"),
        ("simpanan", "setor", "A0002", "wajib", "10rb"),
        ("simpanan", "tarik", "A0001", "{amount}"),
        ("kas", "keluar", "Listrik", "{amount}", "--keterangan", "Token {n}"),
        ("gerai", "jual", "BERAS-5KG", "{small}"),
        ("pinjaman", "angsur", "PJ-2025-0001", "{amount}"),
        ("anggota", "lihat", "A0001"),
        ("laporan", "neraca", "--tahun", "2026"),
    ]
)
STEP = st.tuples(
    COMMANDS,
    st.integers(min_value=1, max_value=400),  # amount in thousands
    st.integers(min_value=1, max_value=12),  # small quantity
    st.integers(min_value=-20, max_value=30),  # days after the last one (negative: back-dated)
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=6))
def test_fast_and_full_path_say_and_write_the_same(
    closed_books: Path, tmp_path: Path, steps: list[tuple[tuple[str, ...], int, int, int]]
) -> None:
    fast = _copy(closed_books, tmp_path / "cepat")
    full = _copy(closed_books, tmp_path / "penuh")
    day = 10
    for n, (command, amount, small, step) in enumerate(steps):
        day = min(max(day + step, 1), 360)
        date = f"{dt.date(2026, 1, 1) + dt.timedelta(days=day - 1):%d-%m-%Y}"
        args = [a.format(amount=f"{amount}rb", small=small, n=n) for a in command]
        if command[0] != "anggota" and command[0] != "laporan":
            args += ["--tanggal", date]
        same_on_cache_and_without(fast, full, args)


def test_hand_edit_of_the_open_year_is_seen(closed_books: Path, tmp_path: Path) -> None:
    root = _copy(closed_books, tmp_path / "kop")
    year = Paths(root).year_file(2026)
    before = ledger.load(Paths(root)).balance(SUKARELA)
    text = year.read_text()
    year.write_text(
        text + '\n2026-01-20 * "Setoran ditulis tangan"\n  Aset:Kas  5000 IDR\n'
        f"  {SUKARELA}  -5000 IDR\n"
    )
    assert ledger.load(Paths(root)).balance(SUKARELA) == before - 5000


def test_hand_edit_of_a_closed_year_is_seen(closed_books: Path, tmp_path: Path) -> None:
    root = _copy(closed_books, tmp_path / "kop")
    year = Paths(root).year_file(2025)
    year.write_text(year.read_text().replace("Setoran", "Setoran (diubah)", 1))
    book = ledger.load(Paths(root))
    # Not the cached closed year: its file changed, so the books are read again.
    assert any("(diubah)" in (getattr(e, "narration", "") or "") for e in book.entries)


def test_git_checkout_of_an_older_revision_is_seen(closed_books: Path, tmp_path: Path) -> None:
    root = _copy(closed_books, tmp_path / "kop")
    git = ["git", "-C", str(root), "-c", "user.name=Uji", "-c", "user.email=uji@contoh"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "awal"], check=True)
    cli = Cli(root)
    _ok(cli, "simpanan", "setor", "A0001", "sukarela", "70rb", "--tanggal", "08-01-2026")
    after = ledger.load(Paths(root)).balance(SUKARELA)
    subprocess.run([*git, "checkout", "-q", "HEAD", "--", "."], check=True)
    assert ledger.load(Paths(root)).balance(SUKARELA) == after + 70_000


def test_crash_between_journal_and_cache_write_is_seen(
    closed_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(closed_books, tmp_path / "kop")
    paths = Paths(root)
    before = ledger.load(paths).balance(SUKARELA)

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # the process dies after the journal commit

    monkeypatch.setattr(ledger, "store", crash)
    with pytest.raises(KeyboardInterrupt):
        app.record(
            paths,
            lambda b: deposits.deposit(
                b, "A0001", "sukarela", Decimal(40_000), dt.date(2026, 1, 9)
            ),
        )
    monkeypatch.undo()
    book = ledger.load(paths)
    assert book.balance(SUKARELA) == before - 40_000
    # And the next write refreshes the cache for the command after it.
    with writer.session(paths) as s:
        assert s.book.balance(SUKARELA) == before - 40_000


def test_a_copied_folder_reads_the_closed_years_with_its_own_file_names(
    closed_books: Path, tmp_path: Path
) -> None:
    root = _copy(closed_books, tmp_path / "salinan")
    _ok(Cli(root), "simpanan", "setor", "A0001", "sukarela", "5rb", "--tanggal", "09-01-2026")
    book = ledger.load(Paths(root))
    assert book.sealed is not None
    names = {e.meta["filename"] for e in book.entries}
    assert names and all(n.startswith(str(root) + os.sep) for n in names), names
    assert all(d.meta["filename"].startswith(str(root) + os.sep) for d in book.opens().values())
