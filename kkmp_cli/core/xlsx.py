"""Spreadsheets in and out: CSV (stdlib); XLSX read with python-calamine (a Rust reader,
ten times quicker than openpyxl on a 10,000-row import) and XLSX written with openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from kkmp_cli.core import fsutil
from kkmp_cli.errors import KkmpError


class BerkasTidakTerbaca(KkmpError):
    """A spreadsheet that cannot be read."""


Row = tuple[int, dict[str, Any]]


def read(path: Path) -> tuple[list[str], list[Row]]:
    """Header (lower-case) and rows (with their spreadsheet row number) of the first visible
    sheet (a CSV's only one)."""
    if not path.exists():
        raise BerkasTidakTerbaca(f"Berkas {path} tidak ada.")
    suffix = path.suffix.lower()
    if suffix in SPREADSHEETS:
        raw = list(_read_sheet(path))
    elif suffix in (".csv", ".txt"):
        raw = list(_read_csv(path))
    else:
        raise BerkasTidakTerbaca(f"Jenis berkas '{suffix}' tidak dikenal; pakai .xlsx atau .csv.")
    if not raw:
        raise BerkasTidakTerbaca(f"Berkas {path} kosong.")
    header = [str(h or "").strip().lower() for h in raw[0][1]]
    rows = []
    for number, values in raw[1:]:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rows.append((number, {h: v for h, v in zip(header, values, strict=False) if h}))
    return header, rows


SPREADSHEETS = (".xlsx", ".xlsm")


def _read_sheet(path: Path) -> Iterator[tuple[int, list[Any]]]:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        # The first sheet the treasurer sees: a hidden one is not read (found by trying, #16).
        shown = [
            i
            for i, sheet in enumerate(workbook.sheets_metadata)
            if sheet.visible == python_calamine.SheetVisibleEnum.Visible
            and sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        # Not skipping the empty area keeps list positions equal to spreadsheet row numbers.
        values = workbook.get_sheet_by_index(shown[0] if shown else 0).to_python(
            skip_empty_area=False
        )
    except Exception as exc:  # calamine raises several kinds for a broken file
        raise BerkasTidakTerbaca(f"Berkas {path} bukan XLSX yang sah ({exc}).") from exc
    for number, row in enumerate(values, start=1):
        yield number, [_value(v) for v in row]


def _value(value: Any) -> Any:
    """A cell as the rest of kkmp expects it: no binary floats, empty cells as None, and
    dates as midnight datetimes (so import fingerprints do not depend on the reader)."""
    if isinstance(value, float):
        # A cell holds a binary double; its shortest repr is what the spreadsheet showed.
        return int(value) if value.is_integer() else Decimal(repr(value))
    if value == "":
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def _read_csv(path: Path) -> Iterator[tuple[int, list[Any]]]:
    text = _decode_csv(path)
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, values in enumerate(csv.reader(text.splitlines(), dialect), start=1):
        yield number, list(values)


def _decode_csv(path: Path) -> str:
    """CSV text as saved by today's spreadsheets (UTF-8, with or without BOM) or by older
    Windows Excel (cp1252); anything with NUL bytes or undecodable bytes is not a CSV."""
    raw = path.read_bytes()
    if b"\x00" not in raw:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise BerkasTidakTerbaca(
        f"Berkas {path} bukan teks CSV yang dapat dibaca; simpan ulang sebagai CSV (UTF-8) atau XLSX."
    )


def write(
    path: Path,
    header: list[str],
    rows: list[list[Any]],
    *,
    example: tuple[str, list[list[Any]]] | None = None,
) -> None:
    """Write a sheet: XLSX (bold header, sensible widths) or CSV, by the file's suffix.
    `example` (title, rows) goes on a second XLSX sheet, which an import never reads."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        workbook = openpyxl.Workbook()
        _fill(workbook.active, header, rows)
        if example is not None:
            _fill(workbook.create_sheet(example[0]), header, example[1])
        tmp = path.with_name(f".{path.name}.tmp")
        workbook.save(tmp)
        tmp.replace(path)
        return
    fsutil.atomic_write(path, csv_text([header, *[[_cell(v) for v in row] for row in rows]]))


def write_sheets(path: Path, sheets: list[tuple[str, list[str], list[list[Any]]]]) -> None:
    """Write an XLSX workbook with one sheet per (name, header, rows); names cut to Excel's
    31 characters."""
    import openpyxl

    workbook = openpyxl.Workbook()
    for i, (name, header, rows) in enumerate(sheets):
        sheet = workbook.active if i == 0 else workbook.create_sheet()
        sheet.title = name.replace("/", "-")[:31]
        _fill(sheet, header, rows)
    tmp = path.with_name(f".{path.name}.tmp")
    workbook.save(tmp)
    tmp.replace(path)


def _fill(sheet: Any, header: list[str], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            # A member name like "=HYPERLINK(…)" must stay text, never become a formula.
            if cell.data_type == "f":
                cell.data_type = "s"
    for i, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, len(name) + 4)


# A spreadsheet opening a CSV runs a text cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV. Text that a spreadsheet would run as a formula (a member named
    "=HYPERLINK(…)") gets a leading apostrophe, the usual guard; numbers stay numbers."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    for row in rows:
        out.writerow(
            "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v for v in row
        )
    return buf.getvalue()


def _cell(value: Any) -> Any:
    """Whole-rupiah Decimals become integers so spreadsheets treat them as numbers."""
    if isinstance(value, Decimal):
        # Quantities may be fractional (2,5 kg): written as exact text, never as a binary float.
        return int(value) if value == value.to_integral_value() else format(value, "f")
    return value
