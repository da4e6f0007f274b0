"""The gerai's lots: batch and expiry kept on each lot's label, and which lots goods leave from
(first in first out, or first expiry first out for a unit such as the apotek).

A lot is what beancount keeps for goods held at cost: `10 PARACETAMOL {1500 IDR, 2025-03-01,
"B2301 ED 2026-06-30"}`. The label names the batch and, after ` ED `, its expiry date (ISO), so
the lot carries both through beancount's booking, every reduction, every report and Fava,
without a side table. Sales from a lot with an expiry, and every sale of a FEFO unit, name their
lots explicitly (beancount's booking methods know FIFO, LIFO, STRICT, not FEFO).

A back-dated movement finds the lots of its own day (`on_day`): what each held at the end of that
day, and how much of it no later entry needs. A later entry keeps its lots: a sale takes the
lots its rule gives on its day only while they are free, and is refused, naming the later entry,
when it would have to take goods that entry needs (#10)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from beancount.core import data, interpolate

from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import CURRENCY, Book
from kkmp_cli.errors import KkmpError, TeksTidakValid

BATCH_RE = re.compile(r"^[A-Z0-9][A-Z0-9./-]{0,23}$")
LABEL_RE = re.compile(r"^(?P<batch>[A-Z0-9][A-Z0-9./-]{0,23})(?: ED (?P<ed>\d{4}-\d{2}-\d{2}))?$")
RULES = ("fifo", "fefo")

Taken = dict[tuple[str, str, data.Cost], Decimal]
L = TypeVar("L", bound="Lot")


class StokTidakCukup(KkmpError):
    """A sale or count larger than the stock on hand."""


class LotKedaluwarsa(KkmpError):
    """Goods of an expired batch would be sold."""


class LotDipakaiSesudahnya(StokTidakCukup):
    """A back-dated sale would take goods of its day that a later entry needs (#10)."""


def issue_rule(book: Book, unit: str) -> str:
    """How `unit` issues its stock: "fefo" (first expiry first out) or "fifo".

    The one place that reads the choice: the unit's `keluar:` in koperasi.yaml's `unit:` list
    (#10)."""
    return book.config.unit_keluar(unit)


def check_batch(text_value: str) -> str:
    batch = text_value.strip().upper()
    if not BATCH_RE.match(batch):
        raise TeksTidakValid(
            f"Nomor batch '{text_value}' tidak sah: huruf, angka, '-', '.' atau '/', diawali "
            "huruf atau angka (paling panjang 24 karakter), mis. B2301."
        )
    return batch


def label(batch: str, expiry: dt.date | None) -> str:
    """The lot label for a batch and its expiry: 'B2301 ED 2026-06-30'."""
    return f"{batch} ED {expiry.isoformat()}" if expiry else batch


@dataclass(frozen=True)
class Batch:
    nomor: str | None
    kedaluwarsa: dt.date | None


def parse_label(text_value: str | None) -> Batch:
    """Batch and expiry from a lot label (a label kkmp did not write is a batch number only)."""
    if not text_value:
        return Batch(None, None)
    m = LABEL_RE.match(text_value)
    if m is None:
        return Batch(text_value, None)
    ed = m.group("ed")
    try:
        return Batch(m.group("batch"), dt.date.fromisoformat(ed) if ed else None)
    except ValueError:
        return Batch(text_value, None)


@dataclass(frozen=True)
class Lot:
    """Goods of one item held in one lot of a unit's inventory account."""

    account: str
    code: str
    cost: data.Cost
    jumlah: Decimal

    @property
    def batch(self) -> Batch:
        return parse_label(self.cost.label)

    @property
    def nilai(self) -> Decimal:
        return self.jumlah * self.cost.number

    def expired_on(self, date: dt.date) -> bool:
        """Past its expiry: the expiry date itself is the last day it may be sold."""
        ed = self.batch.kedaluwarsa
        return ed is not None and date > ed


def new_lot(
    account: str, qty: Decimal, code: str, price: Decimal, lot_label: str | None
) -> data.Posting:
    """`qty CODE {price IDR, "label"}`: a new lot (beancount dates it with the transaction)."""
    spec = data.CostSpec(price, None, CURRENCY, None, lot_label, False)
    return data.Posting(account, data.Amount(qty, code), spec, None, None, None)


def on_lot(
    account: str, qty: Decimal, code: str, cost: data.Cost, meta: dict | None = None
) -> data.Posting:
    """`qty CODE {cost IDR, date, "label"}`: goods into (qty > 0) or out of (qty < 0) one named
    lot, so a return or a write-off touches exactly the lot it means."""
    spec = data.CostSpec(cost.number, None, cost.currency, cost.date, cost.label, False)
    return data.Posting(account, data.Amount(qty, code), spec, None, None, meta)


def held(book: Book, account: str, code: str) -> list[Lot]:
    """The lots of `code` on hand now in `account`."""
    found = []
    for pos in book.inventory(account):
        cost = pos.cost
        if pos.units.currency == code and cost is not None and pos.units.number > 0:
            found.append(Lot(account, code, cost, pos.units.number))
    return found


@dataclass(frozen=True)
class DayLot(Lot):
    """A lot as a movement of one day finds it: `jumlah` held at the end of that day, `bebas`
    what no later entry needs (the least it holds on any later day), and each later entry that
    takes from it with what the lot holds after that entry."""

    bebas: Decimal = Decimal(0)
    sesudah: tuple[tuple[data.Transaction, Decimal], ...] = ()

    def needed_by(self, more: Decimal) -> list[data.Transaction]:
        """The later entries that would go short if `more` left this lot on its day."""
        return [txn for txn, left in self.sesudah if left - more < 0]

    def name(self) -> str:
        b = self.batch
        if b.nomor:
            return f"Batch {b.nomor} {self.code}"
        return f"Lot {self.code} pembelian {self.cost.date:%d-%m-%Y}"


def later_moves(
    book: Book, account: str, code: str, date: dt.date
) -> list[tuple[data.Transaction, data.Posting]]:
    """Each lot movement of `code` in `account` dated after `date`, in booking order (none
    without a later lot movement on the account: the usual case, read from nothing)."""
    last = book.last_sensitive_date(account)
    if last is None or last <= date:
        return []
    return [
        (txn, p)
        for txn in book.transactions(date + dt.timedelta(days=1))
        for p in txn.postings
        if p.account == account
        and isinstance(p.cost, data.Cost)
        and p.units is not None
        and p.units.currency == code
    ]


def on_day(book: Book, account: str, code: str, date: dt.date) -> list[DayLot]:
    """The lots of `code` in `account` a movement dated `date` finds (bought on or before that
    day, held at its end; same-day entries are booked before a new one), each with what no later
    entry needs of it."""

    def build() -> list[DayLot]:
        moves = later_moves(book, account, code, date)
        if not moves:
            # Nothing moves after that day: today's lots are that day's, all of them free.
            return [
                DayLot(lot.account, code, lot.cost, lot.jumlah, lot.jumlah)
                for lot in held(book, account, code)
                if lot.cost.date <= date
            ]
        then = {
            cost: n
            for (_, c, cost), n in book.held_on({account}, date).items()
            if c == code and n > 0 and cost.date <= date
        }
        then = _created_order(book, account, then)
        running, least = dict(then), dict(then)
        after: dict[data.Cost, list[tuple[data.Transaction, Decimal]]] = {c: [] for c in then}
        for txn, p in moves:
            cost = p.cost
            if not isinstance(cost, data.Cost) or cost not in then:
                continue
            running[cost] += ledger.number(p)
            least[cost] = min(least[cost], running[cost])
            if ledger.number(p) < 0:
                after[cost].append((txn, running[cost]))
        return [
            DayLot(account, code, cost, n, least[cost], tuple(after[cost]))
            for cost, n in then.items()
        ]

    return book.memo(("lots.on_day", account, code, date), build)  # type: ignore[no-any-return]


def _created_order(
    book: Book, account: str, then: dict[data.Cost, Decimal]
) -> dict[data.Cost, Decimal]:
    """`then` in the order its lots were made, as beancount's inventory keeps them: its FIFO
    booking takes lots of one day in that order (two purchases of a day at two prices)."""
    made: dict[data.Cost, int] = {}
    for day in sorted({cost.date for cost in then}):
        for entry in book.on_date(day):
            if isinstance(entry, data.Transaction):
                for p in entry.postings:
                    if p.account == account and p.cost in then and ledger.number(p) > 0:
                        made.setdefault(p.cost, len(made))
    return dict(sorted(then.items(), key=lambda kv: (kv[0].date, made.get(kv[0], len(made)))))


def _rank(lot: Lot, rule: str) -> dt.date:
    """Lots of one rank are alike to the rule: one expiry (fefo), one purchase day (fifo)."""
    if rule == "fefo":
        return lot.batch.kedaluwarsa or dt.date.max
    return lot.cost.date


def ordered(lots: list[L], rule: str) -> list[L]:
    """The order goods leave in: by purchase date (fifo), or by expiry first (fefo; lots
    without an expiry last). The sort is stable, as beancount's FIFO booking is."""
    return sorted(lots, key=lambda lot: (_rank(lot, rule), lot.cost.date))


def named(rule: str, day: list[DayLot]) -> bool:
    """Whether goods leave from lots named by kkmp (FEFO, or a lot with an expiry on the day),
    rather than from beancount's own FIFO booking."""
    return rule == "fefo" or any(lot.batch.kedaluwarsa for lot in day)


def pick(
    book: Book,
    account: str,
    code: str,
    qty: Decimal,
    date: dt.date,
    rule: str,
    taken: Taken,
    *,
    allow_expired: bool = False,
    meta: dict | None = None,
) -> list[data.Posting]:
    """The postings that take `qty` of `code` out of named lots in `rule` order, from the lots
    of `date` (`on_day`); `taken` holds what earlier lines of the same plan took already. A
    later entry keeps its lots: when the rule would take goods of the day that entry needs, the
    sale is refused naming it, never served from the next lot (#10). A sale may not take goods
    of an expired batch (`allow_expired` for a count or a write-off)."""
    need = qty
    postings = []
    short: tuple[DayLot, Decimal] | None = None  # a lot the rule wants more of than is free
    for lot in ordered(on_day(book, account, code, date), rule):
        if short is not None and _rank(lot, rule) != _rank(short[0], rule):
            break
        key = (account, code, lot.cost)
        used = taken.get(key, Decimal(0))
        left, free = lot.jumlah - used, lot.bebas - used
        if left <= 0:
            continue
        if not allow_expired and lot.expired_on(date):
            if free > 0:
                raise _expired(lot, free)
            continue  # a later write-off takes it
        n = min(need, max(free, Decimal(0)))
        if short is None and n < min(need, left):
            short = (lot, used + min(need, left))
        if n > 0:
            taken[key] = used + n
            postings.append(on_lot(account, -n, code, lot.cost, meta))
            need -= n
        if need == 0:
            return postings
    if short is not None and (needed := short[0].needed_by(short[1])):
        lot = short[0]
        raise LotDipakaiSesudahnya(
            f"{lot.name()} yang harus keluar lebih dulu pada {date:%d-%m-%Y} ({rule.upper()}) "
            f"sudah dipakai {_doc(needed[0])}; catat dengan tanggal {needed[-1].date:%d-%m-%Y} "
            "atau sesudahnya agar catatan itu tetap benar."
        )
    raise _short(code, date, qty, qty - need)


def fifo(
    book: Book, account: str, code: str, qty: Decimal, date: dt.date, taken: Taken
) -> tuple[list[data.Posting], DayLot | None]:
    """What beancount's FIFO booking of `-qty CODE {}` takes on `date`: the oldest lots of that
    day (`on_day`, less what earlier lines of the plan took), as postings on those lots; and the
    first of them it takes goods of that a later entry holds (None when it takes only free
    goods, so no later entry's lots change)."""
    need = qty
    postings = []
    moved = None
    for lot in ordered(on_day(book, account, code, date), "fifo"):
        key = (account, code, lot.cost)
        used = taken.get(key, Decimal(0))
        n = min(need, lot.jumlah - used)
        if n <= 0:
            continue
        if moved is None and n > lot.bebas - used:
            moved = lot
        taken[key] = used + n
        postings.append(on_lot(account, -n, code, lot.cost))
        need -= n
        if need == 0:
            return postings, moved
    raise _short(code, date, qty, qty - need)


def holding(book: Book, account: str, code: str, date: dt.date) -> list[data.Transaction]:
    """The entries after `date` that hold on to the lots of `code` they name, so that a FIFO
    sale booked before them may not move the later sales' lots: goods put back into a lot (a
    return, a koreksi), and goods taken at a cost written out (a nota across units, a write-off,
    a return to the supplier) or from a batch with an expiry. A later sale whose cost beancount
    interpolates follows the lots FIFO gives it."""
    found: dict[int, data.Transaction] = {}
    for txn, p in later_moves(book, account, code, date):
        assert isinstance(p.cost, data.Cost)
        if ledger.number(p) > 0:
            held_on_to = txn.meta.get("jenis") != "gerai-beli"
        else:
            held_on_to = parse_label(p.cost.label).kedaluwarsa is not None or not any(
                q.meta and q.meta.get(interpolate.AUTOMATIC_META) for q in txn.postings
            )
        if held_on_to:
            found[id(txn)] = txn
    return list(found.values())


def _doc(txn: data.Transaction) -> str:
    return f"{txn.meta.get('id', '?')} ({txn.date:%d-%m-%Y})"


def _expired(lot: Lot, free: Decimal) -> LotKedaluwarsa:
    b = lot.batch
    assert b.kedaluwarsa is not None
    return LotKedaluwarsa(
        f"Batch {b.nomor} {lot.code} sudah kedaluwarsa pada {b.kedaluwarsa:%d-%m-%Y} dan "
        f"tidak boleh dijual; musnahkan dulu dengan 'kkmp gerai musnahkan {lot.code} "
        f"{_qty(free)} --batch {b.nomor} --alasan ...'."
    )


def _short(code: str, date: dt.date, qty: Decimal, available: Decimal) -> StokTidakCukup:
    return StokTidakCukup(
        f"Stok {code} tidak cukup pada {date:%d-%m-%Y}: tersedia {_qty(available)}, "
        f"diminta {_qty(qty)}."
    )


class BatchIndex(ledger.Index):
    """(item code, batch) → its expiry, from the first lot of each batch the books held (#16)."""

    def __init__(self) -> None:
        self.batches: dict[tuple[str, str], dt.date | None] = {}

    def fold(self, entry: data.Directive) -> None:
        if not isinstance(entry, data.Transaction):
            return
        for p in entry.postings:
            if isinstance(p.cost, data.Cost) and p.cost.label and p.units is not None:
                b = parse_label(p.cost.label)
                if b.nomor:
                    self.batches.setdefault((p.units.currency, b.nomor), b.kedaluwarsa)


def batches(book: Book) -> dict[tuple[str, str], dt.date | None]:
    """(item code, batch) → its expiry, from every lot the books have held (the Book's own:
    read it only)."""
    return book.index(BatchIndex).batches


def on_hand(book: Book, accounts: set[str], per: dt.date | None = None) -> list[Lot]:
    """Every lot held in `accounts` at the end of `per` (or now)."""
    held_at = book.held_on(accounts, per)
    return [Lot(a, c, cost, n) for (a, c, cost), n in held_at.items() if n > 0]


def _qty(q: Decimal) -> str:
    return format(q.normalize(), "f").replace(".", ",")
