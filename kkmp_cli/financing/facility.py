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

Pelunasan dipercepat (a payment carrying principal ahead of the schedule, its `dipercepat`
metadata): every instalment whose month began before its date is paid first, then the rest is
one row of principal on its own date; from the first month that begins on or after that date
the schedule is reckoned again on the lower principal, by the payment's `kurangi`: `angsuran`
(the tenor stays, the instalment falls) or `tenor` (the instalment stays, the schedule ends
sooner). A payment marked `lunas` repays everything: the schedule ends there.

Accrual (SAK EP's accrual basis): a month's accrual makes a payable of the interest of the
instalments due by its end that is neither paid nor accrued; the December accrual also takes
the days of the next instalment's month run by 31 December, that instalment's interest × days
since the previous due date / days of its month (actual days), rounded half up. A payment
settles the accrued interest first.
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
# The interest accrued on a drawdown, taken back with the drawdown's koreksi (#11).
ACCRUAL_ADJUSTMENT = "pembiayaan-akrual-sesuai"
METHODS = ("anuitas", "pokok-tetap")
# What a prepayment lowers (the payment's `kurangi`): the instalment (the tenor stays), or the
# tenor (the instalment stays). The first is the default: the agreement's end date stays.
REDUCE = ("angsuran", "tenor")
CODE_RE = re.compile(r"^[A-Z][A-Z0-9-]{0,23}$")


class PembiayaanTidakDikenal(KkmpError):
    """An unknown facility code."""


class PembiayaanTidakDapatDikoreksi(KkmpError):
    """A koreksi of a prepayment, or of a payment, that later entries of its facility follow
    (they were reckoned with it)."""


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
    ke: int  # 0: principal repaid ahead of the schedule (pelunasan dipercepat)
    jatuh_tempo: dt.date
    pokok: Decimal
    bunga: Decimal
    sisa_pokok: Decimal

    @property
    def angsuran(self) -> Decimal:
        return self.pokok + self.bunga

    @property
    def dipercepat(self) -> bool:
        return self.ke == 0


@dataclass(frozen=True)
class Prepayment:
    """Principal repaid ahead of the schedule, as its payment's metadata records it."""

    tanggal: dt.date
    pokok: Decimal
    kurangi: str  # one of REDUCE
    lunas: bool  # everything repaid: the schedule ends


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


def count_taken_back(book: Book, kode: str, jenis: str, date: dt.date) -> int:
    """How many entries of the facility of `jenis` dated `date` a koreksi reversed."""
    index = book.index(SubLedgers)
    return sum(
        1
        for e in index.entries
        if e.date == date
        and e.meta.get(KIND) == kode
        and e.meta.get("jenis") == jenis
        and e.meta.get("id") in index.reversed
    )


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


def draws(
    book: Book, f: Facility, end: dt.date | None = None, without: str | None = None
) -> list[tuple[dt.date, Decimal]]:
    """(date, amount) of every drawdown: credits to the facility account by `cair` (but the
    one whose id is `without`, as if a koreksi took it back)."""
    return [
        (e.date, -sum((ledger.number(p) for p in e.postings if p.account == f.account), ZERO))
        for e in entries_of(book, f.kode, DRAW, end)
        if without is None or e.meta.get("id") != without
    ]


def _terms(f: Facility, principal: Decimal, months: int) -> tuple[Decimal, Decimal, bool]:
    """(annuity instalment, fixed principal, annuity?) of `principal` over `months`."""
    r = f.monthly_rate
    discount = 1 - (1 + r) ** -months if r > 0 else ZERO
    annuity = f.metode == "anuitas" and bool(discount)
    payment = money.round_half_up(principal * r / discount) if annuity else ZERO
    return payment, money.floor(principal / months), annuity


def _amortize(
    f: Facility,
    outstanding: Decimal,
    months: tuple[int, int],
    terms: tuple[Decimal, Decimal, bool],
    shorten: bool = False,
) -> list[Row]:
    """Instalments first..last repaying `outstanding` (the last takes the remainder); with
    `shorten` (the instalment kept after a prepayment) they end when the principal runs out."""
    first, last = months
    payment, base, annuity = terms
    rows = []
    for k in range(first, last + 1):
        bunga = money.round_half_up(outstanding * f.monthly_rate)
        pokok = payment - bunga if annuity else base
        if k == last:
            pokok = outstanding
        pokok = min(pokok, outstanding)
        outstanding -= pokok
        rows.append(Row(k, f.due(k), pokok, bunga, outstanding))
        if shorten and outstanding <= 0:
            break
    return rows


def _interest_only(f: Facility, k: int, outstanding: Decimal) -> Row:
    """A grace month: interest on the principal outstanding as it begins."""
    return Row(k, f.due(k), ZERO, money.round_half_up(outstanding * f.monthly_rate), outstanding)


def began(f: Facility, row: Row, date: dt.date) -> bool:
    """The row's month began before `date` (a prepayment row: dated on or before it)."""
    return row.jatuh_tempo <= date if row.dipercepat else f.due(row.ke - 1) < date


def _reckon(f: Facility, rows: list[Row], p: Prepayment) -> list[Row]:
    """The schedule after a prepayment (see the module's rule)."""
    kept = 0
    while kept < len(rows) and began(f, rows[kept], p.tanggal):
        kept += 1
    rest = rows[kept:]
    if not rest:
        return rows
    start = rest[0].pokok + rest[0].sisa_pokok  # the principal as that month begins
    ahead = start if p.lunas else min(p.pokok, start)
    outstanding = start - ahead
    result = [*rows[:kept], Row(0, p.tanggal, ahead, ZERO, outstanding)]
    if outstanding <= 0:
        return result
    result += [_interest_only(f, k, outstanding) for k in range(rest[0].ke, f.masa_tenggang + 1)]
    first = max(rest[0].ke, f.masa_tenggang + 1)
    last = rest[-1].ke
    if first > last:
        return result
    before = next(r for r in rest if r.ke >= first)
    shorten = p.kurangi == "tenor"
    if shorten:
        terms = (before.angsuran, before.pokok, f.metode == "anuitas")
    else:
        terms = _terms(f, outstanding, last - first + 1)
    return result + _amortize(f, outstanding, (first, last), terms, shorten)


def schedule(
    f: Facility, drawn: list[tuple[dt.date, Decimal]], prepaid: tuple[Prepayment, ...] = ()
) -> tuple[Row, ...]:
    """The instalment plan of what was drawn, reckoned again after each prepayment (see the
    module's rounding rule)."""
    rows = [
        _interest_only(f, k, sum((a for d, a in drawn if d <= f.due(k - 1)), ZERO))
        for k in range(1, f.masa_tenggang + 1)
    ]
    principal = sum((a for d, a in drawn if d <= f.last_draw_date), ZERO)
    n = f.tenor - f.masa_tenggang
    if principal > 0 and n > 0:
        months = (f.masa_tenggang + 1, f.tenor)
        rows += _amortize(f, principal, months, _terms(f, principal, n))
    for p in sorted(prepaid, key=lambda p: p.tanggal):
        rows = _reckon(f, rows, p)
    return tuple(rows)


def prepayments(book: Book, f: Facility, end: dt.date | None = None) -> tuple[Prepayment, ...]:
    """The facility's prepayments up to `end`, from their payments' metadata."""
    return tuple(
        Prepayment(
            e.date,
            Decimal(e.meta["dipercepat"]),
            str(e.meta.get("kurangi", REDUCE[0])),
            e.meta.get("lunas") == "ya",
        )
        for e in entries_of(book, f.kode, PAY, end)
        if "dipercepat" in e.meta
    )


def require_correctable(book: Book, original: data.Transaction, date: dt.date) -> None:
    """`koreksi`: an accrual is taken back on its own day only (a later reversal, with the
    month accrued again, would hold the interest twice in between); a prepayment only while
    nothing of its facility follows it (what follows was reckoned on the schedule it made); an
    instalment only while no later payment's split needs it (`operations.require_reversible`);
    a drawdown only while no payment is dated on or after it (`_require_draw_correctable`)."""
    kode = original.meta.get(KIND)
    jenis = original.meta.get("jenis")
    if jenis == DRAW:
        _require_draw_correctable(book, original, date)
        return
    if jenis == ACCRUAL_ADJUSTMENT:
        raise PembiayaanTidakDapatDikoreksi(
            f"{original.meta.get('id')} tidak dapat dikoreksi: penyesuaian akrual bunga itu "
            f"menyertai koreksi pencairan {original.meta.get('pencairan')}, dan bunganya "
            "dihitung dari jadwal tanpa pencairan itu."
        )
    if jenis == ACCRUE and date != original.date:
        raise PembiayaanTidakDapatDikoreksi(
            f"Akrual bunga {original.meta.get('id')} dikoreksi pada tanggalnya sendiri "
            f"({original.date:%d-%m-%Y}), agar bunga bulan itu tidak tercatat dua kali sampai "
            "tanggal koreksinya."
        )
    if jenis != PAY or "dipercepat" not in original.meta:
        from kkmp_cli.financing import operations  # the splits are reckoned there

        operations.require_reversible(book, original, date)
        return
    later = sorted(
        (e for e in live(book) if e.meta.get(KIND) == kode and e.date > original.date),
        key=lambda e: e.date,
    )
    if later:
        raise PembiayaanTidakDapatDikoreksi(
            f"{original.meta.get('id')} tidak dapat dikoreksi: pelunasan dipercepat {kode} itu "
            f"menghitung ulang jadwal, dan sesudahnya sudah ada {later[-1].meta.get('id')} "
            f"({later[-1].date:%d-%m-%Y}); koreksi dulu transaksi sesudahnya, mulai dari yang "
            "terakhir."
        )


def _require_draw_correctable(book: Book, original: data.Transaction, date: dt.date) -> None:
    """`koreksi` of a drawdown: the payments dated on or after it were split on a schedule with
    it (they are taken back first, the last first, as a member loan's instalments before its
    disbursement); an accrual dated after the koreksi reckoned interest on it, which the
    koreksi takes back on its own day only up to that day (`interest_taken_back`)."""
    f = require(book, str(original.meta.get(KIND)))
    doc = original.meta.get("id")
    last = max(
        (e for j in (PAY, BAILOUT) for e in entries_of(book, f.kode, j) if e.date >= original.date),
        key=lambda e: e.date,
        default=None,
    )
    if last is not None:
        raise PembiayaanTidakDapatDikoreksi(
            f"{doc} tidak dapat dikoreksi: sesudah pencairan itu sudah ada pembayaran {f.kode} "
            f"{last.meta.get('id')} ({last.date:%d-%m-%Y}) yang membagi bunga dan pokok menurut "
            "jadwal dengan pencairan itu; koreksi dulu pembayaran pembiayaan itu, mulai dari "
            "yang terakhir."
        )
    last = last_accrual(book, f)
    if last is not None and last.date > date:
        raise PembiayaanTidakDapatDikoreksi(
            f"Koreksi {doc} bertanggal {date:%d-%m-%Y} mendahului akrual {last.meta.get('id')} "
            f"({last.date:%d-%m-%Y}) yang menghitung bunga atas pencairan itu; beri tanggal "
            f"koreksi pada atau sesudah {last.date:%d-%m-%Y}, agar bunga yang diakrualkan atas "
            "pencairan itu ikut dikoreksi."
        )


def interest_taken_back(
    book: Book, original: data.Transaction, date: dt.date
) -> list[data.Directive]:
    """With the koreksi of a drawdown on `date`: the interest accrued on it taken back on the
    same day ("Penyesuaian akrual bunga pembiayaan": the payable against the expense), so the
    payable holds what the schedule without it owes (`owed_interest`), as a member loan's
    disbursement koreksi takes back the jasa accrued on it."""
    if original.meta.get("jenis") != DRAW:
        return []
    f = require(book, str(original.meta.get(KIND)))
    doc = str(original.meta.get("id"))
    if f.payable not in book.opens():
        return []
    rows = schedule(f, draws(book, f, date, without=doc), prepayments(book, f, date))
    amount = -book.balance_on(f.payable, date) - owed_interest(book, f, rows, date)
    if amount <= 0:
        return []
    meta = {
        "id": book.next_id("BM", date.year),
        "jenis": ACCRUAL_ADJUSTMENT,
        KIND: f.kode,
        "pencairan": doc,
    }
    postings = [ledger.posting(f.payable, amount), ledger.posting(chart.BEBAN_BUNGA, -amount)]
    narration = (
        f"Penyesuaian akrual bunga pembiayaan {f.kode}: bunga atas pencairan {doc} yang dikoreksi"
    )
    return [ledger.transaction(date, narration, postings, payee=f.kreditur, meta=meta)]


def last_accrual(book: Book, f: Facility, end: dt.date | None = None) -> data.Transaction | None:
    """The facility's latest accrual up to `end` that no koreksi took back."""
    return max(entries_of(book, f.kode, ACCRUE, end), key=lambda e: e.date, default=None)


def owed_interest(
    book: Book, f: Facility, rows: tuple[Row, ...], end: dt.date | None = None
) -> Decimal:
    """What the interest payable holds at the end of `end` by the schedule `rows`: the
    interest the accruals reckoned (`accrued_by` the latest accrual's day) less the interest
    paid, never below zero."""
    accrued = last_accrual(book, f, end)
    if accrued is None:
        return ZERO
    due = accrued_by(f, rows, accrued.date)
    return max(ZERO, due - paid(book, f, end)[1])


def paid_off(book: Book, f: Facility) -> dt.date | None:
    """The day the facility was repaid in full ahead of its schedule, if it was."""
    return next((p.tanggal for p in prepayments(book, f) if p.lunas), None)


def plan_of(book: Book, f: Facility, end: dt.date | None = None) -> tuple[Row, ...]:
    """The facility's schedule as it stands after the drawdowns and prepayments up to `end`
    (all of them when `end` is None): a report as of a day reads the schedule known on that
    day, so a drawdown of a later year leaves a closed year's neraca as it was (#11)."""
    return schedule(f, draws(book, f, end), prepayments(book, f, end))


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


def running_interest(f: Facility, rows: tuple[Row, ...], end: dt.date) -> Decimal:
    """Interest of the instalment falling due after `end` for the days of its month run by
    `end`: the schedule's interest of that month × days from its previous due date to `end` /
    days from the previous due date to its own (actual days), rounded to the rupiah (halves
    up). What a year-end accrual adds, SAK EP's accrual basis (domain.md §8)."""
    row = next((r for r in rows if r.jatuh_tempo > end and not r.dipercepat), None)
    if row is None:
        return ZERO
    start = f.due(row.ke - 1)
    if start >= end:
        return ZERO
    return money.round_half_up(row.bunga * (end - start).days / (row.jatuh_tempo - start).days)


def accrued_by(f: Facility, rows: tuple[Row, ...], end: dt.date) -> Decimal:
    """The interest the accrual basis holds incurred by the end of `end` (a month's end): that
    of the instalments due by then and, at the year's end (31 December), the running part of
    the next one (`running_interest`), so the year bears its interest to its last day."""
    _, due = due_through(rows, end)
    if (end.month, end.day) == (12, 31):
        due += running_interest(f, rows, end)
    return due


def state(book: Book, f: Facility, per: dt.date) -> State:
    rows = plan_of(book, f, per)
    drawn = sum((a for _, a in draws(book, f, per)), ZERO)
    pokok_paid, bunga_paid = paid(book, f, per)
    pokok_due, bunga_due = due_through(rows, per)
    upcoming, left = next_due(rows, pokok_paid + bunga_paid, per)
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
        angsuran_berikut=left,
    )


def next_due(rows: tuple[Row, ...], paid: Decimal, per: dt.date) -> tuple[Row | None, Decimal]:
    """The first instalment falling due after `per` that the payments (`paid`, principal and
    interest) do not yet cover, taking the schedule's rows in order, and what is left of it: an
    instalment paid early, alone or with a prepayment, is not the next one (#11)."""
    covered = ZERO
    for r in rows:
        covered += r.angsuran
        if r.jatuh_tempo > per and not r.dipercepat and covered > paid:
            return r, min(r.angsuran, covered - paid)
    return None, ZERO


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
        due, _ = due_through(plan_of(book, f, date), horizon)
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
    """Interest incurred by `end` (`accrued_by`) that is neither paid nor accrued."""
    due = accrued_by(f, plan_of(book, f, end), end)
    return max(ZERO, due - expensed_interest(book, f, end))


def findings(book: Book) -> list[Finding]:
    """Each facility against its terms (`periksa`): drawn above the plafon, principal paid
    above what was drawn, an interest payable other than its schedule's (`payable_finding`)."""
    found = []
    for f in facilities(book).values():
        opened = book.opens()[f.account]
        where = (str(opened.meta.get("filename", "?")), int(opened.meta.get("lineno", 0) or 0))
        found += payable_finding(book, f)
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


def payable_finding(book: Book, f: Facility) -> list[Finding]:
    """`periksa`: the facility's interest payable against its schedule (`owed_interest`): more
    is interest the bank is not owed (an older kkmp left the interest accrued on a drawdown
    its koreksi took back), less is interest due and neither paid nor accrued (a payment
    taken back after its month was accrued)."""
    held = -book.balance(f.payable) if f.payable in book.opens() else ZERO
    owed = owed_interest(book, f, plan_of(book, f))
    if held == owed:
        return []
    opened = book.opens().get(f.payable) or book.opens()[f.account]
    where = (str(opened.meta.get("filename", "?")), int(opened.meta.get("lineno", 0) or 0))
    last = last_accrual(book, f)
    basis = "belum ada akrual"
    way = "jalankan 'kkmp pembiayaan akrual' untuk bulan berjalan"
    if last is not None:
        basis = (
            "bunga angsuran yang jatuh tempo sampai akrual terakhir "
            f"{last.meta.get('id')} ({last.date:%d-%m-%Y}) dikurangi bunga yang sudah dibayar"
        )
    if last is not None and held > owed:
        way = (
            "bunga yang tidak terutang itu berasal dari akrual yang tidak lagi sesuai jadwal "
            "(mis. atas pencairan yang sudah dikoreksi); koreksi akrual itu pada tanggalnya, lalu "
            + way
        )
    return [
        Finding(
            *where,
            f"{f.payable} (utang bunga pembiayaan {f.kode}) {money.fmt(held)}, padahal menurut "
            f"jadwal {money.fmt(owed)} ({basis}): {way}",
        )
    ]
