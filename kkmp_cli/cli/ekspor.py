"""`kkmp ekspor`: the SIMKOPDES sheets and the Parquet tables for a Dinas (#14)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kkmp_cli import dates
from kkmp_cli.app import exporting
from kkmp_cli.cli.common import PerOpt, console, state

app = typer.Typer(
    help="Ekspor data koperasi untuk SIMKOPDES dan untuk Dinas (Parquet).", no_args_is_help=True
)

FolderOpt = Annotated[
    Path, typer.Option("--output", "-o", help="Folder tujuan (dibuat bila belum ada).")
]


@app.command("simkopdes")
def simkopdes_cmd(
    ctx: typer.Context,
    output: FolderOpt,
    per: PerOpt = None,
    dengan_nik: Annotated[
        bool,
        typer.Option(
            "--dengan-nik",
            help="Sertakan NIK dari data pribadi (pribadi/anggota.yaml); berkasnya hanya "
            "dapat dibaca pemiliknya.",
        ),
    ] = False,
) -> None:
    """Anggota, simpanan per anggota dan pinjaman sebagai XLSX dan CSV berkolom SIMKOPDES."""
    result, written = exporting.export_simkopdes(
        state(ctx).paths(), dates.parse(per), output, with_nik=dengan_nik
    )
    counts = {s.nama: len(s.rows) for s in result.sheets}
    console.print(
        f"Ekspor SIMKOPDES per {dates.fmt(result.per)} ditulis ke {written.folder}: "
        f"{counts['anggota']} anggota, {counts['pinjaman']} pinjaman.",
        soft_wrap=True,
    )
    for name in written.files:
        console.print(f"  {written.folder / name}", soft_wrap=True)
    if dengan_nik:
        console.print(
            "Berkas ini memuat NIK (data pribadi, UU 27/2022): kirim hanya ke SIMKOPDES, "
            "jangan dibagikan atau dimasukkan ke git.",
            soft_wrap=True,
        )
        if result.tanpa_nik:
            console.print(
                f"{result.tanpa_nik} anggota belum punya NIK di data pribadi; kolom NIK-nya "
                "kosong (isi dengan kkmp anggota ubah NAK --nik ...).",
                soft_wrap=True,
            )


@app.command("parquet")
def parquet_cmd(
    ctx: typer.Context,
    output: FolderOpt,
    koperasi: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FOLDER",
            help="Folder koperasi yang diekspor (bawaan: koperasi yang dipilih, -k).",
        ),
    ] = None,
) -> None:
    """Posting, transaksi, anggota dan pinjaman sebagai Parquet per koperasi dan tahun."""
    folders = koperasi or [state(ctx).paths().root]
    parts = exporting.export_parquet(folders, output)
    names = sorted({p.koperasi for p in parts})
    postings = sum(p.baris for p in parts if p.tabel == "posting")
    console.print(
        f"Parquet ditulis ke {output}: {len(names)} koperasi ({', '.join(names)}), "
        f"{postings} baris posting, {len(parts)} berkas.",
        soft_wrap=True,
    )
    console.print(
        "Jumlah aset tiap koperasi per catatan terakhir, mis. dengan DuckDB: "
        "SELECT koperasi, sum(jumlah) FROM read_parquet("
        f"'{output}/posting/*/*/*.parquet', hive_partitioning=true) "
        "WHERE golongan_utama = 'Aset' GROUP BY koperasi",
        soft_wrap=True,
    )
