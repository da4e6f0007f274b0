"""Many cooperatives side by side (`kkmp gabung`): each one's headline figures for a year,
computed by the statements themselves, and their total (a kecamatan or kabupaten view)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kkmp_cli import chart, dates, money
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError
from kkmp_cli.loans import portfolio
from kkmp_cli.members import register as members
from kkmp_cli.reports import statements

ZERO = Decimal(0)

# key, label, unit (rp, orang, persen); the order of the rows
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("anggota_aktif", "Anggota aktif per 31 Desember", "orang"),
    ("total_aset", "Jumlah aset", "rp"),
    ("total_kewajiban", "Jumlah kewajiban", "rp"),
    ("total_ekuitas", "Jumlah ekuitas", "rp"),
    ("kas_dan_bank", "Kas dan bank per 31 Desember", "rp"),
    *((f"simpanan_{k}", chart.SIMPANAN_LABELS[k].capitalize(), "rp") for k in chart.SIMPANAN),
    ("pinjaman_beredar", "Pinjaman anggota beredar (sisa pokok)", "rp"),
    ("pinjaman_bermasalah", "Pinjaman bermasalah (kurang lancar, diragukan, macet)", "rp"),
    ("npl_persen", "NPL (persen pinjaman beredar)", "persen"),
    ("total_pendapatan", "Jumlah pendapatan", "rp"),
    ("total_beban", "Jumlah beban (termasuk HPP)", "rp"),
    ("shu", "Sisa hasil usaha (SHU) tahun ini", "rp"),
)


class TahunSebelumBuku(KkmpError):
    """A year before a cooperative's books start."""


@dataclass(frozen=True)
class Headline:
    """One cooperative's figures for the year."""

    koperasi: str
    folder: str
    angka: dict[str, Decimal]


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    satuan: str
    nilai: tuple[Decimal, ...]  # one per cooperative
    jumlah: Decimal


@dataclass(frozen=True)
class Combined:
    tahun: int
    koperasi: tuple[str, ...]
    folder: tuple[str, ...]
    baris: list[Line]


def headline(book: Book, year: int, folder: str) -> Headline:
    """The year's headline figures of one cooperative, from `statements.neraca` and
    `statements.phu` (the same numbers `kkmp laporan` prints) and the sub-ledgers."""
    dates.check_year(year)
    if year < book.config.tahun_buku:
        raise TahunSebelumBuku(
            f"Buku {book.config.nama} ({folder}) baru dimulai tahun {book.config.tahun_buku}, "
            f"jadi tidak ada angka untuk tahun {year}."
        )
    end = dt.date(year, 12, 31)
    neraca = statements.neraca(book, year).total
    phu = statements.phu(book, year).total
    balances = statements.sums(book, None, end)
    simpanan = {
        kind: -sum(
            (v for a, v in balances.items() if a == parent or a.startswith(parent + ":")), ZERO
        )
        for kind, parent in chart.SIMPANAN.items()
    }
    loans = portfolio.portfolio(book, end)
    bad = sum(
        (s.sisa_pokok for s in loans.berjalan if s.kolektibilitas in portfolio.NON_PERFORMING),
        ZERO,
    )
    figures = {
        "anggota_aktif": Decimal(
            sum(1 for m in members.register(book).values() if m.active_on(end))
        ),
        "total_aset": neraca["total_aset"],
        "total_kewajiban": neraca["total_kewajiban"],
        "total_ekuitas": neraca["total_ekuitas"],
        "kas_dan_bank": sum((c.saldo for c in statements.cash_balances(book, end)), ZERO),
        **{f"simpanan_{k}": v for k, v in simpanan.items()},
        "pinjaman_beredar": loans.total_sisa_pokok,
        "pinjaman_bermasalah": bad,
        "npl_persen": loans.npl,
        "total_pendapatan": phu["total_pendapatan"],
        "total_beban": phu["total_beban"],
        "shu": phu["shu"],
    }
    return Headline(book.config.nama, folder, figures)


def combine(heads: list[Headline], year: int) -> Combined:
    """The figures side by side; the total sums every figure except NPL, which is the
    bad loans of all over the outstanding loans of all (not an average of percentages)."""
    lines = []
    for key, label, unit in FIGURES:
        values = tuple(h.angka[key] for h in heads)
        total = sum(values, ZERO)
        if key == "npl_persen":
            total = portfolio.npl_ratio(
                sum((h.angka["pinjaman_bermasalah"] for h in heads), ZERO),
                sum((h.angka["pinjaman_beredar"] for h in heads), ZERO),
            )
        lines.append(Line(key, label, unit, values, total))
    names = [h.koperasi for h in heads]
    # Two cooperatives of the same name (two copies, or two villages' "KDMP Sukamaju")
    # are told apart by their folders.
    shown = tuple(
        f"{h.koperasi} ({h.folder})" if names.count(h.koperasi) > 1 else h.koperasi for h in heads
    )
    return Combined(year, shown, tuple(h.folder for h in heads), lines)


def cell(line: Line, value: Decimal) -> str:
    """A figure as a treasurer reads it: Rupiah, a head count or a percentage."""
    if line.satuan == "orang":
        return f"{int(value):,}".replace(",", ".")
    if line.satuan == "persen":
        return money.fmt_pct(value)
    return money.fmt_report(value)


def table(c: Combined) -> tuple[list[str], list[list[str]]]:
    """Header and formatted rows, for the terminal and the HTML page."""
    header = ["Uraian", *c.koperasi, "Jumlah"]
    rows = [[ln.label, *(cell(ln, v) for v in ln.nilai), cell(ln, ln.jumlah)] for ln in c.baris]
    return header, rows


def raw_rows(c: Combined) -> tuple[list[str], list[list[object]]]:
    """Header and rows with numbers as numbers (whole rupiah, percentages as decimals), for
    CSV and XLSX."""
    header = ["kode", "uraian", *c.koperasi, "jumlah"]
    rows: list[list[object]] = [[ln.key, ln.label, *ln.nilai, ln.jumlah] for ln in c.baris]
    return header, rows
