"""Bank financing facilities as the ledger records them: terms (on the facility account's
`open`), drawdowns, payments, the schedule, arrears and the principal due within 12 months.

A facility (PMK 49/2025: plafon up to Rp3 miliar, 6 % a year, up to 72 months, 6-8 months of
grace, monthly instalments) is one sub-account of Kewajiban:Utang-Bank per facility code.

Schedule rule: instalment k falls due k months after the facility date (on `jatuh_tempo` of
the month when given). Grace months pay interest only; interest of month k = principal
outstanding × rate / 12, rounded to the rupiah (halves up). A drawdown bears interest from the
first month that starts on or after its date. After the grace period, the principal drawn is
repaid over the remaining months by the method (anuitas: the instalment rounded to the rupiah,
its principal = instalment less interest; pokok-tetap: principal / months rounded down); the last
instalment takes the remainder, so the principal parts sum to what was drawn exactly.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, money
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding, KkmpError
from kkmp_cli.loans import schedule as loan_schedule

ZERO = Decimal(0)
KIND = "pembiayaan"  # jenis on the facility account's open
DRAW = "pembiayaan-cair"
PAY = "pembiayaan-bayar"
ACCRUE = "pembiayaan-akrual"
BAILOUT = "pembiayaan-talangan"
METHODS = ("anuitas", "pokok-tetap")
CODE_RE = re.compile(r"^[A-Z][A-Z0-9-]{0,23}$")


class PembiayaanTidakDikenal(KkmpError):
    """An unknown facility code."""


@dataclass(frozen=True)
class Facility:
    """A facility's terms, read back from the `open` of its Kewajiban:Utang-Bank sub-account."""

    kode: str
    kreditur: str
    tanggal: dt.date
    plafon: Decimal
    bunga_persen: Decimal  # per year
    tenor: int
    masa_tenggang: int
    metode: str
    jatuh_tempo: int | None  # day of the month, None: the facility date's day

    @property
    def account(self) -> str:
        return account_of(self.kode)

    @property
    def payable(self) -> str:
        return f"{chart.UTANG_BUNGA}:{self.kode}"

    @property
    def monthly_rate(self) -> Decimal:
        return self.bunga_persen / 100 / 12

    def due(self, k: int) -> dt.date:
        """Due date of instalment k (k = 0: the facility date)."""
        date = loan_schedule.add_months(self.tanggal, k)
        if k == 0 or self.jatuh_tempo is None:
            return date
        last = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=min(self.jatuh_tempo, last))

    @property
    def last_draw_date(self) -> dt.date:
        """Drawdowns end when repayment starts: at the end of the grace period."""
        return self.due(self.masa_tenggang)


@dataclass(frozen=True)
class Row:
    ke: int
    jatuh_tempo: dt.date
    pokok: Decimal
    bunga: Decimal
    sisa_pokok: Decimal

    @property
    def angsuran(self) -> Decimal:
        return self.pokok + self.bunga


def account_of(kode: str) -> str:
    return f"{chart.UTANG_BANK}:{kode}"


def facilities(book: Book) -> dict[str, Facility]:
    """Every facility by code, in the order they were opened."""

    def build() -> dict[str, Facility]:
        found = {}
        for entry in sorted(book.opens().values(), key=lambda o: (o.date, o.account)):
            meta = entry.meta
            if meta.get("jenis") != KIND:
                continue
            kode = str(meta[KIND])
            day = meta.get("jatuh_tempo")
            found[kode] = Facility(
                kode=kode,
                kreditur=str(meta.get("kreditur", "")),
                tanggal=entry.date,
                plafon=Decimal(meta["plafon"]),
                bunga_persen=Decimal(meta["bunga_persen"]),
                tenor=int(Decimal(meta["tenor"])),
                masa_tenggang=int(Decimal(meta.get("masa_tenggang", 0))),
                metode=str(meta.get("metode", "anuitas")),
                jatuh_tempo=int(Decimal(day)) if day is not None else None,
            )
        return found

    return book.memo("facilities", build)  # type: ignore[no-any-return]


def require(book: Book, kode: str) -> Facility:
    key = kode.strip().upper()
    found = facilities(book).get(key)
    if found is None:
        known = ", ".join(facilities(book)) or "belum ada"
        raise PembiayaanTidakDikenal(
            f"Pembiayaan '{kode}' tidak dikenal (yang tercatat: {known}); catat dulu dengan "
            "'kkmp pembiayaan tambah'."
        )
    return found


class SubLedgers(ledger.Index):
    """The transactions of the fixed-asset and bank-financing sub-ledgers (those carrying an
    asset or a facility code) and the documents a `koreksi` reversed, with the reversal's date
    (#16: the asset register and the facilities no longer walk every transaction since the
    books began)."""

    version = 2  # raised whenever `fold` changes: a kept copy of another version is not used

    def __init__(self) -> None:
        self.entries: list[data.Transaction] = []
        self.reversed: dict[str, dt.date] = {}

    def fold(self, entry: data.Directive) -> None:
        if not isinstance(entry, data.Transaction):
            return
        meta = entry.meta
        if meta.get("jenis") == "koreksi" and "koreksi" in meta:
            self.reversed[str(meta["koreksi"])] = entry.date
        if KIND in meta or "aset" in meta:
            self.entries.append(entry)


def live(book: Book, end: dt.date | None = None) -> list[data.Transaction]:
    """The sub-ledgers' transactions (with an asset or facility code) up to `end`, less those
    a koreksi dated on or before `end` reversed: the sub-ledger as the ledger stood that day
    (a reversal is dated on its own day, #14)."""
    index = book.index(SubLedgers)
    gone = index.reversed
    return [
        e for e in index.entries if (end is None or e.date <= end) and not taken_back(gone, e, end)
    ]


def taken_back(
    reversals: dict[str, dt.date], entry: data.Transaction, end: dt.date | None = None
) -> bool:
    """Whether a koreksi reversed `entry` (by the end of `end`, when given)."""
    on = reversals.get(str(entry.meta.get("id")))
    return on is not None and (end is None or on <= end)


def entries_of(
    book: Book, kode: str, jenis: str, end: dt.date | None = None
) -> list[data.Transaction]:
    return [e for e in live(book, end) if e.meta.get(KIND) == kode and e.meta.get("jenis") == jenis]


def draws(book: Book, f: Facility, end: dt.date | None = None) -> list[tuple[dt.date, Decimal]]:
    """(date, amount) of every drawdown: credits to the facility account by `cair`."""
    return [
        (e.date, -sum((ledger.number(p) for p in e.postings if p.account == f.account), ZERO))
        for e in entries_of(book, f.kode, DRAW, end)
    ]


def schedule(f: Facility, drawn: list[tuple[dt.date, Decimal]]) -> tuple[Row, ...]:
    """The instalment plan of what was drawn (see the module's rounding rule)."""
    r = f.monthly_rate
    rows = []
    for k in range(1, f.masa_tenggang + 1):
        start = f.due(k - 1)
        outstanding = sum((a for d, a in drawn if d <= start), ZERO)
        rows.append(Row(k, f.due(k), ZERO, money.round_half_up(outstanding * r), outstanding))
    principal = sum((a for d, a in drawn if d <= f.last_draw_date), ZERO)
    n = f.tenor - f.masa_tenggang
    if principal <= 0 or n <= 0:
        return tuple(rows)
    discount = 1 - (1 + r) ** -n if r > 0 else ZERO
    annuity = f.metode == "anuitas" and discount
    payment = money.round_half_up(principal * r / discount) if annuity else ZERO
    base = money.floor(principal / n)
    outstanding = principal
    for i in range(1, n + 1):
        k = f.masa_tenggang + i
        bunga = money.round_half_up(outstanding * r)
        pokok = payment - bunga if annuity else base
        if i == n:
            pokok = outstanding
        pokok = min(pokok, outstanding)
        outstanding -= pokok
        rows.append(Row(k, f.due(k), pokok, bunga, outstanding))
    return tuple(rows)


def plan_of(book: Book, f: Facility) -> tuple[Row, ...]:
    return schedule(f, draws(book, f))


@dataclass(frozen=True)
class State:
    """A facility on a date: drawn, paid, outstanding, arrears and the next instalment."""

    facility: Facility
    per: dt.date
    dicairkan: Decimal
    sisa_pokok: Decimal
    pokok_dibayar: Decimal
    bunga_dibayar: Decimal
    bunga_terutang: Decimal  # accrued and not yet paid (Kewajiban:Utang-Bunga)
    tunggakan_pokok: Decimal
    tunggakan_bunga: Decimal
    jatuh_tempo_berikut: dt.date | None
    angsuran_berikut: Decimal


def paid(book: Book, f: Facility, end: dt.date | None = None) -> tuple[Decimal, Decimal]:
    """(principal, interest) paid by the cooperative or a third party up to `end`."""
    pokok = bunga = ZERO
    for jenis in (PAY, BAILOUT):
        for e in entries_of(book, f.kode, jenis, end):
            pokok += Decimal(e.meta.get("pokok", 0))
            bunga += Decimal(e.meta.get("bunga", 0))
    return pokok, bunga


def due_through(rows: tuple[Row, ...], date: dt.date) -> tuple[Decimal, Decimal]:
    """(principal, interest) of the instalments falling due on or before `date`."""
    due = [r for r in rows if r.jatuh_tempo <= date]
    return sum((r.pokok for r in due), ZERO), sum((r.bunga for r in due), ZERO)


def state(book: Book, f: Facility, per: dt.date) -> State:
    rows = plan_of(book, f)
    drawn = sum((a for _, a in draws(book, f, per)), ZERO)
    pokok_paid, bunga_paid = paid(book, f, per)
    pokok_due, bunga_due = due_through(rows, per)
    upcoming = next((r for r in rows if r.jatuh_tempo > per), None)
    return State(
        facility=f,
        per=per,
        dicairkan=drawn,
        sisa_pokok=-book.balance_on(f.account, per),
        pokok_dibayar=pokok_paid,
        bunga_dibayar=bunga_paid,
        bunga_terutang=-book.balance_on(f.payable, per),
        tunggakan_pokok=max(ZERO, pokok_due - pokok_paid),
        tunggakan_bunga=max(ZERO, bunga_due - bunga_paid),
        jatuh_tempo_berikut=upcoming.jatuh_tempo if upcoming else None,
        angsuran_berikut=upcoming.angsuran if upcoming else ZERO,
    )


def states(book: Book, per: dt.date) -> list[State]:
    return [state(book, f, per) for f in facilities(book).values() if f.tanggal <= per]


def current_portion(book: Book, date: dt.date, kode: str | None = None) -> Decimal:
    """Principal due within 12 months after `date` (and any already in arrears), by the
    schedule: the current part of the bank debt on the neraca; the rest of the outstanding
    principal is long-term. One facility by `kode`, else all of them."""
    total = ZERO
    horizon = loan_schedule.add_months(date, 12)
    for f in facilities(book).values():
        if (kode is not None and f.kode != kode) or f.tanggal > date:
            continue
        outstanding = -book.balance_on(f.account, date)
        if outstanding <= 0:
            continue
        due, _ = due_through(plan_of(book, f), horizon)
        pokok_paid, _ = paid(book, f, date)
        total += min(outstanding, max(ZERO, due - pokok_paid))
    return total


def expensed_interest(book: Book, f: Facility, end: dt.date) -> Decimal:
    """Interest of the facility already in the result up to `end` (paid as expense or accrued)."""
    total = ZERO
    for e in live(book, end):
        if e.meta.get(KIND) == f.kode:
            total += sum(
                (ledger.number(p) for p in e.postings if p.account == chart.BEBAN_BUNGA), ZERO
            )
    return total


def unaccrued(book: Book, f: Facility, end: dt.date) -> Decimal:
    """Interest of the instalments due by `end` that is neither paid nor accrued."""
    _, due = due_through(plan_of(book, f), end)
    return max(ZERO, due - expensed_interest(book, f, end))


def findings(book: Book) -> list[Finding]:
    """Each facility against its terms (`periksa`): drawn above the plafon, principal paid
    above what was drawn."""
    found = []
    for f in facilities(book).values():
        opened = book.opens()[f.account]
        where = (str(opened.meta.get("filename", "?")), int(opened.meta.get("lineno", 0) or 0))
        drawn = sum((a for _, a in draws(book, f)), ZERO)
        pokok, _ = paid(book, f)
        if drawn > f.plafon:
            found.append(
                Finding(
                    *where,
                    f"pembiayaan {f.kode} dicairkan {money.fmt(drawn)}, melebihi plafon "
                    f"{money.fmt(f.plafon)}",
                )
            )
        if pokok > drawn:
            found.append(
                Finding(
                    *where,
                    f"pokok pembiayaan {f.kode} dibayar {money.fmt(pokok)}, melebihi yang "
                    f"dicairkan {money.fmt(drawn)}",
                )
            )
    return found
