"""Writing a report in the chosen format: rich table, JSON, CSV, Markdown or HTML."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kkmp_cli.cli.common import console, to_json
from kkmp_cli.core import fsutil, templating, xlsx
from kkmp_cli.reports import views
from kkmp_cli.reports.statements import Statement


class ReportFormat(StrEnum):
    teks = "teks"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


ReportFormatOpt = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="teks, json, csv, md atau html.")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Tulis ke berkas ini (bawaan: layar).")
]


def emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        fsutil.atomic_write(output, text)
        console.print(f"Ditulis ke {output}")


def as_json(payload: Any) -> str:
    """`common.to_json` for a file or the screen, ending in a newline."""
    return to_json(payload) + "\n"


def show(st: Statement, fmt: ReportFormat, output: Path | None, coop_root: Path | None) -> None:
    if fmt is ReportFormat.json:
        emit(as_json(views.statement_json(st)), output)
    elif fmt is ReportFormat.csv:
        emit(xlsx.csv_text(views.statement_csv_rows(st)), output)
    elif fmt is ReportFormat.md:
        emit(templating.render("laporan.md.j2", views.statement(st), coop_root), output)
    elif fmt is ReportFormat.html:
        emit(templating.render("laporan.html.j2", views.statement(st), coop_root), output)
    else:
        if output is not None:
            raise typer.BadParameter("format teks hanya untuk layar; pakai md, html, csv atau json")
        table = Table(title=f"{st.judul}\n{st.koperasi} - {st.periode}", title_justify="left")
        for k in st.kolom_info:
            table.add_column(k)
        table.add_column("Uraian")
        for k in st.kolom:
            table.add_column(k, justify="right")
        for r in st.baris:
            style = "bold" if r.level in (0, 2, 3) else None
            table.add_row(
                *r.info,
                r.label,
                *(views.cell(v, r.level) for v in r.nilai),
                style=style,
                end_section=r.level == 3,
            )
        console.print(table)
        for note in st.catatan:
            console.print(note, style="italic")
