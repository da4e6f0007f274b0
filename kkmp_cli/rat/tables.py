"""Plain tables for the RAT book (every cell already text) and the statements in print form:
negatives in parentheses and an em dash where the comparative year has no books (#18)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kkmp_cli import money
from kkmp_cli.core.ledger import Book
from kkmp_cli.reports import periods, views
from kkmp_cli.reports.statements import Statement

ZERO = Decimal(0)
NONE = views.NONE


def rp(value: Decimal | int | None) -> str:
    """A printed amount: `Rp1.250.000`, `(Rp320.659)`, `—` for no figure."""
    return money.fmt_report(value)


def table(
    kolom: list[str],
    baris: list[list[str]],
    *,
    angka: tuple[int, ...] = (),
    total: list[str] | None = None,
    judul: str | None = None,
    catatan: str | None = None,
) -> dict[str, Any]:
    """One table: column labels, rows of text cells, the indices of the numeric (right-aligned)
    columns, an optional total row, an optional caption and a note under it."""
    return {
        "judul": judul,
        "kolom": [{"label": k, "n": i in angka} for i, k in enumerate(kolom)],
        "baris": [[{"v": v, "n": i in angka} for i, v in enumerate(row)] for row in baris],
        "total": None
        if total is None
        else [{"v": v, "n": i in angka} for i, v in enumerate(total)],
        "catatan": catatan,
    }


def has_books(book: Book, year: int) -> bool:
    """Whether the books hold balances at the end of `year` (the first year's opening balances
    on the day before it, #22), else its comparative column is empty."""
    return periods.within_books(book, periods.Period.year(year), balance=True)


def statement(st: Statement, year: int, prior_books: bool) -> dict[str, Any]:
    """A statement as laporan-isi.html.j2 expects it, every number in print form; the columns
    of a year without books read "—" throughout."""
    if prior_books:
        return views.statement(st)
    blank = frozenset(i for i, k in enumerate(st.kolom) if str(year - 1) in k)
    note = f"Tahun {year - 1} belum ada pembukuan: kolom pembanding ditandai {NONE}."
    return views.statement(st, blank=blank, notes=(note,) if blank else ())
