"""The gerai's rules `kkmp periksa` judges over the whole books: no sale from an expired batch,
no FEFO sale that leaves a batch expiring earlier on hand, no return above what its sale or
purchase moved (nor into a lot its sale did not take), customer receivables kept per customer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, money
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding
from kkmp_cli.outlet import lots, returns
from kkmp_cli.outlet import trade as outlet


def _where(entry: data.Directive) -> tuple[str, int]:
    return str(entry.meta.get("filename", "?")), int(entry.meta.get("lineno", 0) or 0)


def _moved(entry: data.Transaction, sign: int) -> dict[str, Decimal]:
    qty: dict[str, Decimal] = defaultdict(Decimal)
    for p in entry.postings:
        if isinstance(p.cost, data.Cost) and p.units is not None and ledger.number(p) * sign > 0:
            qty[p.units.currency] += abs(ledger.number(p))
    return qty


def findings(book: Book) -> list[Finding]:
    found: list[Finding] = []
    by_id = {t.meta["id"]: t for t in book.transactions() if isinstance(t.meta.get("id"), str)}
    given: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    fefo = _Fefo(book)
    for entry in book.transactions():
        jenis = entry.meta.get("jenis")
        found += fefo.fold(entry)
        if jenis == "gerai-jual":
            found += _expired_sold(entry)
        for p in entry.postings:
            if p.account == chart.PIUTANG_PELANGGAN:
                found.append(
                    Finding(
                        *_where(entry),
                        f"{p.account} harus dicatat per pelanggan (sub-akun nama pelanggan)",
                    )
                )
        if jenis not in returns.ORIGINAL:
            continue
        source = entry.meta.get(returns.LINK)
        original = by_id.get(source) if isinstance(source, str) else None
        if original is None or original.meta.get("jenis") != returns.ORIGINAL[jenis]:
            found.append(
                Finding(
                    *_where(entry),
                    f"retur {entry.meta.get('id')} tidak tertaut ke {returns.ORIGINAL[jenis]} "
                    f"yang ada ({returns.LINK}: {source})",
                )
            )
    for doc, made in returns.all_returns(book).items():
        original = by_id.get(doc)
        jenis = original.meta.get("jenis") if original is not None else None
        if original is None or jenis not in returns.ORIGINAL.values():
            continue  # reported above, on the return
        sign = -1 if jenis == "gerai-jual" else 1
        moved = _moved(original, sign)
        if jenis == "gerai-jual":
            found += _outside_the_sales_lots(original, made)
        for ret in made:
            for code, qty in _moved(ret, -sign).items():
                given[(doc, code)] += qty
                if given[(doc, code)] > moved.get(code, Decimal(0)):
                    found.append(
                        Finding(
                            *_where(ret),
                            f"retur {ret.meta.get('id')} membuat {code} yang diretur dari {doc} "
                            f"({given[(doc, code)].normalize():f}) melebihi yang tercatat di "
                            f"sana ({moved.get(code, Decimal(0)).normalize():f})",
                        )
                    )
    return found


def _expired_sold(entry: data.Transaction) -> list[Finding]:
    found = []
    for p in entry.postings:
        if not isinstance(p.cost, data.Cost) or ledger.number(p) >= 0 or p.units is None:
            continue
        b = lots.parse_label(p.cost.label)
        if b.kedaluwarsa is not None and entry.date > b.kedaluwarsa:
            found.append(
                Finding(
                    *_where(entry),
                    f"penjualan {entry.meta.get('id')} mengambil {p.units.currency} batch "
                    f"{b.nomor} yang sudah kedaluwarsa pada {b.kedaluwarsa:%d-%m-%Y}",
                )
            )
    return found


def _outside_the_sales_lots(sale: data.Transaction, made: list[data.Transaction]) -> list[Finding]:
    """Goods a sale's returns put back into a lot beyond what the sale took from it (a FIFO sale
    that beancount booked again onto other lots after a back-dated one, #10)."""
    left: dict[tuple[str, data.Cost], Decimal] = defaultdict(Decimal)
    for p in sale.postings:
        if isinstance(p.cost, data.Cost) and p.units is not None and ledger.number(p) < 0:
            left[(p.units.currency, p.cost)] -= ledger.number(p)
    found = []
    for ret in made:
        for p in ret.postings:
            if isinstance(p.cost, data.Cost) and p.units is not None and ledger.number(p) > 0:
                key = (p.units.currency, p.cost)
                left[key] -= ledger.number(p)
                if left[key] < 0:
                    found.append(
                        Finding(
                            *_where(ret),
                            f"retur {ret.meta.get('id')} mengembalikan {p.units.currency} ke lot "
                            f"{p.cost.date:%d-%m-%Y} {money.fmt(p.cost.number)} melebihi "
                            f"yang diambil {sale.meta.get('id')} dari lot itu",
                        )
                    )
    return found


class _Fefo:
    """The lots of the FEFO units in booking order, to find a sale that took a batch while one
    expiring earlier, not yet expired, stayed on hand (what a back-dated sale once did, #10)."""

    def __init__(self, book: Book) -> None:
        self.accounts = {
            accounts.persediaan
            for unit, accounts in outlet.units(book).items()
            if lots.issue_rule(book, unit) == "fefo"
        }
        self.held: dict[tuple[str, str, data.Cost], Decimal] = defaultdict(Decimal)

    def fold(self, entry: data.Transaction) -> list[Finding]:
        moved = [
            (p.account, p.units.currency, p.cost, ledger.number(p))
            for p in entry.postings
            if p.account in self.accounts and isinstance(p.cost, data.Cost) and p.units is not None
        ]
        for account, code, cost, n in moved:
            self.held[(account, code, cost)] += n
            if self.held[(account, code, cost)] == 0:
                del self.held[(account, code, cost)]
        if entry.meta.get("jenis") != "gerai-jual":
            return []
        for account, code, cost, n in moved:
            took = lots.parse_label(cost.label)
            for (other, other_code, other_cost), left in self.held.items():
                first = lots.parse_label(other_cost.label)
                if (
                    n < 0
                    and (other, other_code) == (account, code)
                    and left > 0
                    and first.kedaluwarsa is not None
                    and entry.date <= first.kedaluwarsa < (took.kedaluwarsa or dt.date.max)
                ):
                    return [
                        Finding(
                            *_where(entry),
                            f"penjualan {entry.meta.get('id')} mengambil {code} batch "
                            f"{took.nomor} padahal batch {first.nomor}, yang kedaluwarsa lebih "
                            f"dulu ({first.kedaluwarsa:%d-%m-%Y}), masih ada (FEFO)",
                        )
                    ]
        return []
