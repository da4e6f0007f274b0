"""`kkmp akun`: the cooperative's chart of accounts: list, add, close (#10)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kkmp_cli import dates, money
from kkmp_cli.accounts import accounts
from kkmp_cli.cli.common import (
    DryRunOpt,
    Format,
    FormatOpt,
    OpenDateOpt,
    PerOpt,
    console,
    emit_json,
    record,
    state,
)

app = typer.Typer(
    help="Bagan akun koperasi: daftar, tambah dan tutup akun sendiri.", no_args_is_help=True
)

AkunArg = Annotated[
    str, typer.Argument(metavar="AKUN", help="Nama akun lengkap, mis. Kewajiban:Utang-Bank:BRI.")
]


@app.command("daftar")
def daftar(ctx: typer.Context, per: PerOpt = None, format: FormatOpt = Format.teks) -> None:
    """Daftar akun: kode, akun, nama, golongan, golongan arus kas, unit dan saldo."""
    book = state(ctx).book()
    as_of = dates.parse(per)
    rows = accounts.listing(book, as_of)
    if format is Format.json:
        emit_json({"per": as_of, "akun": rows})
        return
    when = dates.fmt(as_of) + (" (hari ini)" if per is None else "")
    console.print(f"Bagan akun {book.config.nama} per {when}")
    table = Table()
    for title in ("Kode", "Akun", "Nama", "Golongan", "Arus kas", "Unit"):
        table.add_column(title)
    table.add_column("Saldo", justify="right")
    for r in rows:
        table.add_row(
            r.kode or "",
            r.akun,
            r.label,
            r.golongan,
            r.arus_kas,
            r.unit or "",
            money.fmt(r.saldo),
        )
    console.print(table)


@app.command("tambah")
def tambah(
    ctx: typer.Context,
    akun: AkunArg,
    kode: Annotated[str, typer.Option("--kode", help="Kode akun, mis. 2501.")],
    golongan: Annotated[
        str,
        typer.Option(
            "--golongan",
            help="aset-lancar, aset-tetap, aset-lain, kewajiban-pendek, kewajiban-panjang, "
            "ekuitas, pendapatan, pendapatan-lain, beban atau beban-lain.",
        ),
    ],
    nama: Annotated[str | None, typer.Option("--nama", help="Nama akun di laporan.")] = None,
    arus_kas: Annotated[
        str | None,
        typer.Option(
            "--arus-kas",
            help="Golongan arus kas: operasi, investasi atau pendanaan (bawaan: menurut golongan).",
        ),
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Unit usaha pemilik akun.")] = None,
    tanggal: OpenDateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Tambah akun sendiri ke bagan akun, dengan kode, golongan dan golongan arus kasnya."""
    date = dates.parse(tanggal) if tanggal else None
    record(
        ctx,
        lambda b: accounts.add(
            b,
            akun,
            kode=kode,
            golongan=golongan,
            nama=nama,
            arus_kas=arus_kas,
            unit=unit,
            date=date,
        ),
        dry_run=coba,
    )
    verb = "akan dibuka (--coba)" if coba else "dibuka"
    console.print(f"Akun {akun.strip()} {verb}.")


@app.command("tutup")
def tutup(
    ctx: typer.Context,
    akun: AkunArg,
    tanggal: Annotated[str, typer.Option("--tanggal", "-t", help="Tanggal penutupan akun.")],
    coba: DryRunOpt = False,
) -> None:
    """Tutup akun sendiri yang saldonya nol."""
    date = dates.parse(tanggal)
    record(ctx, lambda b: accounts.close(b, akun, date), dry_run=coba)
    verb = "akan ditutup (--coba)" if coba else "ditutup"
    console.print(f"Akun {akun.strip()} {verb} per {dates.fmt(date)}.")
