"""Opening balances (saldo awal) for a cooperative moving from older books; the opening balance
sheet must balance, or nothing is written."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from beancount.core import data

from kkmp_cli import chart, dates, money
from kkmp_cli.core import config, coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError
from kkmp_cli.loans import operations as loan_ops
from kkmp_cli.members import register as members
from kkmp_cli.members import term_deposits
from kkmp_cli.outlet import trade as outlet

# Block style, rate quoted: in a flow mapping `{jasa: 1,5}` YAML reads the comma as a separator.
EXAMPLE = """\
# Saldo awal koperasi (contoh). Jalankan: kkmp saldo-awal saldo-awal.yaml
# Anggota harus sudah terdaftar (kkmp anggota tambah ... --tanggal sebelum tanggal saldo awal).
# Tanggal saldo awal: sebaiknya sehari sebelum buku dimulai (31-12 tahun sebelum tahun_buku di
# koperasi.yaml), agar arus kas tahun pertama dimulai dari kas ini, bukan menghitungnya sebagai
# penerimaan; boleh juga 1 Januari tahun buku pertama atau sesudahnya.
# Neraca awal harus seimbang: aset (kas, bank, sisa pinjaman, persediaan) = simpanan + utang +
# cadangan + hibah (contoh ini: 14.600.000 = 840.000 + 500.000 + 13.260.000).
tanggal: {tanggal}
kas: 2.500.000
bank: 10.000.000
simpanan:
  - nak: A0001
    pokok: 100.000
    wajib: 240.000
    sukarela: 500.000
# Simpanan berjangka yang masih berjalan (per bilyet), bila unit simpan pinjam sudah punya:
# bunga bulan penuh sejak dibuka sampai tanggal saldo awal ikut dicatat sebagai bunga yang masih
# harus dibayar (kewajiban), jadi tambahkan pokok dan bunga itu di sisi kewajiban neraca awal.
# berjangka:
#   - nak: A0001
#     jumlah: 10.000.000
#     dibuka: 15-08-2024   # tanggal bilyet dibuka di pembukuan lama
#     tenor: 12            # bulan
#     bunga: "6"           # persen setahun
pinjaman:            # sisa pinjaman berjalan: dicatat sebagai pinjaman baru untuk sisa tenornya
  - nak: A0001
    sisa_pokok: 1.500.000
    sisa_tenor: 6    # bulan
    jasa: "1,5"      # persen per bulan; di dalam {...} angka berkoma wajib bertanda petik
    metode: flat     # flat, menurun atau anuitas
persediaan:
  - barang: BERAS-5KG
    jumlah: 10
    harga: 60.000
utang_usaha:
  - pemasok: Toko Grosir Makmur
    jumlah: 500.000
cadangan: 13.260.000
hibah: 0
"""


def example(book: Book | None = None) -> str:
    """The example file, dated the day before the books start (31-12-2024 without books)."""
    start = coop.books_start(book) if book is not None else dt.date(2025, 1, 1)
    return EXAMPLE.replace("{tanggal}", dates.fmt(start - dt.timedelta(days=1)))


KEYS = (
    "tanggal",
    "kas",
    "bank",
    "simpanan",
    "berjangka",
    "pinjaman",
    "persediaan",
    "utang_usaha",
    "cadangan",
    "hibah",
)
SIMPANAN_KEYS = ("nak", *chart.SIMPANAN_ACCOUNTS)
PINJAMAN_KEYS = ("nak", "sisa_pokok", "sisa_tenor", "jasa", "metode")
BERJANGKA_KEYS = ("nak", "jumlah", "dibuka", "tenor", "bunga")
ZERO = Decimal(0)


class NeracaAwalTidakSeimbang(KkmpError):
    """The opening balance sheet does not balance."""


class SaldoAwalSalah(KkmpError):
    """An opening balance that cannot be recorded as written (date, loans)."""


@dataclass(frozen=True)
class RunningDeposit:
    """A member's time deposit the older books hold on the opening day (#22, #12): entered as if
    opened by `simpanan berjangka buka` on `dibuka`, with the interest earned by the opening
    day (`bunga_berjalan`, kkmp's rule: whole months held) as accrued interest."""

    nak: str
    jumlah: Decimal
    dibuka: dt.date
    tenor: int  # months
    bunga: Decimal  # percent a year
    bunga_berjalan: Decimal


def _amount(doc: config.Doc, key: str) -> Decimal:
    return doc.rupiah(key, ZERO, allow_zero=True)


def plan(book: Book, source: Path) -> list[data.Directive]:
    doc = config.read_document(source, KEYS)
    if next(book.transactions(), None) is not None:
        raise KkmpError("Saldo awal hanya dapat dicatat pada buku yang masih kosong.")
    doc.require("tanggal")
    date = doc.parsed("tanggal", dates.parse)
    postings: list[data.Posting] = []
    entries: list[data.Directive] = list(coop.missing_chart_opens(book))
    assets = liabilities_equity = ZERO
    for key, account in (("kas", chart.KAS), ("bank", chart.BANK)):
        amount = _amount(doc, key)
        if amount:
            postings.append(ledger.posting(account, amount))
            assets += amount
    liabilities_equity += _simpanan(book, doc, date, postings)
    for key, account in (("cadangan", chart.CADANGAN), ("hibah", chart.HIBAH)):
        amount = _amount(doc, key)
        if amount:
            postings.append(ledger.posting(account, -amount))
            liabilities_equity += amount
    liabilities_equity += _utang_usaha(book, doc, date, postings, entries)
    assets += _persediaan(book, doc, date, postings, entries)
    loans = _loans(book, doc)
    assets += sum((terms.pokok for _, terms in loans), ZERO)
    held = _time_deposits(book, doc, date)
    liabilities_equity += sum((d.jumlah + d.bunga_berjalan for d in held), ZERO)
    if assets != liabilities_equity:
        raise NeracaAwalTidakSeimbang(
            f"Neraca awal tidak seimbang: aset {money.fmt(assets)}, kewajiban + ekuitas "
            f"{money.fmt(liabilities_equity)}, selisih {money.fmt(assets - liabilities_equity)}. "
            "Lengkapi saldo (mis. cadangan atau SHU belum dibagi) sampai seimbang."
            + _deposits_counted(held, date)
        )
    offset = sum((ledger.weight(p) for p in postings), ZERO)
    if offset:
        postings.append(ledger.posting(chart.SALDO_AWAL, -offset))
    meta = {"id": book.next_id("BM", date.year), "jenis": coop.OPENING}
    entries.append(ledger.transaction(date, "Saldo awal dari pembukuan lama", postings, meta=meta))
    # Every loan gets its own id: the Book does not see the loans planned before it.
    first = loan_ops.next_loan_id(book, date.year)
    for n, (nak, terms) in enumerate(loans):
        # The loan existed before: its counterpart is the opening equity, not cash, and the
        # SOP limits were the old books' business (except the number of running loans).
        entries += loan_ops.disburse(
            book,
            nak,
            terms,
            date,
            biaya_admin=ZERO,
            counterpart=chart.SALDO_AWAL,
            loan_id=_numbered(first, n),
        )
    # A time deposit opened in the older books: no money moves now, its interest so far is theirs.
    carry = partial(term_deposits.open_deposit, book, counterpart=chart.SALDO_AWAL)
    first = term_deposits.next_id(book, date.year)
    for n, d in enumerate(held):
        sid = _numbered(first, n)
        entries += carry(
            d.nak, d.jumlah, date, tenor=d.tenor, rate=d.bunga, since=d.dibuka, deposit_id=sid
        )
    entries = _unique_opens(entries)
    start = coop.books_start(book)
    if date == start - dt.timedelta(days=1):
        # Dated the day before the books start (#22): the first year's statements then open
        # on these balances instead of counting them as the year's receipts.
        return [
            e._replace(date=date) if isinstance(e, data.Open) and e.date > date else e
            for e in entries
        ]
    _check_open_dates(book, entries, date)
    return entries


def early_opens(book: Book, entries: list[data.Directive]) -> list[data.Open]:
    """The ledger's open directives to move to the day of opening balances dated before the
    books start: every account they post to must exist on that day."""
    opens = book.opens()
    found: dict[str, data.Open] = {}
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for p in entry.postings:
            old = opens.get(p.account)
            if old is not None and old.date > entry.date and p.account not in found:
                found[p.account] = old._replace(date=entry.date)
    return list(found.values())


def _simpanan(book: Book, doc: config.Doc, date: dt.date, postings: list[data.Posting]) -> Decimal:
    """Append the members' deposit balances to postings; return their total."""
    total = ZERO
    for row in doc.entries("simpanan", SIMPANAN_KEYS):
        row.require("nak")
        member = row.parsed("nak", lambda nak: members.get(book, nak))
        if member.masuk > date:
            raise KkmpError(
                f"{member.nak} baru masuk {member.masuk:%d-%m-%Y}, sesudah tanggal saldo awal."
            )
        for kind, parent in chart.SIMPANAN_ACCOUNTS.items():
            amount = _amount(row, kind)
            if amount:
                postings.append(ledger.posting(chart.member_account(parent, member.nak), -amount))
                total += amount
    return total


def _utang_usaha(
    book: Book,
    doc: config.Doc,
    date: dt.date,
    postings: list[data.Posting],
    entries: list[data.Directive],
) -> Decimal:
    """Append the suppliers' payables (and their accounts' opens); return their total."""
    total = ZERO
    for row in doc.entries("utang_usaha", ("pemasok", "jumlah")):
        row.require("pemasok", "jumlah")
        name = row.text("pemasok")
        amount = _amount(row, "jumlah")
        account = outlet.supplier_account(name)
        if account not in book.opens():
            entries.append(
                data.Open(
                    data.new_metadata("<kkmp>", 0, {"pemasok": name}),
                    date,
                    account,
                    [ledger.CURRENCY],
                    None,
                )
            )
        postings.append(ledger.posting(account, -amount))
        total += amount
    return total


def _persediaan(
    book: Book,
    doc: config.Doc,
    date: dt.date,
    postings: list[data.Posting],
    entries: list[data.Directive],
) -> Decimal:
    """Append the stock lots (and their units' opens); return their value."""
    total = ZERO
    for row in doc.entries("persediaan", ("barang", "jumlah", "harga")):
        row.require("barang", "jumlah", "harga")
        it = row.parsed("barang", lambda code: outlet.item(book, code))
        qty = row.parsed("jumlah", outlet.parse_quantity)
        price = _amount(row, "harga")
        accounts = outlet.unit_of(book, it.unit)
        entries.extend(outlet.unit_opens(book, accounts, date))
        postings.append(ledger.add_lot(accounts.persediaan, qty, it.kode, price))
        total += qty * price
    return total


def _loans(book: Book, doc: config.Doc) -> list[tuple[str, loan_ops.Terms]]:
    loans = []
    for row in doc.entries("pinjaman", PINJAMAN_KEYS):
        row.require("nak", "sisa_pokok", "sisa_tenor", "jasa")
        nak = row.parsed("nak", lambda text: members.get(book, text).nak)
        pokok = _amount(row, "sisa_pokok")
        tenor = row.integer("sisa_tenor", None, low=1, high=600)
        rate = row.parsed("jasa", loan_ops.parse_rate)
        check = partial(loan_ops.check_terms, pokok, tenor, rate)
        terms = row.parsed("metode", check, row.text("metode", "flat"))
        loans.append((nak, terms))
    limit = book.config.pinjaman.pinjaman_aktif_maks
    for nak, count in Counter(nak for nak, _ in loans).items():
        if count > limit:
            raise SaldoAwalSalah(
                f"{doc.file}: anggota {nak} tercatat dengan {count} pinjaman berjalan, padahal "
                f"batasnya {limit} pinjaman per anggota (pinjaman_aktif_maks di koperasi.yaml); "
                "gabungkan sisa pinjamannya menjadi satu baris."
            )
    return loans


def _time_deposits(book: Book, doc: config.Doc, date: dt.date) -> list[RunningDeposit]:
    held = []
    for row in doc.entries("berjangka", BERJANGKA_KEYS):
        row.require(*BERJANGKA_KEYS)
        nak = row.parsed("nak", lambda text: members.require_active(book, text, date).nak)
        amount = _amount(row, "jumlah")
        if not amount:
            raise row.fail("jumlah", "harus rupiah lebih dari nol")
        opened = row.date("dibuka")
        assert opened is not None  # required above
        if opened > date:
            raise row.fail(
                "dibuka",
                f"harus paling lambat tanggal saldo awal {dates.fmt(date)}, bukan "
                f"{dates.fmt(opened)}; simpanan berjangka yang dibuka sesudahnya dicatat dengan "
                "'kkmp simpanan berjangka buka'",
            )
        tenor = row.integer("tenor", None, low=1, high=term_deposits.TENOR_MAX)
        rate = row.parsed(
            "bunga", lambda text: term_deposits.check_rate(book, term_deposits.parse_rate(text))
        )
        earned = term_deposits.earned(amount, rate, tenor, opened, date)
        held.append(RunningDeposit(nak, amount, opened, tenor, rate, earned))
    return held


def _deposits_counted(held: list[RunningDeposit], date: dt.date) -> str:
    """What the liabilities count for the time deposits: the interest the treasurer may not
    have thought of."""
    if not held:
        return ""
    principal = sum((d.jumlah for d in held), ZERO)
    interest = sum((d.bunga_berjalan for d in held), ZERO)
    return (
        f" Kewajiban itu termasuk simpanan berjangka {money.fmt(principal)} dan bunganya yang "
        f"sudah berjalan sampai {dates.fmt(date)} {money.fmt(interest)} (bulan penuh sejak "
        "dibuka, dibulatkan ke bawah)."
    )


def _numbered(first: str, n: int) -> str:
    """The id `n` after `first` (PJ-2025-0001, SB-2024-0001): a batch numbers its own, as the
    Book does not see the ids planned before it."""
    prefix, _, seq = first.rpartition("-")
    return f"{prefix}-{int(seq) + n:0{len(seq)}d}"


def _unique_opens(entries: list[data.Directive]) -> list[data.Directive]:
    """Each account opened once, however many rows needed it."""
    seen: set[str] = set()
    result = []
    for entry in entries:
        if isinstance(entry, data.Open):
            if entry.account in seen:
                continue
            seen.add(entry.account)
        result.append(entry)
    return result


def _check_open_dates(book: Book, entries: list[data.Directive], date: dt.date) -> None:
    """Refuse, in Indonesian, a date on which an account used does not exist yet (beancount
    would say 'Invalid reference to inactive account')."""
    opened = {a: o.date for a, o in book.opens().items()}
    opened.update({e.account: e.date for e in entries if isinstance(e, data.Open)})
    late = sorted(
        (opened[p.account], p.account)
        for e in entries
        if isinstance(e, data.Transaction)
        for p in e.postings
        if p.account in opened and opened[p.account] > e.date
    )
    if late:
        when, account = late[-1]
        start = coop.books_start(book)
        raise SaldoAwalSalah(
            f"Tanggal saldo awal {dates.fmt(date)} lebih awal dari dibukanya akun {account} "
            f"({dates.fmt(when)}); buku kkmp dimulai {dates.fmt(start)} (tahun_buku di "
            f"koperasi.yaml). Pakai {dates.fmt(start - dt.timedelta(days=1))} (sehari sebelum "
            f"buku dimulai) atau tanggal {dates.fmt(when)} dan sesudahnya."
        )
