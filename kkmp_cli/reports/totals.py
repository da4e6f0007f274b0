"""Per-month totals of every account: what any period's statement sums, kept as a domain index
(#16) so a report adds a few dozen monthly figures instead of walking every transaction.

`Totals` is folded entry by entry (`book.index(Totals)`); once kkmp's cache keeps it with the
closed years' summary, a report over any period reads no closed-year entry. `sums` answers a
period from the whole months it covers and scans only the days of a month cut in part."""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from beancount.core import data

from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book

ZERO = Decimal(0)
CLOSING = "tutup-buku"  # the `jenis` of a year-end closing transaction

Month = tuple[int, int]


class Totals(ledger.Index):
    """IDR weight of the postings (lots at cost) per month and account, the closing
    transactions (`jenis: tutup-buku`) apart; and the first transaction's date. A total of
    whole rupiah is an int (`sums` turns it back into a Decimal)."""

    version = 1  # raised whenever `fold` changes: a kept copy of another version is not used

    def __init__(self) -> None:
        self.regular: dict[Month, dict[str, Decimal | int]] = {}
        self.closing: dict[Month, dict[str, Decimal | int]] = {}
        self.first: dt.date | None = None

    def fold(self, entry: data.Directive) -> None:
        if not isinstance(entry, data.Transaction):
            return
        date = entry.date
        if self.first is None or date < self.first:
            self.first = date
        part = self.closing if entry.meta.get("jenis") == CLOSING else self.regular
        key = (date.year, date.month)
        totals = part.get(key)
        if totals is None:
            totals = part[key] = {}
        for p in entry.postings:
            exact = ledger.weight(p)
            # A whole rupiah amount is kept as an int (a third of a Decimal's memory); an int
            # adds to a Decimal exactly, with the exponent a Decimal of it would have.
            weight = int(exact) if exact.as_tuple().exponent == 0 else exact
            account = sys.intern(p.account)  # one string per account, however many months
            totals[account] = totals.get(account, 0) + weight


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _next_month(month: Month) -> Month:
    year, m = month
    return (year + 1, 1) if m == 12 else (year, m + 1)


def first_transaction(book: Book) -> dt.date | None:
    """The date of the earliest transaction in the books (None when there is none)."""
    return book.index(Totals).first


def booked_in(book: Book, year: int) -> bool:
    """Whether any transaction is dated in `year`."""
    index = book.index(Totals)
    return any(m[0] == year for m in (*index.regular, *index.closing))


def sums(
    book: Book,
    start: dt.date | None,
    end: dt.date,
    *,
    skip_closing: bool = False,
    relabel: tuple[dt.date, tuple[str, ...], str] | None = None,
) -> dict[str, Decimal]:
    """IDR weight of postings per account dated start..end (inclusive), closing transactions
    left out if `skip_closing`; `relabel` (before, roots, account) counts the postings dated
    before `before` to accounts under `roots` on `account` instead.

    Whole months come from the `Totals` index; the days of a month the period cuts in part are
    read from the transactions. The accounts come in the order a scan of the transactions
    would first meet them."""
    result: dict[str, Decimal] = defaultdict(Decimal)

    def add(account: str, value: Decimal | int, when: dt.date | Month) -> None:
        result[account if relabel is None else _relabelled(relabel, account, when)] += value

    def scan(first: dt.date, last: dt.date) -> None:
        for entry in book.transactions(first, last):
            if skip_closing and entry.meta.get("jenis") == CLOSING:
                continue
            for p in entry.postings:
                add(p.account, ledger.weight(p), entry.date)

    sealed = book.sealed
    if start is not None and sealed is not None and start > sealed.last:
        # Within the open years of a Book whose closed years are not loaded: a scan of those
        # days reads no closed year (the index, until kkmp's cache keeps it, would; #16).
        scan(start, end)
        return result
    index = book.index(Totals)
    before, whole, after = plan(start, end)
    for first, last in before:
        scan(first, last)
    for month in _months(index, whole, skip_closing):
        for account, value in index.regular.get(month, {}).items():
            add(account, value, month)
        if not skip_closing:
            for account, value in index.closing.get(month, {}).items():
                add(account, value, month)
    for first, last in after:
        scan(first, last)
    return result


Days = list[tuple[dt.date, dt.date]]


def plan(start: dt.date | None, end: dt.date) -> tuple[Days, Callable[[Month], bool], Days]:
    """How a period start..end (inclusive; start None: from the first entry) is added up from
    a monthly index: the days read from the transactions before the whole months (those of a
    month the start cuts in part), which months the index gives, and the days read after them
    (those of a month the end cuts in part)."""
    if start is not None and start > end:
        return [], lambda month: False, []
    lead_in = start is not None and start.day != 1
    lead_out = end != _month_end(end)
    if start is not None and _month(start) == _month(end) and (lead_in or lead_out):
        return [(start, end)], lambda month: False, []
    before = [(start, _month_end(start))] if start is not None and lead_in else []
    low = None if start is None else _month(start) if not lead_in else _next_month(_month(start))
    high = _month(end)
    after = [(dt.date(end.year, end.month, 1), end)] if lead_out else []

    def whole(month: Month) -> bool:
        return (low is None or month >= low) and (month < high or (not lead_out and month == high))

    return before, whole, after


def _relabelled(
    relabel: tuple[dt.date, tuple[str, ...], str], account: str, when: dt.date | Month
) -> str:
    """The account a posting counts on (`when`: its date or month; `before` is a month's first
    day, so a month is wholly before it or not at all)."""
    before, roots, target = relabel
    early = when < before if isinstance(when, dt.date) else when < _month(before)
    if early and any(account == r or account.startswith(r + ":") for r in roots):
        return target
    return account


def _months(index: Totals, whole: Callable[[Month], bool], skip_closing: bool) -> list[Month]:
    """The index's months a period covers whole, in order."""
    kept = {*index.regular, *(() if skip_closing else index.closing)}
    return sorted(m for m in kept if whole(m))


def _month(day: dt.date) -> Month:
    return (day.year, day.month)
