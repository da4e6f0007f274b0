"""The year-end checklist (`tutup-buku TAHUN --periksa`): what must be booked before a year can
be closed, so the SHU is not overstated by a forgotten depreciation, allowance or interest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kkmp_cli import chart, dates, money
from kkmp_cli.accounts import cash
from kkmp_cli.assets import register as fixed_assets
from kkmp_cli.core.ledger import Book
from kkmp_cli.financing import facility as financing
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.members import interest, term_deposits
from kkmp_cli.outlet import trade as outlet
from kkmp_cli.tax import pphfinal

ZERO = Decimal(0)
OPEN = "terbuka"
DONE = "beres"
NOT_APPLICABLE = "tidak berlaku"
ITEMS = (
    "penyusutan",
    "penyisihan",
    "bunga",
    "jasa-simpanan",
    "bunga-berjangka",
    "opname",
    "rekonsiliasi-bank",
    "pajak",
)


@dataclass(frozen=True)
class Item:
    kode: str  # the name `--abaikan` takes
    judul: str
    status: str  # terbuka, beres, tidak berlaku
    rincian: tuple[str, ...] = ()
    perintah: str = ""  # the command that settles it

    @property
    def terbuka(self) -> bool:
        return self.status == OPEN


def _depreciation(book: Book, end: dt.date) -> Item:
    rows = fixed_assets.pending(book, end)
    title = "Penyusutan aset tetap dibukukan sampai Desember"
    if not fixed_assets.assets(book):
        return Item("penyusutan", title, NOT_APPLICABLE, ("belum ada aset tetap",))
    missing: dict[str, Decimal] = {}
    for asset, _, _, amount in rows:
        missing[asset.kode] = missing.get(asset.kode, ZERO) + amount
    details = tuple(f"{kode}: {money.fmt(v)} belum dibukukan" for kode, v in missing.items())
    return Item(
        "penyusutan",
        title,
        OPEN if rows else DONE,
        details,
        f"kkmp aset susut --sampai {end:%Y}-12",
    )


def _allowance(book: Book, end: dt.date) -> Item:
    title = "Penyisihan piutang pinjaman sesuai kolektibilitas portofolio"
    if not pf.loans(book):
        return Item("penyisihan", title, NOT_APPLICABLE, ("belum ada pinjaman anggota",))
    required = pf.portfolio(book, end).total_penyisihan
    booked = -book.balance_on(chart.PENYISIHAN_PINJAMAN, end)
    if required == booked:
        return Item("penyisihan", title, DONE)
    return Item(
        "penyisihan",
        title,
        OPEN,
        (f"dibukukan {money.fmt(booked)}, seharusnya {money.fmt(required)}",),
        f"kkmp pinjaman cadangkan --per 31-12-{end.year}",
    )


def _interest(book: Book, end: dt.date) -> Item:
    title = "Bunga pembiayaan bank diakrualkan sampai 31 Desember"
    facilities = [f for f in financing.facilities(book).values() if f.tanggal <= end]
    if not facilities:
        return Item("bunga", title, NOT_APPLICABLE, ("belum ada pembiayaan bank",))
    details = tuple(
        f"{f.kode}: bunga {money.fmt(amount)} belum dibayar atau diakrualkan"
        for f in facilities
        if (amount := financing.unaccrued(book, f, end)) > 0
    )
    return Item(
        "bunga",
        title,
        OPEN if details else DONE,
        details,
        f"kkmp pembiayaan akrual --bulan {end:%Y}-12",
    )


def _savings_jasa(book: Book, year: int) -> Item:
    """Every month's jasa on sukarela credited: a month of a closed year cannot be, and its
    cost would be missing from the year's SHU (adversarial review, #12)."""
    title = "Jasa simpanan sukarela dikreditkan untuk setiap bulan"
    rules = book.config.simpanan
    if all(rules.jasa_on(year, month) <= 0 for month in range(1, 13)):
        why = f"koperasi.yaml tidak memberi jasa simpanan sukarela pada {year}"
        return Item("jasa-simpanan", title, NOT_APPLICABLE, (why,))
    months = interest.uncredited(book, year)
    details = tuple(
        f"{label}: {len(owed)} anggota, jasa "
        f"{money.fmt(sum((c.jasa for c in owed), ZERO))} belum dikreditkan"
        for label, owed in months
    )
    which = months[0][0] if len(months) == 1 else "YYYY-MM"
    return Item(
        "jasa-simpanan",
        title,
        OPEN if months else DONE,
        details,
        f"kkmp simpanan jasa --bulan {which}",
    )


def _deposit_interest(book: Book, end: dt.date) -> Item:
    """The interest each time deposit running at the year end has earned by then, accrued
    as the year's cost (SAK EP), as financing interest is (adversarial review, #12)."""
    title = "Bunga simpanan berjangka diakrualkan per 31 Desember"
    running = [d for d in term_deposits.deposits_of(book).values() if d.running_on(end)]
    if not running:
        why = "tidak ada simpanan berjangka yang berjalan pada 31 Desember"
        return Item("bunga-berjangka", title, NOT_APPLICABLE, (why,))
    details = tuple(
        f"{d.id}: bunga {money.fmt(amount)} belum diakrualkan"
        for d, amount in term_deposits.unaccrued(book, end.year)
    )
    return Item(
        "bunga-berjangka",
        title,
        OPEN if details else DONE,
        details,
        f"kkmp simpanan berjangka akrual --tahun {end.year}",
    )


def _stock_counts(book: Book, end: dt.date) -> Item:
    title = "Stock opname Desember untuk setiap barang yang masih ada"
    on_hand = [r for r in outlet.stock(book, end) if r.jumlah]
    if not on_hand:
        return Item("opname", title, NOT_APPLICABLE, ("tidak ada persediaan pada 31 Desember",))
    december = dt.date(end.year, 12, 1)
    counted = {
        p.units.currency
        for e in book.transactions(december, end)
        if e.meta.get("jenis") == "gerai-opname"
        for p in e.postings
        if p.cost is not None and p.units is not None
    }
    counted |= {
        str(c.values[0].value)
        for c in book.customs(outlet.COUNT_TYPE)
        if december <= c.date <= end and c.values
    }
    missing = tuple(
        f"{r.item.kode} ({r.item.nama}) belum diopname"
        for r in on_hand
        if r.item.kode not in counted
    )
    return Item(
        "opname",
        title,
        OPEN if missing else DONE,
        missing,
        "kkmp gerai opname KODE JUMLAH --tanggal",
    )


def _bank_reconciliation(book: Book, end: dt.date) -> Item:
    """Every bank rekening (`kas rekening tambah --jenis bank`) open at 31 December, and the
    main bank account when it held money in the year, has its statement balance asserted for
    that day (`kas rekonsiliasi KODE --per 31-12-…`)."""
    title = "Rekening bank direkonsiliasi per 31 Desember"
    closes = book.closes()
    banks = {
        account: str(o.meta[cash.REKENING_KEY])
        for account, o in book.opens().items()
        if cash.REKENING_KEY in o.meta
        and o.meta.get("jenis") == "bank"
        and o.date <= end
        and not (account in closes and closes[account].date <= end)
    }
    # The main bank account (`--via bank`, no rekening) has a statement too when it was used.
    start = dt.date(end.year, 1, 1)
    before, moves = book.movements_since(chart.BANK, start)
    if before or any(m.date <= end for m in moves):
        banks[chart.BANK] = "bank"
    if not banks:
        return Item("rekonsiliasi-bank", title, NOT_APPLICABLE, ("belum ada rekening bank",))
    day_after = end + dt.timedelta(days=1)
    missing = tuple(
        f"{kode} ({account}) belum direkonsiliasi per {end:%d-%m-%Y}"
        for account, kode in sorted(banks.items())
        if not cash.reconciled(book, account, day_after)
    )
    return Item(
        "rekonsiliasi-bank",
        title,
        OPEN if missing else DONE,
        missing,
        f"kkmp kas rekonsiliasi KODE --saldo JUMLAH --per {end:%d-%m-%Y}",
    )


def _tax(book: Book, year: int) -> Item:
    """PPh final 0,5 % (PP 55/2022) booked for every month of the year, as due on the month's
    turnover now (a back-dated sale after `pajak hitung` leaves a difference)."""
    title = "PPh final 0,5% dihitung untuk setiap bulan"
    rules = book.config.pajak
    if not rules.pph_final:
        return Item("pajak", title, NOT_APPLICABLE, ("pajak.pph_final tidak aktif",))
    if not rules.tahun_pertama <= year <= rules.tahun_terakhir:
        why = f"di luar jangka waktu PPh final ({rules.tahun_pertama}–{rules.tahun_terakhir})"
        return Item("pajak", title, NOT_APPLICABLE, (why,))
    rows = pphfinal.missing_months(book, year)
    details = tuple(
        f"masa {r.masa}: terutang {money.fmt(r.terutang)}, dibukukan {money.fmt(r.sudah_dibukukan)}"
        for r in rows
    )
    return Item(
        "pajak", title, OPEN if rows else DONE, details, "kkmp pajak hitung --bulan YYYY-MM"
    )


def checklist(book: Book, year: int) -> list[Item]:
    """Every item of the year-end checklist of `year` with its status."""
    end = dt.date(dates.check_year(year), 12, 31)
    return [
        _depreciation(book, end),
        _allowance(book, end),
        _interest(book, end),
        _savings_jasa(book, year),
        _deposit_interest(book, end),
        _stock_counts(book, end),
        _bank_reconciliation(book, end),
        _tax(book, year),
    ]


def open_items(book: Book, year: int) -> list[Item]:
    return [i for i in checklist(book, year) if i.terbuka]
