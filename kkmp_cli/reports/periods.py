"""Report periods: a year, a month, a quarter or any range of dates, the period a statement
compares with (the same period a year earlier, the period just before, or none), and which
periods the books cover (#14)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kkmp_cli import dates
from kkmp_cli.core import coop
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError, TanggalTidakValid
from kkmp_cli.reports import totals

YEAR, MONTH, QUARTER, RANGE = "tahun", "bulan", "triwulan", "rentang"
ROMAN = ("I", "II", "III", "IV")
BANDING = ("tahun-lalu", "periode-lalu", "tidak")


class PeriodeTidakValid(KkmpError):
    """A malformed or impossible report period."""


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _shift_months(date: dt.date, months: int) -> tuple[int, int]:
    index = date.year * 12 + date.month - 1 + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    """Dates start..end, both inclusive; `kind` says how the user named it."""

    start: dt.date
    end: dt.date
    kind: str = RANGE

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(dt.date(year, month, 1), _month_end(year, month), MONTH)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * quarter - 2
        return cls(dt.date(year, first, 1), _month_end(year, first + 2), QUARTER)

    @property
    def whole_year(self) -> int | None:
        """The year, when the period is exactly one calendar year."""
        if self.start == dt.date(self.start.year, 1, 1) and self.end == dt.date(
            self.start.year, 12, 31
        ):
            return self.start.year
        return None

    @property
    def quarter_number(self) -> int:
        return (self.start.month - 1) // 3 + 1

    @property
    def label(self) -> str:
        """How a heading names it: 'Juni 2025', 'Triwulan II 2025', '1 Januari - 31 Desember
        2025'."""
        if self.kind == MONTH:
            return f"{dates.MONTHS[self.start.month - 1]} {self.start.year}"
        if self.kind == QUARTER:
            return f"Triwulan {ROMAN[self.quarter_number - 1]} {self.start.year}"
        if self.start.year == self.end.year:
            first = f"{self.start.day} {dates.MONTHS[self.start.month - 1]}"
            return f"{first} - {dates.fmt_long(self.end)}"
        return f"{dates.fmt_long(self.start)} - {dates.fmt_long(self.end)}"

    @property
    def column(self) -> str:
        """A short column heading: '2025', '06-2025', 'T2-2025', '01-01-2025 s.d. 15-03-2025'."""
        if self.kind == YEAR and self.whole_year:
            return str(self.whole_year)
        if self.kind == MONTH:
            return f"{self.start.month:02d}-{self.start.year}"
        if self.kind == QUARTER:
            return f"T{self.quarter_number}-{self.start.year}"
        return f"{dates.fmt(self.start)} s.d. {dates.fmt(self.end)}"

    def year_earlier(self) -> Period:
        """The same period a year earlier (a month end stays a month end: 29-02 gives 28-02)."""
        if self.kind in (YEAR, MONTH, QUARTER):
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
            y, m = self.start.year - 1, self.start.month
            ey, em = _shift_months(dt.date(y, m, 1), months)
            return Period(dt.date(y, m, 1), _month_end(ey, em), self.kind)
        return Period(_year_back(self.start), _year_back(self.end), self.kind)

    def before(self) -> Period:
        """The period just before, of the same length (a month, a quarter, a year, or as many
        days)."""
        if self.kind in (YEAR, MONTH, QUARTER):
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            y, m = _shift_months(self.start, -months)
            ey, em = _shift_months(self.start, -1)
            return Period(dt.date(y, m, 1), _month_end(ey, em), self.kind)
        days = (self.end - self.start).days + 1
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=days - 1), end, self.kind)

    def compared(self, banding: str) -> Period | None:
        if banding == "tidak":
            return None
        return self.before() if banding == "periode-lalu" else self.year_earlier()


def _year_back(date: dt.date) -> dt.date:
    if date.month == 2 and date.day == 29:
        return dt.date(date.year - 1, 2, 28)
    return date.replace(year=date.year - 1)


def parse_month(text: str) -> Period:
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
    if not m:
        raise PeriodeTidakValid(f"Bulan '{text}' tidak dikenali; tulis TTTT-BB, mis. 2025-06.")
    if not 1 <= int(m[2]) <= 12:
        raise PeriodeTidakValid(
            f"Bulan '{text}' tidak ada: bulan ditulis 01 sampai 12, mis. 2025-06."
        )
    return Period.month(_year(int(m[1])), int(m[2]))


def parse_quarter(text: str) -> Period:
    m = re.fullmatch(r"\s*(\d{4})-?[QqTt]([0-9])\s*", text)
    if not m:
        raise PeriodeTidakValid(
            f"Triwulan '{text}' tidak dikenali; tulis TTTT-Qn, mis. 2025-Q2 (Q1 sampai Q4)."
        )
    if not 1 <= int(m[2]) <= 4:
        raise PeriodeTidakValid(f"Triwulan '{text}' tidak ada: triwulan hanya Q1 sampai Q4.")
    return Period.quarter(_year(int(m[1])), int(m[2]))


def _year(year: int) -> int:
    try:
        return dates.check_year(year)
    except TanggalTidakValid as exc:
        raise PeriodeTidakValid(str(exc)) from exc


def from_options(
    tahun: int | None = None,
    bulan: str | None = None,
    triwulan: str | None = None,
    dari: str | None = None,
    sampai: str | None = None,
) -> Period | None:
    """The period the user chose with --tahun, --bulan, --triwulan or --dari/--sampai; None
    when none was given (the caller takes this year)."""
    chosen = [
        name
        for name, given in (
            ("--tahun", tahun is not None),
            ("--bulan", bulan is not None),
            ("--triwulan", triwulan is not None),
            ("--dari/--sampai", dari is not None or sampai is not None),
        )
        if given
    ]
    if len(chosen) > 1:
        raise PeriodeTidakValid(f"Pilih satu periode saja, bukan {' dan '.join(chosen)}.")
    if tahun is not None:
        return Period.year(_year(tahun))
    if bulan is not None:
        return parse_month(bulan)
    if triwulan is not None:
        return parse_quarter(triwulan)
    if dari is not None or sampai is not None:
        if dari is None or sampai is None:
            raise PeriodeTidakValid("Rentang tanggal perlu --dari dan --sampai keduanya.")
        start, end = dates.parse(dari), dates.parse(sampai)
        if start > end:
            raise PeriodeTidakValid(
                f"Tanggal --dari {dates.fmt(start)} jatuh sesudah --sampai {dates.fmt(end)}."
            )
        _year(start.year)
        _year(end.year)
        return Period(start, end, RANGE)
    return None


def check_banding(banding: str) -> str:
    if banding not in BANDING:
        raise PeriodeTidakValid(
            f"Pembanding '{banding}' tidak dikenal; pilih tahun-lalu, periode-lalu atau tidak."
        )
    return banding


def first_balance_day(book: Book) -> dt.date:
    """The first day a balance can be shown at: the day of the opening balances when they stand
    before the books start (the day before, #22), else the books' first day."""
    start = coop.first_day(book)
    earliest = totals.first_transaction(book)
    return earliest if earliest is not None and earliest < start else start


def within_books(book: Book, period: Period, *, balance: bool = False) -> bool:
    """Whether the books cover `period`: what moved in it from their first day on (the opening
    balances are no receipts, income or additions of the days before), or, for a `balance`
    at its end (neraca, neraca saldo), from the opening balances' day on."""
    if balance:
        return period.end >= first_balance_day(book)
    return period.start >= coop.first_day(book)


def require_within_books(book: Book, period: Period, *, balance: bool = False) -> None:
    """The one rule of every report over a period: one the books do not cover is refused
    (#14; a period from before the opening showed the opening balances as its receipts)."""
    if within_books(book, period, balance=balance):
        return
    start = dates.fmt(coop.first_day(book))
    if balance:
        # A balance may stand on the opening balances' day, before the first day of the books.
        first = dates.fmt(first_balance_day(book))
        raise PeriodeTidakValid(
            f"Periode {period.label} jatuh sebelum buku koperasi dimulai ({start}); saldo "
            f"paling awal per {first}."
        )
    raise PeriodeTidakValid(
        f"Periode {period.label} dimulai sebelum buku koperasi dimulai ({start}); pilih "
        f"periode yang dimulai {start} atau sesudahnya."
    )
