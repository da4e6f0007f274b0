"""The cooperative's books as beancount loads them, and the queries every domain module shares.

This module and `writer` are the only places that import beancount's loader and parser.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import hashlib
import heapq
import importlib
import json
import mmap
import os
import pickle
import re
import sys
import time
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, ClassVar, TypeVar, cast

import beancount
import filelock
import xxhash
from beancount import loader
from beancount.core import compare, data
from beancount.core.amount import Amount
from beancount.core.inventory import Inventory
from beancount.core.number import MISSING
from beancount.ops import validation
from beancount.parser import booking, booking_full
from beancount.parser.grammar import ValueType
from beancount.utils.defdict import ImmutableDictWithDefault

from kkmp_cli.chart import CLASS_META, ROOTS, needs_class
from kkmp_cli.core import config as configmod
from kkmp_cli.core import fsutil
from kkmp_cli.errors import BukuBermasalah, Finding, PenulisanDitolak

CURRENCY = "IDR"
ZERO = Decimal(0)
# Amounts are aligned so that `bean-format -c 70` changes nothing.
CURRENCY_COLUMN = 70

MAIN_FILE = "buku.beancount"
CHART_FILE = "akun.beancount"
JOURNAL_DIR = "jurnal"
LOCK_FILE = ".kkmp.lock"

# A closed year's seal (`tutup-buku`, 31 December) and its copy on the next year's first day:
# either one keeps the year closed (closing writes both; the writer and periksa read them).
SEAL = "tutup-buku"
SEAL_CARRIED = "segel-tahun-lalu"
REOPEN = "buka-buku"  # a sealed year reopened for adjustments (#11); stays in the journal
LOCK_TIMEOUT_SECONDS = 60

# BKM-2025-000001, or with the code of the laptop that wrote it BKM-2025-B-000001 (#22).
ID_RE = re.compile(
    r"^(?P<prefix>[A-Z]+)-(?P<year>\d{4})-(?:(?P<device>[A-Z][A-Z0-9]?)-)?(?P<seq>\d{6})$"
)

# Beancount applies the name_* options per file, so every file repeats them.
HEADER_OPTIONS = [f'option "{key}" "{value}"' for key, value in ROOTS.items()]


@dataclass(frozen=True, slots=True)
class Movement:
    """One IDR posting to an account: when, how much (positive = debit), in which entry."""

    date: dt.date
    amount: Decimal
    entry: data.Transaction


def idr_move(posting: data.Posting) -> Decimal | None:
    """What a posting adds to its account's IDR balance (`Book.balance`): its number when it
    is in rupiah and not at cost, else None (held as a position)."""
    units = posting.units
    if (
        units is None
        or not isinstance(units.number, Decimal)
        or posting.cost is not None
        or units.currency != CURRENCY
    ):
        return None
    return units.number


def make_custom(
    date: dt.date, type_: str, values: list[Any], meta: dict[str, Any] | None = None
) -> data.Custom:
    """A custom directive with beancount's typed values (strings, numbers, dates)."""
    typed = [ValueType(v, type(v)) for v in values]
    return data.Custom(data.new_metadata("<kkmp>", 0, meta or {}), date, type_, typed)


def own_meta(meta: dict[str, Any] | None) -> dict[str, Any] | None:
    """What an entry or a posting says of itself: its metadata without the file name, line
    number and beancount's own `__` keys (None when nothing is left)."""
    if not meta:
        return None
    kept = {
        k: v for k, v in meta.items() if k not in ("filename", "lineno") and not k.startswith("__")
    }
    return kept or None


def posting(account: str, number: Decimal, currency: str = CURRENCY) -> data.Posting:
    """A posting of a plain amount (no cost, no price)."""
    return data.Posting(account, data.Amount(number, currency), None, None, None, None)


def elided(account: str) -> data.Posting:
    """A posting whose amount beancount interpolates (what the parser makes of a bare account)."""
    return data.Posting(account, MISSING, None, None, None, None)  # type: ignore[arg-type]


def reduce_lots(account: str, qty: Decimal, code: str) -> data.Posting:
    """`-qty CODE {}`: beancount's booking picks the lots (FIFO here)."""
    spec = data.CostSpec(MISSING, None, MISSING, None, None, False)  # type: ignore[arg-type]
    return data.Posting(account, data.Amount(-qty, code), spec, None, None, None)


def add_lot(account: str, qty: Decimal, code: str, price: Decimal) -> data.Posting:
    """`qty CODE {price IDR}`: a new lot at cost (beancount dates it with the transaction)."""
    spec = data.CostSpec(price, None, CURRENCY, None, None, False)
    return data.Posting(account, data.Amount(qty, code), spec, None, None, None)


def weight(p: data.Posting) -> Decimal:
    """What a posting weighs in IDR: its amount, or units x cost for a lot."""
    n = number(p)
    cost = p.cost
    if isinstance(cost, data.Cost):
        return n * cost.number
    if isinstance(cost, data.CostSpec) and isinstance(cost.number_per, Decimal):
        return n * cost.number_per
    return n


def number(p: data.Posting) -> Decimal:
    """A posting's units number (zero for an incomplete posting)."""
    n = p.units.number if p.units is not None else None
    return n if isinstance(n, Decimal) else Decimal(0)


def transaction(
    date: dt.date,
    narration: str,
    postings: list[data.Posting],
    *,
    payee: str | None = None,
    meta: dict[str, Any] | None = None,
    links: Iterable[str] = (),
) -> data.Transaction:
    """A cleared transaction as kkmp writes it (meta first holds the document id)."""
    return data.Transaction(
        data.new_metadata("<kkmp>", 0, meta or {}),
        date,
        "*",
        payee,
        narration,
        frozenset(),
        frozenset(links),
        postings,
    )


@dataclass(frozen=True)
class Paths:
    """Where one cooperative's files live."""

    root: Path

    @property
    def main(self) -> Path:
        return self.root / MAIN_FILE

    @property
    def chart(self) -> Path:
        return self.root / CHART_FILE

    @property
    def lock(self) -> Path:
        return self.root / LOCK_FILE

    @property
    def config(self) -> Path:
        return self.root / configmod.CONFIG_NAME

    def year_file(self, year: int) -> Path:
        return self.root / JOURNAL_DIR / f"{year}.beancount"

    def cache(self) -> Path:
        return Path(loader.get_cache_filename(loader.PICKLE_CACHE_FILENAME, str(self.main)))


def _sortkey(entry: data.Directive) -> tuple[Any, ...]:
    return data.entry_sortkey(entry)


class Index(ABC):
    """Derived state a domain module keeps over the whole ledger, folded entry by entry (#16).

    `Book.index(Cls)` returns one folded over every entry of the ledger (beancount's order),
    and keeps it up to date as entries are added. kkmp's cache keeps it in the summary of the
    settled entries, so a command folds only the entries recorded after them instead of
    scanning the history. A subclass is a module-level class whose instances pickle (plain
    data: dicts, tuples, dates, Decimals, strings; entries too, if it must), built with no
    arguments. `fold` sees each entry once; directives of the chart file may come after
    later-dated entries, and an entry added before later ones (back-dated) makes the Book drop
    its indexes and fold them again from the start."""

    # Raised whenever `fold` changes what it keeps: a cache made by an older fold is not used.
    version: ClassVar[int] = 1

    @abstractmethod
    def fold(self, entry: data.Directive) -> None:
        """Take one entry into the index."""


# The domain indexes kkmp's cache keeps: folded whenever it settles the books with every entry
# in memory, then carried along entry by entry (so the first report or recording command to
# ask for one finds it). Named, not imported: the cache (core) does not import the domain; a
# name this kkmp no longer has is skipped. Each name carries the version of its fold
# (`index_name`): a settled part holding another version lacks it (tests/test_index.py checks
# every Index is here, at its version).
KEPT_INDEXES = (
    "kkmp_cli.loans.portfolio:LoanIndex@2",
    "kkmp_cli.loans.accrual:AccrualIndex@2",
    "kkmp_cli.outlet.trade:CountIndex@1",
    "kkmp_cli.outlet.lots:BatchIndex@1",
    "kkmp_cli.reports.totals:Totals@1",
    "kkmp_cli.reports.statements:EquityMoves@1",
    "kkmp_cli.members.register:SimpananCard@1",
    "kkmp_cli.members.term_deposits:DepositEvents@2",
    "kkmp_cli.shu.distributions:Distributions@1",
    "kkmp_cli.reports.statements:GrantIndex@1",
    "kkmp_cli.financing.facility:SubLedgers@2",
    "kkmp_cli.journal.marks:ImportMarks@1",
    "kkmp_cli.members.interest:JasaRuns@1",
)

IndexT = TypeVar("IndexT", bound=Index)
FoldT = TypeVar("FoldT")


class Numbering:
    """The document numbers handed out while planning (#19): they belong to whoever plans — a
    writer's session, or a Book read for a dry plan — never to the Book's own state.

    A number is the next after the highest used for that prefix and year in the books (on any
    device), or after the last one handed out here, whichever is higher; so a batch planned
    against one Book (an import) gets consecutive numbers, and a plan that is not written
    leaves nothing on disk. With a device code (koperasi.yaml loket.perangkat) the number
    carries it, BKM-2025-B-000001, so two laptops merged through git never clash (#22)."""

    def __init__(self, device: str = "") -> None:
        self.device = device
        self._taken: dict[tuple[str, int], int] = {}

    def take(self, book: Book, prefix: str, year: int) -> str:
        key = (prefix, year)
        seq = max(book.highest_number(prefix, year), self._taken.get(key, 0)) + 1
        self._taken[key] = seq
        device = f"{self.device}-" if self.device else ""
        return f"{prefix}-{year}-{device}{seq:06d}"


class Book:
    """A loaded ledger: its entries, errors and options, the config, and shared derived views.

    A Book never changes; `extended()` returns a new Book with more entries, carrying over
    whatever derived state was already computed so long batches stay linear. Document numbers
    come from the `Numbering` the Book is planned with (the writer's session gives its own).
    """

    def __init__(
        self,
        paths: Paths,
        config: configmod.Config,
        entries: list[data.Directive],
        errors: list[Any],
        options: dict[str, Any],
        numbering: Numbering | None = None,
        *,
        sealed: Sealed | None = None,
    ) -> None:
        self.paths = paths
        self.config = config
        self._entries = entries
        self.errors = errors
        self.options = options
        self.numbering = numbering or Numbering(config.loket.perangkat)
        # Loaded without the closed years' entries (#16): `sealed` stands for them (their
        # balances, lots, numbers and directives) until a query reaches into them.
        self._sealed = sealed
        # The content digest of each file these entries were read from, when the load knew them.
        self.digests: dict[str, str] | None = None
        # An `include` with a pattern in its files: no cache is kept of them (see `globbed`).
        # False when read from kkmp's cache (never kept of such books); else looked for when
        # a cache is about to be written (a full load by periksa never asks).
        self._globbed: bool | None = None
        # The domain indexes the cache keeps for these books (kept when entries are read).
        self._known: set[str] = sealed.index_names() if sealed is not None else set()
        self._carried: dict[type[Index], Index] = {}
        # What the cache set apart before the entries were read (the writer may keep it).
        self.former: Sealed | None = None
        # After the settled part's entries were read into this Book (not a successor): that
        # part and the entries that were in memory before, whose fold its indexes lack.
        self._settled_read: tuple[Sealed, set[int]] | None = None
        # The closed years read for queries over their days, by the closed part's key (#16).
        self._closed_kept: tuple[str, dict[int, list[data.Directive]]] | None = None
        self._views: _Views | None = None
        self._memo: dict[Any, Any] = {}
        # Values folded over one type of custom directive (`folded`): key -> (how many of
        # them the value saw, the last one it saw, the value).
        self._folds: dict[Any, tuple[int, data.Custom | None, Any]] = {}

    # --- the entries, with the closed years fetched only when a query needs them ---

    @property
    def entries(self) -> list[data.Directive]:
        """Every entry of the ledger in beancount's order (fetches the closed years if needed)."""
        if self._sealed is not None:
            self._materialize()
        return self._entries

    @property
    def globbed(self) -> bool:
        """Whether its files include others by a pattern (no cache may be kept of them)."""
        if self._globbed is None:
            self._globbed = globbed([Path(f) for f in self.options.get("include", [])])
        return self._globbed

    @property
    def live_entries(self) -> list[data.Directive]:
        """The entries held in memory: all of them, or only those outside the sealed years."""
        return self._entries

    @property
    def sealed(self) -> Sealed | None:
        """The closed years not loaded (None once every entry is in memory)."""
        return self._sealed

    def _materialize(self, *, settled_only: bool = False) -> None:
        sealed = self._sealed
        assert sealed is not None
        if sealed.settled is not None:
            self.former = sealed
            if settled_only:  # the closed years stay apart: `index` may still use the part's
                self._settled_read = sealed, {id(e) for e in self._entries}
        kept = self._kept_years(sealed)
        self._entries = sealed.merge(self._entries, settled_only=settled_only, kept=kept)
        self._sealed = sealed.closed_only() if settled_only else None
        if self._sealed is None:
            self._closed_kept = None  # in memory with the others now
        if self._views is not None:
            # Folded over every entry already: the domain indexes stay true.
            self._carried.update(self._views.indexes)
        self._views = None  # recomputed over the entries in memory on next use

    def _need(self, date: dt.date | None) -> None:
        """Read the entries set apart by the cache unless every entry dated `date` or later is
        in memory: the open years' settled ones only, when `date` is after the closed years."""
        sealed = self._sealed
        if sealed is None or (date is not None and date > sealed.last):
            return
        closed = sealed.closed
        only = (
            date is not None
            and sealed.settled is not None
            and (closed is None or date > closed.last)
        )
        self._materialize(settled_only=only)

    def reach(self, date: dt.date) -> None:
        """Have every entry dated `date` or later in memory (the writer, before it moves the
        line numbers of the entries after an insertion)."""
        self._need(date)

    def adopt(self, sealed: Sealed | None, live: list[data.Directive]) -> None:
        """Take over what the cache now sets apart (after the writer stored it): the same
        entries, fewer of them in memory; the derived views, folded over all of them, stay."""
        if sealed is not None:
            self._sealed, self._entries = sealed, live
            self._known |= sealed.index_names()

    # --- derived state, computed on first use ---

    def _v(self) -> _Views:
        """The derived views, computed in one pass over the entries on first use."""
        if self._views is None:
            if self._sealed is not None:
                views = self._sealed.views()
                summarised = views.sizes()
                views.fold(self._entries)
                # The chart's opens come after the closed years' in memory: put them back in
                # the order a full load folds them, so no listing can tell the difference.
                views.reorder(self._sealed.order_key, summarised)
            else:
                views = _Views()
                views.fold(self._entries)
            views.indexes.update(self._carried)
            self._carried = {}
            self._views = views
        return self._views

    def extended(self, new_entries: list[data.Directive]) -> Book:
        """A new Book with `new_entries` added.

        The derived views *move* to the new Book and are updated incrementally (so a long batch
        stays linear); this Book keeps its entries and recomputes a view if asked again.
        """
        if new_entries and self._sealed is not None:
            # The chart file's directives stay in memory whatever their date.
            chart = str(abspath(self.paths.chart))
            dated = [e.date for e in new_entries if e.meta.get("filename") != chart]
            if dated:
                self._need(min(dated))
        if len(new_entries) > 100:
            # Two sorted runs: timsort merges them in one linear pass.
            entries = sorted([*self._entries, *new_entries], key=_sortkey)
        else:
            entries = list(self._entries)
            for entry in sorted(new_entries, key=_sortkey):
                if not entries or _sortkey(entries[-1]) <= _sortkey(entry):
                    entries.append(entry)
                else:
                    bisect.insort(entries, entry, key=_sortkey)
        book = self._successor(entries)
        book._folds = dict(self._folds)  # checked against the new Book's directives when used
        if self._views is not None:
            book._views, self._views = self._views, None
            if (
                new_entries
                and self._entries
                and min(map(_sortkey, new_entries)) < _sortkey(self._entries[-1])
            ):
                # Added before later entries: the domain indexes are folded anew when asked.
                book._views.indexes.clear()
            book._views.fold(new_entries)
        return book

    # --- queries ---

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Cache a derived value for the life of this Book (domain modules use it)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def folded(
        self,
        key: Any,
        type_: str,
        fold: Callable[[FoldT | None, Sequence[data.Custom]], FoldT],
    ) -> FoldT:
        """A value folded over the `custom` directives of one type, in the order the Book
        holds them: `fold(None, all)` the first time; a Book extended from this one carries it
        and folds on only the directives added after those it saw, `fold(value, new)` (a
        register of thousands of members imported row by row stays linear, #16). When those
        it saw are no longer the first ones, it folds them all again. `fold` must return a new
        value and leave the one it is given as it is: the Book it came from may be used again
        (the writer goes back to it when a stage is refused)."""
        customs = self._v().customs.get(type_, [])
        held = self._folds.get(key)
        if held is not None:
            seen, last, value = held
            if seen <= len(customs) and (seen == 0 or customs[seen - 1] is last):
                if seen == len(customs):
                    return cast(FoldT, value)
                value = fold(value, customs[seen:])
            else:
                value = fold(None, customs)
        else:
            value = fold(None, customs)
        self._folds[key] = (len(customs), customs[-1] if customs else None, value)
        return cast(FoldT, value)

    def index(self, cls: type[IndexT]) -> IndexT:
        """The domain index `cls` folded over every entry (from the cache's summary and the
        entries after it; folded over the whole ledger the first time it is asked for)."""
        held = self._views.indexes if self._views is not None else self._carried
        if (found := held.get(cls)) is not None:
            return found  # type: ignore[return-value]
        fold: Callable[[data.Directive], bool] | None = None
        if self._sealed is not None:
            # The cache's index stands for the entries set apart (looked for before the views
            # are built: without it every entry is read and the views built over them).
            found = self._sealed.index(cls)
            if found is None and self._settled_read is not None:
                # The settled part's entries were read (a query before this one reached
                # them): its index still stands for them, the others are folded on top.
                part, live = self._settled_read
                if (found := part.index(cls)) is not None:
                    fold = lambda e: id(e) in live  # noqa: E731
            if found is None:
                self._need(None)
        views = self._v()
        if (again := views.indexes.get(cls)) is not None:
            return again  # type: ignore[return-value]
        if found is None:
            found = cls()
        for entry in self._entries if fold is None else filter(fold, self._entries):
            found.fold(entry)
        views.indexes[cls] = found
        return found

    def index_names(self) -> set[str]:
        """The domain indexes these books keep in the cache (KEPT_INDEXES among them), and
        those folded in memory."""
        names = set(self._known) | set(KEPT_INDEXES)
        if self._sealed is not None:
            names |= self._sealed.index_names()
        for held in (self._carried, self._views.indexes if self._views else {}):
            names |= {index_name(cls) for cls in held}
        return names

    def balance(self, account: str) -> Decimal:
        """All-time IDR balance of one account (positive = debit)."""
        balances = self._v().balances
        return balances.get(account, Decimal(0))

    def balances(self) -> dict[str, Decimal]:
        return dict(self._v().balances)

    def _sorted_moves(self, account: str) -> list[Movement]:
        """The account's movements in (date, line) order; sorted again only after an
        out-of-order addition, so a long batch of appends stays linear."""
        views = self._v()
        moves = views.postings.get(account, [])
        if account in views.unsorted:
            moves.sort(key=_move_key)
            views.unsorted.discard(account)
        return moves

    def movements(self, account: str) -> list[Movement]:
        """Every IDR posting to one account, in date order."""
        self._need(None)
        return list(self._sorted_moves(account))

    def movements_since(self, account: str, date: dt.date) -> tuple[Decimal, list[Movement]]:
        """The balance at the end of the day before `date`, and the movements from `date` on:
        what a check of the later days needs, without walking the account's whole history."""
        self._need(date)
        moves = self._sorted_moves(account)
        first = bisect.bisect_left(moves, date, key=lambda m: m.date)
        tail = moves[first:]
        return self.balance(account) - sum((m.amount for m in tail), Decimal(0)), tail

    def balance_on(self, account: str, date: dt.date) -> Decimal:
        """IDR balance at the end of `date`."""
        sealed = self._sealed
        if sealed is not None and date < sealed.last:
            closed = sealed.closed
            if closed is not None and date < closed.last:
                # A day of the closed years (a comparative year's end, say): what moved after
                # it is read from those years' entries only, once for every account (#16).
                self._need(closed.last + dt.timedelta(days=1))
                after = self.memo(
                    ("closed-moves-after", closed.key, date), lambda: self._closed_moves(date)
                )
                if after is not None:
                    return self.balance_on(account, closed.last) - after.get(account, ZERO)
            else:
                # A settled day (the closed years' last one among them): the settled entries
                # are read, not the closed years'.
                self._need(date + dt.timedelta(days=1))
            sealed = self._sealed
        if sealed is not None and date >= sealed.last:
            later = self._sorted_moves(account)
            first = bisect.bisect_right(later, date, key=lambda m: m.date)
            return self.balance(account) - sum((m.amount for m in later[first:]), ZERO)
        return sum((m.amount for m in self.movements(account) if m.date <= date), ZERO)

    def _closed_window(self, start: dt.date, end: dt.date) -> list[data.Directive] | None:
        """The closed years' entries dated `start`..`end`: their years read from the cache
        once, kept beside the Book's entries (and its successors'), without building the
        Book's views over them again; None when the cache file went away (the caller reads
        every entry)."""
        sealed = self._sealed
        if sealed is None or sealed.closed is None:
            return None
        if (years := sealed.year_list()) is None:
            return None
        span = [y for y in years if start.year <= y <= end.year]
        if end < start or not span:
            return []  # no closed day in the range: nothing to read
        kept = self._kept_years(sealed)
        if wanted := [y for y in span if y not in kept]:
            found = sealed.closed_years(wanted)
            if found is None:
                return None
            kept = {**kept, **{y: found.get(y, []) for y in wanted}}
            self._closed_kept = sealed.closed.key, kept
        entries = [e for y in span for e in kept[y]]
        first = bisect.bisect_left(entries, start, key=lambda e: e.date)
        return entries[first : bisect.bisect_right(entries, end, key=lambda e: e.date)]

    def _kept_years(self, sealed: Sealed) -> dict[int, list[data.Directive]]:
        """The closed years this Book read before, if they are of `sealed`'s closed part."""
        kept = self._closed_kept
        if kept is None or sealed.closed is None or kept[0] != sealed.closed.key:
            return {}
        return kept[1]

    def _closed_moves(self, date: dt.date) -> dict[str, Decimal] | None:
        """Per account, the IDR moved by the closed years' entries dated after `date`."""
        assert self._sealed is not None and self._sealed.closed is not None
        last = self._sealed.closed.last
        window = self._closed_window(date + dt.timedelta(days=1), last)
        if window is None:
            return None
        moved: dict[str, Decimal] = {}
        for entry in window:
            if isinstance(entry, data.Transaction):
                for posting in entry.postings:
                    if (amount := idr_move(posting)) is not None:
                        moved[posting.account] = moved.get(posting.account, ZERO) + amount
        return moved

    def inventory(self, account: str) -> Inventory:
        """Positions held at cost (or in other commodities) by one account."""
        inventories = self._v().inventories
        return inventories.get(account, Inventory())

    def held_on(
        self, accounts: Collection[str], per: dt.date | None = None
    ) -> dict[tuple[str, str, data.Cost], Decimal]:
        """Per (account, commodity, cost): the units held at cost in `accounts` at the end of
        `per` (or now) — what the books hold now less what moved after `per`, so that a
        stock count on a recent day reads no old year (#16). Lots that came to nothing are
        left out."""
        later: dict[tuple[str, str, data.Cost], Decimal] = defaultdict(Decimal)
        if per is not None and per < dt.date.max:
            for entry in self.transactions(per + dt.timedelta(days=1)):
                for p in entry.postings:
                    if p.account in accounts and isinstance(p.cost, data.Cost) and p.units:
                        later[(p.account, p.units.currency, p.cost)] += number(p)
        held: dict[tuple[str, str, data.Cost], Decimal] = defaultdict(Decimal)
        inventories = self._v().inventories
        for account in accounts:
            for position in inventories.get(account, ()):
                if isinstance(position.cost, data.Cost):
                    held[(account, position.units.currency, position.cost)] += position.units.number
        for key, moved in later.items():
            held[key] -= moved
        return {key: n for key, n in held.items() if n}

    def next_id(self, prefix: str, year: int) -> str:
        """The next free document number, e.g. BKM-2025-000001 (from this Book's `numbering`)."""
        return self.numbering.take(self, prefix, year)

    def numbered(self, numbering: Numbering) -> Book:
        """This Book planned with `numbering` (the same entries and derived views)."""
        return self._handover(self._successor(self._entries, numbering))

    def _successor(self, entries: list[data.Directive], numbering: Numbering | None = None) -> Book:
        """A Book of the same cooperative, options and sealed years with these entries."""
        book = Book(
            self.paths,
            self.config,
            entries,
            self.errors,
            self.options,
            numbering or self.numbering,
            sealed=self._sealed,
        )
        book._known = set(self._known)
        book.digests = self.digests
        book._globbed = self._globbed
        book.former = self.former
        book._closed_kept = self._closed_kept
        return book

    def _handover(self, book: Book) -> Book:
        """Give `book` this Book's derived views and memos (the entries' order is the same)."""
        book._views, self._views = self._views, None
        book._carried, self._carried = self._carried, {}
        book._memo, book._folds = dict(self._memo), dict(self._folds)
        return book

    def relocated(self, entries: list[data.Directive]) -> Book:
        """The same entries at other line numbers (the writer moved lines down): a new Book
        taking over the derived views, whose order stays the same (#19). `entries` stand for
        `live_entries` (the sealed years, if not loaded, are never moved)."""
        return self._handover(self._successor(entries))

    def highest_number(self, prefix: str, year: int) -> int:
        """The highest sequence number used in the books for a prefix and year (any device)."""
        return self._v().counters.get((prefix, year), 0)

    def duplicate_ids(self) -> list[str]:
        """Document numbers used by more than one transaction (after a bad merge)."""
        return sorted(self._v().duplicates)

    def account_directives(self, keys: Iterable[str] | None = None) -> list[data.Directive]:
        """Open/Close directives (by account) and Commodity directives (by currency)."""
        index = self._v().account_directives
        chosen = index.keys() if keys is None else keys
        return [d for key in chosen for d in index.get(key, [])]

    def opens(self) -> dict[str, data.Open]:
        """Every account's open directive (kept up to date entry by entry: a long batch stays
        linear, #16). The dict is the Book's own: read it, do not change it."""
        return self._v().opens

    def unclassed_opens(self) -> dict[str, data.Open]:
        """The open directives lacking the golongan and arus-kas their account needs (#10)."""
        return self._v().unclassed

    def closes(self) -> dict[str, data.Close]:
        """Every closed account's close directive (the Book's own dict: read it only)."""
        return self._v().closes

    def last_sensitive_date(self, account: str) -> dt.date | None:
        """Latest balance assertion or cost-lot movement on the account, if any."""
        return self._v().sensitive.get(account)

    def customs(self, type_: str) -> list[data.Custom]:
        return list(self._v().customs.get(type_, []))

    def on_date(self, date: dt.date) -> list[data.Directive]:
        self._need(date)
        return list(self._v().by_date.get(date, []))

    def transactions(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> Iterator[data.Transaction]:
        """Transactions in date order, optionally only those dated start..end (inclusive)."""
        closed = self._sealed.closed if self._sealed is not None else None
        if start is not None and closed is not None and start <= closed.last:
            # Days of the closed years (a comparative year): only their years' entries are
            # read, once, beside the Book's (#16: the RAT book's cash flow read every closed
            # year into the Book).
            upto = closed.last if end is None or end > closed.last else end
            window = self._closed_window(start, upto)
            if window is not None:
                yield from (e for e in window if isinstance(e, data.Transaction))
                if end is None or end > closed.last:
                    yield from self.transactions(closed.last + dt.timedelta(days=1), end)
                return
        self._need(start)
        entries = self._entries
        first = 0
        if start is not None:
            first = bisect.bisect_left(entries, start, key=lambda e: e.date)
        for entry in entries[first:] if first else entries:
            if end is not None and entry.date > end:
                break
            if isinstance(entry, data.Transaction):
                yield entry

    def closed_years(self) -> set[int]:
        """Book years sealed by `tutup-buku`: its `custom "tutup-buku"` seal, or the copy of the
        seal on the next year's first day (`custom "segel-tahun-lalu"`), either one — unless
        reopened (`custom "buka-buku"`, approved: `reopens`) as many times as it was sealed
        (#11)."""

        def count(kind: str) -> Counter[int]:
            return Counter(
                int(c.values[0].value)
                for c in self.customs(kind)
                if c.values and (kind != REOPEN or reopens(c))
            )

        seals, carried, reopened = count(SEAL), count(SEAL_CARRIED), count(REOPEN)
        return {
            year for year in {*seals, *carried} if max(seals[year], carried[year]) > reopened[year]
        }

    def last_date(self) -> dt.date | None:
        last = self._entries[-1].date if self._entries else None
        if self._sealed is not None and (last is None or last < self._sealed.last):
            return self._sealed.last
        return last

    def findings(self) -> list[Finding]:
        return [finding_from_error(e) for e in self.errors]


def _merged(items: dict[str, Any], first: int, key: Callable[[Any], Any]) -> dict[str, Any]:
    """`items` ordered by `key`, when its first `first` items are in that order already: the
    others (sorted) are placed by bisection, so only a few of the first have their key asked."""
    pairs = list(items.items())
    ordered, rest = pairs[:first], sorted(pairs[first:], key=key)
    if not rest:
        return items
    merged: list[tuple[str, Any]] = []
    lo = 0
    for pair in rest:
        at = bisect.bisect_right(ordered, key(pair), lo=lo, key=key)
        merged += ordered[lo:at]
        merged.append(pair)
        lo = at
    merged += ordered[lo:]
    return dict(merged)


def _move_key(m: Movement) -> tuple[dt.date, int]:
    return m.date, int(m.entry.meta.get("lineno", 0) or 0)


class _Views:
    """Indexes over a Book's entries, updated entry by entry."""

    def __init__(self) -> None:
        self.balances: dict[str, Decimal] = {}
        self.postings: dict[str, list[Movement]] = {}
        self.unsorted: set[str] = set()  # accounts whose movements were added out of order
        self.inventories: dict[str, Inventory] = {}
        self.counters: dict[tuple[str, int], int] = {}
        self.ids: set[str] = set()
        # A summary keeps its document numbers packed in one string (100 000 of them would
        # be most of its unpickling): unpacked only if a new number could be one of them.
        self.ids_packed = ""
        self.packed_counters: dict[tuple[str, int], int] = {}
        self.duplicates: set[str] = set()
        self.account_directives: dict[str, list[data.Directive]] = {}
        self.opens: dict[str, data.Open] = {}
        self.closes: dict[str, data.Close] = {}
        # Opens lacking the golongan and arus-kas their account needs (an older kkmp's, #10):
        # found as they are folded, so a writing command does not ask the chart about each of
        # thousands of member accounts to find none (#16).
        self.unclassed: dict[str, data.Open] = {}
        self.sensitive: dict[str, dt.date] = {}
        self.customs: defaultdict[str, list[data.Custom]] = defaultdict(list)
        self.by_date: defaultdict[dt.date, list[data.Directive]] = defaultdict(list)
        self.indexes: dict[type[Index], Index] = {}

    def fold(self, entries: Iterable[data.Directive], *, summary: bool = False) -> None:
        """Fold `entries` into the views; `summary`: for a summary (`summarised` next), so
        the movements and the entries by date, which it drops, are not gathered (#16)."""
        indexes = list(self.indexes.values())
        for entry in entries:
            for index in indexes:
                index.fold(entry)
            if not summary:
                self.by_date[entry.date].append(entry)
            if isinstance(entry, data.Transaction):
                self._transaction(entry, summary)
            elif isinstance(entry, data.Open | data.Close):
                self.account_directives.setdefault(entry.account, []).append(entry)
                if isinstance(entry, data.Open):
                    self.opens[entry.account] = entry
                    # The meta first: nearly every open has its class, and the chart costs more.
                    if any(k in entry.meta for k in CLASS_META) or not needs_class(entry.account):
                        self.unclassed.pop(entry.account, None)
                    else:
                        self.unclassed[entry.account] = entry
                else:
                    self.closes[entry.account] = entry
            elif isinstance(entry, data.Commodity):
                self.account_directives.setdefault(entry.currency, []).append(entry)
            elif isinstance(entry, data.Balance | data.Pad):
                self._mark_sensitive(entry.account, entry.date)
            elif isinstance(entry, data.Custom):
                self.customs[entry.type].append(entry)

    def _transaction(self, entry: data.Transaction, summary: bool = False) -> None:
        eid = entry.meta.get("id")
        if isinstance(eid, str):
            if eid in self.ids or (self.ids_packed and self._packed_has(eid)):
                self.duplicates.add(eid)
            self.ids.add(eid)
            if m := ID_RE.match(eid):
                key = (m["prefix"], int(m["year"]))
                self.counters[key] = max(self.counters.get(key, 0), int(m["seq"]))
        for posting in entry.postings:
            units = posting.units
            if units is None or not isinstance(units.number, Decimal):
                continue
            account = posting.account
            if posting.cost is None and units.currency == CURRENCY:
                if not summary:
                    moves = self.postings.setdefault(account, [])
                    move = Movement(entry.date, units.number, entry)
                    if moves and _move_key(moves[-1]) > _move_key(move):
                        self.unsorted.add(account)
                    moves.append(move)
                self.balances[account] = self.balances.get(account, ZERO) + units.number
            else:
                self.inventories.setdefault(account, Inventory()).add_position(posting)
                self._mark_sensitive(account, entry.date)

    def _packed_has(self, eid: str) -> bool:
        """Whether a packed number is `eid`: never, when its sequence is above the highest the
        summary had for its prefix and year (every number kkmp hands out); else unpacked."""
        if (m := ID_RE.match(eid)) is not None:
            if int(m["seq"]) > self.packed_counters.get((m["prefix"], int(m["year"])), 0):
                return False
        self.ids |= set(self.ids_packed.split("\n"))
        self.ids_packed, self.packed_counters = "", {}
        return eid in self.ids

    def summarised(self) -> _Views:
        """These views as a summary keeps them: no movement lists, no entries by date, no
        domain index (kept apart), the document numbers packed."""
        self.postings, self.by_date, self.unsorted, self.indexes = {}, defaultdict(list), set(), {}
        every = self.ids | (set(self.ids_packed.split("\n")) if self.ids_packed else set())
        self.ids, self.ids_packed = set(), "\n".join(sorted(every))
        self.packed_counters = dict(self.counters)
        return self

    def sizes(self) -> tuple[int, int, int]:
        """How many accounts (and commodities) the account directives, opens and closes hold."""
        return len(self.account_directives), len(self.opens), len(self.closes)

    def reorder(
        self, key: Callable[[data.Directive], Any], summarised: tuple[int, int, int] = (0, 0, 0)
    ) -> None:
        """Account directives in the order of a fold over the whole ledger (by `key`).

        `summarised` (from `sizes`): how many of each came first from a summary, which kept
        them in that order already; those after it are merged in, asking the key of a few
        of the summary's only (#16: 3 000 member accounts are not sorted again in every
        command)."""
        first, moved = summarised[0], False
        for i, kept in enumerate(self.account_directives.values()):
            if len(kept) > 1:  # an open and its close, or a summary's account used again
                head = kept[0]
                kept.sort(key=key)
                moved |= i < first and kept[0] is not head
        if moved:
            first = 0  # a summarised account's place may change: all are sorted again
        self.account_directives = _merged(self.account_directives, first, lambda kv: key(kv[1][0]))
        self.opens = _merged(self.opens, summarised[1], lambda kv: key(kv[1]))
        self.closes = _merged(self.closes, summarised[2], lambda kv: key(kv[1]))

    def _mark_sensitive(self, account: str, date: dt.date) -> None:
        if account not in self.sensitive or self.sensitive[account] < date:
            self.sensitive[account] = date


def finding_from_error(error: Any) -> Finding:
    source = getattr(error, "source", None) or {}
    filename = str(source.get("filename", "?"))
    lineno = int(source.get("lineno", 0) or 0)
    return Finding(filename, lineno, str(getattr(error, "message", error)))


def digest(entries: Iterable[data.Directive]) -> str:
    """A fingerprint of entries that is the same on every machine: beancount's stable hash of
    each entry (without metadata) plus its own metadata, minus file names and line numbers.
    An account's class (golongan, arus-kas) is left out: an older ledger gets it on first use,
    after its years were sealed (#10)."""
    parts = []
    for entry in entries:
        skip = CLASS_META if isinstance(entry, data.Open) else ()
        meta = sorted(
            (k, str(v))
            for k, v in entry.meta.items()
            if k not in ("filename", "lineno") and not k.startswith("__") and k not in skip
        )
        parts.append(compare.hash_entry(entry, exclude_meta=True) + repr(meta))
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()


def initial_balances(book: Book, accounts: Iterable[str]) -> defaultdict[str, Inventory]:
    """Copies of the lot inventories of `accounts`, to book new entries on top of the ledger."""
    initial: defaultdict[str, Inventory] = defaultdict(Inventory)
    for account in accounts:
        inventory = book.inventory(account)
        if not inventory.is_empty():
            initial[account] = Inventory(inventory)
    return initial


BOOKING_CHUNK = 500


def book_entries(
    book: Book, entries: list[data.Directive], *, consume: bool = False
) -> tuple[list[data.Directive], list[Any]]:
    """Book planned entries with beancount's own booking (FIFO lots, interpolation) on top of
    the ledger, without writing anything; returns (booked entries, booking errors).

    `consume` takes `entries` over: they are booked a few hundred at a time and leave the list
    as they are (it is empty afterwards), so the entries before and after booking are not all
    held at once (#16). The same steps as `booking.book` on the whole list — beancount books
    entry after entry on the running balances — so the same entries and errors, in the same
    order (tests/test_lean_load.py)."""
    accounts = {p.account for e in entries if isinstance(e, data.Transaction) for p in e.postings}
    balances = initial_balances(book, accounts)
    if not consume:
        booked, errors = booking.book(entries, book.options, balances)
        return list(booked), list(errors)
    methods: defaultdict[str, Any] = defaultdict(lambda: book.options["booking_method"])
    for entry in entries:
        if isinstance(entry, data.Open) and entry.booking:
            methods[entry.account] = entry.booking
    done: list[data.Directive] = []
    booking_errors: list[Any] = []
    missing: list[Any] = []
    while entries:
        chunk = entries[:BOOKING_CHUNK]
        del entries[:BOOKING_CHUNK]
        booked, errors = booking_full.book(chunk, book.options, methods, balances)
        del chunk
        booking_errors += errors
        missing += booking.validate_missing_eliminated(booked, book.options)
        done += booked
    return done, booking_errors + missing


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cycle collector while (un)pickling tens of thousands of entries: it would walk
    every new object again and again for nothing, doubling the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(paths: Paths, *, fresh: bool = False) -> Book:
    """Load the cooperative's ledger, from kkmp's cache when it matches the files' content;
    `fresh` parses the text whatever the cache holds, and writes no cache (for periksa)."""
    cfg = configmod.load(paths.root)
    recover_pending(paths)
    cached = None if fresh else _read(paths)
    if cached is not None:
        entries, errors, options, sealed, known = cached
        book = Book(paths, cfg, entries, errors, options, sealed=sealed)
        book.digests = known
        book._globbed = False  # no cache is kept of books that include by a pattern
        return book
    before = _fingerprints(_candidate_files(paths))
    start = time.perf_counter()
    with no_gc():
        entries, errors, options = _parse(abspath(paths.main))
    included = [Path(f) for f in options["include"]]
    book = Book(paths, cfg, list(entries), list(errors), options)
    # A fresh load (periksa) leaves the cache as it is: periksa compares it with the text.
    if not fresh and time.perf_counter() - start >= CACHE_THRESHOLD_SECONDS:
        # Only when no file changed while it was parsed (a writer replaces, so the inode moves).
        digests = file_digests(paths, included)
        if digests is not None and all(
            before.get(f) == fp for f, fp in _fingerprints(included).items()
        ):
            store(book, digests)
            book.digests = digests
    return book


_INCLUDE_LINE = re.compile(rb"^[ \t]*include\b[^\n]*", re.M)


def globbed(files: Iterable[Path]) -> bool:
    """Whether one of the files includes others by a pattern (`include "jurnal/*.beancount"`):
    a file that comes to match it changes none of the files a cache was made from, so no
    cache of such books is kept (nor beancount's, which checks the same list). Read once per
    full parse, for the word `include` first (a few ms for 33 MB); a pattern character in a
    comment on that line counts too, which only costs the cache."""
    for f in files:
        try:
            content = Path(f).read_bytes()
        except OSError:
            return True
        if b"include" in content:
            for line in _INCLUDE_LINE.findall(content):
                if any(c in line for c in b"*?["):
                    return True
    return False


def refresh_cache(paths: Paths) -> Book:
    """Parse the ledger whole and write kkmp's cache whatever the time it took (a small
    ledger's parse is not cached otherwise); returns the Book."""
    book = load(paths, fresh=True)
    digests = file_digests(paths, [Path(f) for f in book.options["include"]])
    if digests is not None:
        store(book, digests)
    return book


def recover_pending(paths: Paths) -> None:
    """Finish an interrupted multi-file write before reading (a writer holding the lock will
    have done it by the time we get the lock)."""
    if fsutil.pending(paths.root):
        with locked(paths):
            fsutil.recover(paths.root)


@contextmanager
def locked(paths: Paths) -> Iterator[None]:
    """Hold the cooperative's file lock (every writer takes it; so does crash recovery)."""
    lock = filelock.FileLock(str(paths.lock), timeout=LOCK_TIMEOUT_SECONDS)
    try:
        lock.acquire()
    except filelock.Timeout as exc:
        raise PenulisanDitolak(
            "Buku besar sedang dipakai perintah kkmp lain; coba lagi sebentar lagi."
        ) from exc
    try:
        yield
    finally:
        lock.release()


def _parse(main: Path) -> tuple[list[data.Directive], list[Any], dict[str, Any]]:
    """beancount's full load of the text, without beancount's own (path and mtime keyed) cache.

    The steps of beancount's `loader._load`, in its order (parse, sort, book, plugins,
    validation), with one added after the parse: equal values share one object (#16, see
    `share_values`), so the booking that follows fills the memory this frees and the peak stays
    below bean-check's on the same books. `tests/test_lean_load.py` holds it to `_load`."""
    entries, errors, options = loader._parse_recursive([(str(main), True)], None, None)
    entries.sort(key=data.entry_sortkey)
    share_values(entries)
    entries, booking_errors = booking.book(entries, options)
    errors.extend(booking_errors)
    saved_path = list(sys.path)
    try:
        if "pythonpath" in options:
            sys.path[0:0] = options["pythonpath"]
        entries, errors = loader.run_transformations(entries, errors, options, None)
    finally:
        sys.path[:] = saved_path
    errors.extend(validation.validate(entries, options, None, None))
    options["input_hash"] = loader.compute_input_hash(options["include"])
    return list(entries), list(errors), options


class Shared:
    """The values made one object each by `share_values`, kept across its calls: the writer
    shares each block it parses back into one of these, then only what beancount's booking
    made new of those entries (#16: an import's entries were walked whole twice)."""

    __slots__ = ("texts", "days", "amounts", "tolerances", "held", "entries")

    texts: dict[str, str]
    days: dict[dt.date, dt.date]
    amounts: dict[tuple[str, str], Amount]
    tolerances: dict[tuple[Any, ...], ImmutableDictWithDefault]
    # The ids of the amounts and tolerances held in the dicts above (alive while held): one
    # of them met again is shared already, its key not computed again.
    held: set[int]
    # The booked entries whose every value is one of those above, by id (held, so that an id
    # is not given to another entry): a later call leaves them as they are.
    entries: dict[int, data.Directive]

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Let everything go (once the entries are in the cache's settled part: its memory is
        not held while that part is pickled)."""
        self.texts, self.days, self.amounts, self.tolerances = {}, {}, {}, {}
        self.held, self.entries = set(), {}

    def drop_texts(self) -> None:
        """Let the texts go once a stage is shared: most are the entries' own (narrations,
        document numbers), so their dict is as large as the entries; a later call shares the
        texts it meets among themselves."""
        self.texts = {}


_TOLERANCES = "__tolerances__"  # beancount's interpolate.AUTOMATIC_TOLERANCES


def share_values(
    entries: list[data.Directive], shared: Shared | None = None, *, booked: bool = False
) -> None:
    """Make the equal values of the entries one object each, in place: the postings' amounts,
    the transactions' dates, narrations and payees, and the text values of every entry's
    metadata, and the tolerances beancount's booking puts in each transaction's metadata
    (other directives' amounts and the postings' metadata are left as they are).

    beancount's parser makes a new object of every number, amount, date and text it reads: the
    benchmark's 100 000 transactions carry about a hundred distinct amounts in 200 000 postings
    and a handful of narrations, so most of the parse's memory is copies. Values are immutable,
    so sharing them changes nothing beancount or kkmp computes; a number keeps its written form
    (10000 and 10000.00 are equal but not the same). The cache pickles the shared objects once.
    An entry whose values are already the shared ones is kept as it is.

    `shared` carries the values over from earlier calls. `booked`: the entries are what
    beancount's booking made of entries shared into `shared` already — booking copies each
    transaction's metadata but not its values, adds the tolerances, and gives new amounts to
    the postings it interpolates — so only the tolerances and the postings are looked at, and
    the entries are recorded in `shared` as done: a later call with it leaves them as they are
    (the cache's settled part shares the writer's entries with the older ones, #16)."""
    pool = shared if shared is not None else Shared()
    texts, days, done = pool.texts, pool.days, pool.entries
    transaction_type = data.Transaction
    for i, entry in enumerate(entries):
        if id(entry) in done:
            continue
        _share_meta(entry.meta, pool, booked)
        if entry.__class__ is not transaction_type:
            if booked:
                done[id(entry)] = entry
            continue
        postings = _shared_postings(entry.postings, pool)
        if booked:
            if postings is not entry.postings:
                entries[i] = entry = entry._replace(postings=postings)
            done[id(entry)] = entry
            continue
        date, narration, payee = entry.date, entry.narration, entry.payee
        day = days.setdefault(date, date)
        if narration.__class__ is str:
            narration = texts.setdefault(narration, narration)
        if payee.__class__ is str:
            payee = texts.setdefault(payee, payee)
        if (
            postings is not entry.postings
            or day is not date
            or narration is not entry.narration
            or payee is not entry.payee
        ):
            entries[i] = transaction_type(
                entry.meta, day, entry.flag, payee, narration, entry.tags, entry.links, postings
            )


def _share_meta(meta: dict[str, Any], pool: Shared, booked: bool) -> None:
    """The metadata's text values and tolerances made the shared ones, in place (of what
    booking made, only the tolerances: its other values are those of the parsed entry)."""
    held, tolerance_type = pool.held, ImmutableDictWithDefault
    if booked:
        value = meta.get(_TOLERANCES)
        if value.__class__ is tolerance_type and id(value) not in held:
            meta[_TOLERANCES] = _shared_tolerance(value, pool)
        return
    texts = pool.texts
    for key, value in meta.items():
        if value.__class__ is str:
            meta[key] = texts.setdefault(value, value)
        elif value.__class__ is tolerance_type and id(value) not in held:
            # Nearly always empty with a default of 0, one per transaction (#16: 30 000 of
            # them were a tenth of an import's memory); immutable, as beancount says.
            meta[key] = _shared_tolerance(value, pool)


def _shared_postings(postings: list[data.Posting], pool: Shared) -> list[data.Posting]:
    """`postings` with their amounts the shared ones: the same list when they are already."""
    amounts, held, amount_type = pool.amounts, pool.held, Amount
    result = postings
    for n, p in enumerate(postings):
        units = p.units
        if id(units) in held:
            continue
        if units.__class__ is amount_type and units.number.__class__ is Decimal:
            same = amounts.setdefault((str(units.number), units.currency), units)
            if same is units:
                held.add(id(units))
            else:
                if result is postings:
                    result = list(postings)
                result[n] = data.Posting(p.account, same, p.cost, p.price, p.flag, p.meta)
    return result


def _shared_tolerance(value: ImmutableDictWithDefault, pool: Shared) -> ImmutableDictWithDefault:
    same = pool.tolerances.setdefault(_tolerance_key(value), value)
    if same is value:
        pool.held.add(id(value))
    return same


def _tolerance_key(tolerances: ImmutableDictWithDefault) -> tuple[Any, ...]:
    """Equal tolerances, each number in the form it was written in (as the amounts)."""
    default = tolerances.default
    return (
        tuple(sorted((k, v.__class__, str(v)) for k, v in tolerances.items())),
        default.__class__,
        str(default),
    )


def load_files(main: Path) -> tuple[list[data.Directive], list[Any], dict[str, Any]]:
    """A plain full load of a ledger main file (used on temporary copies by the writer)."""
    return _parse(Path(os.path.abspath(main)))


def input_hash(options: dict[str, Any]) -> str:
    return str(loader.compute_input_hash(options["include"]))


def abspath(path: Path) -> Path:
    """The absolute path beancount reports for a file (symlinks are not resolved)."""
    return Path(os.path.abspath(path))


def unincluded_files(paths: Paths, book: Book) -> list[Finding]:
    """Journal files in the folder that the main file does not include (their entries would be
    invisible: a crash between two file replacements, or a file copied in by hand)."""
    included = {os.path.realpath(f) for f in book.options.get("include", [])}
    found = []
    for path in _candidate_files(paths):
        if path.exists() and os.path.realpath(path) not in included:
            found.append(
                Finding(
                    str(abspath(path)),
                    0,
                    f"berkas ini tidak dimuat oleh {MAIN_FILE} (tidak ada 'include'); "
                    "isinya tidak terbaca sebagai bagian buku besar",
                )
            )
    return found


def _candidate_files(paths: Paths) -> list[Path]:
    """Every .beancount file of the cooperative folder (outside hidden folders)."""
    root = paths.root
    found = {abspath(p) for p in root.glob("*.beancount")}
    for sub in root.iterdir() if root.is_dir() else []:
        if sub.is_dir() and not sub.name.startswith("."):
            found.update(abspath(p) for p in sub.rglob("*.beancount"))
    return sorted(found)


def _fingerprints(files: Iterable[Path]) -> dict[Path, tuple[int, int, int] | None]:
    result: dict[Path, tuple[int, int, int] | None] = {}
    for f in files:
        try:
            st = os.stat(f)
        except OSError:
            result[abspath(f)] = None
        else:
            result[abspath(f)] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return result


# --- kkmp's own cache of the parsed ledger, keyed by the content of the files ---
#
# Three kinds of file, each keyed by content (digests of the bytes), never by a file time:
# - `.kkmp.tertutup-<key>.picklecache`: the closed years (#16), keyed by the digests of the
#   sealed year files: one JSON line, their summary (balances, lots, numbers and directives:
#   what they leave to the open years) and their entries. A sealed year's file never changes,
#   so this is written once and read by every later command.
# - `.kkmp.ringkas-<key>.picklecache`: the open years' settled part: every entry dated up to a
#   recent day, all lying in the first bytes of their year file (kkmp keeps a year file in
#   date order). One JSON line, the summary of every entry up to that day (the closed years
#   included), each domain index (`Index`) folded over them as a blob of its own, and the
#   open years' settled entries. Keyed by the folder, the closed part's key and the digest of
#   those first bytes of each year file. Made again when more than TAIL_MAX entries follow it.
# - `.kkmp.picklecache`: one JSON line (the digest of every file, and the parts it stands on)
#   and the pickled entries after the parts (the chart, the main file, the open years' recent
#   entries), errors and options. Every writing command rewrites it.
# A command loads the summary and the recent entries; the settled and closed entries are read
# only when a query reaches back to them (`Book._need`), a domain index only when asked for.

CACHE_FILE = ".kkmp.picklecache"
SEALED_CACHE = ".kkmp.tertutup-{key}.picklecache"
SETTLED_CACHE = ".kkmp.ringkas-{key}.picklecache"
CACHE_THRESHOLD_SECONDS = 0.5
# The open years' entries after the settled part: when there are more than TAIL_MAX, the part
# is made again so that the last TAIL_DAYS days stay after it, or at most TAIL_KEEP entries
# if that is fewer (a back-dated entry within them still needs no reading of the history).
TAIL_MAX = 2000
TAIL_KEEP = 500
TAIL_DAYS = 14
SETTLE_MIN = 1000  # fewer open-year entries than this are not worth a part of their own


def _chart_tag() -> str:
    """The chart's rules are folded into the cache (which opens lack their class, what an
    equity line is): a kkmp whose chart module differs does not use another's cache."""
    try:
        return xxhash.xxh3_64_hexdigest(
            Path(sys.modules[needs_class.__module__].__file__ or "").read_bytes()
        )
    except OSError:
        return "?"


# The header is one JSON line, checked before the pickle after it is read at all.
_CACHE_VERSION = (
    f"kkmp-cache 11; beancount {beancount.__version__}; python {sys.version_info[:2]}; "
    f"chart {_chart_tag()}"
)


def content_digest(content: bytes | memoryview) -> str:
    """What the cache keys a file's bytes by (#16): their 128-bit xxh3 digest. A content
    digest, not a file time, and fast enough to read every file of the books in each command
    (33 MB in a few milliseconds, where sha256 took 25)."""
    return xxhash.xxh3_128_hexdigest(content)


def _file_digest(path: Path, size: int | None = None, *, mapped: bool = False) -> str | None:
    """The content digest of a file (of its first `size` bytes; None if it has fewer, or is
    gone). A closed year's file (`mapped`) is mapped, not read into a new buffer, which costs
    more than hashing it; the others are read, since a file truncated by another program
    while it is mapped would kill the process (SIGBUS) — a sealed year is never written."""
    try:
        with open(path, "rb") as fh:
            if not mapped or size is not None:
                content = fh.read() if size is None else fh.read(size)
                if size is not None and len(content) != size:
                    return None
                return content_digest(content)
            if os.fstat(fh.fileno()).st_size == 0:
                return content_digest(b"")
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as whole:
                with memoryview(whole) as view:
                    return content_digest(view)
    except (OSError, ValueError):
        return None


def file_digests(
    paths: Paths, files: Iterable[Path], sealed: Iterable[str] = ()
) -> dict[str, str] | None:
    """The content digest of each file, by its path relative to the cooperative folder (None
    if one is missing): what the cache is valid for, wherever the folder is and whatever its
    file times. `sealed`: the names of the closed years' files (mapped, not read)."""
    root = abspath(paths.root)
    closed = set(sealed)
    digests = {}
    for f in files:
        name = os.path.relpath(abspath(Path(f)), root)
        if (digest := _file_digest(Path(f), mapped=name in closed)) is None:
            return None
        digests[name] = digest
    return digests


def _sealed_key(digests: dict[str, str]) -> str:
    text = json.dumps([_CACHE_VERSION, sorted(digests.items())])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _settled_key(
    root: str, closed: str | None, prefix: dict[str, list[Any]], indexes: Iterable[str]
) -> str:
    text = json.dumps([_CACHE_VERSION, root, closed, sorted(prefix.items()), sorted(indexes)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _file_order(options: dict[str, Any]) -> dict[str, int]:
    """Where each file comes in beancount's parse (main, chart, the years): ties of the sort key
    between files keep that order."""
    order = {}
    for i, name in enumerate(sorted(options.get("include", []))):
        base = os.path.basename(name)
        order[name] = 0 if base == MAIN_FILE else 1 if base == CHART_FILE else 2 + i
    return order


def index_name(cls: type[Index]) -> str:
    """How the cache names an index: its class and the version of its fold."""
    return f"{cls.__module__}:{cls.__qualname__}@{cls.version}"


def _index_class(name: str) -> type[Index] | None:
    """The index class a cache (or KEPT_INDEXES) names, if this kkmp has it with the same fold
    (a name without a version names the class as it is)."""
    where, _, version = name.partition("@")
    module, _, qualname = where.partition(":")
    try:
        found: Any = importlib.import_module(module)
        for part in qualname.split("."):
            found = getattr(found, part)
    except Exception:  # noqa: BLE001 - an index this kkmp no longer has is simply left out
        return None
    if not (isinstance(found, type) and issubclass(found, Index)):
        return None
    return found if not version or version == str(found.version) else None


@dataclass(frozen=True)
class _Closed:
    """The closed years' part of the cache."""

    key: str
    last: dt.date
    digests: dict[str, str]
    summary: bytes
    made_in: str  # the folder whose file names its entries carry


@dataclass(frozen=True)
class _Settled:
    """The open years' settled part of the cache."""

    key: str
    last: dt.date
    prefix: dict[str, list[Any]]  # year file -> [bytes, their digest, lines] it covers
    summary: bytes
    indexes: dict[str, tuple[int, int]]  # index name -> (offset, length) in its file
    entries_at: int


class Sealed:
    """Every entry dated up to `last` of a Book loaded from the cache: the closed years and the
    open years' settled part — their summary, each domain index when asked for, and their
    entries on disk until a query needs them (then read, or parsed again if a cache file went
    away)."""

    def __init__(
        self, paths: Paths, order: dict[str, int], closed: _Closed | None, settled: _Settled | None
    ) -> None:
        self.paths = paths
        self.closed = closed
        self.settled = settled
        self._order = order
        part = settled or closed
        assert part is not None
        self.last: dt.date = part.last  # the latest date of any entry it stands for
        self._years: list[int] | None = None

    def closed_only(self) -> Sealed | None:
        """The same without the settled part (once its entries are in memory)."""
        if self.closed is None:
            return None
        closed = Sealed(self.paths, self._order, self.closed, None)
        closed._years = self._years  # the same closed part: its header need not be read again
        return closed

    def views(self) -> _Views:
        """A fresh copy of the summary of every entry up to `last`."""
        with no_gc():
            if self.settled is not None:
                settled: _Views = pickle.loads(self.settled.summary)
                return settled
            assert self.closed is not None
            views: _Views = pickle.loads(self.closed.summary)
        if (moved_from := self._moved(self.closed.made_in)) is not None:
            kept = [d for ds in views.account_directives.values() for d in ds]
            kept += [c for cs in views.customs.values() for c in cs]
            _relocate(kept, [], {}, moved_from, str(abspath(self.paths.root)))
        return views

    def index(self, cls: type[IndexT]) -> IndexT | None:
        """The domain index folded over every entry up to `last`, if the cache holds it."""
        if self.settled is None or (at := self.settled.indexes.get(index_name(cls))) is None:
            return None
        try:
            with open(self.paths.root / SETTLED_CACHE.format(key=self.settled.key), "rb") as fh:
                fh.seek(at[0])
                blob = fh.read(at[1])
            with no_gc():
                found = pickle.loads(blob)
        except Exception:  # noqa: BLE001 - gone or damaged: folded from the entries instead
            return None
        return found if isinstance(found, cls) else None

    def index_names(self) -> set[str]:
        return set(self.settled.indexes) if self.settled is not None else set()

    def order_key(self, e: data.Directive) -> tuple[Any, ...]:
        """Where an entry comes in a full load: beancount's sort key, then the file's place."""
        return (*data.entry_sortkey(e), self._order.get(e.meta.get("filename"), 2))  # type: ignore[arg-type]

    def merge(
        self,
        live: list[data.Directive],
        *,
        settled_only: bool = False,
        kept: dict[int, list[data.Directive]] | None = None,
    ) -> list[data.Directive]:
        """Every entry (or, `settled_only`, the open years' settled ones with `live`), in the
        order a full load gives them; the closed years in `kept` are not read again."""
        return list(heapq.merge(self._entries(settled_only, kept), live, key=self.order_key))

    def _entries(
        self, settled_only: bool = False, kept: dict[int, list[data.Directive]] | None = None
    ) -> list[data.Directive]:
        parts = []
        if self.settled is not None:
            parts.append(self._settled_entries())
        if self.closed is not None and not settled_only:
            parts.append(self._closed_entries(kept))
        if any(p is None for p in parts):
            return self._parsed(settled_only=settled_only)
        if len(parts) == 1:
            return parts[0]  # type: ignore[return-value]
        return list(heapq.merge(*parts, key=self.order_key))  # type: ignore[arg-type]

    def _moved(self, made_in: str) -> str | None:
        return None if made_in == str(abspath(self.paths.root)) else made_in

    def _closed_entries(
        self, kept: dict[int, list[data.Directive]] | None = None
    ) -> list[data.Directive] | None:
        """Every closed entry; the years in `kept` (read before) are not read again."""
        kept = kept or {}
        years = self.year_list() if kept else None
        missing = None if years is None else [y for y in years if y not in kept]
        found = self.closed_years(missing) if missing != [] else {}
        if found is None:
            return None
        found = {**found, **kept}
        return [e for year in sorted(found) for e in found[year]]

    def closed_years(self, years: Collection[int] | None) -> dict[int, list[data.Directive]] | None:
        """The entries of each closed year (or of those `years` only), read from their years'
        pickles, with this folder's file names (None when the file went away)."""
        assert self.closed is not None
        found = _read_sealed(self.paths, self.closed.key, entries=True, years=years)
        if found is None:
            return None
        if (moved_from := self._moved(found[2])) is not None:
            for entries in found[0].values():
                _relocate(entries, [], {}, moved_from, str(abspath(self.paths.root)))
        return found[0]

    def year_list(self) -> list[int] | None:
        """The years in which closed entries are dated (the opening balances, dated the day
        before the books start, count in that year), from the part's header; None when the
        file went away."""
        assert self.closed is not None
        if self._years is None:
            try:
                with open(self.paths.root / SEALED_CACHE.format(key=self.closed.key), "rb") as fh:
                    header = _part_header(fh, self.closed.key)
                self._years = sorted(int(y) for y, _ in header["years"]) if header else []
            except Exception:  # noqa: BLE001 - gone or damaged: the caller reads every entry
                self._years = []
        return self._years or None

    def _settled_entries(self) -> list[data.Directive] | None:
        assert self.settled is not None
        try:
            with open(self.paths.root / SETTLED_CACHE.format(key=self.settled.key), "rb") as fh:
                fh.seek(self.settled.entries_at)
                with no_gc():
                    loaded = pickle.load(fh)
        except Exception:  # noqa: BLE001 - gone or damaged: parsed again
            return None
        return loaded if isinstance(loaded, list) else None

    def _parsed(self, *, settled_only: bool) -> list[data.Directive]:
        """A cache file went away: parse again; the files must be those it stood for."""
        with no_gc():
            entries, _, _ = _parse(abspath(self.paths.main))
        root = abspath(self.paths.root)
        closed = {} if self.closed is None else self.closed.digests
        prefix = {} if self.settled is None else self.settled.prefix
        same = file_digests(self.paths, [root / n for n in closed]) == closed
        if not same or not _prefix_intact(self.paths, prefix):
            raise BukuBermasalah(
                "Berkas buku besar berubah selama perintah berjalan; tidak ada yang ditulis. "
                "Ulangi perintahnya, lalu jalankan 'kkmp periksa'."
            )
        names = set() if settled_only else {str(root / n) for n in closed}
        lines = {str(root / n): int(p[2]) for n, p in prefix.items()}
        return [
            e
            for e in entries
            if e.meta.get("filename") in names
            or int(e.meta.get("lineno", 0) or 0) <= lines.get(str(e.meta.get("filename")), 0)
        ]


def _prefix_intact(paths: Paths, prefix: dict[str, list[Any]]) -> bool:
    """Whether each year file still begins with the bytes the settled part was made from."""
    return all(
        _file_digest(paths.root / rel, size) == digest for rel, (size, digest, _) in prefix.items()
    )


def _part_header(fh: IO[bytes], key: str) -> dict[str, Any] | None:
    """The JSON line heading a part's file (closed or settled), if this kkmp made it for `key`
    and it says how long the summary after it is."""
    header = json.loads(fh.readline())
    if (
        isinstance(header, dict)
        and header.get("version") == _CACHE_VERSION
        and header.get("key") == key
        and isinstance(header.get("summary"), int)
    ):
        return header
    return None


def _read_sealed(
    paths: Paths, key: str, *, entries: bool, years: Collection[int] | None = None
) -> tuple[dict[int, list[data.Directive]], bytes, str] | None:
    """The sealed part's summary bytes — or, when `entries` are asked for, every closed year's
    entries (only those of `years`, if given) by year — and the folder its file names point
    at, if its file is sound. Each closed year's entries are a pickle of their own (#16: a
    report on one closed year does not read the others)."""
    try:
        with open(paths.root / SEALED_CACHE.format(key=key), "rb") as fh:
            header = _part_header(fh, key)
            if header is None or not isinstance(header.get("root"), str):
                return None
            made_in = str(header.get("root"))
            if not entries:
                return {}, fh.read(header["summary"]), made_in
            loaded: dict[int, list[data.Directive]] = {}
            offset = fh.tell() + header["summary"]
            for year, length in header["years"]:
                if years is None or int(year) in years:
                    fh.seek(offset)
                    with no_gc():
                        part = pickle.loads(fh.read(int(length)))
                    if not isinstance(part, list):
                        return None
                    loaded[int(year)] = part
                offset += int(length)
            return loaded, b"", made_in
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged or foreign cache is simply not used
        return None


def _read_settled(paths: Paths, part: Any, closed: str | None) -> _Settled | None:
    """The settled part the main cache names, if its file is sound and made in this folder."""
    root = str(abspath(paths.root))
    if not isinstance(part, dict) or not isinstance(part.get("prefix"), dict):
        return None
    key, prefix = str(part.get("key")), part["prefix"]
    if key != _settled_key(root, closed, prefix, part.get("indexes", [])):
        return None
    try:
        with open(paths.root / SETTLED_CACHE.format(key=key), "rb") as fh:
            header = _part_header(fh, key)
            if not (
                header is not None
                and header.get("root") == root
                and isinstance(header.get("indexes"), dict)
                and sorted(header["indexes"]) == sorted(part.get("indexes", []))
            ):
                return None
            start = fh.tell()
            summary = fh.read(header["summary"])
        last = dt.date.fromisoformat(str(part["last"]))
    except Exception:  # noqa: BLE001 - gone, damaged or foreign: not used
        return None
    indexes, offset = _offsets(start + len(summary), header["indexes"])
    return _Settled(key, last, prefix, summary, indexes, offset)


def _offsets(offset: int, lengths: dict[str, int]) -> tuple[dict[str, tuple[int, int]], int]:
    """Where each index blob lies in a settled part's file, and where its entries begin."""
    indexes = {}
    for name, length in lengths.items():
        indexes[name] = (offset, int(length))
        offset += int(length)
    return indexes, offset


def _read(
    paths: Paths,
) -> tuple[list[data.Directive], list[Any], dict[str, Any], Sealed | None, dict[str, str]] | None:
    """The cached load, if every file it was made from still has the same content."""
    try:
        with open(paths.root / CACHE_FILE, "rb") as fh:
            header = json.loads(fh.readline())
            if not (
                isinstance(header, dict)
                and header.get("version") == _CACHE_VERSION
                and isinstance(header.get("files"), dict)
                and MAIN_FILE in header["files"]
            ):
                return None
            root = abspath(paths.root)
            files: dict[str, str] = header["files"]
            closed_files = (header.get("sealed") or {}).get("files", [])
            if file_digests(paths, [root / n for n in files], closed_files) != files:
                return None
            moved_from = None if header.get("root") == str(root) else str(header.get("root"))
            closed = settled = None
            if (part := header.get("sealed")) is not None:
                digests = {n: files[n] for n in part["files"]}
                key = _sealed_key(digests)
                found = _read_sealed(paths, key, entries=False)
                if key != part["key"] or found is None:
                    return None
                last = dt.date.fromisoformat(part["last"])
                closed = _Closed(key, last, digests, found[1], found[2])
            if (part := header.get("settled")) is not None:
                # Made for this folder only: a copy parses once and settles its own.
                settled = _read_settled(paths, part, closed.key if closed else None)
                if settled is None:
                    return None
            with no_gc():
                entries, errors, options = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged or foreign cache is simply not used
        return None
    if moved_from is not None:
        _relocate(entries, errors, options, moved_from, str(root))
    sealed = None
    if closed is not None or settled is not None:
        sealed = Sealed(paths, _file_order(options), closed, settled)
    return entries, errors, options, sealed, files


def read_cache(paths: Paths) -> tuple[list[data.Directive], list[Any], dict[str, Any]] | None:
    """The cached load of every entry, if every file it was made from still has the same
    content (the closed years are read too)."""
    found = _read(paths)
    if found is None:
        return None
    entries, errors, options, sealed, _ = found
    if sealed is not None:
        entries = sealed.merge(entries)
    return entries, errors, options


def _split(
    book: Book, digests: dict[str, str]
) -> tuple[dict[str, str], list[data.Directive], list[data.Directive]] | None:
    """The closed years' files (and their digests), their entries and the others' — when the
    closed years come before every open-year entry (else nothing is set apart)."""
    root = abspath(book.paths.root)
    names = {str(abspath(book.paths.year_file(y))) for y in book.closed_years()}
    names &= set(book.options.get("include", []))
    if not names:
        return None
    sealed: list[data.Directive] = []
    live: list[data.Directive] = []
    for entry in book.entries:
        (sealed if entry.meta.get("filename") in names else live).append(entry)
    if not sealed:
        return None
    last = sealed[-1].date
    if any(
        e.date <= last
        for e in live
        if not isinstance(e, data.Open | data.Close | data.Commodity) and not _fava_setting(e)
    ):
        return None
    rels = {os.path.relpath(n, root) for n in names}
    if not rels <= set(digests):
        return None
    return {n: digests[n] for n in rels}, sealed, live


def _fava_setting(entry: data.Directive) -> bool:
    """The main file's Fava options and extension (dated before any book year, #14): they
    move no balance, so they do not keep the closed years from being set apart."""
    return isinstance(entry, data.Custom) and entry.type in ("fava-option", "fava-extension")


def _year_files(paths: Paths, options: dict[str, Any]) -> set[str]:
    """The included year files (whose entries may be settled; the main file and chart never)."""
    folder = str(abspath(paths.root / JOURNAL_DIR)) + os.sep
    return {f for f in options.get("include", []) if f.startswith(folder)}


def store(
    book: Book, digests: dict[str, str], shared: Shared | None = None
) -> tuple[Sealed, list[data.Directive]] | None:
    """Write kkmp's cache for `book`, made from files with these `digests`: the closed years'
    part unless a file of the same key is already there, the open years' settled part when
    there is none or too much follows it, and the entries after them. Returns what the cache
    now sets apart and the entries after it, for the writer's Book to take over (None: the
    same as before). `shared`: the values the writer shared its entries into."""
    paths = book.paths
    if book.globbed:
        drop_cache(paths)
        return None
    root = str(abspath(paths.root))
    header: dict[str, Any] = {"version": _CACHE_VERSION, "root": root, "files": digests}
    sealed = book.sealed
    if sealed is not None and sealed.settled is not None:
        if not _prefix_intact(paths, sealed.settled.prefix):
            # Never expected (nothing is written before the settled day without reading it
            # first): the cache is not trusted, the next command parses the books.
            drop_cache(paths)
            return None
    upgrading = sealed is not None and sealed.settled is not None and _lacks_kept(sealed.settled)
    if upgrading:
        # This kkmp keeps an index the cache has no copy of (it was upgraded): every entry is
        # read once, here, so that the settled part is made again with it; until then each
        # query of that index would read them all.
        book._need(None)
        sealed = book.sealed
    closed, closed_entries, rest = _closed_part(book, sealed, digests)
    if closed is not None:
        header["sealed"] = {
            "key": closed.key,
            "files": sorted(closed.digests),
            "last": str(closed.last),
        }
    settled = sealed.settled if sealed is not None else None
    base = sealed if settled is not None else None
    unsettled = rest
    if settled is None and (kept := _still_settled(book, closed, rest)) is not None:
        settled, rest = kept
        base = book.former
    files = _year_files(paths, book.options)
    adopted = None
    missing = _missing_indexes(book, base)
    if (
        settled is None
        or sum(1 for e in rest if e.meta.get("filename") in files) > TAIL_MAX
        or (missing and book.sealed is None)
    ):
        made = _settle(book, base, closed, closed_entries, rest, shared)
        if made is not None:
            settled, rest = made
            adopted = Sealed(paths, _file_order(book.options), closed, settled), rest
        elif upgrading and settled is not None and _lacks_kept(settled):
            # Not made again (a year file out of date order, say): the part lacking the
            # index is dropped, so that the next write does not read every entry once more.
            settled, rest = None, unsettled
        # else the settled part stays as it is (still true), with more entries after it
    if settled is not None:
        header["settled"] = {
            "key": settled.key,
            "last": str(settled.last),
            "prefix": settled.prefix,
            "indexes": sorted(settled.indexes),
        }
    with no_gc():
        payload = pickle.dumps((rest, book.errors, book.options), protocol=pickle.HIGHEST_PROTOCOL)
    head = json.dumps(header, ensure_ascii=True).encode() + b"\n"
    write_bytes(paths.root / CACHE_FILE, head, payload)
    for pattern, keep in ((SEALED_CACHE, closed), (SETTLED_CACHE, settled)):
        for old in paths.root.glob(pattern.format(key="*")):
            if keep is None or old.name != pattern.format(key=keep.key):
                old.unlink(missing_ok=True)
    return adopted


def _closed_part(
    book: Book, sealed: Sealed | None, digests: dict[str, str]
) -> tuple[_Closed | None, list[data.Directive], list[data.Directive]]:
    """The closed years' part of the cache for `book` (its file written unless there), the
    closed entries when they are in memory, and the entries after them."""
    closed = sealed.closed if sealed is not None else None
    rest = book.live_entries
    closed_entries: list[data.Directive] = []
    if sealed is None and (split := _split(book, digests)) is not None:
        closed_digests, closed_entries, rest = split
        key = _sealed_key(closed_digests)
        if _read_sealed(book.paths, key, entries=False) is None:
            _write_sealed(book.paths, key, closed_entries)
        if (found := _read_sealed(book.paths, key, entries=False)) is not None:
            closed = _Closed(key, closed_entries[-1].date, closed_digests, found[1], found[2])
        else:
            rest, closed_entries = book.entries, []
    return closed, closed_entries, rest


def _lacks_kept(settled: _Settled) -> bool:
    """Whether a settled part has no copy, at this kkmp's version, of an index it keeps."""
    return any(name not in settled.indexes for name in KEPT_INDEXES)


def _missing_indexes(book: Book, base: Sealed | None) -> set[str]:
    """The domain indexes the books keep that `base` has no copy of, at their version."""
    have = base.index_names() if base is not None else set()
    return {n for n in book.index_names() if n not in have}


def _still_settled(
    book: Book, closed: _Closed | None, rest: list[data.Directive]
) -> tuple[_Settled, list[data.Directive]] | None:
    """The settled part the books were loaded with, when a query read every entry but nothing
    was written before its day: the same bytes begin each year file, so the same entries are
    settled; returns it with the entries after it."""
    former = book.former
    part = former.settled if former is not None else None
    if part is None:
        return None
    root = str(abspath(book.paths.root))
    if part.key != _settled_key(root, closed.key if closed else None, part.prefix, part.indexes):
        return None
    if not _prefix_intact(book.paths, part.prefix):
        return None
    lines = {str(abspath(book.paths.root / rel)): int(p[2]) for rel, p in part.prefix.items()}
    after = [
        e
        for e in rest
        if int(e.meta.get("lineno", 0) or 0) > lines.get(str(e.meta.get("filename")), 0)
    ]
    files = _year_files(book.paths, book.options)
    if any(e.date <= part.last for e in after if e.meta.get("filename") in files):
        # Written after its bytes but dated on its last day (a member's opens, which a full
        # load puts before that day's transactions): the part no longer holds every entry up
        # to its day, so the books are settled again from their entries.
        return None
    return part, after


def _padded(entry: data.Directive) -> bool:
    """A pad, or the entry beancount made of one: its amount follows a later balance
    assertion, so nothing from its day on is settled."""
    return isinstance(entry, data.Pad) or (
        isinstance(entry, data.Transaction) and entry.flag == "P"
    )


def _settle(
    book: Book,
    base: Sealed | None,
    closed: _Closed | None,
    closed_entries: list[data.Directive],
    rest: list[data.Directive],
    shared: Shared | None = None,
) -> tuple[_Settled, list[data.Directive]] | None:
    """A new settled part for the open years: the entries of `rest` up to a recent day join
    the older settled part (or the closed years' summary); returns it with the entries left
    after it. None when there is too little to settle or a year file is out of date order.
    `shared`: the values the writer's entries share (those entries are not walked again)."""
    paths = book.paths
    files = _year_files(paths, book.options)
    start = _settled_so_far(book, base, closed, closed_entries)
    if start is None:
        return None
    older, views, indexes, bounds = start
    after = [e for e in rest if e.meta.get("filename") in files]
    if len(older) + len(after) < SETTLE_MIN or not after or any(map(_padded, after)):
        return None
    day = after[-1].date - dt.timedelta(days=TAIL_DAYS)
    if len(after) > TAIL_KEEP:
        day = max(day, after[-TAIL_KEEP].date)
    moved = after[: bisect.bisect_right(after, day, key=lambda e: e.date)]
    if not moved and not older:
        return None
    prefix = _prefix(paths, bounds, moved, after[len(moved) :])
    if prefix is None:
        return None
    views.indexes = {}
    views.fold(moved, summary=True)
    views.summarised()
    for index in indexes.values():
        for entry in moved:
            index.fold(entry)
    root_s = str(abspath(paths.root))
    key = _settled_key(root_s, closed.key if closed else None, prefix, indexes)
    with no_gc():
        summary = pickle.dumps(views, protocol=pickle.HIGHEST_PROTOCOL)
        blobs = {n: pickle.dumps(i, protocol=pickle.HIGHEST_PROTOCOL) for n, i in indexes.items()}
        # Each command shares the values of what it loads and what it stages, not those of
        # another command's entries: shared here, so the part and every command that reads it
        # hold each amount, date and text once. The entries this command staged are in
        # `shared` already; the older ones and the others are shared into it (#16).
        kept = [*older, *moved]
        share_values(kept, shared)
        if shared is not None:
            shared.clear()
    lengths = {n: len(b) for n, b in blobs.items()}
    head = {"version": _CACHE_VERSION, "key": key, "root": root_s, "summary": len(summary)}
    line = json.dumps({**head, "indexes": lengths}).encode() + b"\n"

    def body(fh: IO[bytes]) -> None:
        # Pickled into the file frame by frame, not into bytes first (#16: the settled
        # entries of a 10 000-row import were held as one more copy at the peak).
        with no_gc():
            pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL).dump(kept)

    if not write_bytes(
        paths.root / SETTLED_CACHE.format(key=key), line, summary, *blobs.values(), body
    ):
        return None
    offsets, entries_at = _offsets(len(line) + len(summary), lengths)
    last = (moved or older)[-1].date
    settled = _Settled(key, last, prefix, summary, offsets, entries_at)
    gone = {id(e) for e in moved}
    return settled, [e for e in rest if id(e) not in gone]


def _settled_so_far(
    book: Book, base: Sealed | None, closed: _Closed | None, closed_entries: list[data.Directive]
) -> tuple[list[data.Directive], _Views, dict[str, Index], dict[str, int]] | None:
    """What a new settled part starts from: the older part's entries, summary, indexes and the
    line each year file's settled entries reach — or the closed years' summary (and, with every
    entry in memory, the indexes the books keep folded over the closed years)."""
    paths = book.paths
    sealed = base
    classes = {index_name(c): c for n in book.index_names() if (c := _index_class(n)) is not None}
    indexes: dict[str, Index] = {}
    if sealed is not None and sealed.settled is not None:
        older = sealed._settled_entries()
        if older is None:
            return None
        for name, cls in classes.items():
            index = sealed.index(cls)
            if index is None and book.sealed is None:
                # New to the cache, and every entry is in memory: folded over the settled ones.
                index = cls()
                for entry in (*closed_entries, *older):
                    index.fold(entry)
            if index is not None:
                indexes[name] = index
        root = abspath(paths.root)
        bounds = {str(root / rel): int(p[2]) for rel, p in sealed.settled.prefix.items()}
        return older, sealed.views(), indexes, bounds
    views = Sealed(paths, {}, closed, None).views() if closed is not None else _Views()
    if book.sealed is not None and closed is not None and classes:
        # The open years are in memory but not the closed ones: read them once, so that the
        # new part keeps every index (else each would be folded over every entry later).
        closed_entries = Sealed(paths, {}, closed, None)._closed_entries() or []
        if not closed_entries:
            classes = {}
    for name, cls in classes.items():
        indexes[name] = cls()
        for entry in closed_entries:
            indexes[name].fold(entry)
    return [], views, indexes, {}


def _prefix(
    paths: Paths,
    bounds: dict[str, int],
    moved: list[data.Directive],
    kept: list[data.Directive],
) -> dict[str, list[Any]] | None:
    """For each year file with settled entries: the bytes up to the first entry kept after
    them, their content digest and line count. None if a year file is not in date order (edited by
    hand): then nothing is settled."""
    bounds = dict(bounds)
    for e in moved:
        name = str(e.meta["filename"])
        bounds[name] = max(bounds.get(name, 0), int(e.meta.get("lineno", 0) or 0))
    first: dict[str, int] = {}
    for e in kept:
        name = str(e.meta["filename"])
        line = int(e.meta.get("lineno", 0) or 0)
        first[name] = min(first.get(name, line), line)
    root = abspath(paths.root)
    prefix: dict[str, list[Any]] = {}
    for name, reached in bounds.items():
        try:
            content = Path(name).read_bytes()
        except OSError:
            return None
        if name in first:
            if reached >= first[name]:
                return None
            lines, size = first[name] - 1, 0
            for _ in range(lines):
                size = content.index(b"\n", size) + 1
        else:
            lines, size = content.count(b"\n"), len(content)
        prefix[os.path.relpath(name, root)] = [
            size,
            content_digest(content[:size]),
            lines,
        ]
    return prefix


def _write_sealed(paths: Paths, key: str, sealed: list[data.Directive]) -> None:
    views = _Views()
    views.fold(sealed, summary=True)
    views.summarised()
    by_year: dict[int, list[data.Directive]] = {}
    for entry in sealed:  # in a full load's order, so each year's entries come together
        by_year.setdefault(entry.date.year, []).append(entry)
    with no_gc():
        summary = pickle.dumps(views, protocol=pickle.HIGHEST_PROTOCOL)
        bodies = {
            y: pickle.dumps(es, protocol=pickle.HIGHEST_PROTOCOL) for y, es in by_year.items()
        }
    head = {
        "version": _CACHE_VERSION,
        "key": key,
        "root": str(abspath(paths.root)),
        "summary": len(summary),
        "years": [[year, len(body)] for year, body in bodies.items()],
    }
    write_bytes(
        paths.root / SEALED_CACHE.format(key=key),
        json.dumps(head).encode() + b"\n",
        summary,
        *bodies.values(),
    )


def cache_findings(paths: Paths, fresh: Book) -> list[Finding]:
    """`periksa`: kkmp's cache must say what the files say. What a command reads from it — the
    summary of the entries it sets apart (balances, lots, opens and closes, document numbers,
    customs), each domain index it keeps, and the entries after them — is compared with
    `fresh`, the books parsed from their text; a cache that differs is reported and thrown away
    (#16). The entries set apart are not unpickled (a query that reaches them reads them in
    full, and a wrong one shows in the summary folded from them)."""
    found = _read(paths)
    if found is None:
        return []
    entries, errors, options, sealed, _ = found
    book = Book(paths, fresh.config, entries, errors, options, sealed=sealed)
    problems = _entry_problems(sealed, entries, fresh) + _view_problems(book._v(), fresh._v())
    if not problems:
        return []
    drop_cache(paths)
    for part in paths.root.glob(".kkmp.*.picklecache"):
        part.unlink(missing_ok=True)
    return [
        Finding(
            str(abspath(paths.root / CACHE_FILE)),
            0,
            f"cache kkmp tidak cocok dengan berkas buku ({', '.join(problems)}); cache "
            "dibuang, perintah berikutnya membaca ulang semua berkas",
        )
    ]


def _entry_problems(sealed: Sealed | None, entries: list[data.Directive], fresh: Book) -> list[str]:
    """The cached entries after the parts set apart, and each domain index, against the text."""
    if sealed is None:
        return [] if entries == fresh.entries else ["catatan"]
    problems = []
    kept = {(e.meta.get("filename"), e.meta.get("lineno")) for e in entries}
    after = [e for e in fresh.entries if (e.meta.get("filename"), e.meta.get("lineno")) in kept]
    if after != entries:
        problems.append("catatan terakhir")
    if sealed.settled is not None:
        gone = {id(e) for e in after}
        settled = [e for e in fresh.entries if id(e) not in gone]
        for name in sealed.index_names():
            cls = _index_class(name)
            index = sealed.index(cls) if cls is not None else None
            if cls is None or index is None:
                continue
            again = cls()
            for entry in settled:
                again.fold(entry)
            if _state(again) != _state(index):
                problems.append(f"indeks {name}")
    return problems


def _view_problems(mine: _Views, theirs: _Views) -> list[str]:
    """The summary a command reads against the same views folded from the text."""
    problems = [
        view
        for view in ("balances", "counters", "duplicates", "closes", "unclassed", "sensitive")
        if getattr(mine, view) != getattr(theirs, view)
    ]
    if list(mine.opens.items()) != list(theirs.opens.items()):
        problems.append("opens")

    def held(views: _Views) -> dict[str, Inventory]:
        return {a: i for a, i in views.inventories.items() if not i.is_empty()}

    if held(mine) != held(theirs):
        problems.append("inventories")
    if {t: len(c) for t, c in mine.customs.items()} != {
        t: len(c) for t, c in theirs.customs.items()
    }:
        problems.append("customs")
    return problems


def _state(index: Index) -> Any:
    return getattr(index, "__dict__", None) or pickle.dumps(index)


def drop_cache(paths: Paths) -> None:
    """Forget the cache (the closed years' part stays: it is keyed by their own content)."""
    (paths.root / CACHE_FILE).unlink(missing_ok=True)


def write_bytes(path: Path, *parts: bytes | Callable[[IO[bytes]], None]) -> bool:
    """A cache file, replaced atomically; a cache that cannot be written is simply not there
    (no fsync either: a lost cache is only re-parsed). Says whether it was written. A part
    may be a function that writes itself into the file (a large pickle, streamed)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            for part in parts:
                if callable(part):
                    part(fh)
                else:
                    fh.write(part)
        os.replace(tmp, path)
    except OSError:
        for stale in (tmp, path):
            try:
                stale.unlink(missing_ok=True)
            except OSError:
                pass
        return False
    except BaseException:
        # A part that fails while it writes itself (a pickle): raised as before, no temp file.
        tmp.unlink(missing_ok=True)
        raise
    return True


def _relocate(
    entries: list[data.Directive], errors: list[Any], options: dict[str, Any], old: str, new: str
) -> None:  # noqa: C901
    """A cache made in another folder (a copy of the cooperative): point file names here."""
    prefix = old + os.sep

    def moved(name: Any) -> Any:
        if isinstance(name, str) and (name == old or name.startswith(prefix)):
            return new + name[len(old) :]
        return name

    for entry in entries:
        entry.meta["filename"] = moved(entry.meta.get("filename"))
        if isinstance(entry, data.Transaction):
            for p in entry.postings:
                if p.meta and "filename" in p.meta:
                    p.meta["filename"] = moved(p.meta["filename"])
    for error in errors:
        source = getattr(error, "source", None)
        if isinstance(source, dict) and "filename" in source:
            source["filename"] = moved(source["filename"])
    if "include" in options:
        options["include"] = [moved(f) for f in options["include"]]
    if "filename" in options:
        options["filename"] = moved(options["filename"])


def reopens(event: data.Custom) -> bool:
    """A `custom "buka-buku"` that opens its year: with the reason and who approved it, as
    `tutup-buku --buka` writes it, and dated after the year it reopens (#11, #15). A line
    written by hand without them opens nothing (found by an adversarial review, #23)."""
    year = int(event.values[0].value) if event.values else 0
    return (
        event.date.year > year
        and bool(str(event.meta.get("alasan", "")).strip())
        and bool(str(event.meta.get("disetujui", "")).strip())
    )
