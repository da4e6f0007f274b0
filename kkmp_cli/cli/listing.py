"""Listings to paper and spreadsheet (#22): a table with its total row as CSV, XLSX or HTML."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from kkmp_cli import money
from kkmp_cli.cli.common import console
from kkmp_cli.core import fsutil, xlsx
from kkmp_cli.lazy import lazy

templating = lazy("kkmp_cli.core.templating")  # jinja2, only when a page is written (#16)


class ListFormat(StrEnum):
    teks = "teks"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


ListFormatOpt = Annotated[
    ListFormat,
    typer.Option("--format", "-f", help="teks (tabel), json, csv, xlsx atau html (untuk dicetak)."),
]
ListOutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Tulis ke berkas ini (xlsx: wajib).")
]


def write(
    *,
    fmt: ListFormat,
    output: Path | None,
    koperasi: str,
    judul: str,
    header: list[str],
    rows: list[list[Any]],
    total: list[Any],
    coop_root: Path,
) -> None:
    """Write a listing with its total row: numbers stay numbers in CSV/XLSX, Rupiah in HTML."""
    if fmt is ListFormat.xlsx:
        if output is None:
            raise typer.BadParameter("format xlsx perlu berkas tujuan: -o DAFTAR.xlsx")
        xlsx.write(output.with_suffix(".xlsx"), header, [*rows, total])
        console.print(f"Ditulis ke {output.with_suffix('.xlsx')}")
        return
    if fmt is ListFormat.csv:
        text = xlsx.csv_text([header, *rows, total])
    else:
        text = templating.render(
            "daftar.html.j2",
            {
                "koperasi": koperasi,
                "judul": judul,
                "header": header,
                "rows": [[_cell(v) for v in row] for row in rows],
                "total": [_cell(v) for v in total],
                "numeric": [isinstance(v, Decimal | int) for v in (rows[0] if rows else total)],
            },
            coop_root,
        )
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        fsutil.atomic_write(output, text)
        console.print(f"Ditulis ke {output}")


def _cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return money.fmt(value)
    return "" if value is None else str(value)
