"""Spreadsheets in and out: CSV (stdlib); XLSX read with python-calamine (a Rust reader,
ten times quicker than openpyxl on a 10,000-row import) and XLSX written with openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from kkmp_cli.core import fsutil
from kkmp_cli.errors import KkmpError


class BerkasTidakTerbaca(KkmpError):
    """A spreadsheet that cannot be read."""


class BarisTersembunyi(BerkasTidakTerbaca):
    """A sheet with rows hidden in Excel: whether they are meant is the treasurer's to say."""


class KolomTersembunyi(BerkasTidakTerbaca):
    """A sheet with a column hidden in Excel: its values would be read without being seen."""


class KolomGanda(BerkasTidakTerbaca):
    """A header naming one column twice: which of them holds the value is not known."""


Row = tuple[int, dict[str, Any]]


def read(path: Path) -> tuple[list[str], list[Row]]:
    """Header (lower-case) and rows (with their spreadsheet row number) of the first visible
    sheet (a CSV's only one). Refused: a column named twice, and rows or columns hidden in the
    sheet."""
    if not path.exists():
        raise BerkasTidakTerbaca(f"Berkas {path} tidak ada.")
    suffix = path.suffix.lower()
    hidden: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    if suffix in SPREADSHEETS:
        name, raw, (hidden, hidden_columns) = _read_sheet(path)
    elif suffix in (".csv", ".txt"):
        name, raw = path.name, list(_read_csv(path))
    else:
        raise BerkasTidakTerbaca(f"Jenis berkas '{suffix}' tidak dikenal; pakai .xlsx atau .csv.")
    if not raw:
        raise BerkasTidakTerbaca(f"Berkas {path} kosong.")
    header = [str(h or "").strip().lower() for h in raw[0][1]]
    # Two columns of one name: one of them was dropped without a word (#23).
    twice = [h for h, count in Counter(h for h in header if h).items() if count > 1]
    if twice:
        raise KolomGanda(
            f"Kolom '{twice[0]}' tertulis dua kali di baris judul {path.name}; hapus salah "
            "satunya atau beri nama lain."
        )
    kept = [raw[0]] + [(n, values) for n, values in raw[1:] if not all(map(_blank, values))]
    _refuse_hidden(name, [n for n, _ in kept if n in hidden])
    # A hidden column is read as any other: a `kredit` column hidden in a sheet of cash
    # purchases booked them on credit unseen (found by an adversarial review, #23).
    used = [
        header[c - 1] or f"ke-{c}"
        for c in sorted(hidden_columns)
        if c <= len(header)
        and (header[c - 1] or any(c <= len(v) and not _blank(v[c - 1]) for _, v in kept[1:]))
    ]
    if used:
        raise KolomTersembunyi(
            f"Kolom {', '.join(repr(u) for u in used)} disembunyikan di lembar '{name}'; "
            "tampilkan atau hapus kolom itu dulu, lalu impor lagi."
        )
    rows = [
        (n, {h: v for h, v in zip(header, values, strict=False) if h}) for n, values in kept[1:]
    ]
    return header, rows


SPREADSHEETS = (".xlsx", ".xlsm")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _refuse_hidden(sheet: str, hidden: list[int]) -> None:
    """A row hidden in Excel (by hand, by a filter, in a folded group) is usually one not
    meant: importing it without a word was wrong (#23), and skipping it would be as silent.
    So the file is refused, naming the hidden rows that hold something; the treasurer
    decides."""
    if hidden:
        shown = ", ".join(str(n) for n in hidden[:10])
        if len(hidden) > 10:
            shown += f" dan {len(hidden) - 10} baris lagi"
        raise BarisTersembunyi(
            f"Baris {shown} disembunyikan di lembar '{sheet}'; tampilkan atau hapus baris itu "
            "dulu (juga yang tersembunyi oleh filter), lalu impor lagi."
        )


def _read_sheet(
    path: Path,
) -> tuple[str, list[tuple[int, list[Any]]], tuple[frozenset[int], frozenset[int]]]:
    """The name, the rows (numbered) and the hidden row and column numbers of the first
    visible sheet."""
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
        index = shown[0] if shown else 0
        # Not skipping the empty area keeps list positions equal to spreadsheet row numbers.
        values = workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
        hidden = _hidden(path, index)
    except Exception as exc:  # calamine raises several kinds for a broken file
        raise BerkasTidakTerbaca(f"Berkas {path} bukan XLSX yang sah ({exc}).") from exc
    rows = [(number, [_value(v) for v in row]) for number, row in enumerate(values, start=1)]
    return workbook.sheet_names[index], rows, hidden


# Where calamine reads a workbook's sheets from (its order is that of `sheets_metadata`).
_WORKBOOK, _WORKBOOK_RELS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _hidden(path: Path, index: int) -> tuple[frozenset[int], frozenset[int]]:
    """Numbers of the rows and of the columns (1 = A) hidden in the workbook's `index`-th
    sheet. calamine does not say (tafia/calamine#237), so they are read from the sheet's XML:
    `<row r="5" hidden="1">`, `<col min="3" max="4" hidden="1">`."""
    with zipfile.ZipFile(path) as archive:
        sheets = _child(ElementTree.fromstring(archive.read(_WORKBOOK)), "sheets")
        rid = sheets[index].attrib[_REL_ID]
        rels = ElementTree.fromstring(archive.read(_WORKBOOK_RELS))
        target = next(r.attrib["Target"] for r in rels if r.attrib.get("Id") == rid)
        part = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        xml = archive.read(posixpath.normpath(part))
    if b"hidden" not in xml:  # nearly every sheet: no parse at all
        return frozenset(), frozenset()
    hidden: set[int] = set()
    columns: set[int] = set()
    last = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal last
        if name == "row" or name.endswith(":row"):
            last = int(attrs.get("r") or last + 1)  # `r` may be left out: the next row
            if attrs.get("hidden") in ("1", "true"):
                hidden.add(last)
        elif (name == "col" or name.endswith(":col")) and attrs.get("hidden") in ("1", "true"):
            columns.update(range(int(attrs["min"]), int(attrs.get("max") or attrs["min"]) + 1))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.Parse(xml, True)
    return frozenset(hidden), frozenset(columns)


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element:
    """The child of that local name, whatever namespace the workbook's writer used."""
    return next(e for e in element if e.tag.rsplit("}", 1)[-1] == name)


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
