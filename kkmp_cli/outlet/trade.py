"""The gerai (outlet): items as commodities, purchases into lots at cost, member and non-member
sales with HPP by beancount's own FIFO booking, stock, stock opname, payables and receivables."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.inventory import Inventory

from kkmp_cli import chart, money, text
from kkmp_cli.accounts import cash as cash_accounts
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import CURRENCY, Book
from kkmp_cli.errors import JumlahTidakValid, KkmpError, TeksTidakValid
from kkmp_cli.members import register as members

ITEM_RE = re.compile(r"^[A-Z][A-Z0-9._-]{0,22}[A-Z0-9]$")


class BarangTidakDikenal(KkmpError):
    """An unknown item code."""


class StokTidakCukup(KkmpError):
    """A sale or count larger than the stock on hand."""


class StokSudahDihitung(KkmpError):
    """A stock movement dated before the item's last stock opname."""


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
    via: str = "kas"
    keterangan: str | None = None
    extra_meta: tuple[tuple[str, str], ...] = ()


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
    return {u: chart.unit_accounts(u, i) for i, u in enumerate(book.config.gerai.unit, start=1)}


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


def supplier_account(name: str) -> str:
    return f"{chart.UTANG_USAHA}:{chart.component(name)}"


def purchase(
    book: Book,
    code: str,
    qty: Decimal,
    price: Decimal,
    date: dt.date,
    *,
    pemasok: str,
    kredit: bool = False,
    via: str = "kas",
) -> list[data.Directive]:
    """Plan a purchase: a new lot at cost in the unit's inventory, paid or owed to the supplier."""
    it = item(book, code)
    check_quantity(qty)
    check_quantity(price, "Harga beli")
    require_after_count(book, it.kode, date)
    pemasok = text.clean(pemasok, field="pemasok", max_len=80)
    accounts = unit_of(book, it.unit)
    total = qty * price
    entries: list[data.Directive] = list(unit_opens(book, accounts, date))
    if kredit:
        credit = supplier_account(pemasok)
        if credit not in book.opens():
            entries.append(_open(credit, coop.books_start(book), {"pemasok": pemasok}, [CURRENCY]))
        doc = book.next_id("BM", date.year)
    else:
        cash = cash_accounts.via(book, via)
        credit = cash.akun
        doc = book.next_id(cash.doc_out, date.year)
    lot = ledger.add_lot(accounts.persediaan, qty, it.kode, price)
    meta = {"id": doc, "jenis": "gerai-beli", "unit": accounts.unit, "pemasok": pemasok}
    narration = f"Pembelian {it.nama} {fmt_qty(qty)} {it.satuan} @{money.fmt(price)}" + (
        " (kredit)" if kredit else ""
    )
    entries.append(
        ledger.transaction(
            date, narration, [lot, ledger.posting(credit, -total)], payee=pemasok, meta=meta
        )
    )
    return entries


def fmt_qty(q: Decimal) -> str:
    """A quantity the Indonesian way: 2,5 (no trailing zeros)."""
    return format(q.normalize(), "f").replace(".", ",")


COUNT_TYPE = "opname"  # custom directive: a stock count that matched the books


@dataclass(frozen=True)
class Count:
    tanggal: dt.date
    bukti: str | None  # the variance transaction's id; None when the count matched


def last_counts(book: Book) -> dict[str, Count]:
    """The latest stock opname of each item code, whether it found a difference or not."""

    def build() -> dict[str, Count]:
        found: list[tuple[dt.date, str, Count]] = []
        for entry in book.transactions():
            if entry.meta.get("jenis") == "gerai-opname":
                for p in entry.postings:
                    if p.cost is not None and p.units is not None:
                        found.append(
                            (entry.date, p.units.currency, Count(entry.date, entry.meta.get("id")))
                        )
        for custom in book.customs(COUNT_TYPE):
            found.append((custom.date, str(custom.values[0].value), Count(custom.date, None)))
        return {code: count for _, code, count in sorted(found, key=lambda f: f[0])}

    return book.memo("last_counts", build)  # type: ignore[no-any-return]


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


def _cost_of(booked: data.Directive, account: str) -> Decimal:
    """What the booked reductions on `account` cost (FIFO lots as beancount chose them)."""
    assert isinstance(booked, data.Transaction)
    total = Decimal(0)
    for p in booked.postings:
        if p.account == account and isinstance(p.cost, data.Cost) and p.units is not None:
            total += -ledger.number(p) * p.cost.number
    return total


def sales(book: Book, requests: list[SaleRequest]) -> list[data.Transaction]:
    """Plan one or many notas. HPP comes from booking all reductions in one pass with
    beancount's FIFO booking on top of the ledger, so a batch sees its own earlier sales."""
    planned = []
    want: dict[tuple[str, str], list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for req in requests:
        planned.append(_plan_sale(book, req, want))
    for (account, code), wanted in want.items():
        _require_stock(book, account, code, wanted)
    # A nota of one unit keeps its HPP posting elided: beancount's FIFO booking computes it
    # whenever the ledger is loaded. A nota across units needs one HPP figure per unit, so
    # those are booked here (all notas in one pass, so the batch sees its own earlier sales).
    booked_by_id: dict[str, data.Directive] = {}
    if any(len(hpp) > 1 for _, hpp in planned):
        previews: list[data.Directive] = [p[0] for p in planned]
        booked, errors = ledger.book_entries(book, previews)
        if errors:
            raise StokTidakCukup(
                "Penjualan tidak dapat dibukukan: " + "; ".join(str(e.message) for e in errors[:3])
            )
        booked_by_id = {e.meta["id"]: e for e in booked if isinstance(e, data.Transaction)}
    result = []
    for preview, hpp_accounts in planned:
        if len(hpp_accounts) == 1:
            result.append(preview._replace(postings=_ordered(list(preview.postings))))
            continue
        b = booked_by_id[preview.meta["id"]]
        postings = [p for p in preview.postings if isinstance(p.units, data.Amount)]
        for persediaan, hpp_account in hpp_accounts.items():
            postings.append(ledger.posting(hpp_account, _cost_of(b, persediaan)))
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


def _plan_sale(
    book: Book, req: SaleRequest, want: dict[tuple[str, str], list[tuple[dt.date, Decimal]]]
) -> tuple[data.Transaction, dict[str, str]]:
    if not req.lines:
        raise JumlahTidakValid("Nota penjualan tanpa barang.")
    member = members.require_active(book, req.nak, req.tanggal) if req.nak else None
    if req.kredit and member is None:
        raise TeksTidakValid("Penjualan kredit hanya untuk anggota (--anggota NAK).")
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    reductions = []
    hpp_accounts: dict[str, str] = {}
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
        revenue[rev] += line.jumlah * price
        reductions.append(ledger.reduce_lots(accounts.persediaan, line.jumlah, it.kode))
        hpp_accounts[accounts.persediaan] = (
            accounts.hpp_anggota if member else accounts.hpp_non_anggota
        )
        want[(accounts.persediaan, it.kode)].append((req.tanggal, line.jumlah))
        words.append(f"{it.nama} {fmt_qty(line.jumlah)} {it.satuan}".strip())
    total = sum(revenue.values(), Decimal(0))
    if req.kredit:
        assert member is not None
        debit = chart.member_account(chart.PIUTANG_DAGANG, member.nak)
        doc = book.next_id("BM", req.tanggal.year)
    else:
        cash = cash_accounts.via(book, req.via)
        debit = cash.akun
        doc = book.next_id(cash.doc_in, req.tanggal.year)
    meta: dict[str, Any] = {"id": doc, "jenis": "gerai-jual"}
    if member:
        meta["anggota"] = member.nak
    meta.update(dict(req.extra_meta))
    postings = [ledger.posting(debit, total)]
    postings += [ledger.posting(acc, -amount) for acc, amount in revenue.items()]
    postings += reductions
    # One elided IDR posting lets beancount interpolate the cost of the lots it books.
    postings.append(ledger.elided(next(iter(hpp_accounts.values()))))
    # The nota number is in the narration: two customers may well buy the same thing on the
    # same day, and beancount's noduplicates compares transactions without their metadata.
    narration = f"Penjualan nota {doc}: " + ", ".join(words)
    if req.kredit:
        narration += " (kredit)"
    if req.keterangan:
        narration += " - " + text.clean(req.keterangan, field="keterangan")
    payee = member.nama if member else "Non-anggota"
    txn = ledger.transaction(req.tanggal, narration, postings, payee=payee, meta=meta)
    return txn, hpp_accounts


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
    inventories: dict[str, Inventory] = defaultdict(Inventory)
    unit_accounts = {u.persediaan for u in units(book).values()}
    for entry in book.transactions(end=per):
        for p in entry.postings:
            if p.account in unit_accounts and p.cost is not None and p.units is not None:
                inventories[p.units.currency].add_position(p)
    rows = []
    for code, it in sorted(items(book).items()):
        inv = inventories.get(code, Inventory())
        qty = sum((p.units.number for p in inv), Decimal(0))
        value = sum((p.units.number * p.cost.number for p in inv if p.cost), Decimal(0))
        rows.append(StockRow(it, qty, value))
    return rows


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
    if diff < 0:
        preview = ledger.transaction(
            date,
            narration,
            [
                ledger.reduce_lots(accounts.persediaan, -diff, it.kode),
                ledger.elided(accounts.selisih),
            ],
            meta=meta,
        )
        booked, errors = ledger.book_entries(book, [preview])
        if errors:
            raise StokTidakCukup("; ".join(str(e.message) for e in errors[:3]))
        cost = _cost_of(booked[0], accounts.persediaan)
        postings = [ledger.posting(accounts.selisih, cost), preview.postings[0]]
    else:
        lots = [
            p for p in book.inventory(accounts.persediaan) if p.units.currency == it.kode and p.cost
        ]
        if not lots:
            raise KkmpError(f"Belum ada harga pokok {it.kode}; catat sebagai pembelian.")
        last = max(lots, key=lambda p: (p.cost.date, p.cost.number))
        price = last.cost.number
        lot = ledger.add_lot(accounts.persediaan, diff, it.kode, price)
        postings = [lot, ledger.posting(accounts.selisih, -diff * price)]
    return [ledger.transaction(date, narration, postings, meta=meta)]


def pay_supplier(
    book: Book, pemasok: str, amount: Decimal, date: dt.date, *, via: str = "kas"
) -> list[data.Directive]:
    account = supplier_account(pemasok)
    owed = -book.balance(account)
    if account not in book.opens() or owed <= 0:
        raise KkmpError(f"Tidak ada utang kepada pemasok '{pemasok}'.")
    if amount > owed:
        raise JumlahTidakValid(f"Pembayaran {money.fmt(amount)} melebihi utang {money.fmt(owed)}.")
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
