"""Financial statements from the books, each with the previous year beside it: neraca, PHU (per
unit, member and non-member apart), perubahan ekuitas, arus kas (direct), neraca saldo, buku besar."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from beancount.core import data

from kkmp_cli import accounts, chart, dates, money
from kkmp_cli.assets import register as fixed_assets
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError
from kkmp_cli.financing import facility
from kkmp_cli.reports import periods, totals
from kkmp_cli.reports.periods import Period, PeriodeTidakValid
from kkmp_cli.shu import distributions
from kkmp_cli.units import registry

ZERO = Decimal(0)
CLOSING = "tutup-buku"
ASSETS, LIABILITIES, EQUITY, INCOME, EXPENSES = (
    chart.ROOTS[k]
    for k in ("name_assets", "name_liabilities", "name_equity", "name_income", "name_expenses")
)
USP_INCOME = registry.USP_INCOME


@dataclass(frozen=True)
class Row:
    label: str
    nilai: tuple[Decimal | None, ...]

    def __post_init__(self) -> None:
        # sign * 0 gives Decimal('-0'); a report shows plain zero.
        object.__setattr__(
            self, "nilai", tuple(None if v is None else v + ZERO for v in self.nilai)
        )

    level: int = 1  # 0 section heading, 1 line, 2 subtotal, 3 total
    akun: str | None = None
    kode: str | None = None
    info: tuple[str, ...] = ()  # extra text columns (buku besar: date, document, description)


@dataclass(frozen=True)
class Statement:
    jenis: str
    judul: str
    koperasi: str
    periode: str
    kolom: tuple[str, ...]
    baris: list[Row]
    total: dict[str, Decimal] = field(default_factory=dict)
    total_lalu: dict[str, Decimal] = field(default_factory=dict)
    kolom_info: tuple[str, ...] = ()
    catatan: list[str] = field(default_factory=list)
    rincian: dict[str, Any] = field(default_factory=dict)  # extra JSON (PHU: unit results)


# --- sums over the books ---


def _is_closing(entry: data.Transaction) -> bool:
    return entry.meta.get("jenis") == CLOSING


def sums(
    book: Book,
    start: dt.date | None,
    end: dt.date,
    *,
    skip_closing: bool = False,
    year: int | None = None,
) -> dict[str, Decimal]:
    """IDR weight of postings per account, dated start..end (inclusive); lots count at cost.

    A balance from the beginning (`start` None) counts the income and expenses of the years
    before `year` (the year of `end` unless given) in Ekuitas:SHU-Tahun-Berjalan, as beancount
    and Fava do (#14): income and expense accounts show that book year only."""
    # From the per-month totals (#16): whole months from the index, cut months scanned.
    year_start = dt.date(end.year if year is None else year, 1, 1)
    return totals.sums(
        book,
        start,
        end,
        skip_closing=skip_closing,
        relabel=None
        if start is not None
        else (year_start, (INCOME, EXPENSES), chart.SHU_TAHUN_BERJALAN),
    )


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _under(account: str, root: str) -> bool:
    return account == root or account.startswith(root + ":")


def is_result_account(account: str) -> bool:
    """Income, expenses and Ekuitas:SHU-Tahun-Berjalan (beancount's earnings account, which
    tutup-buku empties into SHU belum dibagi): together, the results not yet closed (#14)."""
    return (
        _under(account, INCOME) or _under(account, EXPENSES) or account == chart.SHU_TAHUN_BERJALAN
    )


def unclosed_result(balances: Mapping[str, Decimal]) -> Decimal:
    """SHU tahun berjalan: the income and expense balances not yet closed into SHU belum dibagi
    (a surplus positive), from balances as `sums` gives them."""
    return -sum((v for a, v in balances.items() if is_result_account(a)), ZERO)


def modal_sendiri(book: Book, date: dt.date) -> Decimal:
    """Modal sendiri at the end of `date`: the equity as the neraca shows it, i.e. the equity
    accounts (simpanan pokok and wajib, cadangan, hibah, SHU belum dibagi) plus the SHU tahun
    berjalan not yet closed. The one definition for the related-party loan cap and the audit
    threshold of the RAT (#19)."""
    balances = {
        a: book.balance_on(a, date)
        for a in book.opens()
        if _under(a, EQUITY) or _under(a, INCOME) or _under(a, EXPENSES)
    }
    equity = -sum(
        (v for a, v in balances.items() if _under(a, EQUITY) and not is_result_account(a)), ZERO
    )
    return equity + unclosed_result(balances)


def _label(account: str) -> str:
    acc = chart.CHART_BY_NAME.get(account)
    if acc is not None:
        return acc.description
    return _UNIT_LABELS.get(account) or account.split(":", 1)[-1].replace("-", " ").replace(
        ":", " - "
    )


_UNIT_LABELS: dict[str, str] = {}


def _register_units(book: Book) -> None:
    for u in _units(book):
        for account, _, description in u.all():
            _UNIT_LABELS[account] = description
    opens = book.opens()
    for account in registry.roles(book):
        label = opens[account].meta.get("keterangan") if account in opens else None
        if isinstance(label, str) and account not in chart.CHART_BY_NAME:
            _UNIT_LABELS[account] = label


def _fold(values: dict[str, Decimal]) -> dict[str, Decimal]:
    folded: dict[str, Decimal] = defaultdict(Decimal)
    for account, value in values.items():
        folded[chart.report_account(account)] += value
    return folded


def check_year(book: Book, year: int) -> None:
    _register_units(book)
    dates.check_year(year)


def resolve(
    book: Book,
    year: int | None,
    periode: Period | None,
    banding: str = "tahun-lalu",
    *,
    balance: bool = False,
) -> tuple[Period, Period | None]:
    """The statement's period (a whole year when only `year` is given) and the period it is
    compared with; a period the books do not cover is refused (#14,
    `periods.require_within_books`; `balance`: the statement shows balances at its end)."""
    if periode is None:
        if year is None:
            raise PeriodeTidakValid("Sebutkan tahun atau periode laporan.")
        check_year(book, year)
        periode = Period.year(year)
    _register_units(book)
    periods.require_within_books(book, periode, balance=balance)
    return periode, periode.compared(banding)


def _finish(
    book: Book, st: Statement, compare: Period | None, *, balance: bool = False
) -> Statement:
    """Drop the comparative column (`--banding tidak`), or show it empty ("—") when the books
    do not cover the comparative period (`periods.within_books`)."""
    if compare is None:
        return replace(
            st,
            kolom=st.kolom[:1],
            baris=[replace(r, nilai=r.nilai[:1]) for r in st.baris],
            total_lalu={},
        )
    if not periods.within_books(book, compare, balance=balance):
        return replace(
            st,
            baris=[replace(r, nilai=(r.nilai[0], None)) for r in st.baris],
            total_lalu={},
        )
    return st


# --- neraca ---


def balances(book: Book, date: dt.date) -> dict[str, Decimal]:
    """Each report line's balance at the end of `date` as the neraca shows it: stock and other
    lots at cost, member and supplier sub-accounts folded into their chart account."""
    return _fold(sums(book, None, date))


def _balance_rows(
    book: Book, now: dt.date, prev: dt.date
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    return balances(book, now), balances(book, prev)


# The neraca's current and non-current groups, by the golongan each account carries (#10).
NERACA_GROUPS = {
    ASSETS: (
        ("lancar", "Aset lancar", ("aset-lancar",)),
        ("tidak_lancar", "Aset tidak lancar", ("aset-tetap", "aset-lain")),
    ),
    LIABILITIES: (
        ("pendek", "Kewajiban jangka pendek", ("kewajiban-pendek",)),
        ("panjang", "Kewajiban jangka panjang", ("kewajiban-panjang",)),
    ),
}


def _kode(book: Book, account: str) -> str | None:
    return accounts.info(book, account).kode


def _neraca_lines(
    book: Book, now: dict[str, Decimal], prev: dict[str, Decimal], root: str, sign: int
) -> list[Row]:
    """The non-zero balance lines of one root, in code order."""
    rows = []
    for account in sorted(
        {a for a in (*now, *prev) if _under(a, root) and not is_result_account(a)},
        key=lambda a: (_kode(book, a) or "9999", a),
    ):
        a, b = sign * now.get(account, ZERO), sign * prev.get(account, ZERO)
        if a or b:
            i = accounts.info(book, account)
            rows.append(Row(i.label, (a, b), 1, account, i.kode))
    return rows


def _sum(rows: list[Row]) -> tuple[Decimal, Decimal]:
    return (
        sum((r.nilai[0] or ZERO for r in rows), ZERO),
        sum((r.nilai[1] or ZERO for r in rows), ZERO),
    )


def _current_debt(
    book: Book, at: tuple[dt.date, dt.date], lines: list[Row]
) -> tuple[list[Row], dict[int, str]]:
    """Each bank facility's principal due within 12 months (by its schedule, with arrears) moved
    from long-term to current liabilities, as SAK EP presents a long-term loan (#11)."""
    out: list[Row] = []
    forced: dict[int, str] = {}
    facilities = list(facility.facilities(book).values())
    for r in lines:
        under = [f for f in facilities if _under(f.account, str(r.akun))]
        if not under:
            out.append(r)
            continue
        now = sum((facility.current_portion(book, at[0], f.kode) for f in under), ZERO)
        prev = sum((facility.current_portion(book, at[1], f.kode) for f in under), ZERO)
        a, b = (r.nilai[0] or ZERO), (r.nilai[1] or ZERO)
        if now or prev:
            current = Row(f"{r.label}: jatuh tempo dalam 12 bulan", (now, prev), 1, r.akun, r.kode)
            forced[id(current)] = "kewajiban-pendek"
            out.append(current)
        rest = Row(r.label, (a - now, b - prev), 1, r.akun, r.kode)
        forced[id(rest)] = "kewajiban-panjang"
        out.append(rest)
    return out, forced


def neraca(
    book: Book,
    year: int | None = None,
    *,
    periode: Period | None = None,
    banding: str = "tahun-lalu",
) -> Statement:
    """Assets, liabilities and equity at the end of the period (31 December for a year), beside
    the end of the comparative period; assets and liabilities in current and non-current
    groups by each account's golongan."""
    period, compare = resolve(book, year, periode, banding, balance=True)
    other = compare or period.year_earlier()
    at = (period.end, other.end)
    now, prev = _balance_rows(book, *at)
    rows: list[Row] = []
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    sections = ((ASSETS, "Aset", 1), (LIABILITIES, "Kewajiban", -1), (EQUITY, "Ekuitas", -1))
    for root, title, sign in sections:
        rows.append(Row(title, (None, None), 0))
        lines = _neraca_lines(book, now, prev, root, sign)
        forced: dict[int, str] = {}
        if root == LIABILITIES:
            lines, forced = _current_debt(book, at, lines)
        for key, group_title, golongan in NERACA_GROUPS.get(root, ()):
            group = [
                r
                for r in lines
                if forced.get(id(r), accounts.info(book, str(r.akun)).golongan) in golongan
            ]
            totals[f"{title}_{key}"] = _sum(group)
            if group:
                rows += group
                rows.append(Row(f"Jumlah {group_title.lower()}", totals[f"{title}_{key}"], 2))
        if root not in NERACA_GROUPS:
            rows += lines
        total_now, total_prev = _sum(lines)
        if root == EQUITY:
            # Results not yet closed into SHU belum dibagi: income and expense balances.
            shu_now, shu_prev = unclosed_result(now), unclosed_result(prev)
            if shu_now or shu_prev:
                rows.append(Row("SHU tahun berjalan (belum ditutup)", (shu_now, shu_prev), 1))
                total_now += shu_now
                total_prev += shu_prev
        rows.append(Row(f"Jumlah {title.lower()}", (total_now, total_prev), 2))
        totals[title] = (total_now, total_prev)
    le_now = totals["Kewajiban"][0] + totals["Ekuitas"][0]
    le_prev = totals["Kewajiban"][1] + totals["Ekuitas"][1]
    rows.append(Row("Jumlah kewajiban dan ekuitas", (le_now, le_prev), 3))
    names = {
        "Aset": "total_aset",
        "Aset_lancar": "total_aset_lancar",
        "Aset_tidak_lancar": "total_aset_tidak_lancar",
        "Kewajiban": "total_kewajiban",
        "Kewajiban_pendek": "total_kewajiban_pendek",
        "Kewajiban_panjang": "total_kewajiban_panjang",
        "Ekuitas": "total_ekuitas",
    }
    st = Statement(
        "neraca",
        "Laporan Posisi Keuangan (Neraca)",
        book.config.nama,
        f"per {dates.fmt_long(period.end)}",
        (dates.fmt(period.end), dates.fmt(other.end)),
        rows,
        {names[k]: v[0] for k, v in totals.items()},
        {names[k]: v[1] for k, v in totals.items()},
    )
    return _finish(book, st, compare, balance=True)


# --- PHU ---


@dataclass(frozen=True)
class Results:
    """The year's results, split the way the PHU shows them and SHU needs them."""

    pendapatan: Decimal
    beban: Decimal
    laba_kotor_anggota: Decimal
    laba_kotor_non_anggota: Decimal
    hasil_usp: Decimal
    lain: Decimal

    @property
    def shu(self) -> Decimal:
        return self.pendapatan - self.beban


def results(book: Book, year: int) -> Results:
    flows = sums(book, *year_bounds(year), skip_closing=True)
    return _results(book, flows)


def _results(book: Book, flows: dict[str, Decimal]) -> Results:
    income = -sum((v for a, v in flows.items() if _under(a, INCOME)), ZERO)
    costs = sum((v for a, v in flows.items() if _under(a, EXPENSES)), ZERO)
    member = non_member = ZERO
    roles = registry.roles(book)
    # Gross result of business with members and with non-members: gerai sales less their
    # HPP, and jasa revenue (a service has no HPP); the loan unit is counted apart (USP).
    for account, value in flows.items():
        role = roles.get(account)
        if role is None or account in USP_INCOME or role.peran not in ("pendapatan", "hpp"):
            continue
        if role.pihak == registry.ANGGOTA:
            member -= value
        elif role.pihak == registry.NON_ANGGOTA:
            non_member -= value
    usp = -sum((flows.get(a, ZERO) for a in USP_INCOME), ZERO) - flows.get(
        chart.BEBAN_PENYISIHAN, ZERO
    )
    other = -sum(
        (
            v
            for a, v in flows.items()
            if _under(a, INCOME) and a not in USP_INCOME and not _unit_income(book, a)
        ),
        ZERO,
    )
    return Results(income, costs, member, non_member, usp, other)


def _units(book: Book) -> list[chart.UnitAccounts]:
    """The barang units' accounts (gerai), in koperasi.yaml order."""
    return [chart.unit_accounts(u, i) for i, u in enumerate(book.config.gerai.unit, start=1)]


def _unit_income(book: Book, account: str) -> bool:
    """Revenue of a unit's business with members or non-members (gerai sales, jasa)."""
    role = registry.roles(book).get(account)
    return role is not None and role.peran == "pendapatan" and role.pihak is not None


# --- each unit's result, general costs allocated (#10) ---


@dataclass(frozen=True)
class UnitResult:
    """One unit's year in the PHU: revenue (members / non-members), HPP, gross result, its own
    costs, its share of the general costs, and its net result. The general row (the kantor
    unit) holds the income and costs of no unit and gives away what it allocates."""

    kode: str
    nama: str
    jenis: str
    pendapatan_anggota: Decimal
    pendapatan_non_anggota: Decimal
    pendapatan: Decimal
    hpp: Decimal
    laba_kotor: Decimal
    beban_langsung: Decimal
    beban_alokasi: Decimal
    hasil_bersih: Decimal


GENERAL = "umum"  # the general row's kode when koperasi.yaml has no kantor unit


def _general_unit(book: Book) -> tuple[str, str]:
    kantor = book.config.units_of("kantor")
    if kantor:
        return kantor[0].kode, kantor[0].nama
    return GENERAL, "Umum (tanpa unit)"


def _unit_of(book: Book, account: str) -> registry.Role | None:
    """The account's unit role, None for a general account (no unit, or a kantor unit)."""
    role = registry.roles(book).get(account)
    if role is None:
        return None
    unit = book.config.unit(role.unit)
    return role if unit is not None and unit.jenis != "kantor" else None


def _unit_sums(book: Book, flows: Mapping[str, Decimal]) -> dict[str, dict[str, Decimal]]:
    """Per unit kode (the general row under its own kode): revenue by side, HPP, costs."""
    general, _ = _general_unit(book)
    keys = ("pendapatan_anggota", "pendapatan_non_anggota", "pendapatan_lain", "hpp", "beban")
    found = {u.kode: dict.fromkeys(keys, ZERO) for u in book.config.units if u.jenis != "kantor"}
    found[general] = dict.fromkeys(keys, ZERO)
    for account, value in flows.items():
        if not (_under(account, INCOME) or _under(account, EXPENSES)):
            continue
        role = _unit_of(book, account)
        row = found[role.unit if role else general]
        if _under(account, INCOME):
            side = role.pihak if role else None
            key = {
                registry.ANGGOTA: "pendapatan_anggota",
                registry.NON_ANGGOTA: "pendapatan_non_anggota",
            }
            row[key.get(side or "", "pendapatan_lain")] -= value
        elif role is not None and role.peran == "hpp":
            row["hpp"] += value
        else:
            row["beban"] += value
    return found


def _shares(book: Book, revenue: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """The allocation key of each unit: its revenue (dasar: pendapatan) or its fixed percent."""
    rule = book.config.alokasi
    if rule.dasar == "persen":
        return {k: v for k, v in rule.persen.items() if v > 0}
    if rule.dasar == "pendapatan":
        return {k: v for k, v in revenue.items() if v > 0}
    return {}


def allocate(
    book: Book, general_cost: Decimal, revenue: Mapping[str, Decimal]
) -> tuple[dict[str, Decimal], Decimal]:
    """General costs shared over the units by koperasi.yaml `alokasi`: each share rounded
    toward zero to the rupiah; (shares by unit, the rounding remainder left in the general
    row)."""
    weights = _shares(book, revenue)
    total = sum(weights.values(), ZERO)
    if not general_cost or total <= 0:
        return {}, ZERO
    shares = {
        k: Decimal(int(Fraction(general_cost) * Fraction(w) / Fraction(total)))
        for k, w in weights.items()
    }
    return shares, general_cost - sum(shares.values(), ZERO)


def unit_results(book: Book, flows: Mapping[str, Decimal]) -> tuple[list[UnitResult], Decimal]:
    """Every unit's result for the flows of one year, the general row last; their
    `hasil_bersih` add up to the SHU to the rupiah. Also the allocation's rounding remainder."""
    sums_by_unit = _unit_sums(book, flows)
    general, general_name = _general_unit(book)
    revenue = {
        k: v["pendapatan_anggota"] + v["pendapatan_non_anggota"] + v["pendapatan_lain"]
        for k, v in sums_by_unit.items()
        if k != general
    }
    shares, remainder = allocate(book, sums_by_unit[general]["beban"], revenue)
    names = {u.kode: (u.nama, u.jenis) for u in book.config.units}
    result = []
    for kode, v in (
        *((k, v) for k, v in sums_by_unit.items() if k != general),
        (general, sums_by_unit[general]),
    ):
        nama, jenis = names.get(kode, (general_name, "kantor"))
        pendapatan = v["pendapatan_anggota"] + v["pendapatan_non_anggota"] + v["pendapatan_lain"]
        alokasi = shares.get(kode, ZERO) if kode != general else -sum(shares.values(), ZERO)
        laba_kotor = pendapatan - v["hpp"]
        result.append(
            UnitResult(
                kode,
                nama,
                jenis,
                v["pendapatan_anggota"],
                v["pendapatan_non_anggota"],
                pendapatan,
                v["hpp"],
                laba_kotor,
                v["beban"],
                alokasi,
                laba_kotor - v["beban"] - alokasi,
            )
        )
    return result, remainder


def member_share(r: Results, rule: str) -> tuple[Decimal, Decimal]:
    """(SHU from members, SHU from non-members). `rule` is the year's `shu.bagian_non_anggota`
    (`distributions.rules`):
    `proporsional` (default) gives non-members the share of SHU that their gross profit is of
    all gross results (outlet gross profit + USP result + other income); `laba_kotor` gives them
    their whole gross profit (at most the SHU). Never negative; a loss has no member split."""
    if r.shu <= 0:
        return r.shu, ZERO
    non_member_gross = max(r.laba_kotor_non_anggota, ZERO)
    if rule == "laba_kotor":
        non = min(non_member_gross, r.shu)
    else:
        gross = (
            max(r.laba_kotor_anggota, ZERO)
            + non_member_gross
            + max(r.hasil_usp, ZERO)
            + max(r.lain, ZERO)
        )
        non = r.shu * non_member_gross / gross if gross > 0 else ZERO
    non = money.round_half_up(non)
    return r.shu - non, non


def phu(
    book: Book,
    year: int | None = None,
    *,
    periode: Period | None = None,
    banding: str = "tahun-lalu",
) -> Statement:
    """Income and costs of the period per unit (members and non-members apart), the SHU, and
    each unit's net result after its share of the general costs."""
    period, compare = resolve(book, year, periode, banding)
    other = compare or period.year_earlier()
    now = sums(book, period.start, period.end, skip_closing=True)
    prev = sums(book, other.start, other.end, skip_closing=True)
    rows: list[Row] = []
    used: set[str] = set()

    def line(label: str, account: str, sign: int) -> tuple[Decimal, Decimal]:
        used.add(account)
        a, b = sign * now.get(account, ZERO), sign * prev.get(account, ZERO)
        if a or b:
            rows.append(Row(label, (a, b), 1, account, chart.kode_for(account)))
        return a, b

    def subtotal(
        label: str, parts: Iterable[tuple[Decimal, Decimal]], level: int = 2
    ) -> tuple[Decimal, Decimal]:
        parts = list(parts)
        a = sum((p[0] for p in parts), ZERO)
        b = sum((p[1] for p in parts), ZERO)
        rows.append(Row(label, (a, b), level))
        return a, b

    unit_results = []
    mine: dict[str, list[str]] = defaultdict(list)
    for account in sorted({*now, *prev}, key=lambda a: (_kode(book, a) or "9999", a)):
        role = _unit_of(book, account)
        if role is not None:
            mine[role.unit].append(account)
    barang = {u.kode: i for i, u in enumerate(book.config.barang_units, start=1)}
    for u in book.config.units:
        accounts = mine.get(u.kode, [])
        if not any(now.get(a) or prev.get(a) for a in accounts):
            continue
        rows.append(Row(u.nama if u.nama != u.kode else f"Unit {u.kode}", (None, None), 0))
        gross = []
        if u.kode in barang:
            gross = _gerai_lines(chart.unit_accounts(u.kode, barang[u.kode]), line, subtotal)
        roles = registry.roles(book)
        rest = [a for a in accounts if a not in used]
        gross += [line(_unit_label(a), a, -1) for a in rest if roles[a].peran != "beban"]
        head = f"unit {u.kode.replace('-', ' ')}"
        gross_total = subtotal(f"Laba kotor {head}", gross)
        costs = [line(_unit_label(a), a, -1) for a in rest if roles[a].peran == "beban"]
        unit_results.append(subtotal(f"Hasil {head}", [gross_total, *costs]))
    rows.append(Row("Pendapatan dan beban umum", (None, None), 0))
    general = []
    others = sorted(
        a for a in {*now, *prev} if (_under(a, INCOME) or _under(a, EXPENSES)) and a not in used
    )
    for account in others:
        if account == chart.BEBAN_PAJAK:
            continue
        general.append(line(_label(account), account, -1))
    subtotal("Jumlah pendapatan dan beban umum", general)
    before_tax = subtotal("SHU sebelum pajak", [*unit_results, *general], 3)
    tax = line("Pajak", chart.BEBAN_PAJAK, -1)
    shu = subtotal("Sisa hasil usaha (SHU)", [before_tax, tax], 3)
    r_now, r_prev = _results(book, now), _results(book, prev)
    # Each column by its year's rule: a distributed year's is the one its distribution recorded.
    rule_now, rule_prev = (
        distributions.rules(book, p.end.year).bagian_non_anggota for p in (period, other)
    )
    (m_now, n_now), (m_prev, n_prev) = (
        member_share(r_now, rule_now),
        member_share(r_prev, rule_prev),
    )
    units_now, note = _net_rows(book, now, prev, rows)
    rows.append(Row("Ringkasan", (None, None), 0))
    rows.append(Row("Jumlah pendapatan (bruto)", (r_now.pendapatan, r_prev.pendapatan), 1))
    rows.append(Row("Jumlah beban (termasuk HPP)", (r_now.beban, r_prev.beban), 1))
    rows.append(Row("SHU dari anggota", (m_now, m_prev), 1))
    rows.append(Row("SHU dari non-anggota (ke cadangan)", (n_now, n_prev), 1))
    assert shu == (r_now.shu, r_prev.shu)
    st = Statement(
        "phu",
        "Perhitungan Hasil Usaha",
        book.config.nama,
        period.label,
        (period.column, other.column),
        rows,
        {
            "total_pendapatan": r_now.pendapatan,
            "total_beban": r_now.beban,
            "shu": r_now.shu,
            "shu_anggota": m_now,
            "shu_non_anggota": n_now,
        },
        {
            "total_pendapatan": r_prev.pendapatan,
            "total_beban": r_prev.beban,
            "shu": r_prev.shu,
            "shu_anggota": m_prev,
            "shu_non_anggota": n_prev,
        },
        catatan=[
            f"Pembagian SHU anggota/non-anggota: aturan '{rule_now}'.",
            note,
        ],
        rincian={"unit": units_now},
    )
    return _finish(book, st, compare)


def _gerai_lines(
    u: chart.UnitAccounts,
    line: Callable[[str, str, int], tuple[Decimal, Decimal]],
    subtotal: Callable[[str, Iterable[tuple[Decimal, Decimal]]], tuple[Decimal, Decimal]],
) -> list[tuple[Decimal, Decimal]]:
    """A barang unit's sales and HPP, members and non-members apart."""
    m = [
        line("Penjualan kepada anggota", u.penjualan_anggota, -1),
        line("HPP penjualan kepada anggota", u.hpp_anggota, -1),
    ]
    gm = subtotal("Laba kotor dari anggota", m)
    n = [
        line("Penjualan kepada non-anggota", u.penjualan_non_anggota, -1),
        line("HPP penjualan kepada non-anggota", u.hpp_non_anggota, -1),
    ]
    gn = subtotal("Laba kotor dari non-anggota", n)
    return [gm, gn, line("Selisih persediaan (stock opname)", u.selisih, -1)]


def _unit_label(account: str) -> str:
    """A line inside a unit's section: jasa revenue by side, a unit's expense sub-account
    by its chart account (the section names the unit)."""
    side = account.rsplit(":", 1)[-1]
    if account.count(":") == 2 and side in ("Anggota", "Non-Anggota") and _under(account, INCOME):
        return f"Pendapatan dari {side.lower()}"
    parent = account.rsplit(":", 1)[0]
    if parent in chart.CHART_BY_NAME and _under(account, EXPENSES):
        return chart.CHART_BY_NAME[parent].description
    return _label(account)


ALLOCATION_WORDS = {
    "pendapatan": "menurut bagian pendapatan tiap unit",
    "persen": "menurut persentase tetap di koperasi.yaml",
}


def _net_rows(
    book: Book, now: Mapping[str, Decimal], prev: Mapping[str, Decimal], rows: list[Row]
) -> tuple[list[UnitResult], str]:
    """The PHU's last section: each unit's net result after its share of the general costs
    (they add up to the SHU); the year's unit results and the note that states the rule."""
    (units_now, rest_now), (units_prev, _) = unit_results(book, now), unit_results(book, prev)
    rows.append(Row("Hasil bersih per unit (sesudah alokasi beban umum)", (None, None), 0))
    for a, b in zip(units_now, units_prev, strict=True):
        if not any((a.pendapatan, a.hpp, a.beban_langsung, a.beban_alokasi, b.hasil_bersih)):
            continue
        if a.beban_alokasi or b.beban_alokasi:
            label = (
                "Beban umum dialokasikan ke unit lain"
                if a.jenis == "kantor"
                else f"Alokasi beban umum ke {a.nama}"
            )
            rows.append(Row(label, (-a.beban_alokasi, -b.beban_alokasi), 1))
        rows.append(Row(f"Hasil bersih {a.nama}", (a.hasil_bersih, b.hasil_bersih), 1))
    total_now = sum((u.hasil_bersih for u in units_now), ZERO)
    total_prev = sum((u.hasil_bersih for u in units_prev), ZERO)
    rows.append(Row("Jumlah hasil bersih unit (= SHU)", (total_now, total_prev), 3))
    general = units_now[-1]
    rule = book.config.alokasi.dasar
    if rule == "tanpa" or not general.beban_alokasi:
        why = "tidak dialokasikan (alokasi: tanpa)" if rule == "tanpa" else "tidak dialokasikan"
        note = f"Beban umum {why}; seluruhnya tetap pada {general.nama}."
    else:
        note = (
            f"Beban umum ({general.nama} dan beban tanpa unit) {money.fmt(general.beban_langsung)} "
            f"dialokasikan ke unit {ALLOCATION_WORDS[rule]}, dibulatkan ke rupiah; sisa pembulatan "
            f"{money.fmt(rest_now)} tetap pada {general.nama}."
        )
    return units_now, note


# --- perubahan ekuitas ---


SHU_RUNNING = "SHU tahun berjalan (belum ditutup)"


Moves = tuple[dict[str, Decimal], dict[str, Decimal], dict[str, Decimal]]


def _add_moves(
    entry: data.Transaction,
    added: dict[str, Decimal],
    taken: dict[str, Decimal],
    moved: dict[str, Decimal],
) -> None:
    """One transaction's additions, reductions and transfers per equity line (`_equity_moves`)."""
    lines: dict[str, Decimal] = defaultdict(Decimal)
    closing = _is_closing(entry)
    for p in entry.postings:
        if p.account == chart.SHU_TAHUN_BERJALAN or (
            closing and (_under(p.account, INCOME) or _under(p.account, EXPENSES))
        ):
            # the results not yet closed: what tutup-buku moves into SHU belum dibagi
            # (from the earnings account, or from income and expenses in older ledgers)
            lines[SHU_RUNNING] += ledger.weight(p)
        elif _under(p.account, EQUITY):
            lines[chart.report_account(p.account)] += ledger.weight(p)
    if not lines:
        return  # no equity line moves (nearly every transaction: a sale, a deposit …)
    credits = {k: -v for k, v in lines.items() if v < 0}
    debits = {k: v for k, v in lines.items() if v > 0}
    inside = min(sum(credits.values(), ZERO), sum(debits.values(), ZERO))
    for side, real, sign in ((credits, added, 1), (debits, taken, -1)):
        left = inside
        for key, amount in side.items():
            part = min(amount, left)
            left -= part
            moved[key] = moved.get(key, ZERO) + sign * part
            real[key] = real.get(key, ZERO) + amount - part


class EquityMoves(ledger.Index):
    """Per month, each equity line's additions, reductions and transfers (#16): the equity
    statement of a year adds up twelve months instead of walking every transaction since the
    comparative year began (which read every closed year)."""

    def __init__(self) -> None:
        self.months: dict[totals.Month, Moves] = {}

    def fold(self, entry: data.Directive) -> None:
        if isinstance(entry, data.Transaction):
            month = (entry.date.year, entry.date.month)
            if (moves := self.months.get(month)) is None:
                moves = self.months[month] = ({}, {}, {})
            _add_moves(entry, *moves)


class GrantIndex(ledger.Index):
    """Per year, the grants (hibah, in equity) received per giver or description (#16: the RAT
    book's note on grants does not walk every transaction since the books began)."""

    def __init__(self) -> None:
        self.years: dict[int, dict[str, Decimal]] = {}

    def fold(self, entry: data.Directive) -> None:
        if not isinstance(entry, data.Transaction):
            return
        for p in entry.postings:
            if _under(p.account, chart.HIBAH) and p.units is not None:
                source = str(entry.meta.get("pemberi") or entry.narration or "Hibah")
                given = self.years.setdefault(entry.date.year, {})
                given[source] = given.get(source, ZERO) - ledger.weight(p)


def _equity_moves(book: Book, start: dt.date, end: dt.date) -> Moves:
    """Per equity line (report account, or SHU_RUNNING for the results not yet closed):
    additions, reductions and transfers between equity lines, each movement counted once.
    Within one transaction the part that leaves one equity line for another (the year-end
    closing into SHU belum dibagi, the cadangan share of an SHU distribution) is a transfer;
    only what comes from or goes to outside equity is an addition or a reduction. The
    period's result itself is the addition to SHU_RUNNING.

    Whole months come from the `EquityMoves` index, the days of a month cut in part from the
    transactions (as `totals.sums`)."""
    moves: Moves = ({}, {}, {})

    def scan(first: dt.date, last: dt.date) -> None:
        for entry in book.transactions(first, last):
            _add_moves(entry, *moves)

    sealed = book.sealed
    if sealed is not None and start > sealed.last:
        scan(start, end)  # within the days in memory: the index would read the rest
        return moves
    before, whole, after = totals.plan(start, end)
    for first, last in before:
        scan(first, last)
    index = book.index(EquityMoves)
    for month in sorted(m for m in index.months if whole(m)):
        for kept, part in zip(moves, index.months[month], strict=True):
            for key, amount in part.items():
                kept[key] = kept.get(key, ZERO) + amount
    for first, last in after:
        scan(first, last)
    return moves


def ekuitas(
    book: Book,
    year: int | None = None,
    *,
    periode: Period | None = None,
    banding: str = "tahun-lalu",
) -> Statement:
    """Each equity line's opening balance, additions, reductions, transfers between lines and
    closing balance, for the period and its comparative period, each movement once (#14)."""
    period, compare = resolve(book, year, periode, banding)
    shown = [period]
    if compare is not None and periods.within_books(book, compare):
        shown.append(compare)
    rows: list[Row] = []
    totals: dict[str, Decimal] = {}
    for p in shown:
        start, end = p.start, p.end
        opening = _fold(sums(book, None, start - dt.timedelta(days=1)))
        closing = _fold(sums(book, None, end))
        added, taken, moved = _equity_moves(book, start, end)
        lines = sorted(
            {
                a
                for a in (*opening, *closing, *added, *taken, *moved)
                if _under(a, EQUITY) and not is_result_account(a)
            },
            key=lambda a: (chart.kode_for(a) or "9999", a),
        )
        rows.append(Row(p.label, (None,) * 5, 0))
        total = [ZERO] * 5
        shu_open, shu_close = unclosed_result(opening), unclosed_result(closing)
        shu_year = _results(book, sums(book, start, end, skip_closing=True)).shu
        for key in (*lines, SHU_RUNNING):
            if key == SHU_RUNNING:
                o, c, i, x = shu_open, shu_close, shu_year, ZERO
                label, kode = SHU_RUNNING, None
            else:
                o, c = -opening.get(key, ZERO), -closing.get(key, ZERO)
                i, x = added.get(key, ZERO), taken.get(key, ZERO)
                label, kode = _label(key), chart.kode_for(key)
            t = moved.get(key, ZERO)
            if not (o or c or i or x or t):
                continue
            assert o + i - x + t == c, (key, o, i, x, t, c)
            rows.append(Row(label, (o, i, -x, t, c), 1, None if kode is None else key, kode))
            total = [a + b for a, b in zip(total, (o, i, -x, t, c), strict=True)]
        rows.append(Row(f"Jumlah ekuitas {p.column}", tuple(total), 2))
        suffix = "" if p is period else "_lalu"
        totals[f"ekuitas_awal{suffix}"] = total[0]
        totals[f"penambahan{suffix}"] = total[1]
        totals[f"pengurangan{suffix}"] = -total[2]
        totals[f"ekuitas_akhir{suffix}"] = total[4]
    scope = period.label + (f" (dan {compare.column})" if compare is not None else "")
    return Statement(
        "ekuitas",
        "Laporan Perubahan Ekuitas",
        book.config.nama,
        scope,
        ("Saldo awal", "Penambahan", "Pengurangan", "Pemindahan antarpos", "Saldo akhir"),
        rows,
        {k: v for k, v in totals.items() if not k.endswith("_lalu")},
        {k[: -len("_lalu")]: v for k, v in totals.items() if k.endswith("_lalu")},
        catatan=[
            "Penambahan dan pengurangan hanya yang datang dari atau pergi ke luar ekuitas "
            "(setoran, penarikan, hasil usaha periode ini, pembagian SHU kepada anggota dan "
            "dana); pemindahan antarpos ekuitas (penutupan buku ke SHU belum dibagi, bagian "
            "cadangan dari SHU, rugi yang ditutup dari cadangan atau ditangguhkan) dicatat "
            "sekali di kolom pemindahan, jumlahnya nol."
        ],
    )


# --- arus kas ---


def _category(book: Book, account: str) -> str:
    """Direct-method class of a counter-account: the arus-kas class its open directive (or the
    chart, or its parent) gives it (#10); the rule is stated in the report."""
    return accounts.info(book, account).arus_kas


CATEGORY_TITLES = {
    "operasi": "Arus kas dari aktivitas operasi",
    "investasi": "Arus kas dari aktivitas investasi",
    "pendanaan": "Arus kas dari aktivitas pendanaan",
}


def _is_cash(book: Book, account: str) -> bool:
    return accounts.is_cash(book, account)


def _cash_flows(
    book: Book, start: dt.date, end: dt.date
) -> dict[str, dict[str, tuple[Decimal, Decimal]]]:
    """Cash received and paid, gross, per counter-account and class: (receipts, payments), the
    payments negative; money moved between two cash, bank or e-wallet accounts is no flow
    (only a fee on it is). A loan disbursed and a loan repaid, a deposit and a withdrawal,
    stay apart: each transaction's lines are receipts or payments by their own sign, of the
    cash that moved (`_entry_flows`)."""
    got: dict[str, dict[str, Decimal]] = {c: defaultdict(Decimal) for c in CATEGORY_TITLES}
    paid: dict[str, dict[str, Decimal]] = {c: defaultdict(Decimal) for c in CATEGORY_TITLES}
    for entry in book.transactions(start, end):
        if not any(_is_cash(book, p.account) for p in entry.postings):
            continue
        for (cls, account), amount in _entry_flows(book, entry).items():
            (got if amount > 0 else paid)[cls][account] += amount
    return {
        c: {a: (got[c].get(a, ZERO), paid[c].get(a, ZERO)) for a in {*got[c], *paid[c]}}
        for c in CATEGORY_TITLES
    }


Line = tuple[str, str]  # (arus-kas class, report account)
DISPOSAL_RESULTS = (chart.LABA_PELEPASAN_ASET, chart.RUGI_PELEPASAN_ASET)


def _entry_flows(book: Book, entry: data.Transaction) -> dict[Line, Decimal]:
    """One transaction's cash lines per (class, counter-account), receipts positive: each
    counter-account's weight with the sign turned, then what one side of the transaction set
    off against the other netted out (`_net_offsets`), so that no line is cash that never
    moved (#14)."""
    moves = [ledger.weight(p) for p in entry.postings if _is_cash(book, p.account)]
    cash = sum(moves, ZERO)
    counter = [p for p in entry.postings if not _is_cash(book, p.account)]
    # Stock leaving (or coming back) at cost and its HPP cancel out inside a sale or a
    # return: they moved no cash.
    stock = [p for p in counter if p.cost is not None or _non_cash(p)]
    if stock and not sum((ledger.weight(p) for p in stock), ZERO):
        moved = [p for p in counter if not (p.cost is not None or _non_cash(p))]
    else:
        moved = [p for p in counter if not _non_cash(p)]
        if sum((ledger.weight(p) for p in moved), ZERO) != -cash:
            moved = counter
    # A gain or loss on disposal is part of the price the asset sold for, no cash of its own:
    # the sale is one receipt, on the asset's line.
    sold = next(
        (p.account for p in moved if _under(p.account, chart.ASET_TETAP) and ledger.weight(p) < 0),
        None,
    )
    lines: dict[Line, Decimal] = defaultdict(Decimal)
    for p in moved:
        account = (
            sold
            if sold is not None and any(_under(p.account, r) for r in DISPOSAL_RESULTS)
            else p.account
        )
        cls = _category(book, account)
        lines[(cls if cls in CATEGORY_TITLES else "operasi", chart.report_account(account))] -= (
            ledger.weight(p)
        )
    came_in = sum((m for m in moves if m > 0), ZERO)
    return _net_offsets(lines, came_in, came_in - cash)


def _net_offsets(
    lines: Mapping[Line, Decimal], came_in: Decimal, went_out: Decimal
) -> dict[Line, Decimal]:
    """A transaction's lines cut to the cash that came in and went out (#14): receipts above
    the cash received were set off against payments (PPh 21 withheld from a wage, PPh final
    from interest, an admin fee from a loan paid out, a penalty from a time deposit, a loan
    against a leaving member's deposits), so both sides lose that amount; the net is unchanged.
    A tax withheld becomes an outflow when it is paid to the state."""
    receipts = {k: v for k, v in lines.items() if v > 0}
    payments = {k: -v for k, v in lines.items() if v < 0}
    over = min(sum(receipts.values(), ZERO) - came_in, sum(payments.values(), ZERO) - went_out)
    if over <= 0:
        return {k: v for k, v in lines.items() if v}
    left_in, left_out = _cut(receipts, over, payments), _cut(payments, over, receipts)
    return {
        **{k: v for k, v in left_in.items() if v},
        **{k: -v for k, v in left_out.items() if v},
    }


def _cut(
    side: Mapping[Line, Decimal], amount: Decimal, other: Mapping[Line, Decimal]
) -> dict[Line, Decimal]:
    """`side` less `amount`, taken first from its lines of the classes the other side's lines
    are in (so each activity keeps its net where it can: a tax withheld from a wage is an
    operating line set off against an operating line), then from any line, larger lines first.
    Whole amounts are taken, never shares, so every line stays exact."""
    left = dict(side)
    offsets: dict[str, Decimal] = defaultdict(Decimal)
    for (cls, _), v in other.items():
        offsets[cls] += v
    order = sorted(left, key=lambda k: (-left[k], k))
    for same_class in (True, False):
        for key in order:
            take = min(left[key], amount, offsets[key[0]] if same_class else amount)
            left[key] -= take
            amount -= take
            offsets[key[0]] -= take
    return left


def _non_cash(p: data.Posting) -> bool:
    if p.cost is not None and ledger.number(p) < 0:
        return True
    return p.account.startswith(f"{EXPENSES}:HPP-")


def arus_kas(
    book: Book,
    year: int | None = None,
    *,
    periode: Period | None = None,
    banding: str = "tahun-lalu",
) -> Statement:
    """The direct-method cash flow: gross receipts and gross payments of the cash that moved
    per counter-account in each class, opening cash + net flows = closing cash."""
    period, compare = resolve(book, year, periode, banding)
    other = compare or period.year_earlier()
    now = _cash_flows(book, period.start, period.end)
    prev = _cash_flows(book, other.start, other.end)
    rows: list[Row] = []
    net: dict[str, tuple[Decimal, Decimal]] = {}
    gross: dict[str, tuple[Decimal, Decimal]] = {}
    net_now = net_prev = ZERO
    for cat, title in CATEGORY_TITLES.items():
        rows.append(Row(title, (None, None), 0))
        a_tot = b_tot = ZERO
        ordered = sorted({*now[cat], *prev[cat]}, key=lambda a: (_kode(book, a) or "9999", a))
        for side, verb in ((0, "Penerimaan"), (1, "Pengeluaran")):
            s_now = s_prev = ZERO
            for account in ordered:
                a = now[cat].get(account, (ZERO, ZERO))[side]
                b = prev[cat].get(account, (ZERO, ZERO))[side]
                if not (a or b):
                    continue
                i = accounts.info(book, account)
                rows.append(Row(f"{verb}: {i.label}", (a, b), 1, account, i.kode))
                s_now, s_prev = s_now + a, s_prev + b
            key = "penerimaan" if side == 0 else "pengeluaran"
            gross[f"{key}_{cat}"] = (s_now, s_prev)
            a_tot, b_tot = a_tot + s_now, b_tot + s_prev
        rows.append(Row(f"Kas bersih dari aktivitas {cat}", (a_tot, b_tot), 2))
        net[cat] = (a_tot, b_tot)
        net_now, net_prev = net_now + a_tot, net_prev + b_tot

    def cash(d: dt.date) -> Decimal:
        return sum((v for a, v in sums(book, None, d).items() if _is_cash(book, a)), ZERO)

    day = dt.timedelta(days=1)
    open_now, open_prev = cash(period.start - day), cash(other.start - day)
    close_now, close_prev = cash(period.end), cash(other.end)
    word = "tahun" if period.kind == "tahun" else "periode"
    rows.append(Row("Kenaikan (penurunan) kas dan bank", (net_now, net_prev), 3))
    rows.append(Row(f"Kas dan bank awal {word}", (open_now, open_prev), 1))
    rows.append(Row(f"Kas dan bank akhir {word}", (close_now, close_prev), 3))
    assert open_now + net_now == close_now and open_prev + net_prev == close_prev
    st = Statement(
        "arus-kas",
        "Laporan Arus Kas (metode langsung)",
        book.config.nama,
        period.label,
        (period.column, other.column),
        rows,
        {
            **{f"kas_bersih_{c}": v[0] for c, v in net.items()},
            **{k: v[0] for k, v in gross.items()},
            "kenaikan_kas": net_now,
            "kas_awal": open_now,
            "kas_akhir": close_now,
        },
        {
            **{f"kas_bersih_{c}": v[1] for c, v in net.items()},
            **{k: v[1] for k, v in gross.items()},
            "kenaikan_kas": net_prev,
            "kas_awal": open_prev,
            "kas_akhir": close_prev,
        },
        catatan=[
            "Penerimaan dan pengeluaran ditampilkan bruto: pinjaman yang dicairkan dan angsuran "
            "yang diterima, setoran dan penarikan simpanan, masing-masing terpisah.",
            "Setiap baris adalah kas yang benar-benar berpindah: pajak yang dipotong dari gaji "
            "atau jasa simpanan, biaya administrasi yang dipotong dari pinjaman yang dicairkan, "
            "penalti yang ditahan dari simpanan berjangka, dan utang yang diperhitungkan dengan "
            "simpanan anggota yang keluar bukan penerimaan; pembayarannya dicatat sebesar yang "
            "dibayarkan. Pajak yang dipotong menjadi pengeluaran ketika disetor ke kas negara.",
            "Setiap penerimaan/pengeluaran kas, bank, dompet digital dan QRIS digolongkan menurut "
            "golongan arus kas akun lawannya di bagan akun (arus-kas: operasi, investasi atau "
            "pendanaan; lihat 'kkmp akun daftar'); pemindahan antar-rekening kas dan bank bukan "
            "arus kas, biayanya (administrasi bank, MDR QRIS) termasuk operasi.",
            *_older_asset_payables(book),
        ],
    )
    return _finish(book, st, compare)


def _older_asset_payables(book: Book) -> list[str]:
    """The note on assets bought on credit that an older kkmp booked to the supplier's trade
    payable: paying them is investing, but that account's payments are classed as operating."""
    codes = fixed_assets.trade_payables(book)
    if not codes:
        return []
    return [
        f"Aset tetap yang dibeli kredit dan dicatat kkmp versi lama pada utang usaha pemasok "
        f"({', '.join(codes)}): pembayaran utangnya tergolong aktivitas operasi, bukan investasi "
        "(aset yang dibeli kredit sesudahnya dicatat pada utang pembelian aset tetap)."
    ]


# --- neraca saldo and buku besar ---


def neraca_saldo(book: Book, per: dt.date | Period, *, ringkas: bool = False) -> Statement:
    """Each account's balance at the end of `per` (a day, or the end of a period) beside its
    balance a year earlier, the day the neraca of that period compares with (a month end
    stays a month end, `Period.year_earlier`)."""
    period = per if isinstance(per, Period) else Period(per, per)
    # Before the books start: refused as the neraca refuses it (an empty table said nothing,
    # found by an adversarial review, #14).
    periods.require_within_books(book, period, balance=True)
    on, prev_date = period.end, period.year_earlier().end
    balances = sums(book, None, on)
    # A day a year earlier the books do not cover shows "—", as the neraca's column does
    # (adversarial review, #14: Rp0 said the cooperative had nothing then).
    covered = periods.within_books(book, Period(prev_date, prev_date), balance=True)
    previous = sums(book, None, prev_date) if covered else {}
    if ringkas:
        balances, previous = _fold(balances), _fold(previous)
    rows = []
    debit = credit = ZERO
    for account in sorted({*balances, *previous}, key=lambda a: (chart.kode_for(a) or "9999", a)):
        v, p = balances.get(account, ZERO), previous.get(account, ZERO)
        if not (v or p):
            continue
        rows.append(
            Row(
                account,
                (v if v > 0 else ZERO, -v if v < 0 else ZERO, p if covered else None),
                1,
                account,
                chart.kode_for(account),
            )
        )
        debit += max(v, ZERO)
        credit += max(-v, ZERO)
    rows.append(Row("Jumlah", (debit, credit, None), 3))
    return Statement(
        "neraca-saldo",
        "Neraca Saldo",
        book.config.nama,
        f"per {dates.fmt(on)}",
        ("Debit", "Kredit", f"Saldo {dates.fmt(prev_date)}"),
        rows,
        {"total_debit": debit, "total_kredit": credit},
    )


def _opening(book: Book, account: str, day: dt.date) -> Decimal:
    """An account's balance (its sub-accounts with it) at the start of `day`, as the trial
    balance of that day's book year counts it: income, expenses and SHU tahun berjalan start
    the year at zero, what earlier years left there counted in SHU tahun berjalan (#14)."""
    before = sums(book, None, day - dt.timedelta(days=1), year=day.year)
    return sum((v for a, v in before.items() if _under(a, account)), ZERO)


def buku_besar(
    book: Book, account: str, year: int | None = None, *, periode: Period | None = None
) -> Statement:
    account = account.strip().rstrip(":")
    if not any(_under(a, account) for a in book.opens()):
        raise KkmpError(f"Akun {account} tidak ada di bagan akun.")
    period, _ = resolve(book, year, periode, "tidak")
    start, end = period.start, period.end
    opening = _opening(book, account, start)
    rows = [Row("Saldo awal", (None, None, opening), 2, info=(dates.fmt(start), ""))]
    running = opening
    debit = credit = ZERO
    # A range over two book years: a result account starts the later year at zero, as the
    # trial balance counts it (its balance went to SHU tahun berjalan).
    years = [dt.date(y, 1, 1) for y in range(start.year + 1, end.year + 1)]

    def new_years(until: dt.date) -> None:
        nonlocal running
        while years and years[0] <= until:
            first = years.pop(0)
            now = _opening(book, account, first)
            if now != running:
                label = f"Saldo awal tahun buku {first.year}"
                rows.append(Row(label, (None, None, now), 2, info=(dates.fmt(first), "")))
                running = now

    for entry in book.transactions(start, end):
        new_years(entry.date)
        amount = sum((ledger.weight(p) for p in entry.postings if _under(p.account, account)), ZERO)
        if amount == 0 and not any(_under(p.account, account) for p in entry.postings):
            continue
        running += amount
        debit += max(amount, ZERO)
        credit += max(-amount, ZERO)
        text = (entry.narration or "") + (f" - {entry.payee}" if entry.payee else "")
        rows.append(
            Row(
                text,
                (amount if amount > 0 else ZERO, -amount if amount < 0 else ZERO, running),
                1,
                info=(dates.fmt(entry.date), str(entry.meta.get("id", ""))),
            )
        )
    new_years(end)
    rows.append(Row("Saldo akhir", (debit, credit, running), 3, info=(dates.fmt(end), "")))
    return Statement(
        "buku-besar",
        f"Buku Besar {account}",
        book.config.nama,
        period.label,
        ("Debit", "Kredit", "Saldo"),
        rows,
        {
            "saldo_awal": opening,
            "total_debit": debit,
            "total_kredit": credit,
            "saldo_akhir": running,
        },
        kolom_info=("Tanggal", "Bukti"),
    )


# --- saldo kas ---


@dataclass(frozen=True)
class CashBalance:
    akun: str
    uraian: str
    saldo: Decimal


def cash_balances(book: Book, per: dt.date) -> list[CashBalance]:
    """Every cash and bank account (and its sub-accounts) open on `per`, with its balance at
    the end of that day."""
    closes = book.closes()
    result = []
    for account, opened in sorted(
        book.opens().items(), key=lambda item: (_kode(book, item[0]) or "9999", item[0])
    ):
        if not _is_cash(book, account) or opened.date > per:
            continue
        saldo = book.balance_on(account, per)
        closed = closes.get(account)
        if closed is not None and closed.date <= per and not saldo:
            continue
        result.append(CashBalance(account, accounts.info(book, account).label, saldo))
    return result
