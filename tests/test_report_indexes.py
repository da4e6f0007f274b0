"""The reports' domain indexes (#16): the per-month totals, the member card and the time
deposits give exactly what a scan of every transaction gives — the same figures, the same
accounts in the same order — over whole, cut and empty periods, on a Book fully in memory and
on one whose closed year is still a summary."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data

from kkmp_cli import chart
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.members import register, term_deposits
from kkmp_cli.reports import periods, statements, totals
from kkmp_cli.shu import distributions

INCOME, EXPENSES = statements.INCOME, statements.EXPENSES


def _scan(
    book: Book, start: dt.date | None, end: dt.date, *, skip_closing: bool, relabel: bool
) -> dict[str, Decimal]:
    """What `statements.sums` computed before the index: a walk over the transactions."""
    result: dict[str, Decimal] = defaultdict(Decimal)
    year_start = dt.date(end.year, 1, 1)
    for entry in book.transactions(start, end):
        if skip_closing and entry.meta.get("jenis") == totals.CLOSING:
            continue
        for p in entry.postings:
            account = p.account
            if (
                relabel
                and entry.date < year_start
                and (statements._under(account, INCOME) or statements._under(account, EXPENSES))
            ):
                account = chart.SHU_TAHUN_BERJALAN
            result[account] += ledger.weight(p)
    return result


PERIODS = [
    (None, dt.date(2025, 12, 31)),
    (None, dt.date(2026, 12, 31)),
    (None, dt.date(2026, 3, 17)),
    (None, dt.date(2025, 6, 30)),
    (None, dt.date(2024, 12, 31)),
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    (dt.date(2025, 2, 15), dt.date(2025, 5, 10)),
    (dt.date(2025, 3, 3), dt.date(2025, 3, 20)),
    (dt.date(2025, 3, 1), dt.date(2025, 3, 20)),
    (dt.date(2025, 3, 3), dt.date(2025, 3, 31)),
    (dt.date(2025, 11, 15), dt.date(2026, 2, 10)),
    (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
    (dt.date(2025, 12, 31), dt.date(2025, 12, 31)),
    (dt.date(2026, 5, 1), dt.date(2026, 4, 1)),
]


def _books(root: Path) -> list[Book]:
    """The demo's books parsed whole, and read from the cache (2025 closed: a summary)."""
    paths = Paths(root)
    ledger.refresh_cache(paths)
    cached = ledger.load(paths)
    assert cached.sealed is not None
    return [ledger.load(paths, fresh=True), cached]


@pytest.mark.parametrize("skip_closing", [False, True])
def test_sums_from_the_monthly_totals_equal_a_scan(demo_copy: Path, skip_closing: bool) -> None:
    full, cached = _books(demo_copy)
    for start, end in PERIODS:
        relabel = start is None
        want = _scan(full, start, end, skip_closing=skip_closing, relabel=relabel)
        for book in (cached, full):
            got = statements.sums(book, start, end, skip_closing=skip_closing)
            assert list(got.items()) == list(want.items()), (start, end, skip_closing)
            assert all(str(got[a]) == str(v) for a, v in want.items())


def test_the_equity_moves_from_the_monthly_index_equal_a_scan(demo_copy: Path) -> None:
    """The equity statement's additions, reductions and transfers (`EquityMoves`) over whole,
    cut and empty periods are those of a walk over the period's transactions."""
    full, cached = _books(demo_copy)
    seen = 0
    for start, end in PERIODS:
        if start is None:
            continue
        want: statements.Moves = ({}, {}, {})
        for entry in full.transactions(start, end):
            statements._add_moves(entry, *want)
        seen += any(want)
        for book in (cached, full):
            got = statements._equity_moves(book, start, end)
            for mine, theirs in zip(got, want, strict=True):
                assert {k: v for k, v in mine.items() if v} == {
                    k: v for k, v in theirs.items() if v
                }, (start, end)
                assert set(mine) == set(theirs), (start, end)
    assert seen >= 5  # the demo's equity moves in most periods: the comparison is not empty


def test_books_start_and_booked_years_from_the_index(demo_copy: Path) -> None:
    full, cached = _books(demo_copy)
    first = next(full.transactions()).date
    for book in (cached, full):
        assert totals.first_transaction(book) == first
        assert periods.first_balance_day(book) == min(first, dt.date(2025, 1, 1))
        assert totals.booked_in(book, 2025) and totals.booked_in(book, 2026)
        assert not totals.booked_in(book, 2024) and not totals.booked_in(book, 2030)


def test_the_member_card_equals_the_account_movements(demo_copy: Path) -> None:
    full, cached = _books(demo_copy)
    card = cached.index(register.SimpananCard)
    accounts = [a for a in full.opens() if a.rpartition(":")[0] in register._CARD_PARENTS]
    assert accounts and set(card.moves) <= set(accounts)
    for account in accounts:
        want = [
            (m.date, m.entry.meta.get("lineno", 0), m.amount, str(m.entry.meta.get("id", "")))
            for m in full.movements(account)
        ]
        got = [(m.tanggal, m.baris, m.jumlah, m.bukti) for m in card.moves.get(account, [])]
        assert got == want, account
    for member in register.register(full).values():
        a, b = register.statement(full, member.nak), register.statement(cached, member.nak)
        assert a == b


def test_the_time_deposits_index_equals_a_scan(demo_copy: Path) -> None:
    full, cached = _books(demo_copy)
    gone = {str(t.meta["koreksi"]) for t in full.transactions() if "koreksi" in t.meta}
    opened = [
        t.meta["berjangka"]
        for t in full.transactions()
        if t.meta.get("jenis") == term_deposits.OPEN and t.meta.get("id") not in gone
    ]
    found = term_deposits.deposits_of(cached)
    assert list(found) == list(dict.fromkeys(opened))
    assert found == term_deposits.deposits_of(full)
    cashed = [
        t for t in full.transactions() if isinstance(t, data.Transaction) and t.meta.get("jenis")
    ]
    for t in cashed:
        if t.meta["jenis"] == term_deposits.CASH and t.meta.get("id") not in gone:
            assert found[t.meta["berjangka"]].cair == t.date


def test_the_shu_distributions_index_equals_a_scan(demo_copy: Path) -> None:
    full, cached = _books(demo_copy)
    want = {
        int(str(t.meta["tahun"])): t
        for t in full.transactions()
        if t.meta.get("jenis") == distributions.DISTRIBUTION
    }
    assert want
    for book in (cached, full):
        got = distributions.years(book)
        assert list(got) == list(want)
        assert [t.meta["id"] for t in got.values()] == [t.meta["id"] for t in want.values()]


def _ids(entries: object) -> list[tuple[dt.date, str, int]]:
    return [
        (e.date, str(e.meta.get("filename")), int(e.meta.get("lineno", 0)))
        for e in entries  # type: ignore[attr-defined]
    ]


def _count_sealed_reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The `years` of every read of the closed part's file, from now on."""
    asked: list[object] = []
    read = ledger._read_sealed

    def spy(*args: object, **kwargs: object) -> object:
        asked.append(kwargs.get("years"))
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger, "_read_sealed", spy)
    return asked


CLOSED_DAYS = [
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    (dt.date(2025, 3, 3), dt.date(2025, 3, 20)),
    (dt.date(2025, 11, 15), dt.date(2026, 2, 10)),
    (dt.date(2024, 6, 1), dt.date(2025, 1, 31)),
    (dt.date(2025, 12, 31), None),
]


def test_closed_days_are_read_from_their_years_only(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query over days of the closed year (the RAT book's comparative cash flow) reads only
    those years' entries from the cache, once per Book, keeps them beside the Book's entries,
    and gets the full parse's transactions, file and line included (#16)."""
    full, cached = _books(demo_copy)
    asked = _count_sealed_reads(monkeypatch)
    for start, end in CLOSED_DAYS:
        book = ledger.load(Paths(demo_copy))
        asked.clear()
        want = _ids(full.transactions(start, end))
        assert want, (start, end)
        assert _ids(book.transactions(start, end)) == want, (start, end)
        assert asked == [[2025]]  # the closed year alone, never every closed year at once
        assert _ids(book.transactions(start, end)) == want
        assert asked == [[2025]]  # read once
        assert book.sealed is not None and book.sealed.closed is not None
    asked.clear()
    before = (dt.date(2024, 1, 1), dt.date(2024, 12, 30))
    assert not list(cached.transactions(*before)) and not list(full.transactions(*before))
    assert not list(cached.transactions(dt.date(2025, 5, 1), dt.date(2025, 4, 30)))
    assert asked == []  # nothing in the closed part to read for those
    assert [e.date for e in cached.transactions(dt.date(2025, 2, 1), dt.date(2025, 2, 28))] == [
        e.date for e in full.transactions(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    ]


def test_a_balance_on_a_closed_day_equals_the_full_parse(demo_copy: Path) -> None:
    """`balance_on` a day of the closed year: the balance now less what moved after it, read
    from the closed year's entries once for every account, not the whole history (#16)."""
    full, cached = _books(demo_copy)
    days = [
        dt.date(2024, 12, 31),
        dt.date(2025, 1, 15),
        dt.date(2025, 6, 30),
        dt.date(2025, 12, 30),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 17),
    ]
    accounts = list(full.opens())
    assert len(accounts) > 30
    for day in days:
        for account in accounts:
            assert cached.balance_on(account, day) == full.balance_on(account, day), (day, account)
    assert cached.sealed is not None and cached.sealed.closed is not None
    moved = [day for day in days if any(full.balance_on(a, day) for a in accounts)]
    assert len(moved) >= 5  # not a comparison of zeros


def _walk_held(book: Book, accounts: set[str], per: dt.date | None) -> dict[object, Decimal]:
    """What the stock report summed before `Book.held_on`: a walk up to `per`."""
    held: dict[object, Decimal] = defaultdict(Decimal)
    for entry in book.transactions(end=per):
        for p in entry.postings:
            if p.account in accounts and isinstance(p.cost, data.Cost) and p.units is not None:
                held[(p.account, p.units.currency, p.cost)] += ledger.number(p)
    return {k: n for k, n in held.items() if n}


def test_stock_held_on_a_day_equals_a_walk(demo_copy: Path) -> None:
    """Lots held at the end of a day: what is held now less what moved after it equals a walk
    over every transaction up to that day, on the cache and on a full parse."""
    from kkmp_cli.outlet import trade

    full, cached = _books(demo_copy)
    accounts = {u.persediaan for u in trade.units(full).values()}
    days: list[dt.date | None] = [None, dt.date(2026, 12, 31), dt.date(2026, 2, 10)]
    days += [dt.date(2025, 12, 31), dt.date(2025, 7, 31), dt.date(2025, 1, 1)]
    seen = 0
    for per in days:
        want = _walk_held(full, accounts, per)
        seen += bool(want)
        for book in (cached, full):
            assert book.held_on(accounts, per) == want, per
    assert seen >= 4
    assert trade.stock(cached, dt.date(2025, 12, 31)) == trade.stock(full, dt.date(2025, 12, 31))


def test_the_grants_and_sub_ledger_indexes_equal_a_scan(demo_copy: Path) -> None:
    """The RAT note on grants and the asset and financing sub-ledgers, from their indexes,
    equal a walk over every transaction."""
    from kkmp_cli.financing import facility

    full, cached = _books(demo_copy)
    gone = {str(t.meta["koreksi"]) for t in full.transactions() if t.meta.get("jenis") == "koreksi"}
    want = [
        t
        for t in full.transactions()
        if ("aset" in t.meta or facility.KIND in t.meta) and t.meta.get("id") not in gone
    ]
    assert len(want) > 5 and gone
    grants: dict[int, dict[str, Decimal]] = {}
    for t in full.transactions():
        for p in t.postings:
            if statements._under(p.account, chart.HIBAH) and p.units is not None:
                given = grants.setdefault(t.date.year, {})
                source = str(t.meta.get("pemberi") or t.narration or "Hibah")
                given[source] = given.get(source, Decimal(0)) - ledger.weight(p)
    assert grants
    for book in (cached, full):
        assert _ids(facility.live(book)) == _ids(want)
        end = dt.date(2025, 12, 31)
        assert _ids(facility.live(book, end)) == _ids(t for t in want if t.date <= end)
        assert book.index(statements.GrantIndex).years == grants


def test_a_book_asked_again_and_again_about_closed_days_reads_them_once(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each closed year is read from the cache once per Book (and its successors) and kept
    beside its entries, so a loop of queries over closed days does not read the disk in every
    turn; reading every entry later (an account's whole history) does not read it again."""
    full, cached = _books(demo_copy)
    asked = _count_sealed_reads(monkeypatch)
    days = (dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    want = _ids(full.transactions(*days))
    for _ in range(5):
        assert _ids(cached.transactions(*days)) == want
        assert cached.balance_on("Aset:Kas", days[0]) == full.balance_on("Aset:Kas", days[0])
    assert asked == [[2025]]
    later = cached.numbered(cached.numbering)  # a successor Book keeps what was read
    assert _ids(later.transactions(*days)) == want and asked == [[2025]]
    assert cached.movements("Aset:Kas") == full.movements("Aset:Kas")  # every entry now
    assert cached.sealed is None and asked == [[2025]]  # the closed year not read again
    assert _ids(cached.transactions(*days)) == want
