"""`kkmp laporan`: neraca, PHU, perubahan ekuitas, arus kas, neraca saldo, buku besar."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from kkmp_cli import dates, statements
from kkmp_cli.cli.common import PerOpt, state
from kkmp_cli.cli.output import OutputOpt, ReportFormat, ReportFormatOpt, show

app = typer.Typer(
    help="Laporan keuangan, masing-masing dengan tahun lalu di sampingnya.", no_args_is_help=True
)

TahunOpt = Annotated[int | None, typer.Option("--tahun", help="Tahun buku (bawaan: tahun ini).")]


def _year(tahun: int | None) -> int:
    return tahun or dt.date.today().year


def _run(ctx: typer.Context, build, fmt: ReportFormat, output) -> None:  # type: ignore[no-untyped-def]
    book = state(ctx).book()
    show(build(book), fmt, output, book.paths.root)


@app.command("neraca")
def neraca(
    ctx: typer.Context,
    tahun: TahunOpt = None,
    format: ReportFormatOpt = ReportFormat.teks,
    output: OutputOpt = None,
) -> None:
    """Laporan Posisi Keuangan (neraca) per 31 Desember."""
    _run(ctx, lambda b: statements.neraca(b, _year(tahun)), format, output)


@app.command("phu")
def phu(
    ctx: typer.Context,
    tahun: TahunOpt = None,
    format: ReportFormatOpt = ReportFormat.teks,
    output: OutputOpt = None,
) -> None:
    """Perhitungan Hasil Usaha per unit, anggota dan non-anggota terpisah."""
    _run(ctx, lambda b: statements.phu(b, _year(tahun)), format, output)


@app.command("ekuitas")
def ekuitas(
    ctx: typer.Context,
    tahun: TahunOpt = None,
    format: ReportFormatOpt = ReportFormat.teks,
    output: OutputOpt = None,
) -> None:
    """Laporan Perubahan Ekuitas."""
    _run(ctx, lambda b: statements.ekuitas(b, _year(tahun)), format, output)


@app.command("arus-kas")
def arus_kas(
    ctx: typer.Context,
    tahun: TahunOpt = None,
    format: ReportFormatOpt = ReportFormat.teks,
    output: OutputOpt = None,
) -> None:
    """Laporan Arus Kas (metode langsung): operasi, investasi, pendanaan."""
    _run(ctx, lambda b: statements.arus_kas(b, _year(tahun)), format, output)


@app.command("neraca-saldo")
def neraca_saldo(
    ctx: typer.Context,
    per: PerOpt = None,
    ringkas: Annotated[
        bool, typer.Option("--ringkas", help="Gabungkan sub-akun anggota dan pemasok.")
    ] = False,
    format: ReportFormatOpt = ReportFormat.teks,
    output: OutputOpt = None,
) -> None:
    """Neraca saldo (trial balance) per tanggal."""
    _run(
        ctx, lambda b: statements.neraca_saldo(b, dates.parse(per), ringkas=ringkas), format, output
    )


@app.command("buku-besar")
def buku_besar(
    ctx: typer.Context,
    akun: Annotated[
        str, typer.Argument(metavar="AKUN", help="Akun, mis. Aset:Kas (sub-akun ikut).")
    ],
    tahun: TahunOpt = None,
    format: ReportFormatOpt = ReportFormat.teks,
    output: OutputOpt = None,
) -> None:
    """Buku besar satu akun dengan saldo berjalan."""
    _run(ctx, lambda b: statements.buku_besar(b, akun, _year(tahun)), format, output)
