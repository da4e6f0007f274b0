"""Report packs (#14): the monthly pack for the pengurus and pengawas meeting (neraca, PHU per
unit, arus kas, simpanan, loan portfolio with NPL, stock, bank financing, taxes) and the
quarterly report to the kepala desa of Permendesa 10/2025 Pasal 9 (use of the financing,
income and costs per unit, repayment status). Pure: sections of figures, formatted by views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kkmp_cli import accounts as chart_accounts
from kkmp_cli import chart, dates, money
from kkmp_cli.core.ledger import Book
from kkmp_cli.financing import facility
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.members import deposits
from kkmp_cli.reports import statements
from kkmp_cli.reports.periods import Period, PeriodeTidakValid
from kkmp_cli.reports.statements import Statement

ZERO = Decimal(0)
TAX_PREFIX = chart.UTANG_PAJAK


@dataclass(frozen=True)
class Line:
    """One table line: a label and its cells (Decimal rupiah, int counts, str text or None)."""

    label: str
    cells: tuple[Any, ...]
    level: int = 1  # as Row.level: 0 heading, 1 line, 2 subtotal, 3 total


@dataclass(frozen=True)
class Table:
    judul: str
    kolom: tuple[str, ...]
    baris: list[Line]
    catatan: list[str] = field(default_factory=list)


Section = Statement | Table


@dataclass(frozen=True)
class Pack:
    jenis: str  # bulanan, desa
    judul: str
    koperasi: str
    desa: str
    periode: Period
    bagian: list[tuple[str, Section]]  # (heading, section)
    catatan: list[str] = field(default_factory=list)


# --- sections ---


def simpanan_table(book: Book, period: Period) -> Table:
    """Each kind of simpanan: balance at the start and end of the period, and the change."""
    start = deposits.recap(book, period.start - dt.timedelta(days=1))
    end = deposits.recap(book, period.end)
    rows = [
        Line(
            f"Simpanan {kind}",
            (
                start.saldo.get(kind, ZERO),
                end.saldo[kind],
                end.saldo[kind] - start.saldo.get(kind, ZERO),
            ),
        )
        for kind in end.saldo
    ]
    rows.append(Line("Jumlah", (start.total, end.total, end.total - start.total), 3))
    notes = [f"Anggota aktif per {dates.fmt(period.end)}: {end.anggota_aktif} orang."]
    if not end.cocok:
        notes.append("Perhatian: rincian simpanan per anggota tidak sama dengan saldo akun induk.")
    return Table(
        "Rekap simpanan anggota",
        ("Saldo awal", "Saldo akhir", "Perubahan"),
        rows,
        notes,
    )


def loan_table(book: Book, period: Period) -> Table | None:
    """The loan portfolio at the period's end by collectibility, with the NPL ratio."""
    port = pf.portfolio(book, period.end)
    if not port.pinjaman:
        return None
    groups = port.per_golongan()
    rows = [
        Line(pf.CLASS_LABELS.get(k, k), (v["jumlah"], v["sisa_pokok"], v["penyisihan"]))
        for k, v in sorted(groups.items(), key=lambda kv: list(pf.CLASS_LABELS).index(kv[0]))
        if k in pf.CLASS_LABELS
    ]
    rows += [
        Line(k, (v["jumlah"], v["sisa_pokok"], v["penyisihan"]))
        for k, v in groups.items()
        if k not in pf.CLASS_LABELS
    ]
    rows.append(
        Line("Jumlah", (len(port.berjalan), port.total_sisa_pokok, port.total_penyisihan), 3)
    )
    disbursed = sum(
        (s.loan.pokok for s in port.pinjaman if period.start <= s.loan.tanggal <= period.end),
        ZERO,
    )
    booked = pf.allowance_booked(book, period.end)
    return Table(
        "Portofolio pinjaman anggota",
        ("Jumlah pinjaman", "Sisa pokok", "Penyisihan wajib"),
        rows,
        [
            f"NPL (kurang lancar, diragukan, macet) per {dates.fmt(period.end)}: "
            f"{money.fmt_pct(port.npl)} dari sisa pokok.",
            f"Pinjaman dicairkan dalam periode ini: {money.fmt(disbursed)}.",
            f"Penyisihan wajib menurut kolektibilitas {money.fmt(port.total_penyisihan)}; "
            f"yang sudah dibukukan di neraca {money.fmt(booked)} "
            "(disesuaikan dengan kkmp pinjaman cadangkan).",
        ],
    )


def stock_table(book: Book, period: Period) -> Table | None:
    """Stock value (at cost) of each barang unit at the start and end of the period."""
    units = [chart.unit_accounts(u, i) for i, u in enumerate(book.config.gerai.unit, start=1)]
    if not units:
        return None
    before = period.start - dt.timedelta(days=1)
    # Stock is held as lots at cost: valued as the neraca values it, not by IDR postings.
    start, end = statements.balances(book, before), statements.balances(book, period.end)
    rows = []
    for u in units:
        a, b = start.get(u.persediaan, ZERO), end.get(u.persediaan, ZERO)
        unit = book.config.unit(u.unit)
        rows.append(Line(unit.nama if unit is not None else u.unit, (a, b)))
    total_a = sum((r.cells[0] for r in rows), ZERO)
    total_b = sum((r.cells[1] for r in rows), ZERO)
    rows.append(Line("Jumlah persediaan", (total_a, total_b), 3))
    return Table(
        "Persediaan barang per unit (harga perolehan)",
        (dates.fmt(before), dates.fmt(period.end)),
        rows,
    )


def financing_table(book: Book, period: Period) -> Table | None:
    """Each bank facility: drawn, principal and interest paid (in the period and to date),
    instalments due in the period, arrears and what is still owed at the period's end."""
    states = facility.states(book, period.end)
    if not states:
        return None
    before = period.start - dt.timedelta(days=1)
    rows: list[Line] = []
    for s in states:
        f = s.facility
        plan = facility.plan_of(book, f, period.end)
        due_p, due_b = facility.due_through(plan, period.end)
        was_p, was_b = facility.due_through(plan, before)
        paid_p, paid_b = facility.paid(book, f, before)
        drawn_before = sum((a for _, a in facility.draws(book, f, before)), ZERO)
        rows += [
            Line(f"{f.kode} - {f.kreditur}", (None, None), 0),
            Line("Plafon", (f.plafon, f.plafon)),
            Line("Dana dicairkan", (s.dicairkan - drawn_before, s.dicairkan)),
            Line("Angsuran pokok jatuh tempo", (due_p - was_p, due_p)),
            Line("Bunga jatuh tempo", (due_b - was_b, due_b)),
            Line("Pokok dibayar", (s.pokok_dibayar - paid_p, s.pokok_dibayar)),
            Line("Bunga dibayar", (s.bunga_dibayar - paid_b, s.bunga_dibayar)),
            Line("Tunggakan pokok", (None, s.tunggakan_pokok)),
            Line("Tunggakan bunga", (None, s.tunggakan_bunga)),
            Line("Sisa pokok pinjaman", (None, s.sisa_pokok), 3),
        ]
        if s.jatuh_tempo_berikut is not None:
            rows.append(
                Line(
                    f"Angsuran berikut {dates.fmt(s.jatuh_tempo_berikut)}",
                    (None, s.angsuran_berikut),
                )
            )
    talangan = [
        e
        for f in facility.facilities(book).values()
        for e in facility.entries_of(book, f.kode, facility.BAILOUT, period.end)
    ]
    notes = []
    if talangan:
        total = sum(
            (Decimal(e.meta.get("pokok", 0)) + Decimal(e.meta.get("bunga", 0)) for e in talangan),
            ZERO,
        )
        notes.append(
            f"Angsuran yang dibayar dari Dana Desa (talangan) sampai {dates.fmt(period.end)}: "
            f"{money.fmt(total)}, menjadi utang koperasi kepada desa."
        )
    return Table(
        "Pembiayaan bank (PMK 49/2025)",
        ("Periode ini", f"s.d. {dates.fmt(period.end)}"),
        rows,
        notes,
    )


def tax_table(book: Book, period: Period) -> Table | None:
    """The balance of every account under Kewajiban:Utang-Pajak (taxes owed, not yet paid)."""
    accounts = sorted(a for a in book.opens() if a == TAX_PREFIX or a.startswith(TAX_PREFIX + ":"))
    if not accounts:
        return None
    before = period.start - dt.timedelta(days=1)
    rows = [
        Line(
            chart_accounts.info(book, a).label,
            (-book.balance_on(a, before), -book.balance_on(a, period.end)),
        )
        for a in accounts
    ]
    rows.append(
        Line(
            "Jumlah utang pajak",
            (sum((r.cells[0] for r in rows), ZERO), sum((r.cells[1] for r in rows), ZERO)),
            3,
        )
    )
    return Table("Status pajak (utang pajak)", (dates.fmt(before), dates.fmt(period.end)), rows)


def unit_table(book: Book, period: Period) -> Table:
    """Income and costs of each unit in the period, general costs allocated."""
    flows = statements.sums(book, period.start, period.end, skip_closing=True)
    units, _ = statements.unit_results(book, flows)
    rows = [
        Line(u.nama, (u.pendapatan, u.hpp, u.beban_langsung, u.beban_alokasi, u.hasil_bersih))
        for u in units
        if any((u.pendapatan, u.hpp, u.beban_langsung, u.beban_alokasi))
    ]
    totals = tuple(sum((r.cells[i] for r in rows), ZERO) for i in range(5))
    rows.append(Line("Jumlah (= SHU periode ini)", totals, 3))
    return Table(
        "Pendapatan dan biaya per unit usaha",
        ("Pendapatan", "HPP", "Beban unit", "Alokasi beban umum", "Hasil bersih"),
        rows,
        ["Beban umum dialokasikan ke unit menurut aturan alokasi di koperasi.yaml."],
    )


def use_of_funds_table(book: Book, period: Period) -> Table:
    """What the cash of the period (the financing included) was spent on: the gross payments
    of the cash flow by class, with the drawdowns received beside."""
    flows = statements._cash_flows(book, period.start, period.end)
    rows: list[Line] = []
    for cls, title in statements.CATEGORY_TITLES.items():
        paid = [(a, -v[1]) for a, v in flows[cls].items() if v[1]]
        if not paid:
            continue
        rows.append(Line(title.replace("Arus kas dari", "Pengeluaran untuk"), (None,), 0))
        for account, amount in sorted(paid, key=lambda x: -x[1]):
            rows.append(Line(chart_accounts.info(book, account).label, (amount,)))
        rows.append(Line("Jumlah", (sum((v for _, v in paid), ZERO),), 2))
    drawn = sum(
        (
            a
            for f in facility.facilities(book).values()
            for d, a in facility.draws(book, f, period.end)
            if d >= period.start
        ),
        ZERO,
    )
    notes = [f"Dana pembiayaan bank yang diterima dalam periode ini: {money.fmt(drawn)}."]
    return Table("Penggunaan dana", ("Jumlah",), rows, notes)


# --- packs ---


def _check(book: Book, period: Period) -> None:
    statements.resolve(book, None, period, "tidak")
    if period.start > dt.date.today():
        raise PeriodeTidakValid(f"Periode {period.label} belum dimulai.")


def monthly(book: Book, period: Period, banding: str = "tahun-lalu") -> Pack:
    """The month's pack for the pengurus and pengawas meeting."""
    _check(book, period)
    ytd = Period(dt.date(period.start.year, 1, 1), period.end)
    parts: list[tuple[str, Section | None]] = [
        ("Neraca", statements.neraca(book, periode=period, banding=banding)),
        ("PHU bulan ini", statements.phu(book, periode=period, banding=banding)),
        ("PHU sejak awal tahun", statements.phu(book, periode=ytd, banding=banding)),
        ("Arus kas", statements.arus_kas(book, periode=period, banding=banding)),
        ("Simpanan", simpanan_table(book, period)),
        ("Pinjaman", loan_table(book, period)),
        ("Persediaan", stock_table(book, period)),
        ("Pembiayaan", financing_table(book, period)),
        ("Pajak", tax_table(book, period)),
    ]
    return Pack(
        "bulanan",
        f"Laporan Bulanan {period.label}",
        book.config.nama,
        book.config.kelurahan_desa or "",
        period,
        [(k, v) for k, v in parts if v is not None],
        [
            "Untuk rapat pengurus dan pengawas. Angka negatif ditulis dalam kurung; "
            "tanda — berarti tidak ada angka (periode sebelum buku dimulai)."
        ],
    )


def village(book: Book, period: Period) -> Pack:
    """The quarterly report to the kepala desa (Permendesa 10/2025 Pasal 9)."""
    _check(book, period)
    has_financing = bool(facility.facilities(book))
    parts: list[tuple[str, Section | None]] = [
        ("Penggunaan dana", use_of_funds_table(book, period)),
        ("Pendapatan dan biaya per unit", unit_table(book, period)),
        ("Status pengembalian pinjaman", financing_table(book, period)),
        ("Hasil usaha", statements.phu(book, periode=period, banding="tidak")),
        ("Posisi keuangan", statements.neraca(book, periode=period, banding="tidak")),
    ]
    notes = [
        "Disampaikan kepada Kepala Desa setiap 3 (tiga) bulan menurut Permendesa 10/2025 "
        "Pasal 9: penggunaan dana, pendapatan dan biaya per unit usaha, status pengembalian "
        "pinjaman."
    ]
    if not has_financing:
        notes.append("Koperasi belum menerima pembiayaan bank; tidak ada angsuran yang berjalan.")
    return Pack(
        "desa",
        f"Laporan Triwulan kepada Kepala Desa - {period.label}",
        book.config.nama,
        book.config.kelurahan_desa or "",
        period,
        [(k, v) for k, v in parts if v is not None],
        notes,
    )
