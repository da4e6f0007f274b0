"""Accrual of loan jasa (SAK EP, Permenkop 2/2024; `pinjaman.pengakuan_jasa: akrual`): the jasa
of instalments due in a month and not paid by its end becomes a receivable and income, once per
month; a loan classed kurang lancar or worse accrues nothing more and its accrued jasa is
reversed (non-accrual); payments settle the receivable before they are income."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, dates, money
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError, PeriodeDitutup, TanggalTidakValid
from kkmp_cli.loans import portfolio as pf

ZERO = Decimal(0)
ACCRUAL = "pinjaman-akrual"


class AkrualDitolak(KkmpError):
    """Accrual where the cooperative recognises jasa in cash, or a month accrued twice."""


def _owner(entry: data.Transaction, p: data.Posting) -> str | None:
    owner = (p.meta or {}).get("pinjaman", entry.meta.get("pinjaman"))
    return str(owner) if owner is not None else None


class AccrualIndex(ledger.Index):
    """The accrued-jasa receivable's movements per loan and the months accrued (#16)."""

    def __init__(self) -> None:
        self.moves: dict[str, list[tuple[dt.date, Decimal]]] = {}
        self.months: dict[str, str] = {}

    def fold(self, entry: data.Directive) -> None:
        if not isinstance(entry, data.Transaction):
            return
        for p in entry.postings:
            if p.account == chart.PIUTANG_JASA:
                owner = _owner(entry, p)
                if owner is not None:
                    self.moves.setdefault(owner, []).append((entry.date, ledger.number(p)))
        if entry.meta.get("jenis") == ACCRUAL:
            self.months[str(entry.meta["bulan"])] = str(entry.meta.get("id", ""))


def receivables(book: Book, per: dt.date | None = None) -> dict[str, Decimal]:
    """Accrued jasa still receivable per loan (every entry, or those dated up to `per`)."""
    result: dict[str, Decimal] = {}
    for owner, moves in book.index(AccrualIndex).moves.items():
        dated = [amount for date, amount in moves if per is None or date <= per]
        if dated:
            result[owner] = sum(dated, Decimal(0))
    return result


def accrued_months(book: Book) -> dict[str, str]:
    """The months already accrued ('2025-03') and the document of each."""
    return dict(book.index(AccrualIndex).months)


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
    for loan in pf.loans(book).values():
        if loan.tanggal > end:
            continue
        st = pf.state(book, loan, end)
        if st.status != "berjalan":
            continue
        if st.kolektibilitas in pf.NON_PERFORMING:
            amount = -held.get(loan.id, ZERO)  # non-accrual: what was accrued is reversed
        else:
            amount = _due_unpaid(st, start, end)
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
    return [
        *coop.missing_chart_opens(book),
        ledger.transaction(end, narration, postings, meta=meta),
    ]


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
            if isinstance(e, data.Transaction)
            for p in e.postings
            if p.account == chart.JASA_PINJAMAN
        ),
        ZERO,
    )
