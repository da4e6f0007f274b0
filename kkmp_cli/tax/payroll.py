"""Wages and honoraria (`gaji bayar`, `gaji daftar`): the gross expense per unit, PPh Pasal 21
withheld (PP 58/2023, PMK 168/2023), the BPJS shares of koperasi.yaml, and the net paid.

Permanent staff (pegawai tetap), January–November: the month's gross income (the wage plus the
JKK, JKM and BPJS Kesehatan premiums the cooperative bears) times the TER rate of the person's
category (A/B/C by PTKP status); a second payment in the same month is taxed on the month's
total, less what the first withheld. December (the last tax month): the year's tax at the
Pasal 17 rates on (gross of the year − biaya jabatan 5 %, at most Rp500.000 a month paid and
Rp6.000.000 a year − the staff's own JHT and JP − PTKP), the taxable income rounded down to a
thousand, less what January–November withheld (a negative result is paid back to the person).
Non-employees (bukan pegawai): the Pasal 17 rates on 50 % of the gross, cumulated over the year
for one person (a single payment: 50 % × gross at the Pasal 17 rates). Every tax is rounded down
to the rupiah.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data

from kkmp_cli import accounts, chart, money, text
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import JumlahTidakValid, KkmpError
from kkmp_cli.tax import rates
from kkmp_cli.tax.pphfinal import Month
from kkmp_cli.units import registry

ZERO = Decimal(0)
HUNDRED = Decimal(100)
PAY = "gaji-bayar"
EMPLOYEE = "tetap"
NON_EMPLOYEE = "bukan-pegawai"
KINDS = (EMPLOYEE, NON_EMPLOYEE)
WAGES = "Beban:Gaji"
JOB_COST_RATE = Decimal(5)  # biaya jabatan, percent of gross (PMK 168/2023)
JOB_COST_MONTH = Decimal(500_000)  # … at most a month
JOB_COST_YEAR = Decimal(6_000_000)  # … and a year
TAXED_PREMIUMS = ("jkk", "jkm", "kesehatan")  # employer premiums that are the staff's income
PENSION = ("jht", "jp")  # the staff's own contributions deducted in December


class GajiDitolak(KkmpError):
    """A wage payment kkmp refuses (status, kind, amount)."""


@dataclass(frozen=True)
class Payment:
    """One recorded wage or honorarium payment, read back from the ledger."""

    tanggal: dt.date
    doc: str
    nama: str
    jabatan: str
    pegawai: str
    status_ptkp: str
    masa: str
    unit: str | None
    bruto: Decimal  # the wage
    premi: Decimal  # employer JKK + JKM + Kesehatan (income for PPh 21, not paid out)
    bpjs_koperasi: Decimal  # all employer shares (expense, payable)
    bpjs_pegawai: Decimal  # withheld from the wage
    iuran_pensiun: Decimal  # the staff's own JHT + JP (deducted in December)
    pph21: Decimal
    neto: Decimal
    metode: str

    @property
    def key(self) -> str:
        return person_key(self.nama)


def person_key(nama: str) -> str:
    return " ".join(nama.split()).casefold()


def _dec(meta: dict[str, Any], key: str) -> Decimal:
    return Decimal(str(meta.get(key, "0")))


def payments(book: Book, year: int | None = None) -> list[Payment]:
    """Every wage payment (of one year's tax months), in date order; one a `koreksi` took back
    is not a payment (its PPh 21 was returned, and the next payment's is figured without it)."""
    found = []
    taken_back = set()
    paid = []
    for e in book.transactions():
        jenis = e.meta.get("jenis")
        if jenis == "koreksi" and e.meta.get("jenis_asal") == PAY:
            taken_back.add(e.meta.get("koreksi"))
        elif jenis == PAY:
            paid.append(e)
    for e in paid:
        m = e.meta
        if m.get("id") in taken_back or (
            year is not None and not str(m["masa"]).startswith(f"{year}-")
        ):
            continue
        found.append(
            Payment(
                tanggal=e.date,
                doc=str(m.get("id", "")),
                nama=str(m["nama"]),
                jabatan=str(m.get("jabatan", "")),
                pegawai=str(m["pegawai"]),
                status_ptkp=str(m.get("status-ptkp", "")),
                masa=str(m["masa"]),
                unit=m.get("unit"),
                bruto=_dec(m, "bruto"),
                premi=_dec(m, "premi"),
                bpjs_koperasi=_dec(m, "bpjs-koperasi"),
                bpjs_pegawai=_dec(m, "bpjs-pegawai"),
                iuran_pensiun=_dec(m, "iuran-pensiun"),
                pph21=_dec(m, "pph21"),
                neto=_dec(m, "neto"),
                metode=str(m.get("metode", "")),
            )
        )
    return found


@dataclass(frozen=True)
class Withholding:
    pph21: Decimal
    metode: str


def _share(gross: Decimal, percents: dict[str, Decimal], programs: tuple[str, ...]) -> Decimal:
    return money.floor(sum((gross * percents.get(p, ZERO) / HUNDRED for p in programs), ZERO))


def _employee_tax(
    earlier: list[Payment], masa: Month, status: str, base: Decimal, pension: Decimal
) -> Withholding:
    """PPh 21 of a permanent staff member's payment whose TER base is `base`."""
    year_before = [p for p in earlier if p.pegawai == EMPLOYEE]
    if masa.month == 12:
        months = {p.masa for p in year_before} | {masa.kode}
        gross = sum((p.bruto + p.premi for p in year_before), ZERO) + base
        job_cost = min(gross * JOB_COST_RATE / HUNDRED, JOB_COST_MONTH * len(months), JOB_COST_YEAR)
        pensions = sum((p.iuran_pensiun for p in year_before), ZERO) + pension
        net = gross - job_cost - pensions
        taxable = max(net - rates.ptkp(status), ZERO) // 1000 * 1000
        annual = money.floor(rates.pasal_17(taxable))
        withheld = sum((p.pph21 for p in year_before), ZERO)
        return Withholding(annual - withheld, f"Pasal 17 setahun (PKP {money.fmt(taxable)})")
    december = [p for p in year_before if p.masa.endswith("-12")]
    if december:
        # December's Pasal 17 reckoned the whole year: a month paid after it would escape it
        # (found by an adversarial review, #16).
        raise GajiDitolak(
            f"PPh 21 tahun {masa.year} sudah dihitung setahun pada gaji Desember "
            f"({december[0].doc}), jadi gaji masa {masa.kode} baru dapat dicatat sesudah gaji "
            "Desember itu dikoreksi, lalu gaji Desember dicatat lagi."
        )
    same_month = [p for p in year_before if p.masa == masa.kode]
    month_base = sum((p.bruto + p.premi for p in same_month), ZERO) + base
    category = rates.CATEGORY[status]
    rate = rates.ter_rate(category, month_base)
    tax = money.floor(month_base * rate / HUNDRED) - sum((p.pph21 for p in same_month), ZERO)
    return Withholding(tax, f"TER {category} {money.fmt_pct(rate)}")


def _non_employee_tax(earlier: list[Payment], gross: Decimal) -> Withholding:
    before = sum((p.bruto for p in earlier if p.pegawai == NON_EMPLOYEE), ZERO) / 2
    tax = money.floor(rates.pasal_17(before + gross / 2)) - money.floor(rates.pasal_17(before))
    return Withholding(tax, "Pasal 17 atas 50% bruto")


def _status(book: Book, history: list[Payment], nama: str, given: str | None) -> str:
    if given:
        return rates.status(given)
    known = [p.status_ptkp for p in history if p.status_ptkp]
    if not known:
        raise GajiDitolak(
            f"Status PTKP {nama} belum pernah dicatat; beri --status-ptkp "
            f"({', '.join(rates.STATUSES)})."
        )
    return known[-1]


def plan_pay(
    book: Book,
    nama: str,
    amount: Decimal,
    masa: Month,
    date: dt.date,
    *,
    jabatan: str | None = None,
    status_ptkp: str | None = None,
    pegawai: str | None = None,
    unit: str | None = None,
    via: str = "kas",
) -> list[data.Directive]:
    """A wage or honorarium paid: gross expense (of the unit), PPh 21 and BPJS payables, net
    paid from `via`."""
    name = text.clean(nama, field="nama", max_len=80)
    if amount <= 0:
        raise JumlahTidakValid("Jumlah gaji atau honor harus lebih dari nol.")
    history = [p for p in payments(book) if p.key == person_key(name)]
    kind = (pegawai or (history[-1].pegawai if history else EMPLOYEE)).strip().lower()
    if kind not in KINDS:
        raise GajiDitolak(f"--pegawai '{pegawai}' tidak dikenal; pilih {' atau '.join(KINDS)}.")
    title = (
        text.clean(jabatan, field="jabatan", max_len=60)
        if jabatan
        else (history[-1].jabatan if history else "")
    )
    year_before = [p for p in history if p.masa.startswith(f"{masa.year}-")]
    rules = book.config.gaji
    meta: dict[str, Any] = {"nama": name}
    if kind == EMPLOYEE:
        status = _status(book, history, name, status_ptkp)
        premium = _share(amount, rules.bpjs_koperasi_persen, TAXED_PREMIUMS)
        employer = _share(amount, rules.bpjs_koperasi_persen, (*TAXED_PREMIUMS, *PENSION))
        withheld_bpjs = _share(amount, rules.bpjs_pegawai_persen, (*PENSION, "kesehatan"))
        pension = _share(amount, rules.bpjs_pegawai_persen, PENSION)
        tax = _employee_tax(year_before, masa, status, amount + premium, pension)
    else:
        status = rates.status(status_ptkp) if status_ptkp else ""
        premium = employer = withheld_bpjs = pension = ZERO
        tax = _non_employee_tax(year_before, amount)
    net = amount - tax.pph21 - withheld_bpjs
    if net <= 0:
        raise GajiDitolak(
            f"Gaji bersih {name} tidak positif ({money.fmt(net)}); periksa jumlah dan iuran BPJS."
        )
    expense, opens = WAGES, list[data.Directive]()
    if unit is not None:
        expense, opens = registry.expense_account(book, WAGES, unit, date)
        meta["unit"] = registry.require(book, unit).kode
    cash = accounts.via(book, via)
    meta = {
        "id": book.next_id(cash.doc_out, date.year),
        "jenis": PAY,
        **meta,
        "jabatan": title,
        "pegawai": kind,
        "status-ptkp": status,
        "masa": masa.kode,
        "bruto": str(amount),
        "premi": str(premium),
        "bpjs-koperasi": str(employer),
        "bpjs-pegawai": str(withheld_bpjs),
        "iuran-pensiun": str(pension),
        "pph21": str(tax.pph21),
        "neto": str(net),
        "metode": tax.metode,
    }
    postings = [ledger.posting(expense, amount + employer)]
    if tax.pph21:
        postings.append(ledger.posting(chart.UTANG_PPH_21, -tax.pph21))
    if employer + withheld_bpjs:
        postings.append(ledger.posting(chart.UTANG_BPJS, -(employer + withheld_bpjs)))
    postings.append(ledger.posting(cash.akun, -net))
    who = f"{name} ({title})" if title else name
    narration = f"{'Gaji' if kind == EMPLOYEE else 'Honor'} {masa.kode} - {who}"
    return [
        *coop.missing_chart_opens(book),
        *opens,
        ledger.transaction(date, narration, postings, meta=meta),
    ]


@dataclass(frozen=True)
class YearRow:
    """One person's year: the data of a bukti potong (1721-A1 for staff, BP21 otherwise)."""

    nama: str
    jabatan: str
    pegawai: str
    status_ptkp: str
    bulan: int
    bruto: Decimal
    premi: Decimal
    bpjs_pegawai: Decimal
    pph21: Decimal
    neto: Decimal


def year_listing(book: Book, year: int) -> list[YearRow]:
    """Per person, the year's gross, premiums, BPJS withheld, PPh 21 withheld and net paid."""
    people: dict[str, list[Payment]] = {}
    for p in payments(book, year):
        people.setdefault(p.key, []).append(p)
    rows = []
    for group in people.values():
        last = group[-1]
        rows.append(
            YearRow(
                nama=last.nama,
                jabatan=last.jabatan,
                pegawai=last.pegawai,
                status_ptkp=last.status_ptkp,
                bulan=len({p.masa for p in group}),
                bruto=sum((p.bruto for p in group), ZERO),
                premi=sum((p.premi for p in group), ZERO),
                bpjs_pegawai=sum((p.bpjs_pegawai for p in group), ZERO),
                pph21=sum((p.pph21 for p in group), ZERO),
                neto=sum((p.neto for p in group), ZERO),
            )
        )
    return sorted(rows, key=lambda r: r.nama.casefold())
