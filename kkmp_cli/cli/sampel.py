"""`kkmp sampel`: a reproducible sample of a year's transactions, as a vouching working paper."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer
from rich.table import Table

from kkmp_cli import money
from kkmp_cli.cli.common import console, state
from kkmp_cli.cli.output import OutputOpt, as_json, emit
from kkmp_cli.core import templating, xlsx
from kkmp_cli.review import sample


def sampel_cmd(
    ctx: typer.Context,
    tahun: Annotated[int, typer.Option("--tahun", help="Tahun buku yang diperiksa.")],
    jumlah: Annotated[
        int, typer.Option("--jumlah", min=0, help="Banyak transaksi yang diambil acak.")
    ],
    benih: Annotated[
        int | None,
        typer.Option("--benih", help="Benih acak; sama benihnya, sama sampelnya (bawaan: acak)."),
    ] = None,
    di_atas: Annotated[
        str | None,
        typer.Option("--di-atas", help="Ambil juga semua transaksi di atas jumlah ini, mis. 5jt."),
    ] = None,
    output: OutputOpt = None,
    json_: Annotated[bool, typer.Option("--json", help="Tampilkan sebagai JSON.")] = False,
) -> None:
    """Sampel acak transaksi setahun (berlapis per jenis) untuk pemeriksaan bukti, sebagai
    kertas kerja XLSX, CSV atau MD (-o BERKAS)."""
    seed = benih if benih is not None else secrets.randbelow(1_000_000)
    above = money.parse(di_atas) if di_atas else None
    book = state(ctx).book()
    drawn = sample.draw(book, tahun, jumlah, seed, above)
    if json_:
        emit(as_json(drawn), output)
    elif output is not None and output.suffix.lower() in (".xlsx", ".csv"):
        header, rows = sample.rows(drawn)
        xlsx.write(output, header, rows)
        console.print(f"Kertas kerja sampel {tahun} (benih {seed}) ditulis ke {output}")
    elif output is not None:
        emit(
            templating.render("sampel.md.j2", _view(drawn, book.config.nama), book.paths.root),
            output,
        )
    else:
        _show(drawn)


def _view(s: sample.Sampel, nama: str) -> dict[str, object]:
    return {
        "koperasi": nama,
        "tahun": s.tahun,
        "benih": s.benih,
        "jumlah": s.jumlah,
        "ambang": money.fmt(s.ambang) if s.ambang is not None else "",
        "ambang_angka": str(int(s.ambang)) if s.ambang is not None else "",
        "populasi": s.populasi,
        "lapisan": s.lapisan,
        "butir": [
            {**b.__dict__, "tanggal": f"{b.tanggal:%d-%m-%Y}", "jumlah": money.fmt(b.jumlah)}
            for b in s.butir
        ],
    }


def _show(s: sample.Sampel) -> None:
    title = f"Sampel transaksi {s.tahun}: benih {s.benih}, populasi {s.populasi}"
    table = Table(title=title, title_justify="left")
    for name in ("No. dokumen", "Tanggal", "Jenis", "Uraian", "Jumlah", "Alasan"):
        table.add_column(
            name,
            justify="right" if name == "Jumlah" else "left",
            no_wrap=name in ("No. dokumen", "Tanggal", "Jumlah"),
        )
    for b in s.butir:
        table.add_row(
            b.id, f"{b.tanggal:%d-%m-%Y}", b.jenis, b.narasi, money.fmt(b.jumlah), b.alasan
        )
    console.print(table)
    console.print(
        "Ulangi persis dengan: kkmp sampel --tahun "
        f"{s.tahun} --jumlah {s.jumlah} --benih {s.benih}"
        + (f" --di-atas {int(s.ambang)}" if s.ambang is not None else "")
    )
