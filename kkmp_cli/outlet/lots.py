"""The gerai's lots: batch and expiry kept on each lot's label, and which lots goods leave from
(first in first out, or first expiry first out for a unit such as the apotek).

A lot is what beancount keeps for goods held at cost: `10 PARACETAMOL {1500 IDR, 2025-03-01,
"B2301 ED 2026-06-30"}`. The label names the batch and, after ` ED `, its expiry date (ISO), so
the lot carries both through beancount's booking, every reduction, every report and Fava,
without a side table. Sales from a lot with an expiry, and every sale of a FEFO unit, name their
lots explicitly (beancount's booking methods know FIFO, LIFO, STRICT, not FEFO)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import CURRENCY, Book
from kkmp_cli.errors import KkmpError, TeksTidakValid

BATCH_RE = re.compile(r"^[A-Z0-9][A-Z0-9./-]{0,23}$")
LABEL_RE = re.compile(r"^(?P<batch>[A-Z0-9][A-Z0-9./-]{0,23})(?: ED (?P<ed>\d{4}-\d{2}-\d{2}))?$")
RULES = ("fifo", "fefo")

Taken = dict[tuple[str, str, data.Cost], Decimal]


class StokTidakCukup(KkmpError):
    """A sale or count larger than the stock on hand."""


class LotKedaluwarsa(KkmpError):
    """Goods of an expired batch would be sold."""


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


def held(book: Book, account: str, code: str, date: dt.date | None = None) -> list[Lot]:
    """The lots of `code` on hand now in `account` that were bought on or before `date`
    (what is left of them now was there on that day and no later movement needs it)."""
    found = []
    for pos in book.inventory(account):
        cost = pos.cost
        if pos.units.currency != code or cost is None or pos.units.number <= 0:
            continue
        if date is None or cost.date <= date:
            found.append(Lot(account, code, cost, pos.units.number))
    return found


def ordered(lots: list[Lot], rule: str) -> list[Lot]:
    """The order goods leave in: by purchase date (fifo), or by expiry first (fefo; lots
    without an expiry last)."""
    if rule == "fefo":
        return sorted(lots, key=lambda lot: (lot.batch.kedaluwarsa or dt.date.max, lot.cost.date))
    return sorted(lots, key=lambda lot: lot.cost.date)


def named(book: Book, account: str, code: str, rule: str) -> bool:
    """Whether goods of `code` leave from lots named by kkmp (FEFO, or lots with an expiry),
    rather than from beancount's own FIFO booking."""
    return rule == "fefo" or any(lot.batch.kedaluwarsa for lot in held(book, account, code))


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
    """The postings that take `qty` of `code` out of named lots in `rule` order; `taken`
    holds what earlier lines of the same plan took already. A sale may not take goods of an
    expired batch (`allow_expired` for a count or a write-off)."""
    need = qty
    postings = []
    for lot in ordered(held(book, account, code, date), rule):
        key = (account, code, lot.cost)
        free = lot.jumlah - taken.get(key, Decimal(0))
        if free <= 0:
            continue
        if not allow_expired and lot.expired_on(date):
            b = lot.batch
            assert b.kedaluwarsa is not None
            raise LotKedaluwarsa(
                f"Batch {b.nomor} {code} sudah kedaluwarsa pada {b.kedaluwarsa:%d-%m-%Y} dan "
                f"tidak boleh dijual; musnahkan dulu dengan 'kkmp gerai musnahkan {code} "
                f"{_qty(free)} --batch {b.nomor} --alasan ...'."
            )
        n = min(need, free)
        taken[key] = taken.get(key, Decimal(0)) + n
        postings.append(on_lot(account, -n, code, lot.cost, meta))
        need -= n
        if need == 0:
            return postings
    available = qty - need
    raise StokTidakCukup(
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
