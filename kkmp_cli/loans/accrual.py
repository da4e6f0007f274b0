"""Accrual of loan jasa (SAK EP, Permenkop 2/2024; `pinjaman.pengakuan_jasa: akrual`): the jasa
of instalments due in a month and not paid by its end becomes a receivable and income, once per
month; a loan classed kurang lancar or worse accrues nothing more and its accrued jasa is
reversed (non-accrual); payments settle the receivable before they are income."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from kkmp_cli import chart, dates, money
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError, PeriodeDitutup, TanggalTidakValid
from kkmp_cli.loans import portfolio as pf

ZERO = Decimal(0)
ACCRUAL = "pinjaman-akrual"
ADJUSTMENT = pf.ACCRUAL_ADJUSTMENT


class Move(NamedTuple):
    """One movement of a loan's accrued-jasa receivable."""

    date: dt.date
    seq: int  # place in the ledger's order
    amount: Decimal
    doc: str
    jenis: str


class AkrualDitolak(KkmpError):
    """Accrual where the cooperative recognises jasa in cash, or a month accrued twice."""


def _owner(entry: data.Transaction, p: data.Posting) -> str | None:
    owner = (p.meta or {}).get("pinjaman", entry.meta.get("pinjaman"))
    return str(owner) if owner is not None else None


class AccrualIndex(ledger.Index):
    """The accrued-jasa receivable's movements per loan, the months accrued, and where each
    loan's entries stand in the ledger's order (#16): what replaying a loan's receivable needs
    when an entry is dated before an accrual already booked (#13)."""

    version = 2  # 2: each move's document and kind, the ledger order of loan entries

    def __init__(self) -> None:
        self.moves: dict[str, list[Move]] = {}
        self.months: dict[str, str] = {}
        self.order: dict[str, int] = {}  # document → place in the ledger's order
        self.seen = 0

    def fold(self, entry: data.Directive) -> None:
        if not isinstance(entry, data.Transaction):
            return
        self.seen += 1
        doc = doc_of(entry)
        jenis = str(entry.meta.get("jenis", ""))
        for p in entry.postings:
            if p.account == chart.PIUTANG_JASA:
                owner = _owner(entry, p)
                if owner is not None:
                    move = Move(entry.date, self.seen, ledger.number(p), doc, jenis)
                    self.moves.setdefault(owner, []).append(move)
        if jenis == ACCRUAL:
            self.months[str(entry.meta["bulan"])] = doc
        loan_entry = "pinjaman" in entry.meta or any(map(pf.LOAN_ID_RE.match, entry.links))
        if doc and (jenis == ACCRUAL or loan_entry):
            self.order[doc] = self.seen


def receivables(book: Book, per: dt.date | None = None) -> dict[str, Decimal]:
    """Accrued jasa still receivable per loan (every entry, or those dated up to `per`)."""
    result: dict[str, Decimal] = {}
    for owner, moves in book.index(AccrualIndex).moves.items():
        dated = [m.amount for m in moves if per is None or m.date <= per]
        if dated:
            result[owner] = sum(dated, Decimal(0))
    return result


def held_on(book: Book, loan_id: str, date: dt.date) -> Decimal:
    """What of the loan's accrued jasa an entry dated `date` may settle: the receivable at the
    end of that day (an accrual booked later is set right by `adjustments`, #13)."""
    return max(receivables(book, date).get(loan_id, ZERO), ZERO)


def accrued_months(book: Book) -> dict[str, str]:
    """The months already accrued ('2025-03') and the document of each."""
    return dict(book.index(AccrualIndex).months)


def negative_days(book: Book) -> dict[str, tuple[dt.date, Decimal]]:
    """Loans whose receivable was below zero at the end of some day: the first such day and
    the balance then (`periksa`, #13)."""
    found = {}
    for owner, moves in book.index(AccrualIndex).moves.items():
        for day, balance in _end_of_day(moves).items():
            if balance < 0:
                found[owner] = (day, balance)
                break
    return found


def _end_of_day(moves: list[Move], start: Decimal = ZERO) -> dict[dt.date, Decimal]:
    running, result = start, {}
    for move in sorted(moves, key=lambda m: (m.date, m.seq)):
        running += move.amount
        result[move.date] = running
    return result


def parse_month(text: str) -> tuple[int, int]:
    try:
        return dates.parse_month(text)
    except TanggalTidakValid as exc:
        raise AkrualDitolak(str(exc)) from exc


def _due_unpaid(st: pf.LoanState, start: dt.date, end: dt.date) -> Decimal:
    return sum(
        (
            r.angsuran.jasa - r.jasa_dibayar
            for r in st.angsuran
            if start <= r.angsuran.jatuh_tempo <= end and r.jasa_dibayar < r.angsuran.jasa
        ),
        ZERO,
    )


def _month_amount(st: pf.LoanState, held: Decimal, start: dt.date) -> Decimal:
    """What a month's accrual books for one loan standing at `st` on the month's last day and
    holding `held`: the jasa due in the month and unpaid, or, for a loan classed kurang lancar
    or worse, the reversal of what is held (non-accrual); nothing for a finished loan."""
    if st.status != "berjalan":
        return ZERO
    if st.kolektibilitas in pf.NON_PERFORMING:
        return -held
    return _due_unpaid(st, start, st.per)


def accrue(book: Book, year: int, month: int) -> list[data.Directive]:
    """The month's accrual entry, dated the month's last day."""
    if book.config.pinjaman.pengakuan_jasa != "akrual":
        raise AkrualDitolak(
            "koperasi.yaml memakai pinjaman.pengakuan_jasa: kas (jasa diakui saat dibayar); "
            "ubah menjadi akrual untuk mengakui jasa yang jatuh tempo sebagai piutang."
        )
    label = f"{year:04d}-{month:02d}"
    if year in book.closed_years():
        raise PeriodeDitutup(f"Tahun buku {year} sudah ditutup; akrual {label} tidak dicatat.")
    done = accrued_months(book)
    if label in done:
        raise AkrualDitolak(f"Jasa bulan {label} sudah diakrualkan ({done[label]}).")
    start = dt.date(year, month, 1)
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    held = receivables(book, end)
    postings: list[data.Posting] = []
    total = ZERO
    paid_later = []
    for loan in pf.loans(book).values():
        if loan.tanggal > end:
            continue
        pays = pf.payments(book, loan)
        if any(p.tanggal > end for p in pays):
            paid_later.append(loan)
        known = [p for p in pays if p.tanggal <= end]
        st = pf.state(book, loan, end, pays=known)
        amount = _month_amount(st, held.get(loan.id, ZERO), start)
        if amount:
            postings.append(_owned(chart.PIUTANG_JASA, amount, loan.id))
            total += amount
    if not postings:
        raise AkrualDitolak(f"Tidak ada jasa yang perlu diakrualkan untuk bulan {label}.")
    postings.append(ledger.posting(chart.JASA_PINJAMAN, -total))
    meta = {"id": book.next_id("BM", year), "jenis": ACCRUAL, "bulan": label}
    narration = f"Akrual jasa pinjaman bulan {label}: jasa jatuh tempo yang belum dibayar"
    if total < 0:
        narration += f" (pembalikan non-akrual {money.fmt(-total)})"
    entry = ledger.transaction(end, narration, postings, meta=meta)
    # Run after payments dated in the next month were recorded (the usual order: the month is
    # accrued a few days late), what those payments settled is set right (#13).
    later = [a for loan in paid_later for a in adjustments(book, loan, [entry])]
    return [*coop.missing_chart_opens(book), entry, *later]


def _owned(account: str, amount: Decimal, loan_id: str) -> data.Posting:
    return data.Posting(
        account, data.Amount(amount, ledger.CURRENCY), None, None, None, {"pinjaman": loan_id}
    )


def total(entries: list[data.Directive]) -> Decimal:
    """The jasa income an accrual entry recognises (negative: reversed)."""
    return -sum(
        (
            ledger.number(p)
            for e in entries
            if isinstance(e, data.Transaction) and e.meta.get("jenis") == ACCRUAL
            for p in e.postings
            if p.account == chart.JASA_PINJAMAN
        ),
        ZERO,
    )


# The entries whose jasa settles the receivable before it is income (`payment_postings`):
# replayed when an entry is dated before them; every other entry moves it as recorded.
PAYING = ("pinjaman-angsur", "pinjaman-lunas", "keluar-anggota")


def adjustments(
    book: Book, loan: pf.Loan, planned: Sequence[data.Directive]
) -> list[data.Transaction]:
    """Entries that keep the loan's accrued-jasa receivable right when `planned` is dated
    before an accrual or a payment already booked (#13): the receivable is replayed from the
    first planned day, each accrual reckoned again with the payments then known and each
    payment settling what was then held; where the replay and the books part, an entry on that
    day moves the receivable and the jasa income by the difference. So the receivable is never
    below zero on any day and each jasa is income once, in its period."""
    index = book.index(AccrualIndex)
    txns = [t for t in planned if isinstance(t, data.Transaction)]
    months = dict(index.months)
    months.update({str(t.meta["bulan"]): doc_of(t) for t in txns if t.meta.get("jenis") == ACCRUAL})
    if not months or not txns:
        return []
    start = min(t.date for t in txns)
    moves = list(index.moves.get(loan.id, []))
    order = dict(index.order)
    for n, t in enumerate(txns, start=index.seen + 1):
        doc = doc_of(t)
        order[doc] = n
        moves += [
            Move(t.date, n, ledger.number(p), doc, str(t.meta.get("jenis", "")))
            for p in t.postings
            if p.account == chart.PIUTANG_JASA and _owner(t, p) == loan.id
        ]
    before = sum((m.amount for m in moves if m.date < start), ZERO)
    pays = pf.payments(book, loan, planned=txns)
    replayed = _replay(book, loan, (start, before), moves, order, months, pays)
    booked = _end_of_day([m for m in moves if m.date >= start], before)
    cause = f"{txns[0].meta.get('id', 'transaksi')} bertanggal {start:%d-%m-%Y} dicatat kemudian"
    return [
        _adjustment(book, loan, day, diff, cause)
        for day, diff in _differences(replayed, booked, before)
    ]


def _differences(
    replayed: dict[dt.date, Decimal], booked: dict[dt.date, Decimal], before: Decimal
) -> Iterator[tuple[dt.date, Decimal]]:
    """Each day an adjustment must move the receivable by, so that with the adjustments of the
    days before it the books hold what the replay holds at the end of every day."""
    adjusted = ZERO  # by the adjustments of the days before
    for day, model, held in _side_by_side(replayed, booked, before):
        if diff := model - held - adjusted:
            yield day, diff
            adjusted += diff


def _side_by_side(
    replayed: dict[dt.date, Decimal], booked: dict[dt.date, Decimal], before: Decimal
) -> Iterator[tuple[dt.date, Decimal, Decimal]]:
    """Each day either moves on: the replayed and the booked receivable at its end."""
    model = held = before
    for day in sorted(set(replayed) | set(booked)):
        model = replayed.get(day, model)
        held = booked.get(day, held)
        yield day, model, held


class Departure(NamedTuple):
    """The first day a loan's booked receivable is not what the replay in date order gives."""

    loan: pf.Loan
    day: dt.date
    booked: Decimal
    replayed: Decimal


def departures(book: Book) -> list[Departure]:
    """Loans whose accrued-jasa receivable at the end of some day is not what accruing each
    month and paying in date order would have booked (`periksa`, #13): the replay
    `adjustments` keeps the books to, from each loan's first day. Books written before the
    adjustments existed part from it (a loan disbursed back-dated before an accrued month got
    none of that month's jasa; a payment dated before an accrual settled nothing)."""
    found = []
    for loan, replayed, booked in _replayed_loans(book):
        for day, model, held in _side_by_side(replayed, booked, ZERO):
            if model != held:
                found.append(Departure(loan, day, held, model))
                break
    return found


def _replayed_loans(
    book: Book,
) -> Iterator[tuple[pf.Loan, dict[dt.date, Decimal], dict[dt.date, Decimal]]]:
    """Each loan with its receivable at the end of each day as replayed from its first day
    and as booked (nothing when no month was accrued)."""
    index = book.index(AccrualIndex)
    if not index.months:
        return
    for loan in pf.loans(book).values():
        moves = index.moves.get(loan.id, [])
        start = min([loan.tanggal, *(m.date for m in moves)])
        pays = pf.payments(book, loan)
        replayed = _replay(book, loan, (start, ZERO), moves, index.order, index.months, pays)
        yield loan, replayed, _end_of_day(moves)


REALIGN_CAUSE = "buku tidak sama dengan akrual tiap bulan dan pembayaran menurut urutan tanggal"


def realign(book: Book) -> list[data.Directive]:
    """The adjustments that bring every loan's receivable to the replay `periksa` judges it by
    (`departures`, #13): books an older kkmp wrote are set right by a command, not by hand.
    Each is the entry `adjustments` writes, dated on each day the books and the replay part."""
    planned: list[data.Transaction] = []
    for loan, replayed, booked in _replayed_loans(book):
        differences = list(_differences(replayed, booked, ZERO))
        closed = [day for day, _ in differences if day.year in book.closed_years()]
        if closed:
            raise PeriodeDitutup(
                f"Penyesuaian akrual jasa pinjaman {loan.id} bertanggal {closed[0]:%d-%m-%Y}, "
                f"tetapi tahun buku {closed[0].year} sudah ditutup; buka kembali tahun itu "
                f"dengan 'kkmp tutup-buku {closed[0].year} --buka --alasan ... --disetujui ...' "
                "lalu jalankan perintah ini lagi."
            )
        planned += [_adjustment(book, loan, day, diff, REALIGN_CAUSE) for day, diff in differences]
    if not planned:
        raise AkrualDitolak(
            "Tidak ada piutang jasa pinjaman yang perlu disesuaikan: setiap pinjaman sudah "
            "sama dengan akrual tiap bulan dan pembayaran menurut urutan tanggal."
        )
    return [*coop.missing_chart_opens(book), *planned]


def doc_of(entry: data.Transaction) -> str:
    return str(entry.meta.get("id", ""))


def _replay(
    book: Book,
    loan: pf.Loan,
    since: tuple[dt.date, Decimal],
    moves: list[Move],
    order: dict[str, int],
    months: dict[str, str],
    pays: list[pf.Payment],
) -> dict[dt.date, Decimal]:
    """The loan's receivable at the end of each day from `since` (the first day and what was
    held before it), as the accruals of `months` and the payments would have booked it had
    every entry been recorded in date order; a koreksi of the disbursement takes back all it
    holds."""
    start, held = since
    undone = pf.corrected(pays)
    paying = {p.doc for p in pays if p.jenis in PAYING and p.doc not in undone}
    events: list[tuple[dt.date, int, pf.Payment | dt.date | Decimal]] = [
        (p.tanggal, order.get(p.doc, 0), p)
        for p in pays
        if (p.doc in paying or p.koreksi == loan.doc) and p.tanggal >= start
    ]
    for label, doc in months.items():
        year, month = map(int, label.split("-"))
        first, end = dt.date(year, month, 1), dates.month_end(year, month)
        if end >= max(start, loan.tanggal):
            events.append((end, order.get(doc, 0), first))
    events += [
        (m.date, m.seq, m.amount)
        for m in moves
        if m.date >= start and m.doc not in paying and m.jenis not in (ACCRUAL, ADJUSTMENT)
    ]
    result = {}
    for day, seq, event in sorted(events, key=lambda e: (e[0], e[1])):
        if isinstance(event, pf.Payment) and event.koreksi == loan.doc:
            held = ZERO  # the loan never was: what it accrued is taken back with it
        elif isinstance(event, pf.Payment):
            held -= min(max(event.jasa, ZERO), max(held, ZERO))
        elif isinstance(event, dt.date):
            known = [p for p in pays if (p.tanggal, order.get(p.doc, 0)) < (day, seq)]
            held += _month_amount(pf.state(book, loan, day, pays=known), held, event)
        else:
            held += event
        result[day] = held
    return result


def _adjustment(
    book: Book, loan: pf.Loan, day: dt.date, amount: Decimal, cause: str
) -> data.Transaction:
    meta = {
        "id": book.next_id("BM", day.year),
        "jenis": ADJUSTMENT,
        "anggota": loan.nak,
        "pinjaman": loan.id,
    }
    what = "ditambah" if amount > 0 else "dikurangi"
    narration = (
        f"Penyesuaian akrual jasa {loan.id}: piutang jasa {what} {money.fmt(abs(amount))} "
        f"karena {cause}"
    )
    postings = [
        _owned(chart.PIUTANG_JASA, amount, loan.id),
        ledger.posting(chart.JASA_PINJAMAN, -amount),
    ]
    return ledger.transaction(day, narration, postings, payee=loan.nama, meta=meta, links=[loan.id])
