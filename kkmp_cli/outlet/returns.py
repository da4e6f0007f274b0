"""Returns: goods a buyer brings back to the gerai (retur penjualan) and goods the gerai sends
back to its supplier (retur pembelian), each linked to its original document (`retur_dari`)
and limited to what that document moved less the returns already made against it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from beancount.core import data

from kkmp_cli import chart, text
from kkmp_cli.accounts import cash as cash_accounts
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError
from kkmp_cli.outlet import lots
from kkmp_cli.outlet import trade as outlet

JENIS_JUAL = "gerai-retur-jual"
JENIS_BELI = "gerai-retur-beli"
LINK = "retur_dari"  # metadata: the id of the sale or purchase a return goes back to
ORIGINAL = {JENIS_JUAL: "gerai-jual", JENIS_BELI: "gerai-beli"}


class ReturDitolak(KkmpError):
    """A return of an unknown document, or of more than it moved."""


@dataclass(frozen=True)
class LotLine:
    """Goods of one lot moved by the original document (quantity always positive)."""

    account: str
    code: str
    cost: data.Cost
    jumlah: Decimal
    harga: Decimal | None  # the price sold at (sales only)


def _find(book: Book, doc: str, jenis: str) -> data.Transaction:
    doc = doc.strip().upper()
    what = "penjualan gerai" if jenis == JENIS_JUAL else "pembelian gerai"
    found = next((t for t in book.transactions() if t.meta.get("id") == doc), None)
    if found is None:
        raise ReturDitolak(f"Tidak ada transaksi dengan nomor bukti {doc}.")
    if found.meta.get("jenis") != ORIGINAL[jenis]:
        raise ReturDitolak(f"{doc} bukan {what}; hanya {what} yang dapat diretur di sini.")
    undone = next((t for t in book.transactions() if t.meta.get("koreksi") == doc), None)
    if undone is not None:
        raise ReturDitolak(
            f"{doc} sudah dikoreksi oleh {undone.meta.get('id')}; tidak ada yang diretur."
        )
    return found


def all_returns(book: Book) -> dict[str, list[data.Transaction]]:
    """Document id → the returns made against it and not themselves corrected."""

    def build() -> dict[str, list[data.Transaction]]:
        undone = {str(t.meta["koreksi"]) for t in book.transactions() if t.meta.get("koreksi")}
        found: dict[str, list[data.Transaction]] = defaultdict(list)
        for t in book.transactions():
            source = t.meta.get(LINK)
            if (
                isinstance(source, str)
                and t.meta.get("jenis") in ORIGINAL
                and t.meta.get("id") not in undone
            ):
                found[source].append(t)
        return dict(found)

    return book.memo(("returns",), build)  # type: ignore[no-any-return]


def returns_of(book: Book, doc: str) -> list[data.Transaction]:
    """The returns made against document `doc` and not themselves corrected."""
    return all_returns(book).get(doc, [])


def _returned(book: Book, doc: str) -> dict[str, Decimal]:
    qty: dict[str, Decimal] = defaultdict(Decimal)
    for t in returns_of(book, doc):
        for p in t.postings:
            if isinstance(p.cost, data.Cost) and p.units is not None:
                qty[p.units.currency] += abs(ledger.number(p))
    return qty


def _lines(original: data.Transaction, sign: int) -> list[LotLine]:
    found = []
    for p in original.postings:
        if isinstance(p.cost, data.Cost) and p.units is not None and ledger.number(p) * sign > 0:
            harga = p.meta.get("harga") if p.meta else None
            found.append(
                LotLine(
                    p.account,
                    p.units.currency,
                    p.cost,
                    abs(ledger.number(p)),
                    Decimal(harga) if harga is not None else None,
                )
            )
    return found


def _wanted(
    lines: list[LotLine],
    done: dict[str, Decimal],
    items: list[tuple[str, Decimal]] | None,
    doc: str,
) -> dict[str, Decimal]:
    """Quantity to return per item code: as asked (checked against what is left to return),
    or everything left."""
    moved: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        moved[line.code] += line.jumlah
    if items is None:
        rest = {code: q - done.get(code, Decimal(0)) for code, q in moved.items()}
        rest = {code: q for code, q in rest.items() if q > 0}
        if not rest:
            raise ReturDitolak(f"Semua barang {doc} sudah diretur.")
        return rest
    asked: dict[str, Decimal] = defaultdict(Decimal)
    for code, qty in items:
        asked[outlet.check_code(code)] += outlet.check_quantity(qty)
    for code, qty in asked.items():
        if code not in moved:
            raise ReturDitolak(f"Barang {code} tidak ada di {doc}.")
        left = moved[code] - done.get(code, Decimal(0))
        if qty > left:
            raise ReturDitolak(
                f"Retur {outlet.fmt_qty(qty)} {code} melebihi sisa yang dapat diretur dari {doc}: "
                f"{outlet.fmt_qty(moved[code])} dikurangi retur sebelumnya "
                f"{outlet.fmt_qty(done.get(code, Decimal(0)))} = {outlet.fmt_qty(left)}."
            )
    return dict(asked)


def _allocate(
    lines: list[LotLine], done: dict[str, Decimal], wanted: dict[str, Decimal]
) -> list[tuple[LotLine, Decimal]]:
    """Which lots go back: the last lots the document moved first (earlier returns took the
    same way), so returns after returns never go back to a lot twice."""
    result = []
    for code, qty in wanted.items():
        skip, need = done.get(code, Decimal(0)), qty
        for line in reversed([line for line in lines if line.code == code]):
            free = line.jumlah - min(skip, line.jumlah)
            skip -= line.jumlah - free
            n = min(free, need)
            if n > 0:
                result.append((line, n))
                need -= n
            if need == 0:
                break
    return result


def _prices(sale: data.Transaction, lines: list[LotLine]) -> list[LotLine]:
    """Every sold line with its price: recorded on the posting, or, for a nota of one item
    recorded before prices were, its revenue over its quantity."""
    if all(line.harga is not None for line in lines):
        return lines
    codes = {line.code for line in lines}
    if len(codes) != 1:
        raise ReturDitolak(
            f"Nota {sale.meta.get('id')} tidak mencatat harga per barang; retur sebagian tidak "
            "dapat dihitung. Koreksi seluruh nota dengan 'kkmp koreksi'."
        )
    revenue = -sum(
        (ledger.number(p) for p in sale.postings if p.account.startswith("Pendapatan:")),
        Decimal(0),
    )
    qty = sum((line.jumlah for line in lines), Decimal(0))
    return [replace(line, harga=revenue / qty) for line in lines]


def _unit_by_stock(book: Book, account: str) -> chart.UnitAccounts:
    for u in outlet.units(book).values():
        if u.persediaan == account:
            return u
    raise ReturDitolak(f"Akun {account} bukan persediaan unit di koperasi.yaml (gerai.unit).")


def _owed(book: Book, account: str, date: dt.date, sign: int) -> Decimal:
    """What a return dated `date` may take off a receivable (sign 1) or payable (sign -1)
    without it turning on that day or any later one (a back-dated return meets later
    payments)."""
    if not account:
        return Decimal(0)
    opening, moves = book.movements_since(account, date)
    owed = opening * sign
    ends = [] if moves and moves[0].date == date else [owed]  # each day from `date` at its end
    for i, move in enumerate(moves):
        owed += move.amount * sign
        if i + 1 == len(moves) or moves[i + 1].date != move.date:
            ends.append(owed)
    return max(min(ends), Decimal(0))


def _settle(
    book: Book, account: str, amount: Decimal, via: cash_accounts.Via, *, owed: Decimal
) -> tuple[list[tuple[str, Decimal]], bool]:
    """Where money for a return goes: the open receivable or payable `account` up to what is
    still `owed` on it, the rest through kas/bank. Amounts from the cooperative's side of
    the receivable/payable (positive = reduces it); returns (parts, whether cash moved)."""
    parts = []
    from_account = min(amount, max(owed, Decimal(0))) if account else Decimal(0)
    if from_account > 0:
        parts.append((account, from_account))
    rest = amount - from_account
    if rest > 0:
        parts.append((via.akun, rest))
    return parts, rest > 0


def sale_return(
    book: Book,
    doc: str,
    date: dt.date,
    *,
    items: list[tuple[str, Decimal]] | None = None,
    via: str = "kas",
    keterangan: str | None = None,
) -> list[data.Directive]:
    """Plan a return of goods sold on nota `doc`: the goods back into the lots they left at
    their cost, revenue and HPP reversed, the money refunded (or the buyer's receivable
    reduced, as far as it is still owed)."""
    sale = _find(book, doc, JENIS_JUAL)
    doc = str(sale.meta["id"])
    if date < sale.date:
        raise ReturDitolak(
            f"Tanggal retur tidak boleh sebelum penjualan {doc} ({sale.date:%d-%m-%Y})."
        )
    cash = cash_accounts.via(book, via)
    lines = _lines(sale, -1)
    done = _returned(book, doc)
    wanted = _wanted(lines, done, items, doc)
    chosen = _allocate(_prices(sale, lines), done, wanted)
    member = "anggota" in sale.meta
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    hpp: dict[str, Decimal] = defaultdict(Decimal)
    goods = []
    words = []
    for line, qty in chosen:
        outlet.require_after_count(book, line.code, date)
        u = _unit_by_stock(book, line.account)
        assert line.harga is not None
        price = outlet.whole_rupiah(qty, line.harga, line.code)  # no sen in cash (#16)
        revenue[u.penjualan_anggota if member else u.penjualan_non_anggota] += price
        hpp[u.hpp_anggota if member else u.hpp_non_anggota] += qty * line.cost.number
        goods.append(lots.on_lot(line.account, qty, line.code, line.cost))
        words.append(_words(book, line.code, qty))
    total = sum(revenue.values(), Decimal(0))
    debit = _sale_debit(sale)
    receivable = debit if debit.startswith("Aset:Piutang-") else ""
    parts, refunded = _settle(book, receivable, total, cash, owed=_owed(book, receivable, date, 1))
    meta = _meta(book, sale, JENIS_JUAL, date, cash_via=cash if refunded else None, incoming=False)
    if keterangan:
        meta["keterangan"] = text.clean(keterangan, field="keterangan")
    postings = [ledger.posting(acc, amount) for acc, amount in revenue.items()]
    postings += [ledger.posting(acc, -amount) for acc, amount in parts]
    postings += [*goods, *(ledger.posting(acc, -amount) for acc, amount in hpp.items())]
    narration = f"Retur penjualan nota {doc}: " + ", ".join(words)
    return [ledger.transaction(date, narration, postings, payee=sale.payee, meta=meta)]


def purchase_return(
    book: Book,
    doc: str,
    date: dt.date,
    *,
    items: list[tuple[str, Decimal]] | None = None,
    via: str = "kas",
    keterangan: str | None = None,
) -> list[data.Directive]:
    """Plan a return to the supplier of goods bought on `doc`: out of the very lot the purchase
    made, at its cost; the supplier owes less (or pays the money back)."""
    purchase = _find(book, doc, JENIS_BELI)
    doc = str(purchase.meta["id"])
    if date < purchase.date:
        raise ReturDitolak(
            f"Tanggal retur tidak boleh sebelum pembelian {doc} ({purchase.date:%d-%m-%Y})."
        )
    cash = cash_accounts.via(book, via)
    lines = _lines(purchase, 1)
    done = _returned(book, doc)
    chosen = _allocate(lines, done, _wanted(lines, done, items, doc))
    goods = []
    words = []
    total = Decimal(0)
    for line, qty in chosen:
        outlet.require_after_count(book, line.code, date)
        held = sum(
            (
                lot.jumlah
                for lot in lots.held(book, line.account, line.code)
                if lot.cost == line.cost
            ),
            Decimal(0),
        )
        if held < qty:
            raise ReturDitolak(
                f"Dari {line.code} yang dibeli pada {doc} tinggal {outlet.fmt_qty(held)} di "
                f"persediaan (sisanya sudah terjual atau dipakai); retur {outlet.fmt_qty(qty)} "
                "tidak dapat dicatat."
            )
        goods.append(lots.on_lot(line.account, -qty, line.code, line.cost))
        total += outlet.whole_rupiah(qty, line.cost.number, line.code)  # no sen (#16)
        words.append(_words(book, line.code, qty))
    payable = next(
        (p.account for p in purchase.postings if p.account.startswith(chart.UTANG_USAHA + ":")), ""
    )
    parts, refunded = _settle(book, payable, total, cash, owed=_owed(book, payable, date, -1))
    meta = _meta(
        book, purchase, JENIS_BELI, date, cash_via=cash if refunded else None, incoming=True
    )
    if keterangan:
        meta["keterangan"] = text.clean(keterangan, field="keterangan")
    postings = [ledger.posting(acc, amount) for acc, amount in parts] + goods
    narration = f"Retur pembelian {doc}: " + ", ".join(words)
    return [ledger.transaction(date, narration, postings, payee=purchase.payee, meta=meta)]


def _sale_debit(sale: data.Transaction) -> str:
    """The account a sale's money went to: kas/bank, or the buyer's receivable."""
    for p in sale.postings:
        if p.cost is None and ledger.number(p) > 0 and not p.account.startswith("Beban:"):
            return p.account
    raise ReturDitolak(f"Nota {sale.meta.get('id')} tidak mencatat penerimaan uang atau piutang.")


def _meta(
    book: Book,
    original: data.Transaction,
    jenis: str,
    date: dt.date,
    *,
    cash_via: cash_accounts.Via | None,
    incoming: bool,
) -> dict[str, Any]:
    if cash_via is None:
        doc = book.next_id("BM", date.year)
    else:
        doc = book.next_id(cash_via.doc_in if incoming else cash_via.doc_out, date.year)
    meta: dict[str, Any] = {"id": doc, "jenis": jenis, LINK: original.meta["id"]}
    for key in ("anggota", "pelanggan", "unit", "pemasok"):
        if key in original.meta:
            meta[key] = original.meta[key]
    return meta


def _words(book: Book, code: str, qty: Decimal) -> str:
    it = outlet.items(book).get(code)
    if it is None:
        return f"{code} {outlet.fmt_qty(qty)}"
    return f"{it.nama} {outlet.fmt_qty(qty)} {it.satuan}".strip()


def require_no_returns(book: Book, original: data.Transaction) -> None:
    """A sale or purchase with returns against it cannot be reversed whole by `koreksi`: the
    goods and money the returns moved would move twice."""
    doc = str(original.meta.get("id", ""))
    if original.meta.get("jenis") not in ORIGINAL.values():
        return
    made = returns_of(book, doc)
    if made:
        shown = ", ".join(str(t.meta.get("id")) for t in made)
        raise ReturDitolak(f"{doc} sudah diretur ({shown}); koreksi dulu retur itu, baru {doc}.")
