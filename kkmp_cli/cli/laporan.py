"""`kkmp laporan`: neraca, PHU, perubahan ekuitas, arus kas, neraca saldo, buku besar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Annotated

import typer

from kkmp_cli import dates
from kkmp_cli.cli import pajak as pajak_cli
from kkmp_cli.cli.common import PerOpt, RevisiOpt, state
from kkmp_cli.cli.output import OutputOpt, ReportFormat, ReportFormatOpt, show
from kkmp_cli.core import git
from kkmp_cli.core.ledger import Book
from kkmp_cli.reports import statements
from kkmp_cli.reports.statements import Statement

app = typer.Typer(
    help="Laporan keuangan, masing-masing dengan tahun lalu di sampingnya.", no_args_is_help=True
)

TahunOpt = Annotated[int | None, typer.Option("--tahun", help="Tahun buku (bawaan: tahun ini).")]


def _year(tahun: int | None) -> int:
    return tahun or dt.date.today().year


def _run(
    ctx: typer.Context,
    build: Callable[[Book], Statement],
    fmt: ReportFormat,
    output: OutputOpt,
    *,
    default: str | None = None,
    revisi: str | None = None,
) -> None:
    """Build and show one report; `default` names the date or year the user did not give,
    so the heading says the report is as of today (a treasurer may expect last year's)."""
    book = state(ctx).book(revisi)
    st = build(book)
    if default:
        st = replace(st, periode=f"{st.periode} ({default})")
    if revisi:
        st = replace(st, catatan=[*st.catatan, revision_note(book)])
    show(st, fmt, output, book.paths.root)


def revision_note(book: Book) -> str:
    """The provenance line of a report built from a git revision (--revisi)."""
    return f"Dibangun dari buku pada revisi git {git.exported_revision(book.paths.root)}."


def _this_year(tahun: int | None) -> str | None:
    return None if tahun else f"tahun ini, sampai {dates.fmt(dt.date.today())}"


def _today(per: str | None) -> str | None:
    return None if per else "hari ini"


def _year_report(name: str, build: Callable[[Book, int], Statement], doc: str) -> None:
    """One `laporan` command per yearly statement; they differ only in what they build."""

    def command(
        ctx: typer.Context,
        tahun: TahunOpt = None,
        format: ReportFormatOpt = ReportFormat.teks,
        output: OutputOpt = None,
        revisi: RevisiOpt = None,
    ) -> None:
        _run(
            ctx,
            lambda b: build(b, _year(tahun)),
            format,
            output,
            default=_this_year(tahun),
            revisi=revisi,
        )

    command.__doc__ = doc
    app.command(name)(command)


for _name, _build, _doc in (
    ("neraca", statements.neraca, "Laporan Posisi Keuangan (neraca) per 31 Desember."),
    ("phu", statements.phu, "Perhitungan Hasil Usaha per unit, anggota dan non-anggota terpisah."),
    ("ekuitas", statements.ekuitas, "Laporan Perubahan Ekuitas."),
    (
        "arus-kas",
        statements.arus_kas,
        "Laporan Arus Kas (metode langsung): operasi, investasi, pendanaan.",
    ),
):
    _year_report(_name, _build, _doc)


@app.command("neraca-saldo")
def neraca_saldo(
    ctx: typer.Context,
    per: PerOpt = None,
    ringkas: Annotated[
        bool, typer.Option("--ringkas", help="Gabungkan sub-akun anggota dan pemasok.")
    ] = False,
    format: ReportFormatOpt = ReportFormat.teks,
    output: OutputOpt = None,
    revisi: RevisiOpt = None,
) -> None:
    """Neraca saldo (trial balance) per tanggal."""
    _run(
        ctx,
        lambda b: statements.neraca_saldo(b, dates.parse(per), ringkas=ringkas),
        format,
        output,
        default=_today(per),
        revisi=revisi,
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
    revisi: RevisiOpt = None,
) -> None:
    """Buku besar satu akun dengan saldo berjalan."""
    _run(
        ctx,
        lambda b: statements.buku_besar(b, akun, _year(tahun)),
        format,
        output,
        default=_this_year(tahun),
        revisi=revisi,
    )


# The year's tax report lives with the tax commands (#12).
app.command("pajak")(pajak_cli.report)
