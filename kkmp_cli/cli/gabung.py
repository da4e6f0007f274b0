"""`kkmp gabung`: many cooperatives' headline figures side by side and their total (#14)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kkmp_cli.app import exporting
from kkmp_cli.cli.common import console, to_json
from kkmp_cli.cli.output import OutputOpt, emit
from kkmp_cli.core import templating, xlsx
from kkmp_cli.export import combined


class GabungFormat(StrEnum):
    teks = "teks"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


def _title(c: combined.Combined) -> str:
    return f"Gabungan {len(c.koperasi)} koperasi - tahun buku {c.tahun}"


def _json(c: combined.Combined) -> dict[str, object]:
    def value(ln: combined.Line, v: Decimal) -> object:
        # A percentage as text with its two decimals, as `pinjaman daftar` gives NPL.
        return str(v) if ln.satuan == "persen" else v

    return {
        "tahun": c.tahun,
        "koperasi": [
            {
                "nama": name,
                "folder": folder,
                **{ln.key: value(ln, ln.nilai[i]) for ln in c.baris},
            }
            for i, (name, folder) in enumerate(zip(c.koperasi, c.folder, strict=True))
        ],
        "jumlah": {ln.key: value(ln, ln.jumlah) for ln in c.baris},
    }


def gabung_cmd(
    folders: Annotated[
        list[Path],
        typer.Argument(metavar="FOLDER", help="Folder koperasi yang digabung (satu atau lebih)."),
    ],
    tahun: Annotated[int, typer.Option("--tahun", help="Tahun buku yang dibandingkan.")],
    format: Annotated[
        GabungFormat,
        typer.Option("--format", "-f", help="teks, json, csv, xlsx (perlu -o) atau html."),
    ] = GabungFormat.teks,
    output: OutputOpt = None,
) -> None:
    """Angka utama beberapa koperasi berdampingan beserta jumlahnya (tampilan kecamatan)."""
    if format is GabungFormat.xlsx and output is None:
        raise typer.BadParameter("format xlsx perlu -o BERKAS.xlsx", param_hint="'--format'")
    if format is GabungFormat.teks and output is not None:
        raise typer.BadParameter("format teks hanya untuk layar; pakai csv, xlsx, html atau json")
    c = exporting.combine(folders, tahun)
    if format is GabungFormat.json:
        emit(to_json(_json(c)) + "\n", output)
    elif format is GabungFormat.csv:
        header, rows = combined.raw_rows(c)
        emit(xlsx.csv_text([header, *rows]), output)
    elif format is GabungFormat.xlsx:
        assert output is not None
        header, rows = combined.raw_rows(c)
        xlsx.write(output, header, rows)
        console.print(f"Ditulis ke {output}")
    elif format is GabungFormat.html:
        header, cells = combined.table(c)
        context = {"judul": _title(c), "kepala": header, "baris": cells, "folder": c.folder}
        emit(templating.render("gabung.html.j2", context), output)
    else:
        header, cells = combined.table(c)
        table = Table(title=_title(c), title_justify="left")
        table.add_column(header[0])
        for name in header[1:]:
            table.add_column(name, justify="right")
        for row in cells:
            table.add_row(*row)
        console.print(table)
        console.print(
            "Folder: " + ", ".join(f"{n} = {f}" for n, f in zip(c.koperasi, c.folder, strict=True)),
            style="italic",
            soft_wrap=True,
        )
