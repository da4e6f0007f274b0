"""The gerai (outlet): items as commodities, purchases into lots at cost (with batch and expiry
when given), member, non-member and named-customer sales with HPP by beancount's own FIFO booking
or from the lots `lots.pick` names (FEFO), stock, stock opname, payables and receivables."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data

from kkmp_cli import chart, money, text
from kkmp_cli.accounts import cash as cash_accounts
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import CURRENCY, Book
from kkmp_cli.errors import JumlahTidakValid, KkmpError, TeksTidakValid
from kkmp_cli.members import register as members
from kkmp_cli.outlet import customers, lots
from kkmp_cli.outlet.lots import StokTidakCukup

ITEM_RE = re.compile(r"^[A-Z][A-Z0-9._-]{0,22}[A-Z0-9]$")


class BarangTidakDikenal(KkmpError):
    """An unknown item code."""


class BatchSudahDikembalikan(KkmpError):
    """A purchase dated before goods were put back into a named batch (a sale's koreksi or
    return)."""


class StokSudahDihitung(KkmpError):
    """A stock movement dated before the item's last stock opname."""


class TidakAdaUtang(KkmpError):
    """A payment to a supplier the cooperative owes nothing (of the kind asked)."""


@dataclass(frozen=True)
class Item:
    kode: str
    nama: str
    satuan: str
    harga_jual: Decimal
    harga_anggota: Decimal | None
    unit: str

    def price_for(self, member: bool) -> Decimal:
        return self.harga_anggota if member and self.harga_anggota else self.harga_jual


@dataclass(frozen=True)
class SaleLine:
    kode: str
    jumlah: Decimal
    harga: Decimal | None = None


@dataclass(frozen=True)
class SaleRequest:
    """One nota: its lines, the buyer (member or not), payment, and where it came from."""

    tanggal: dt.date
    lines: tuple[SaleLine, ...]
    nak: str | None = None
    kredit: bool = False
    via: str | None = None  # kas when not named; none on credit
    keterangan: str | None = None
    extra_meta: tuple[tuple[str, str], ...] = ()
    pelanggan: str | None = None  # a named non-member customer (who may buy on credit)


def check_code(code: str) -> str:
    c = code.strip().upper()
    if not ITEM_RE.match(c):
        raise TeksTidakValid(
            f"Kode barang '{code}' tidak sah: huruf besar, angka, '-' atau '.', diawali huruf dan "
            "diakhiri huruf/angka (2-24 karakter), mis. BERAS-5KG."
        )
    return c


def check_quantity(value: Decimal, what: str = "Jumlah barang") -> Decimal:
    if value <= 0:
        raise JumlahTidakValid(f"{what} harus lebih dari nol.")
    return value


def whole_rupiah(qty: Decimal, price: Decimal, code: str) -> Decimal:
    """Quantity times price, refused unless it is whole rupiah: cash, revenue and payables are
    kept without sen (0,3333 kg at Rp15.000 put Rp4.999,5 into cash, a count could then never
    match, found by an adversarial review, #16)."""
    total = qty * price
    if total != total.to_integral_value():
        raise JumlahTidakValid(
            f"{code}: {fmt_qty(qty)} x {money.fmt(price)} = {fmt_qty(total)} rupiah, bukan rupiah "
            "bulat; rupiah dicatat tanpa sen: sesuaikan jumlah atau harganya."
        )
    return total


def parse_quantity(text_value: str) -> Decimal:
    s = str(text_value).strip().replace(",", ".")
    try:
        value = Decimal(s)
    except ArithmeticError as exc:
        raise JumlahTidakValid(f"Jumlah barang '{text_value}' bukan angka.") from exc
    if not value.is_finite():
        raise JumlahTidakValid(f"Jumlah barang '{text_value}' bukan angka.")
    return check_quantity(value)


def units(book: Book) -> dict[str, chart.UnitAccounts]:
    """The outlet units' accounts by unit name (read only: kept for the life of the Book, as
    an import asks for them once per sale line, #16)."""

    def build() -> dict[str, chart.UnitAccounts]:
        return {u: chart.unit_accounts(u, i) for i, u in enumerate(book.config.gerai.unit, start=1)}

    return book.memo(("units",), build)  # type: ignore[no-any-return]


def unit_of(book: Book, name: str | None) -> chart.UnitAccounts:
    name = name or book.config.gerai.unit_bawaan
    found = units(book).get(name)
    if found is None:
        raise TeksTidakValid(
            f"Unit usaha '{name}' tidak ada di koperasi.yaml (gerai.unit: "
            f"{', '.join(book.config.gerai.unit)})."
        )
    return found


def _open(
    account: str, date: dt.date, meta: dict[str, Any], currencies: list[str] | None
) -> data.Open:
    return data.Open(data.new_metadata("<kkmp>", 0, meta), date, account, currencies, None)  # type: ignore[arg-type]


def unit_opens(book: Book, accounts: chart.UnitAccounts, date: dt.date) -> list[data.Open]:
    """The unit's accounts not yet open (the inventory account holds any item)."""
    opened = book.opens()
    start = coop.books_start(book)
    result = []
    for account, kode, description in accounts.all():
        if account not in opened:
            currencies = None if account == accounts.persediaan else [CURRENCY]
            result.append(
                _open(account, start, {"kode": kode, "keterangan": description}, currencies)
            )
    return result


def items(book: Book) -> dict[str, Item]:
    """Every registered item by code (from the commodity directives' metadata)."""

    def build() -> dict[str, Item]:
        found = {}
        for entry in book.account_directives():
            if isinstance(entry, data.Commodity) and "nama" in entry.meta:
                m = entry.meta
                found[entry.currency] = Item(
                    entry.currency,
                    str(m["nama"]),
                    str(m.get("satuan", "")),
                    Decimal(m["harga_jual"]),
                    Decimal(m["harga_anggota"]) if m.get("harga_anggota") is not None else None,
                    str(m.get("unit", book.config.gerai.unit_bawaan)),
                )
        return found

    return book.memo(("items",), build)


def item(book: Book, code: str) -> Item:
    found = items(book).get(check_code(code))
    if found is None:
        raise BarangTidakDikenal(
            f"Barang '{code.upper()}' belum terdaftar. Daftarkan dengan 'kkmp gerai barang tambah'."
        )
    return found


def add_item(
    book: Book,
    code: str,
    date: dt.date,
    *,
    nama: str,
    satuan: str,
    harga_jual: Decimal,
    harga_anggota: Decimal | None = None,
    unit: str | None = None,
) -> list[data.Directive]:
    """Plan a new item: a commodity with its name, unit of measure and prices as metadata."""
    code = check_code(code)
    if code == CURRENCY:
        raise TeksTidakValid("Kode barang tidak boleh IDR.")
    if code in items(book) or book.account_directives([code]):
        raise TeksTidakValid(f"Barang {code} sudah terdaftar.")
    accounts = unit_of(book, unit)
    meta: dict[str, Any] = {
        "nama": text.clean(nama, field="nama barang", max_len=80),
        "satuan": text.clean(satuan, field="satuan", max_len=20),
        "harga_jual": check_quantity(harga_jual, "Harga jual"),
        "unit": accounts.unit,
    }
    if harga_anggota is not None:
        meta["harga_anggota"] = check_quantity(harga_anggota, "Harga anggota")
    commodity = data.Commodity(data.new_metadata("<kkmp>", 0, meta), date, code)
    return [*unit_opens(book, accounts, date), commodity]


def supplier_account(name: str, payable: str = chart.UTANG_USAHA) -> str:
    """The supplier's payable: for goods (Utang-Usaha), or for a fixed asset (Utang-Aset)."""
    return f"{payable}:{chart.component(name)}"


def purchase(
    book: Book,
    code: str,
    qty: Decimal,
    price: Decimal,
    date: dt.date,
    *,
    pemasok: str,
    kredit: bool = False,
    via: str | None = None,
    batch: str | None = None,
    kedaluwarsa: dt.date | None = None,
) -> list[data.Directive]:
    """Plan a purchase: a new lot at cost in the unit's inventory (its label naming the batch
    and expiry, when given), paid or owed to the supplier."""
    it = item(book, code)
    check_quantity(qty)
    check_quantity(price, "Harga beli")
    require_after_count(book, it.kode, date)
    pemasok = text.clean(pemasok, field="pemasok", max_len=80)
    accounts = unit_of(book, it.unit)
    _require_no_lot_put_back_after(book, accounts.persediaan, it.kode, date)
    lot_label = _batch_label(book, it, date, batch, kedaluwarsa)
    total = whole_rupiah(qty, price, it.kode)
    entries: list[data.Directive] = list(unit_opens(book, accounts, date))
    cash = cash_accounts.paid_through(book, via, kredit=kredit)
    if cash is None:
        credit = supplier_account(pemasok)
        if credit not in book.opens():
            entries.append(_open(credit, coop.books_start(book), {"pemasok": pemasok}, [CURRENCY]))
        doc = book.next_id("BM", date.year)
    else:
        credit = cash.akun
        doc = book.next_id(cash.doc_out, date.year)
    lot = lots.new_lot(accounts.persediaan, qty, it.kode, price, lot_label)
    meta = {"id": doc, "jenis": "gerai-beli", "unit": accounts.unit, "pemasok": pemasok}
    narration = f"Pembelian {it.nama} {fmt_qty(qty)} {it.satuan} @{money.fmt(price)}"
    if lot_label:
        b = lots.parse_label(lot_label)
        narration += f" batch {b.nomor}" + (
            f" kedaluwarsa {b.kedaluwarsa:%d-%m-%Y}" if b.kedaluwarsa else ""
        )
    if kredit:
        narration += " (kredit)"
    entries.append(
        ledger.transaction(
            date, narration, [lot, ledger.posting(credit, -total)], payee=pemasok, meta=meta
        )
    )
    return entries


def _batch_label(
    book: Book, it: Item, date: dt.date, batch: str | None, kedaluwarsa: dt.date | None
) -> str | None:
    """The lot label of a purchase; a FEFO unit must know each lot's batch and expiry, and a
    batch has one expiry date whichever purchase brought it."""
    if batch is None:
        if kedaluwarsa is not None:
            raise TeksTidakValid("Sebutkan nomor batch (--batch) untuk tanggal kedaluwarsa itu.")
        if lots.issue_rule(book, it.unit) == "fefo":
            raise TeksTidakValid(
                f"Unit {it.unit} mengeluarkan barang menurut tanggal kedaluwarsa (FEFO); "
                "sebutkan --batch dan --kedaluwarsa pembelian ini."
            )
        return None
    nomor = lots.check_batch(batch)
    if kedaluwarsa is None and lots.issue_rule(book, it.unit) == "fefo":
        raise TeksTidakValid(
            f"Unit {it.unit} mengeluarkan barang menurut tanggal kedaluwarsa (FEFO); sebutkan "
            f"--kedaluwarsa batch {nomor}."
        )
    if kedaluwarsa is not None and kedaluwarsa < date:
        raise TeksTidakValid(
            f"Batch {nomor} sudah kedaluwarsa pada {kedaluwarsa:%d-%m-%Y}, sebelum tanggal "
            f"pembelian {date:%d-%m-%Y}; barang kedaluwarsa tidak dibeli untuk dijual."
        )
    known = lots.batches(book)
    if (it.kode, nomor) in known and known[(it.kode, nomor)] != kedaluwarsa:
        before = known[(it.kode, nomor)]
        shown = f"{before:%d-%m-%Y}" if before else "tanpa tanggal kedaluwarsa"
        raise TeksTidakValid(
            f"Batch {nomor} {it.kode} sudah tercatat dengan kedaluwarsa {shown}; satu batch "
            "hanya punya satu tanggal kedaluwarsa."
        )
    return lots.label(nomor, kedaluwarsa)


def fmt_qty(q: Decimal) -> str:
    """A quantity the Indonesian way: 2,5 (no trailing zeros)."""
    return format(q.normalize(), "f").replace(".", ",")


COUNT_TYPE = "opname"  # custom directive: a stock count that matched the books


@dataclass(frozen=True)
class Count:
    tanggal: dt.date
    bukti: str | None  # the variance transaction's id; None when the count matched


class CountIndex(ledger.Index):
    """Per item code, the date of its first opname transaction and its latest one (#16)."""

    def __init__(self) -> None:
        self.counts: dict[str, tuple[dt.date, Count]] = {}

    def fold(self, entry: data.Directive) -> None:
        if not isinstance(entry, data.Transaction) or entry.meta.get("jenis") != "gerai-opname":
            return
        for p in entry.postings:
            if p.cost is not None and p.units is not None:
                code = p.units.currency
                known = self.counts.get(code)
                latest = Count(entry.date, entry.meta.get("id"))
                if known is None:
                    self.counts[code] = (entry.date, latest)
                elif entry.date >= known[1].tanggal:
                    self.counts[code] = (known[0], latest)


def last_counts(book: Book) -> dict[str, Count]:
    """The latest stock opname of each item code, whether it found a difference or not."""

    def build() -> dict[str, Count]:
        counted = book.index(CountIndex).counts
        # Codes in the order of their first count; each one's latest count (a matching count,
        # `custom "opname"`, wins over a transaction of the same day).
        firsts = [(first, code) for code, (first, _) in counted.items()]
        latest = {code: count for code, (_, count) in counted.items()}
        for custom in book.customs(COUNT_TYPE):
            code = str(custom.values[0].value)
            firsts.append((custom.date, code))
            if code not in latest or custom.date >= latest[code].tanggal:
                latest[code] = Count(custom.date, None)
        order = dict.fromkeys(code for _, code in sorted(firsts, key=lambda f: f[0]))
        return {code: latest[code] for code in order}

    return book.memo("last_counts", build)  # type: ignore[no-any-return]


def _require_no_lot_put_back_after(book: Book, account: str, code: str, date: dt.date) -> None:
    """A purchase dated before goods were put back into a named batch (a sale's koreksi or
    return, which takes back the batch the sale took): the earlier lot would change the batch
    FIFO gives that sale, and the goods would go back into the other one (found by trying,
    #16: a cancelled sale then showed a negative HPP)."""
    for txn, p in lots.later_moves(book, account, code, date):
        if txn.meta.get("jenis") != "gerai-beli" and ledger.number(p) > 0:
            raise BatchSudahDikembalikan(
                f"Pembelian {code} bertanggal {date:%d-%m-%Y} akan menggeser batch yang "
                f"dipakai penjualan sesudahnya, padahal barangnya sudah dikembalikan ke batch "
                f"itu ({txn.meta.get('id', '?')}, {txn.date:%d-%m-%Y}). Catat dengan tanggal "
                f"{txn.date:%d-%m-%Y} atau sesudahnya."
            )


def require_after_count(book: Book, code: str, date: dt.date) -> None:
    """A movement dated before an item's last stock opname would make that count wrong."""
    counted = last_counts(book).get(code)
    if counted is not None and date < counted.tanggal:
        which = f" ({counted.bukti})" if counted.bukti else ""
        raise StokSudahDihitung(
            f"Stok {code} sudah dihitung pada {counted.tanggal:%d-%m-%Y}{which}; mutasi "
            f"bertanggal {date:%d-%m-%Y} akan membuat hasil hitung itu salah. Catat dengan "
            f"tanggal {counted.tanggal:%d-%m-%Y} atau sesudahnya."
        )


def _require_stock(
    book: Book, account: str, code: str, wanted: list[tuple[dt.date, Decimal]]
) -> None:
    """Sales of `code` must find the goods on their own date and leave enough for every later
    day's movements (a back-dated sale is judged against the whole timeline)."""
    last = book.last_sensitive_date(account)
    if last is None or min(d for d, _ in wanted) >= last:
        # Nothing moves after these sales: today's stock is the stock on their dates.
        total = sum((q for _, q in wanted), Decimal(0))
        on_hand = sum(
            (p.units.number for p in book.inventory(account) if p.units.currency == code),
            Decimal(0),
        )
        if total > on_hand:
            raise StokTidakCukup(
                f"Stok {code} tidak cukup: tersedia {fmt_qty(on_hand)}, diminta {fmt_qty(total)}."
            )
        return
    moves = [(d, -q) for d, q in wanted]
    for entry in book.transactions():
        for p in entry.postings:
            if p.account == account and p.units is not None and p.units.currency == code:
                moves.append((entry.date, ledger.number(p)))
    moves.sort(key=lambda m: m[0])
    held = Decimal(0)
    for i, (day, qty) in enumerate(moves):
        held += qty
        if (i + 1 == len(moves) or moves[i + 1][0] != day) and held < 0:
            raise StokTidakCukup(
                f"Stok {code} tidak cukup pada {day:%d-%m-%Y}: penjualan ini membuat stok hari "
                f"itu {fmt_qty(held)}. Periksa tanggalnya, atau catat pembeliannya lebih dulu."
            )


def stock_on_hand(book: Book, accounts: chart.UnitAccounts, code: str) -> Decimal:
    return sum(
        (p.units.number for p in book.inventory(accounts.persediaan) if p.units.currency == code),
        Decimal(0),
    )


def sales(book: Book, requests: list[SaleRequest]) -> list[data.Transaction]:
    """Plan one or many notas (given in date order, as `impor` sorts them). Each line takes
    the lots of its own day (`lots.on_day`) less what the plan's earlier lines took, so a batch
    sees its own earlier sales and a back-dated nota the lots it finds on its date (#10)."""
    planned = []
    run = _Run()
    for req in requests:
        planned.append(_plan_sale(book, req, run))
    for (account, code), wanted in run.want.items():
        _require_stock(book, account, code, wanted)
    # A nota of one unit keeps its HPP posting elided: beancount's booking computes it whenever
    # the ledger is loaded. A nota across units needs one HPP figure per unit: the cost of the
    # lots its lines take, as beancount books them on the nota's date.
    result = []
    for preview, hpp in planned:
        if len(hpp) == 1:
            result.append(preview._replace(postings=_ordered(list(preview.postings))))
            continue
        postings = [p for p in preview.postings if isinstance(p.units, data.Amount)]
        for hpp_account, cost in hpp.values():
            postings.append(ledger.posting(hpp_account, cost))
        result.append(preview._replace(postings=_ordered(postings)))
    return result


def _ordered(postings: list[data.Posting]) -> list[data.Posting]:
    """Cash/receivable first, then revenue, then HPP, then the stock leaving."""

    def rank(p: data.Posting) -> int:
        if p.cost is not None:
            return 3
        if not isinstance(p.units, data.Amount):
            return 4
        if p.account.startswith("Beban:"):
            return 2
        if p.account.startswith("Pendapatan:"):
            return 1
        return 0

    return sorted(postings, key=rank)


@dataclass
class _Run:
    """What the notas planned so far in one call want: goods per (account, code), named lots
    taken, and credit given per named customer."""

    want: dict[tuple[str, str], list[tuple[dt.date, Decimal]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    taken: lots.Taken = field(default_factory=dict)
    credit: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def _buyer(book: Book, req: SaleRequest) -> tuple[members.Member | None, str | None]:
    """The member, or the named customer, a nota is for; credit only to one of them."""
    member = members.require_active(book, req.nak, req.tanggal) if req.nak else None
    customer = customers.clean_name(req.pelanggan) if req.pelanggan else None
    if member and customer:
        raise TeksTidakValid(
            "Pilih salah satu: --anggota untuk anggota atau --pelanggan untuk non-anggota."
        )
    if req.kredit and member is None and customer is None:
        raise TeksTidakValid(
            "Penjualan kredit hanya untuk anggota (--anggota NAK) atau pelanggan bernama "
            "(--pelanggan NAMA)."
        )
    return member, customer


def _take(
    book: Book,
    accounts: chart.UnitAccounts,
    it: Item,
    line: SaleLine,
    price: Decimal,
    req: SaleRequest,
    run: _Run,
) -> tuple[list[data.Posting], Decimal]:
    """The goods leaving and what they cost: the lots kkmp names (FEFO, or lots with an expiry,
    which a sale may not take once expired), or one `{}` posting booked FIFO by beancount. Each
    carries the price sold at, so a return of part of the nota knows it."""
    meta = {"harga": price}
    account = accounts.persediaan
    rule = lots.issue_rule(book, accounts.unit)
    if lots.named(rule, lots.on_day(book, account, it.kode, req.tanggal)):
        taken = lots.pick(
            book, account, it.kode, line.jumlah, req.tanggal, rule, run.taken, meta=meta
        )
        return taken, -sum((ledger.weight(p) for p in taken), Decimal(0))
    reduce, cost = _fifo_out(
        book, account, it.kode, line.jumlah, req.tanggal, run.taken, "Penjualan"
    )
    return [reduce._replace(meta=meta)], cost


def _fifo_out(
    book: Book,
    account: str,
    code: str,
    qty: Decimal,
    date: dt.date,
    taken: lots.Taken,
    what: str,
) -> tuple[data.Posting, Decimal]:
    """Goods leaving FIFO on `date` (a sale, a count's shortfall): the `{}` posting beancount
    books on the lots of that day (`lots.fifo`), and what they cost."""
    booked, moved = lots.fifo(book, account, code, qty, date, taken)
    if moved is not None:
        # Beancount books the later sales again, FIFO from what this one leaves: harmless
        # unless a later entry holds on to the lots it names (found by trying, #10: a return
        # then went back into a lot its sale no longer took, HPP too high and nothing said).
        holding = lots.holding(book, account, code, date)
        if holding:
            last = holding[-1]
            raise lots.LotDipakaiSesudahnya(
                f"{what} {code} bertanggal {date:%d-%m-%Y} akan memindahkan lot yang "
                f"dipakai penjualan sesudahnya (FIFO), padahal {last.meta.get('id', '?')} "
                f"({last.date:%d-%m-%Y}) terikat pada lotnya; catat dengan tanggal "
                f"{last.date:%d-%m-%Y} atau sesudahnya."
            )
    reduce = ledger.reduce_lots(account, qty, code)
    return reduce, -sum((ledger.weight(p) for p in booked), Decimal(0))


def _debit(
    book: Book,
    req: SaleRequest,
    member: members.Member | None,
    customer: str | None,
    total: Decimal,
    run: _Run,
) -> tuple[str, str]:
    """The account the nota's total goes to and its document number."""
    cash = cash_accounts.paid_through(book, req.via, kredit=req.kredit)
    if cash is not None:
        return cash.akun, book.next_id(cash.doc_in, req.tanggal.year)
    if member is not None:
        return chart.member_account(chart.PIUTANG_DAGANG, member.nak), book.next_id(
            "BM", req.tanggal.year
        )
    assert customer is not None
    account = customers.find(book, customer)
    customers.require_within_limit(book, customer, total + run.credit[account])
    run.credit[account] += total
    return account, book.next_id("BM", req.tanggal.year)


def _plan_sale(
    book: Book, req: SaleRequest, run: _Run
) -> tuple[data.Transaction, dict[str, tuple[str, Decimal]]]:
    if not req.lines:
        raise JumlahTidakValid("Nota penjualan tanpa barang.")
    member, customer = _buyer(book, req)
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    reductions = []
    hpp: dict[str, tuple[str, Decimal]] = {}  # per inventory account: its HPP account and cost
    words = []
    for line in req.lines:
        it = item(book, line.kode)
        check_quantity(line.jumlah)
        require_after_count(book, it.kode, req.tanggal)
        price = line.harga if line.harga is not None else it.price_for(member is not None)
        check_quantity(price, "Harga jual")
        accounts = unit_of(book, it.unit)
        if accounts.persediaan not in book.opens():
            raise StokTidakCukup(f"Stok {it.kode} kosong: belum pernah ada pembelian.")
        rev = accounts.penjualan_anggota if member else accounts.penjualan_non_anggota
        revenue[rev] += whole_rupiah(line.jumlah, price, it.kode)
        taken, cost = _take(book, accounts, it, line, price, req, run)
        reductions += taken
        before = hpp.get(accounts.persediaan, ("", Decimal(0)))[1]
        hpp[accounts.persediaan] = (
            accounts.hpp_anggota if member else accounts.hpp_non_anggota,
            before + cost,
        )
        run.want[(accounts.persediaan, it.kode)].append((req.tanggal, line.jumlah))
        words.append(f"{it.nama} {fmt_qty(line.jumlah)} {it.satuan}".strip())
    total = sum(revenue.values(), Decimal(0))
    debit, doc = _debit(book, req, member, customer, total, run)
    meta: dict[str, Any] = {"id": doc, "jenis": "gerai-jual"}
    if member:
        meta["anggota"] = member.nak
    if customer:
        meta["pelanggan"] = customer
    meta.update(dict(req.extra_meta))
    postings = [ledger.posting(debit, total)]
    postings += [ledger.posting(acc, -amount) for acc, amount in revenue.items()]
    postings += reductions
    # One elided IDR posting lets beancount interpolate the cost of the lots it books.
    postings.append(ledger.elided(next(iter(hpp.values()))[0]))
    # The nota number is in the narration: two customers may well buy the same thing on the
    # same day, and beancount's noduplicates compares transactions without their metadata.
    narration = f"Penjualan nota {doc}: " + ", ".join(words)
    if req.kredit:
        narration += " (kredit)"
    if req.keterangan:
        narration += " - " + text.clean(req.keterangan, field="keterangan")
    payee = member.nama if member else customer or "Non-anggota"
    txn = ledger.transaction(req.tanggal, narration, postings, payee=payee, meta=meta)
    return txn, hpp


def credit_opens(book: Book, requests: list[SaleRequest]) -> list[data.Open]:
    """The receivable sub-accounts credit sales need."""
    result = []
    seen = set(book.opens())
    for req in requests:
        if req.kredit and req.nak:
            member = members.get(book, req.nak)
            account = chart.member_account(chart.PIUTANG_DAGANG, member.nak)
            if account not in seen:
                seen.add(account)
                result.append(members.open_subaccount(book, chart.PIUTANG_DAGANG, member))
        elif req.kredit and req.pelanggan:
            opened = customers.opens(book, req.pelanggan, seen)
            seen.update(o.account for o in opened)
            result += opened
    return result


def sell(book: Book, requests: list[SaleRequest]) -> list[data.Directive]:
    """Plan sales, with whatever receivable accounts they need opened first."""
    return [*credit_opens(book, requests), *sales(book, requests)]


@dataclass(frozen=True)
class StockRow:
    item: Item
    jumlah: Decimal
    nilai: Decimal  # at cost

    @property
    def harga_rata(self) -> Decimal:
        return money.round_half_up(self.nilai / self.jumlah) if self.jumlah else Decimal(0)


def stock(book: Book, per: dt.date | None = None) -> list[StockRow]:
    """Quantity and value at cost of every item (at the end of `per`, or now)."""
    unit_accounts = {u.persediaan for u in units(book).values()}
    qty: dict[str, Decimal] = defaultdict(Decimal)
    value: dict[str, Decimal] = defaultdict(Decimal)
    for (_, code, cost), n in book.held_on(unit_accounts, per).items():
        qty[code] += n
        value[code] += n * cost.number
    return [
        StockRow(it, qty.get(code, Decimal(0)), value.get(code, Decimal(0)))
        for code, it in sorted(items(book).items())
    ]


def count(book: Book, code: str, counted: Decimal, date: dt.date) -> list[data.Directive]:
    """Plan a stock opname: the difference between counted and booked goes to the variance account."""
    it = item(book, code)
    if counted < 0:
        raise JumlahTidakValid("Hasil hitung tidak boleh negatif.")
    accounts = unit_of(book, it.unit)
    booked_qty = next((r.jumlah for r in stock(book, date) if r.item.kode == it.kode), Decimal(0))
    if stock_on_hand(book, accounts, it.kode) != booked_qty:
        raise KkmpError(
            f"Ada mutasi {it.kode} sesudah {date:%d-%m-%Y}; lakukan opname pada tanggal terakhir."
        )
    diff = counted - booked_qty
    if diff == 0:
        # Nothing to post, but the count is a fact an auditor (and later entries) must see.
        if any(
            c.date == date and c.values[0].value == it.kode and c.values[1].value == counted
            for c in book.customs(COUNT_TYPE)
        ):
            return []  # the same count, recorded already
        return [
            ledger.make_custom(date, COUNT_TYPE, [it.kode, counted], meta={"unit": accounts.unit})
        ]
    meta = {"id": book.next_id("BM", date.year), "jenis": "gerai-opname", "unit": accounts.unit}
    narration = f"Stock opname {it.nama}: dihitung {fmt_qty(counted)}, tercatat {fmt_qty(booked_qty)} {it.satuan}"
    rule = lots.issue_rule(book, accounts.unit)
    if diff < 0 and lots.named(rule, lots.on_day(book, accounts.persediaan, it.kode, date)):
        # Lots with an expiry leave in the unit's order, expired ones too (they are gone).
        taken = lots.pick(
            book, accounts.persediaan, it.kode, -diff, date, rule, {}, allow_expired=True
        )
        cost = -sum((ledger.weight(p) for p in taken), Decimal(0))
        postings = [ledger.posting(accounts.selisih, cost), *taken]
    elif diff < 0:
        reduce, cost = _fifo_out(
            book, accounts.persediaan, it.kode, -diff, date, {}, "Selisih opname"
        )
        postings = [ledger.posting(accounts.selisih, cost), reduce]
    else:
        held = [
            p for p in book.inventory(accounts.persediaan) if p.units.currency == it.kode and p.cost
        ]
        if not held:
            raise KkmpError(f"Belum ada harga pokok {it.kode}; catat sebagai pembelian.")
        last = max(held, key=lambda p: (p.cost.date, p.cost.number))
        price = last.cost.number
        # Goods found over the books are taken to be of the newest lot: its cost, its batch.
        lot = lots.new_lot(accounts.persediaan, diff, it.kode, price, last.cost.label)
        postings = [lot, ledger.posting(accounts.selisih, -diff * price)]
    return [ledger.transaction(date, narration, postings, meta=meta)]


def pay_supplier(
    book: Book,
    pemasok: str,
    amount: Decimal,
    date: dt.date,
    *,
    via: str = "kas",
    aset: bool = False,
) -> list[data.Directive]:
    """Pay (part of) what is owed to a supplier: for goods, or with `aset` for a fixed asset
    bought on credit (`aset tambah --via utang`, an investing outflow); a supplier owed only
    for an asset is paid on that payable without `aset`."""
    owed = {
        payable: -book.balance(supplier_account(pemasok, payable))
        for payable in (chart.UTANG_USAHA, chart.UTANG_ASET)
        if supplier_account(pemasok, payable) in book.opens()
    }
    goods, fixed = owed.get(chart.UTANG_USAHA, Decimal(0)), owed.get(chart.UTANG_ASET, Decimal(0))
    if aset and fixed <= 0:
        raise TidakAdaUtang(f"Tidak ada utang pembelian aset tetap kepada pemasok '{pemasok}'.")
    if goods <= 0 and fixed <= 0:
        raise TidakAdaUtang(f"Tidak ada utang kepada pemasok '{pemasok}'.")
    for_asset = aset or goods <= 0
    account = supplier_account(pemasok, chart.UTANG_ASET if for_asset else chart.UTANG_USAHA)
    if amount > (fixed if for_asset else goods):
        what = "utang pembelian aset tetap" if for_asset else "utang"
        also = (
            f" (utang pembelian aset tetap {money.fmt(fixed)} dibayar dengan --aset)"
            if fixed > 0 and not for_asset
            else ""
        )
        raise JumlahTidakValid(
            f"Pembayaran {money.fmt(amount)} melebihi {what} "
            f"{money.fmt(fixed if for_asset else goods)}{also}."
        )
    cash = cash_accounts.via(book, via)
    meta = {"id": book.next_id(cash.doc_out, date.year), "jenis": "gerai-bayar-pemasok"}
    postings = [ledger.posting(account, amount), ledger.posting(cash.akun, -amount)]
    name = book.opens()[account].meta.get("pemasok", pemasok)
    return [ledger.transaction(date, "Pembayaran utang pemasok", postings, payee=name, meta=meta)]


def collect(
    book: Book, nak: str, amount: Decimal, date: dt.date, *, via: str = "kas"
) -> list[data.Directive]:
    """A member pays (part of) what they bought on credit."""
    member = members.get(book, nak)
    account = chart.member_account(chart.PIUTANG_DAGANG, member.nak)
    owed = book.balance(account)
    if owed <= 0:
        raise KkmpError(f"{member.nak} ({member.nama}) tidak punya piutang belanja.")
    if amount > owed:
        raise JumlahTidakValid(
            f"Pembayaran {money.fmt(amount)} melebihi piutang {money.fmt(owed)}."
        )
    cash = cash_accounts.via(book, via)
    meta = {
        "id": book.next_id(cash.doc_in, date.year),
        "anggota": member.nak,
        "jenis": "gerai-terima-piutang",
    }
    postings = [ledger.posting(cash.akun, amount), ledger.posting(account, -amount)]
    return [
        ledger.transaction(
            date, "Pembayaran piutang belanja", postings, payee=member.nama, meta=meta
        )
    ]
