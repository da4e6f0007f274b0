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
for one person (a single payment: 50 % × gross at the Pasal 17 rates).
Daily and piece-rate workers (pegawai tidak tetap / tenaga kerja lepas, PMK 168/2023) not paid
monthly: the payment covers a number of days worked; its average a day picks the daily TER (PP
58/2023 Lampiran: up to Rp450.000 0 %, up to Rp2.500.000 0,5 %) applied to the gross, or above
Rp2.500.000 a day the Pasal 17 rates on 50 % of the gross; no monthly cumulation. Paid monthly:
the monthly TER of their category on the month's gross, every month (no December true-up, which
is for permanent staff). No BPJS shares for them. Every tax is rounded down to the rupiah.
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
CASUAL = "tidak-tetap"  # pegawai tidak tetap / tenaga kerja lepas
KINDS = (EMPLOYEE, CASUAL, NON_EMPLOYEE)
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
    hari: int = 0  # days worked a daily or piece-rate wage covers (0: not a daily wage)

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
                hari=int(m.get("hari", 0)),
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
    return _monthly_ter([p for p in year_before if p.masa == masa.kode], status, base)


def _monthly_ter(same_month: list[Payment], status: str, base: Decimal) -> Withholding:
    """The monthly TER on the month's gross (the earlier payments of the month and `base`), less
    what those payments withheld."""
    month_base = sum((p.bruto + p.premi for p in same_month), ZERO) + base
    category = rates.CATEGORY[status]
    rate = rates.ter_rate(category, month_base)
    tax = money.floor(month_base * rate / HUNDRED) - sum((p.pph21 for p in same_month), ZERO)
    return Withholding(tax, f"TER {category} {money.fmt_pct(rate)}")


def _casual_tax(
    earlier: list[Payment], masa: Month, status: str | None, gross: Decimal, days: int | None
) -> Withholding:
    """PPh 21 of a daily or piece-rate worker (PMK 168/2023): the daily TER of the average day
    when the wage covers `days` days, else (paid monthly) the monthly TER of the month."""
    if days is None:
        assert status is not None
        monthly = [p for p in earlier if p.pegawai == CASUAL and not p.hari and p.masa == masa.kode]
        return _monthly_ter(monthly, status, gross)
    average = gross / days
    rate = rates.ter_daily_rate(average)
    whole = money.floor(average)
    # A fraction of a rupiah is shown: Rp450.000,10 a day is above the 0 % layer, Rp450.000 not.
    shown = money.fmt(whole) + ("" if average == whole else f",{int((average - whole) * 100):02d}")
    if rate is None:
        return Withholding(
            money.floor(rates.pasal_17(gross / 2)),
            f"Pasal 17 atas 50% bruto, rata-rata sehari {shown}",
        )
    return Withholding(
        money.floor(gross * rate / HUNDRED),
        f"TER harian {money.fmt_pct(rate)}, rata-rata sehari {shown}",
    )


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


def _kind(
    name: str, history: list[Payment], pegawai: str | None, days: int | None, masa: Month
) -> str:
    """The kind of payment: `--harian` makes it a daily or piece-rate worker's wage; else the
    given or remembered kind (a daily worker's next wage must say which way it is paid)."""
    given = (pegawai or "").strip().lower() or None
    if days is not None:
        if given not in (None, CASUAL):
            raise GajiDitolak(
                f"--harian hanya untuk pegawai tidak tetap (--pegawai {CASUAL}), bukan '{pegawai}'."
            )
        if not 1 <= days <= masa.end.day:
            raise GajiDitolak(
                f"--harian {days}: jumlah hari kerja harus 1 sampai {masa.end.day} (masa {masa.kode})."
            )
        return CASUAL
    kind = given or (history[-1].pegawai if history else EMPLOYEE)
    if kind not in KINDS:
        raise GajiDitolak(f"--pegawai '{pegawai}' tidak dikenal; pilih {', '.join(KINDS)}.")
    if kind == CASUAL and given is None:
        raise GajiDitolak(
            f"{name} pegawai tidak tetap: beri --harian HARI (jumlah hari kerja yang dibayar "
            f"ini), atau --pegawai {CASUAL} bila upahnya dibayar bulanan."
        )
    return kind


@dataclass(frozen=True)
class _Deductions:
    status: str
    premium: Decimal  # employer JKK + JKM + Kesehatan (income for PPh 21)
    employer: Decimal  # all employer BPJS shares
    withheld_bpjs: Decimal
    pension: Decimal
    tax: Withholding


def _deductions(
    book: Book,
    kind: str,
    history: list[Payment],
    name: str,
    amount: Decimal,
    masa: Month,
    status_ptkp: str | None,
    days: int | None,
) -> _Deductions:
    year_before = [p for p in history if p.masa.startswith(f"{masa.year}-")]
    if kind == EMPLOYEE:
        rules = book.config.gaji
        status = _status(book, history, name, status_ptkp)
        premium = _share(amount, rules.bpjs_koperasi_persen, TAXED_PREMIUMS)
        pension = _share(amount, rules.bpjs_pegawai_persen, PENSION)
        return _Deductions(
            status,
            premium,
            _share(amount, rules.bpjs_koperasi_persen, (*TAXED_PREMIUMS, *PENSION)),
            _share(amount, rules.bpjs_pegawai_persen, (*PENSION, "kesehatan")),
            pension,
            _employee_tax(year_before, masa, status, amount + premium, pension),
        )
    if kind == CASUAL and days is None:  # paid monthly: the monthly TER needs the status
        status = _status(book, history, name, status_ptkp)
        tax = _casual_tax(year_before, masa, status, amount, None)
    else:
        known = [p.status_ptkp for p in history if p.status_ptkp]
        status = rates.status(status_ptkp) if status_ptkp else (known[-1] if known else "")
        tax = (
            _casual_tax(year_before, masa, None, amount, days)
            if kind == CASUAL
            else _non_employee_tax(year_before, amount)
        )
    return _Deductions(status, ZERO, ZERO, ZERO, ZERO, tax)


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
    hari: int | None = None,
    unit: str | None = None,
    via: str = "kas",
) -> list[data.Directive]:
    """A wage or honorarium paid: gross expense (of the unit), PPh 21 and BPJS payables, net
    paid from `via`. `hari`: the days worked a daily or piece-rate wage covers."""
    name = text.clean(nama, field="nama", max_len=80)
    if amount <= 0:
        raise JumlahTidakValid("Jumlah gaji atau honor harus lebih dari nol.")
    history = [p for p in payments(book) if p.key == person_key(name)]
    kind = _kind(name, history, pegawai, hari, masa)
    title = (
        text.clean(jabatan, field="jabatan", max_len=60)
        if jabatan
        else (history[-1].jabatan if history else "")
    )
    meta: dict[str, Any] = {"nama": name}
    cut = _deductions(book, kind, history, name, amount, masa, status_ptkp, hari)
    status, premium, employer = cut.status, cut.premium, cut.employer
    withheld_bpjs, pension, tax = cut.withheld_bpjs, cut.pension, cut.tax
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
        **({"hari": str(hari)} if hari is not None else {}),
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
    word = {EMPLOYEE: "Gaji", CASUAL: "Upah"}.get(kind, "Honor")
    days = f", {hari} hari" if hari is not None else ""
    narration = f"{word} {masa.kode} - {who}{days}"
    return [
        *coop.missing_chart_opens(book),
        *opens,
        ledger.transaction(date, narration, postings, meta=meta),
    ]


@dataclass(frozen=True)
class YearRow:
    """One person's year: the data of a bukti potong (1721-A1 for staff, BP21 otherwise; for a
    daily worker also the days worked)."""

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
    hari: int = 0  # days worked paid by daily or piece-rate wages


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
                hari=sum(p.hari for p in group),
            )
        )
    return sorted(rows, key=lambda r: r.nama.casefold())
