"""The open year's settled part (#16): kkmp's cache keeps a summary of every entry up to a
recent day, so a command reads only the entries after it. Here the thresholds are small, so
that the part is made, used and made again within a few commands: every answer must be the
full parse's, and anything that makes the cache stale must be seen."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from conftest import (
    Cli,
    close_2025,
    coop_with_stock_and_a_loan,
    same_on_cache_and_without,
    today_is,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kkmp_cli import app
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.members import deposits

EXAMPLES = int(os.environ.get("KKMP_PROPERTY_EXAMPLES", "8"))
SUKARELA = "Kewajiban:Simpanan-Sukarela:A0001"


def small_parts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger, "SETTLE_MIN", 6)
    monkeypatch.setattr(ledger, "TAIL_KEEP", 4)
    monkeypatch.setattr(ledger, "TAIL_MAX", 7)
    monkeypatch.setattr(ledger, "TAIL_DAYS", 3)


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    small_parts_again(monkeypatch)
    yield


def _ok(cli: Cli, *args: str) -> None:
    r = cli(*args)
    assert r.exit_code == 0, (args, r.output)


@pytest.fixture(scope="module")
def busy_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2025 closed with stock and a loan carried over, then two months of 2026."""
    root = tmp_path_factory.mktemp("ringkas") / "kop"
    cli = coop_with_stock_and_a_loan(root, "KKMP Uji Ringkas", stock="60")
    close_2025(cli)
    for day in range(5, 60, 4):
        date = f"{dt.date(2026, 1, 1) + dt.timedelta(days=day):%d-%m-%Y}"
        _ok(cli, "simpanan", "setor", "A0002", "wajib", "10rb", "--tanggal", date)
        _ok(cli, "gerai", "jual", "BERAS-5KG", "1", "--tanggal", date)
    return root


def _copy(source: Path, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(source, dest, symlinks=True)
    for f in dest.glob(".*picklecache"):
        f.unlink()
    ledger.refresh_cache(Paths(dest))  # with this test's small thresholds
    return dest


def _same_as_fresh(root: Path) -> ledger.Book:
    cached = ledger.load(Paths(root))
    fresh = ledger.load(Paths(root), fresh=True)
    assert cached.balances() == fresh.balances()
    assert list(cached.opens()) == list(fresh.opens())
    # The summary's account directives merged with the chart's in a full load's order (#16).
    assert list(cached.closes()) == list(fresh.closes())
    assert cached.account_directives() == fresh.account_directives()
    assert cached.inventory("Aset:Persediaan:BERAS-5KG") == fresh.inventory(
        "Aset:Persediaan:BERAS-5KG"
    )
    assert cached.highest_number("BKM", 2026) == fresh.highest_number("BKM", 2026)
    # Every entry, with its file and line, as a full parse gives it.
    assert cached.entries == fresh.entries
    return cached


class Sales(ledger.Index):
    """Sales per item, to check an index kept in the cache against a plain scan."""

    def __init__(self) -> None:
        self.sold: dict[str, int] = {}

    def fold(self, entry: data.Directive) -> None:
        if isinstance(entry, data.Transaction) and entry.meta.get("jenis") == "gerai-jual":
            for p in entry.postings:
                if p.cost is not None and p.units is not None:
                    code = p.units.currency
                    self.sold[code] = self.sold.get(code, 0) - int(p.units.number)


def _scan_sales(book: ledger.Book) -> dict[str, int]:
    scan = Sales()
    for entry in book.transactions():
        scan.fold(entry)
    return scan.sold


def test_the_cache_settles_the_open_year_up_to_a_recent_day(
    busy_books: Path, tmp_path: Path
) -> None:
    root = _copy(busy_books, tmp_path / "kop")
    book = _same_as_fresh(root)
    cached = ledger.load(Paths(root))
    sealed = cached.sealed
    assert sealed is not None and sealed.settled is not None and sealed.closed is not None
    assert sealed.closed.last.year == 2025 and sealed.last.year == 2026
    # Only the last days' entries of the open year are in memory.
    tail = [e for e in cached.live_entries if e.meta["filename"].endswith("2026.beancount")]
    assert 0 < len(tail) <= ledger.TAIL_KEEP
    assert all(e.date > sealed.last for e in tail)
    assert book.last_date() == cached.last_date()


def test_recording_after_the_settled_day_reads_no_settled_entry(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(busy_books, tmp_path / "kop")

    def refuse(self: ledger.Sealed, settled_only: bool = False) -> list[object]:
        raise AssertionError("settled entries were read")

    with monkeypatch.context() as m:
        m.setattr(ledger.Sealed, "_entries", refuse)
        cli = Cli(root)
        for n in range(12):  # more than TAIL_MAX: the part is made again on the way
            date = f"{dt.date(2026, 3, 1) + dt.timedelta(days=n):%d-%m-%Y}"
            _ok(cli, "simpanan", "setor", "A0001", "sukarela", "5rb", "--tanggal", date)
    _same_as_fresh(root)


def test_the_writers_entries_are_settled_with_equal_values_shared(
    busy_books: Path, tmp_path: Path
) -> None:
    """The writer's booked entries go into the settled part with each amount, date and text
    once (#16: the memory of every command that reads the part), and read back as a parse."""
    root = _copy(busy_books, tmp_path / "kop")
    cli = Cli(root)
    for n in range(12):  # more than TAIL_MAX: the writer makes the part again
        date = f"{dt.date(2026, 3, 1) + dt.timedelta(days=n // 2):%d-%m-%Y}"
        args = ("--tanggal", date, "--keterangan", f"setoran ke-{n + 1}")
        _ok(cli, "simpanan", "setor", "A0001", "sukarela", "5rb", *args)
    sealed = ledger.load(Paths(root)).sealed
    assert sealed is not None and sealed.settled is not None
    settled = sealed._settled_entries()
    assert settled is not None
    deposits_made = [e for e in settled if isinstance(e, data.Transaction) and e.date.month == 3]
    assert len(deposits_made) >= 4
    units = {id(p.units) for e in deposits_made for p in e.postings if p.account == SUKARELA}
    assert len(units) == 1
    assert len({id(e.date) for e in deposits_made}) == len({e.date for e in deposits_made})
    assert len({id(e.meta["petugas"]) for e in deposits_made}) == 1
    _same_as_fresh(root)


def test_a_domain_index_is_kept_in_the_settled_part(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(busy_books, tmp_path / "kop")
    paths = Paths(root)

    def deposit(book: ledger.Book, day: int) -> list[data.Directive]:
        book.index(Sales)  # what a domain planner would ask for
        return deposits.deposit(book, "A0001", "sukarela", Decimal(5000), dt.date(2026, 3, day))

    for day in range(1, 10):  # the part is made again with the index folded in
        app.record(paths, lambda b, d=day: deposit(b, d))
    book = ledger.load(paths)
    assert book.sealed is not None and ledger.index_name(Sales) in book.sealed.index_names()

    def refuse(self: ledger.Sealed, settled_only: bool = False) -> list[object]:
        raise AssertionError("settled entries were read")

    with monkeypatch.context() as m:
        m.setattr(ledger.Sealed, "_entries", refuse)
        sold = dict(book.index(Sales).sold)
    assert sold == _scan_sales(ledger.load(paths, fresh=True))
    assert sold["BERAS-5KG"] == 14


def test_a_back_dated_entry_before_the_settled_day(busy_books: Path, tmp_path: Path) -> None:
    root = _copy(busy_books, tmp_path / "kop")
    before = ledger.load(Paths(root))
    assert before.sealed is not None and before.sealed.settled is not None
    early = before.sealed.settled.last - dt.timedelta(days=20)
    _ok(Cli(root), "simpanan", "setor", "A0001", "sukarela", "7rb", "--tanggal",
        f"{early:%d-%m-%Y}")  # fmt: skip
    _same_as_fresh(root)
    _ok(Cli(root), "periksa")


def test_a_hand_edit_inside_the_settled_bytes_is_seen(busy_books: Path, tmp_path: Path) -> None:
    root = _copy(busy_books, tmp_path / "kop")
    year = Paths(root).year_file(2026)
    text = year.read_text()
    year.write_text(text.replace("Setoran simpanan wajib", "Setoran wajib (diubah)", 1))
    book = ledger.load(Paths(root))
    assert any("(diubah)" in (getattr(e, "narration", "") or "") for e in book.entries)


def test_git_checkout_and_a_crash_are_seen(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(busy_books, tmp_path / "kop")
    git = ["git", "-C", str(root), "-c", "user.name=Uji", "-c", "user.email=uji@contoh"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "awal"], check=True)
    cli = Cli(root)
    for n in range(9):
        date = f"{dt.date(2026, 3, 1) + dt.timedelta(days=n):%d-%m-%Y}"
        _ok(cli, "simpanan", "setor", "A0001", "sukarela", "70rb", "--tanggal", date)
    after = ledger.load(Paths(root)).balance(SUKARELA)
    subprocess.run([*git, "checkout", "-q", "HEAD", "--", "."], check=True)
    assert ledger.load(Paths(root)).balance(SUKARELA) == after + 9 * 70_000
    _same_as_fresh(root)

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # the process dies after the journal commit

    with monkeypatch.context() as m:
        m.setattr(ledger, "store", crash)
        with pytest.raises(KeyboardInterrupt):
            app.record(
                Paths(root),
                lambda b: deposits.deposit(
                    b, "A0001", "sukarela", Decimal(40_000), dt.date(2026, 3, 20)
                ),
            )
    _same_as_fresh(root)


COMMANDS = st.sampled_from(
    [
        ("simpanan", "setor", "A0001", "sukarela", "{amount}"),
        ("simpanan", "setor", "A0002", "wajib", "10rb"),
        ("simpanan", "tarik", "A0001", "{amount}"),
        ("kas", "keluar", "Listrik", "{amount}", "--keterangan", "Token {n}"),
        ("gerai", "jual", "BERAS-5KG", "{small}"),
        ("pinjaman", "angsur", "PJ-2025-0001", "{amount}"),
        ("anggota", "tambah", "Warga {n}"),
        ("laporan", "neraca", "--tahun", "2026"),
        # queries over days of the closed year: read from its own pickle (#16)
        ("laporan", "arus-kas", "--tahun", "2026"),
        ("gerai", "stok", "--per", "15-06-2025"),
    ]
)
STEP = st.tuples(
    COMMANDS,
    st.integers(min_value=1, max_value=400),  # amount in thousands
    st.integers(min_value=1, max_value=6),  # small quantity
    st.integers(min_value=-25, max_value=6),  # days after the last one (negative: back-dated)
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=4, max_size=12))
def test_fast_and_full_path_say_and_write_the_same(
    busy_books: Path, tmp_path: Path, steps: list[tuple[tuple[str, ...], int, int, int]]
) -> None:
    fast = _copy(busy_books, tmp_path / "cepat")
    full = _copy(busy_books, tmp_path / "penuh")
    day = 60
    for n, (command, amount, small, step) in enumerate(steps):
        day = min(max(day + step, 1), 360)
        date = f"{dt.date(2026, 1, 1) + dt.timedelta(days=day - 1):%d-%m-%Y}"
        args = [a.format(amount=f"{amount}rb", small=small, n=n) for a in command]
        if command[0] != "laporan" and command[:2] != ("gerai", "stok"):
            args += ["--tanggal", date]
        same_on_cache_and_without(fast, full, args)
    _same_as_fresh(fast)


def test_a_copied_folder_settles_its_own(busy_books: Path, tmp_path: Path) -> None:
    root = _copy(busy_books, tmp_path / "asli")
    copy = tmp_path / "salinan"
    shutil.copytree(root, copy, symlinks=True)  # the cache files come along
    _ok(Cli(copy), "simpanan", "setor", "A0001", "sukarela", "5rb", "--tanggal", "01-03-2026")
    book = _same_as_fresh(copy)
    names = {e.meta["filename"] for e in book.entries}
    assert names and all(n.startswith(str(copy) + os.sep) for n in names), names
    cached = ledger.load(Paths(copy))
    assert cached.sealed is not None and cached.sealed.settled is not None
    assert not list(copy.glob(".kkmp.ringkas-*")) == list(root.glob(".kkmp.ringkas-*"))


def test_periksa_throws_away_a_cache_that_lies(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache whose digests match but whose entries do not (a kkmp bug, or a cache written by
    hand): periksa says so and drops it, and the next command reads the text."""
    # As on big books, whose parse is slow enough to be cached: periksa's own reading of the
    # text must not replace the cache it is about to check.
    monkeypatch.setattr(ledger, "CACHE_THRESHOLD_SECONDS", 0)
    root = _copy(busy_books, tmp_path / "kop")
    cache = root / ledger.CACHE_FILE
    head, _, body = cache.read_bytes().partition(b"\n")
    entries, errors, options = pickle.loads(body)
    last = max(i for i, e in enumerate(entries) if isinstance(e, data.Transaction))
    del entries[last]  # one sale the files hold, left out
    cache.write_bytes(head + b"\n" + pickle.dumps((entries, errors, options)))
    r = Cli(root)("periksa")
    assert r.exit_code == 1 and "cache kkmp tidak cocok" in r.output, r.output
    # Thrown away (periksa writes no cache: its notes come from the Book it parsed).
    assert not cache.exists()
    _ok(Cli(root), "periksa")
    _same_as_fresh(root)


def test_a_new_year_file_keeps_the_cache_true(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, dt.date(2027, 1, 2))
    root = _copy(busy_books, tmp_path / "kop")
    _ok(Cli(root), "simpanan", "setor", "A0001", "sukarela", "5rb", "--tanggal", "02-01-2027")
    assert (root / "jurnal" / "2027.beancount").exists()
    cached = ledger.load(Paths(root))
    assert cached.sealed is not None  # the cache was written for the new file, not dropped
    _same_as_fresh(root)
    _ok(Cli(root), "periksa")


def test_a_members_first_loan_keeps_every_index_in_the_cache(
    busy_books: Path, tmp_path: Path
) -> None:
    """The loan's sub-account opens on the first day of the open year (before the settled
    day): the writer reads the settled entries and settles again — keeping every domain index,
    so the next `gerai jual` or `pinjaman angsur` does not fold one over every entry."""
    root = _copy(busy_books, tmp_path / "kop")
    _ok(Cli(root), "pinjaman", "cair", "A0002", "500rb", "--tenor", "5", "--jasa", "1",
        "--tanggal", "02-03-2026")  # fmt: skip
    book = ledger.load(Paths(root))
    assert book.sealed is not None and book.sealed.settled is not None
    assert book.sealed.index_names() == set(ledger.KEPT_INDEXES)
    _same_as_fresh(root)


def test_an_index_a_newer_kkmp_keeps_joins_the_settled_part_on_the_next_write(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A settled part made by a kkmp that did not keep an index yet: the next writing command
    reads every entry once and settles again with it, so the queries of that index after it
    read no settled entry (until then each of them read every entry)."""
    kept = ledger.KEPT_INDEXES
    newer = "kkmp_cli.reports.statements:EquityMoves"
    monkeypatch.setattr(ledger, "KEPT_INDEXES", tuple(n for n in kept if not n.startswith(newer)))
    root = _copy(busy_books, tmp_path / "kop")
    book = ledger.load(Paths(root))
    assert book.sealed is not None and book.sealed.settled is not None
    assert not any(n.startswith(newer) for n in book.sealed.index_names())
    monkeypatch.setattr(ledger, "KEPT_INDEXES", kept)
    _ok(Cli(root), "simpanan", "setor", "A0001", "sukarela", "5rb", "--tanggal", "02-03-2026")
    book = ledger.load(Paths(root))
    assert book.sealed is not None and book.sealed.settled is not None
    assert book.sealed.index_names() == set(kept)
    _same_as_fresh(root)
    _ok(Cli(root), "periksa")


def _lacking_equity_moves(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, ledger.Book]:
    """A copy whose settled part was made by a kkmp that did not keep EquityMoves yet."""
    kept = ledger.KEPT_INDEXES
    monkeypatch.setattr(ledger, "KEPT_INDEXES", tuple(n for n in kept if ":EquityMoves@" not in n))
    root = _copy(busy_books, tmp_path / "kop")
    monkeypatch.setattr(ledger, "KEPT_INDEXES", kept)
    book = ledger.load(Paths(root))
    assert book.sealed is not None and book.sealed.settled is not None
    assert ledger._lacks_kept(book.sealed.settled)
    return root, book


def test_an_upgrade_does_not_settle_entries_changed_after_the_load(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The settled bytes changed (by hand, same length) between the load and the cache write
    of the first write after an upgrade: the old settled entries are not settled again under
    the new bytes' digest (the review found they were); the cache is dropped."""
    root, book = _lacking_equity_moves(busy_books, tmp_path, monkeypatch)
    year = Paths(root).year_file(2026)
    text = year.read_text()
    assert "10000 IDR" in text
    year.write_text(text.replace("10000 IDR", "90000 IDR", 2))
    digests = ledger.file_digests(Paths(root), [Path(f) for f in book.options["include"]])
    assert digests is not None
    ledger.store(book, digests)
    cached, fresh = ledger.load(Paths(root)), ledger.load(Paths(root), fresh=True)
    assert cached.balances() == fresh.balances()


def test_an_upgrade_that_cannot_settle_drops_the_part_lacking_the_index(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the part cannot be made again on the first write after an upgrade, the part
    lacking the index is not kept: else every later write would read every entry again."""
    root, _ = _lacking_equity_moves(busy_books, tmp_path, monkeypatch)
    monkeypatch.setattr(ledger, "_settle", lambda *args: None)
    _ok(Cli(root), "simpanan", "setor", "A0001", "sukarela", "5rb", "--tanggal", "02-03-2026")
    book = ledger.load(Paths(root))
    assert book.sealed is None or book.sealed.settled is None
    _same_as_fresh(root)


def test_a_document_number_used_again_is_seen_by_the_summary(
    busy_books: Path, tmp_path: Path
) -> None:
    """The summary keeps the settled document numbers packed: a number used again (two copies
    merged by hand) is still a duplicate the writer refuses to write on."""
    root = _copy(busy_books, tmp_path / "kop")
    book = ledger.load(Paths(root))
    assert book.sealed is not None and book.sealed.settled is not None
    settled_id = next(
        e.meta["id"]
        for e in ledger.load(Paths(root), fresh=True).entries
        if isinstance(e, data.Transaction) and "id" in e.meta and e.date < book.sealed.last
    )
    twin = ledger.transaction(
        dt.date(2026, 3, 9),
        "Salinan",
        [
            ledger.posting("Aset:Kas", Decimal(1000)),
            ledger.posting(SUKARELA, Decimal(-1000)),
        ],
        meta={"id": settled_id},
    )
    assert book.extended([twin]).duplicate_ids() == [settled_id]
    fresh_number = ledger.transaction(
        dt.date(2026, 3, 9),
        "Baru",
        [ledger.posting("Aset:Kas", Decimal(1000)), ledger.posting(SUKARELA, Decimal(-1000))],
        meta={"id": "BKM-2026-900000"},
    )
    assert ledger.load(Paths(root)).extended([fresh_number]).duplicate_ids() == []


def test_a_mapped_file_and_a_read_one_have_the_same_digest(
    busy_books: Path, tmp_path: Path
) -> None:
    """Closed years' files are mapped, the others read (#16): one digest either way, an empty
    file included, and a missing file or a short prefix is no digest at all."""
    paths = Paths(busy_books)
    files = [busy_books / "buku.beancount", *sorted((busy_books / "jurnal").glob("*.beancount"))]
    names = [os.path.relpath(f, busy_books) for f in files]
    read = ledger.file_digests(paths, files)
    assert read is not None and ledger.file_digests(paths, files, names) == read
    empty = tmp_path / "kosong.beancount"
    empty.write_bytes(b"")
    assert ledger._file_digest(empty, mapped=True) == ledger._file_digest(empty)
    assert ledger._file_digest(tmp_path / "tidak-ada", mapped=True) is None
    size = files[1].stat().st_size
    assert ledger._file_digest(files[1], size + 1) is None
    assert ledger._file_digest(files[1], size) == read[names[1]]


def _where(entries: object) -> list[tuple[dt.date, str, int]]:
    return [
        (e.date, str(e.meta.get("filename")), int(e.meta.get("lineno", 0)))
        for e in entries  # type: ignore[attr-defined]
    ]


def test_the_settled_entries_read_keep_their_indexes_and_the_closed_year_stays_apart(
    busy_books: Path, tmp_path: Path
) -> None:
    """A report reads the open year's days (the settled entries come into memory), then asks
    for every kept index, a closed day's balances and the closed year's transactions: each
    index is the settled part's copy with only the other entries folded on top, the closed
    year is read a year at a time and never kept — and every answer is the full parse's (#16:
    the RAT book read every closed year)."""
    root = _copy(busy_books, tmp_path / "kop")
    book = ledger.load(Paths(root))
    fresh = ledger.load(Paths(root), fresh=True)
    assert book.sealed is not None and book.sealed.settled is not None
    open_year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert _where(book.transactions(*open_year)) == _where(fresh.transactions(*open_year))
    assert book.sealed is not None and book.sealed.settled is None
    for name in ledger.KEPT_INDEXES:
        cls = ledger._index_class(name)
        assert cls is not None
        assert ledger._state(book.index(cls)) == ledger._state(fresh.index(cls)), name
    for day in (dt.date(2025, 3, 1), dt.date(2025, 12, 30), dt.date(2025, 12, 31)):
        for account in fresh.opens():
            assert book.balance_on(account, day) == fresh.balance_on(account, day), (day, account)
    closed_year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert _where(book.transactions(*closed_year)) == _where(fresh.transactions(*closed_year))
    assert book.sealed is not None and book.sealed.closed is not None  # never read whole


def test_a_kept_index_of_an_older_version_is_made_again_on_the_next_write(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A settled part holding an index folded by an older version of its fold (kkmp was
    upgraded): the next writing command settles again with this version's fold."""
    from kkmp_cli.loans.portfolio import LoanIndex

    current = ledger.index_name(LoanIndex)
    older = current.replace(f"@{LoanIndex.version}", f"@{LoanIndex.version - 1}")
    kept = ledger.KEPT_INDEXES
    monkeypatch.setattr(LoanIndex, "version", LoanIndex.version - 1)
    monkeypatch.setattr(ledger, "KEPT_INDEXES", tuple(older if n == current else n for n in kept))
    root = _copy(busy_books, tmp_path / "kop")
    book = ledger.load(Paths(root))
    assert book.sealed is not None and book.sealed.settled is not None
    assert older in book.sealed.index_names()
    monkeypatch.undo()
    small_parts_again(monkeypatch)
    book = ledger.load(Paths(root))
    assert book.sealed is not None and book.sealed.settled is not None
    assert ledger._lacks_kept(book.sealed.settled)
    _ok(Cli(root), "simpanan", "setor", "A0001", "sukarela", "5rb", "--tanggal", "02-03-2026")
    book = ledger.load(Paths(root))
    assert book.sealed is not None and book.sealed.settled is not None
    assert book.sealed.index_names() == set(kept)
    _same_as_fresh(root)


@pytest.mark.parametrize("how", ["copied", "part-gone"])
def test_the_closed_days_of_a_copied_folder_or_a_lost_part(
    busy_books: Path, tmp_path: Path, how: str
) -> None:
    """The closed year's entries read a year at a time carry the copy's file names (a
    cooperative copied with its cache), and a closed part that went away after the load is
    parsed again: the same transactions and balances as a full parse."""
    root = _copy(busy_books, tmp_path / "asli")
    if how == "copied":
        copy = tmp_path / "salinan"
        shutil.copytree(root, copy, symlinks=True)  # the cache files come along
        root = copy
        # The copy's own cache, pointing at the closed part made in the first folder.
        _ok(Cli(root), "simpanan", "setor", "A0001", "sukarela", "5rb", "--tanggal", "01-03-2026")
    book = ledger.load(Paths(root))
    assert book.sealed is not None and book.sealed.closed is not None
    if how == "part-gone":
        for part in root.glob(".kkmp.tertutup-*"):
            part.unlink()
    fresh = ledger.load(Paths(root), fresh=True)
    days = (dt.date(2025, 2, 1), dt.date(2025, 11, 30))
    got = _where(book.transactions(*days))
    assert got == _where(fresh.transactions(*days)) and got
    assert all(name.startswith(str(root) + os.sep) for _, name, _ in got)
    for account in fresh.opens():
        day = dt.date(2025, 6, 30)
        assert book.balance_on(account, day) == fresh.balance_on(account, day), account


def test_an_import_again_skips_rows_whose_marks_are_settled(
    busy_books: Path, tmp_path: Path
) -> None:
    """The fingerprints of imported rows come from the `ImportMarks` index (kept with the
    settled part), not from a walk over every transaction: importing the same sheet again,
    once the imported sales are settled, adds nothing, and the index equals a full parse's."""
    from conftest import snapshot

    from kkmp_cli.journal.marks import ImportMarks

    root = _copy(busy_books, tmp_path / "kop")
    sheet = tmp_path / "jual.csv"
    rows = [f"{d:02d}-03-2026,BERAS-5KG,1,65.000,N{d},A0001" for d in range(1, 11)]
    sheet.write_text("tanggal,barang,jumlah,harga,nota,anggota\n" + "\n".join(rows) + "\n")
    r = Cli(root)("impor", str(sheet), "--jenis", "penjualan")
    assert r.exit_code == 0 and "10 transaksi dicatat" in r.output, r.output
    for day in range(20, 30):  # later sales, so that the imported ones are settled
        _ok(
            Cli(root),
            "simpanan",
            "setor",
            "A0002",
            "sukarela",
            "5rb",
            "--tanggal",
            f"{day}-03-2026",
        )
    book = ledger.load(Paths(root))
    assert book.sealed is not None and book.sealed.settled is not None
    assert book.sealed.settled.last >= dt.date(2026, 3, 10)
    fresh = ledger.load(Paths(root), fresh=True)
    marks = book.index(ImportMarks).done
    assert len(marks) == 10 and marks == fresh.index(ImportMarks).done
    assert book.sealed is not None and book.sealed.settled is not None  # no entry read
    before = snapshot(root)
    r = Cli(root)("impor", str(sheet), "--jenis", "penjualan")
    assert r.exit_code == 0 and "10 baris dilewati" in r.output, r.output
    assert snapshot(root) == before


def test_a_balance_on_the_closed_years_last_day_or_a_settled_day_reads_no_closed_entry(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`balance_on` the closed years' last day (the day a comparative balance sheet asks for)
    or a settled day reads the settled entries, never the closed years' (review of #16)."""
    root = _copy(busy_books, tmp_path / "kop")
    fresh = ledger.load(Paths(root), fresh=True)
    read: list[object] = []
    real = ledger._read_sealed

    def spy(*args: object, **kwargs: object) -> object:
        if kwargs.get("entries"):
            read.append(kwargs.get("years"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger, "_read_sealed", spy)
    probe = ledger.load(Paths(root))
    assert probe.sealed is not None and probe.sealed.closed is not None
    assert probe.sealed.settled is not None
    closed_last, settled_last = probe.sealed.closed.last, probe.sealed.last
    assert closed_last < settled_last
    days = [closed_last, closed_last + dt.timedelta(days=10), settled_last - dt.timedelta(days=1)]
    for day in days:
        for account in (SUKARELA, "Aset:Kas", "Aset:Persediaan:BERAS-5KG"):
            book = ledger.load(Paths(root))
            assert book.balance_on(account, day) == fresh.balance_on(account, day), (day, account)
            assert book.sealed is not None and book.sealed.closed is not None
    assert read == []


def test_a_member_added_on_the_settled_day_is_settled_in_a_full_loads_order(
    busy_books: Path, tmp_path: Path
) -> None:
    """Found by the property test in CI: a member added on the settled part's last day is
    written after its bytes, but a full load puts the member's opens before that day's
    transactions. The part is no longer kept as it was (it would be followed by entries of
    its own day): the books are settled again, in a full load's order."""
    fast = _copy(busy_books, tmp_path / "cepat")
    full = _copy(busy_books, tmp_path / "penuh")
    for args in (
        ["simpanan", "setor", "A0001", "sukarela", "12rb", "--tanggal", "28-02-2026"],
        ["laporan", "neraca", "--tahun", "2026"],
        ["simpanan", "setor", "A0001", "sukarela", "1rb", "--tanggal", "26-02-2026"],
    ):
        same_on_cache_and_without(fast, full, args)
    book = ledger.load(Paths(fast))
    assert book.sealed is not None and book.sealed.settled is not None
    day = book.sealed.settled.last
    same_on_cache_and_without(
        fast, full, ["anggota", "tambah", "Warga 3", "--tanggal", f"{day:%d-%m-%Y}"]
    )
    _same_as_fresh(fast)


def test_the_opening_balances_of_a_closed_year_are_read_with_it(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The opening balances (saldo awal) are dated the day before the books start but live in
    the first year's file: once that year is closed, a query over their day reads them from the
    closed part, as a full parse gives them."""
    from conftest import close_2025

    _ok(cli, "anggota", "tambah", "Siti", "--tanggal", "01-12-2024")
    _ok(cli, "gerai", "barang", "tambah", "BERAS-5KG", "--nama", "Beras", "--harga-jual", "65rb",
        "--tanggal", "01-01-2025")  # fmt: skip
    monkeypatch.chdir(tmp_path)
    _ok(cli, "saldo-awal", "contoh")
    _ok(cli, "saldo-awal", str(tmp_path / "saldo-awal.yaml"))
    for month in range(1, 13):
        _ok(cli, "simpanan", "setor", "A0001", "wajib", "10rb", "--tanggal", f"10-{month:02d}-2025")
    close_2025(cli)  # the first book year: the opening makes no 2024 to close first (#22)
    for day in range(5, 20):
        _ok(cli, "simpanan", "setor", "A0001", "sukarela", "5rb", "--tanggal", f"{day:02d}-01-2026")
    root = cli.root
    ledger.refresh_cache(Paths(root))
    fresh = ledger.load(Paths(root), fresh=True)
    first = min(e.date for e in fresh.transactions())
    assert first == dt.date(2024, 12, 31)
    # They live in the first book year's file (2025), dated in 2024.
    assert next(fresh.transactions()).meta["filename"].endswith("2025.beancount")
    for start, end in (
        (dt.date(2024, 12, 1), dt.date(2025, 1, 31)),
        (first, first),
        (dt.date(2024, 1, 1), None),
    ):
        book = ledger.load(Paths(root))
        assert book.sealed is not None and book.sealed.closed is not None
        assert _where(book.transactions(start, end)) == _where(fresh.transactions(start, end))
        assert _where(book.transactions(start, end))
    for day in (first, dt.date(2025, 1, 15)):
        book = ledger.load(Paths(root))
        for account in fresh.opens():
            assert book.balance_on(account, day) == fresh.balance_on(account, day), (day, account)
        assert book.sealed is not None and book.sealed.closed is not None


def test_a_batch_among_older_entries_keeps_the_cache(
    busy_books: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import whose rows go in among the entries already written (230 sales dated between
    busy_books' entries) moves their line numbers: the writer moves them in memory in
    one pass and writes the cache, instead of dropping it and leaving the next command a full
    parse of every year (#16: a batch of more than 200 entries dropped it)."""
    root = _copy(busy_books, tmp_path / "kop")
    _ok(Cli(root), "gerai", "beli", "BERAS-5KG", "300", "--harga", "60.000", "--pemasok",
        "Grosir", "--kredit", "--tanggal", "02-01-2026")  # fmt: skip
    sheet = tmp_path / "jual.csv"
    rows = [
        f"{dt.date(2026, 1, 6) + dt.timedelta(days=n % 50):%d-%m-%Y},BERAS-5KG,1,65.000,S{n},"
        for n in range(230)
    ]
    sheet.write_text("tanggal,barang,jumlah,harga,nota,anggota\n" + "\n".join(rows) + "\n")
    r = Cli(root)("impor", str(sheet), "--jenis", "penjualan")
    assert r.exit_code == 0, r.output
    assert (root / ledger.CACHE_FILE).exists()
    book = _same_as_fresh(root)
    assert sum(1 for e in book.entries if e.meta.get("jenis") == "gerai-jual") >= 230
    # The next command reads the cache: a parse of the text would fail it.
    monkeypatch.setattr(ledger, "_parse", lambda main: (_ for _ in ()).throw(AssertionError))
    _ok(Cli(root), "simpanan", "setor", "A0002", "wajib", "10rb", "--tanggal", "02-03-2026")
    monkeypatch.undo()
    _same_as_fresh(root)
    _ok(Cli(root), "periksa")


@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 5)), max_size=8),
    st.booleans(),
)
def test_lines_move_as_block_by_block(steps: list[tuple[int, int]], in_order: bool) -> None:
    """`writer._line_mover` moves each line where inserting the blocks one by one would: by
    bisection when each block goes at or after the end of the one before (a batch in date
    order), else block by block (#16)."""
    from kkmp_cli.core import writer

    if in_order:  # each block at or after the end of the one before, as a batch inserts
        placed, end = [], 0
        for gap, delta in steps:
            placed.append((end + gap, delta))
            end += gap + delta
        steps = placed
    mover = writer._line_mover(steps)
    for line in range(1, 60):
        expected = line
        for index, delta in steps:
            if expected > index:
                expected += delta
        assert mover(line) == expected, (steps, line)
