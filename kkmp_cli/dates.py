"""Dates as Indonesian treasurers write them: 02-01-2025, 02/01/25, 2025-01-02, 2 Januari 2025,
hari ini, kemarin."""

from __future__ import annotations

import datetime as dt
import re

from kkmp_cli.errors import TanggalTidakValid

ACCEPTED_FORMS = "02-01-2025, 02/01/2025, 02-01-25, 2025-01-02, 2 Januari 2025, hari ini, kemarin"
_RELATIVE = {"hari ini": 0, "sekarang": 0, "kemarin": 1}

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
_MONTH_LOOKUP = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
_MONTH_LOOKUP.update({m.lower()[:3]: i + 1 for i, m in enumerate(MONTHS)})
_MONTH_LOOKUP.update({"agt": 8, "okt": 10, "des": 12, "peb": 2, "nop": 11})


class Today(dt.date):
    """Today's date taken because no date was given: the writer refuses it when it falls
    outside the open book year or long after the last entry (#22, safe dates)."""


def today() -> dt.date:
    """Today, marked as a date nobody typed (see `Today`)."""
    now = dt.date.today()
    return Today(now.year, now.month, now.day)


def defaulted(date: dt.date) -> bool:
    """Whether `date` is today taken by default rather than a date the user gave."""
    return isinstance(date, Today)


def parse(text: str | None, *, default: dt.date | None = None) -> dt.date:
    """Parse a date; None or empty gives `default` (today when not given)."""
    if text is None or not str(text).strip():
        return default or today()
    s = str(text).strip()
    if s.lower() in _RELATIVE:
        return dt.date.today() - dt.timedelta(days=_RELATIVE[s.lower()])
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})", s):
            year = int(m[3]) if len(m[3]) == 4 else 2000 + int(m[3])  # 02/01/25 is 2025
            return dt.date(year, int(m[2]), int(m[1]))
        if m := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", s):
            month = _MONTH_LOOKUP.get(m[2].lower())
            if month:
                return dt.date(int(m[3]), month, int(m[1]))
    except ValueError as exc:
        raise TanggalTidakValid(f"Tanggal '{s}' tidak ada di kalender.") from exc
    raise TanggalTidakValid(
        f"Tanggal '{s}' tidak dikenali. Bentuk yang diterima: {ACCEPTED_FORMS}."
    )


def fmt(date: dt.date) -> str:
    """Short form for tables: 02-01-2025."""
    return date.strftime("%d-%m-%Y")


def fmt_long(date: dt.date) -> str:
    """Long form for reports: 2 Januari 2025."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def check_year(year: int) -> int:
    """A book or tax year a treasurer may mean (2000–2100); a typo such as 20255 is refused
    in one sentence rather than failing deep inside a report."""
    if not 2000 <= year <= 2100:
        raise TanggalTidakValid(f"Tahun {year} tidak masuk akal.")
    return year


def parse_month(text: str) -> tuple[int, int]:
    """`YYYY-MM` (2025-07) as (year, month)."""
    try:
        year_text, month_text = text.strip().split("-")
        year, month = int(year_text), int(month_text)
    except ValueError as exc:
        raise TanggalTidakValid(
            f"Bulan '{text}' tidak dikenal; tulis YYYY-MM, mis. 2025-12."
        ) from exc
    if not 1 <= month <= 12:
        raise TanggalTidakValid(f"Bulan '{text}' tidak dikenal; tulis YYYY-MM, mis. 2025-12.")
    if not 2000 <= year <= 2100:
        # The form is right: the year is what is out of range (adversarial review, #12).
        raise TanggalTidakValid(f"Bulan '{text}': tahunnya harus antara 2000 dan 2100.")
    return year, month


def month_end(year: int, month: int) -> dt.date:
    """Last day of a month."""
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)
