"""`kkmp laporan`: neraca, PHU, perubahan ekuitas, arus kas, neraca saldo, buku besar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kkmp_cli import dates
from kkmp_cli.cli import pajak as pajak_cli
from kkmp_cli.cli.common import PerOpt, RevisiOpt, console, state
from kkmp_cli.cli.output import OutputOpt, ReportFormat, ReportFormatOpt, show
from kkmp_cli.core import fsutil, git, pdf, templating, xlsx
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError
from kkmp_cli.reports import packs, periods, statements, views
from kkmp_cli.reports.periods import Period
from kkmp_cli.reports.statements import Statement

app = typer.Typer(
    help="Laporan keuangan, masing-masing dengan tahun lalu di sampingnya.", no_args_is_help=True
)

TahunOpt = Annotated[int | None, typer.Option("--tahun", help="Tahun buku (bawaan: tahun ini).")]
BulanOpt = Annotated[
    str | None, typer.Option("--bulan", metavar="TTTT-BB", help="Satu bulan, mis. 2025-06.")
]
TriwulanOpt = Annotated[
    str | None,
    typer.Option("--triwulan", metavar="TTTT-Qn", help="Satu triwulan, mis. 2025-Q2."),
]
DariOpt = Annotated[
    str | None, typer.Option("--dari", help="Awal rentang tanggal (bersama --sampai).")
]
SampaiOpt = Annotated[
    str | None, typer.Option("--sampai", help="Akhir rentang tanggal (bersama --dari).")
]
BandingOpt = Annotated[
    str,
    typer.Option(
        "--banding",
        help="Kolom pembanding: tahun-lalu (periode yang sama setahun sebelumnya), "
        "periode-lalu (periode tepat sebelumnya) atau tidak.",
    ),
]


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


def _year_report(name: str, build: Callable[..., Statement], doc: str) -> None:
    """One `laporan` command per statement; they differ only in what they build."""

    def command(
        ctx: typer.Context,
        tahun: TahunOpt = None,
        bulan: BulanOpt = None,
        triwulan: TriwulanOpt = None,
        dari: DariOpt = None,
        sampai: SampaiOpt = None,
        banding: BandingOpt = "tahun-lalu",
        format: ReportFormatOpt = ReportFormat.teks,
        output: OutputOpt = None,
        revisi: RevisiOpt = None,
    ) -> None:
        chosen = periods.from_options(tahun, bulan, triwulan, dari, sampai)
        period = chosen or Period.year(_year(None))
        compare = periods.check_banding(banding)
        _run(
            ctx,
            lambda b: build(b, periode=period, banding=compare),
            format,
            output,
            default=None if chosen else _this_year(None),
            revisi=revisi,
        )

    command.__doc__ = doc
    app.command(name)(command)


for _name, _build, _doc in (
    ("neraca", statements.neraca, "Laporan Posisi Keuangan (neraca) per akhir periode."),
    ("phu", statements.phu, "Perhitungan Hasil Usaha per unit, anggota dan non-anggota terpisah."),
    ("ekuitas", statements.ekuitas, "Laporan Perubahan Ekuitas."),
    (
        "arus-kas",
        statements.arus_kas,
        "Laporan Arus Kas (metode langsung): penerimaan dan pengeluaran bruto per golongan.",
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
    tahun: TahunOpt = None,
    bulan: BulanOpt = None,
    triwulan: TriwulanOpt = None,
    format: ReportFormatOpt = ReportFormat.teks,
    output: OutputOpt = None,
    revisi: RevisiOpt = None,
) -> None:
    """Neraca saldo (trial balance) per tanggal, atau per akhir tahun, bulan atau triwulan."""
    chosen = periods.from_options(tahun, bulan, triwulan)
    if chosen is not None and per is not None:
        raise periods.PeriodeTidakValid("Pilih --per atau satu periode, bukan keduanya.")
    on = chosen if chosen is not None else dates.parse(per)
    _run(
        ctx,
        lambda b: statements.neraca_saldo(b, on, ringkas=ringkas),
        format,
        output,
        default=None if chosen else _today(per),
        revisi=revisi,
    )


@app.command("buku-besar")
def buku_besar(
    ctx: typer.Context,
    akun: Annotated[
        str, typer.Argument(metavar="AKUN", help="Akun, mis. Aset:Kas (sub-akun ikut).")
    ],
    tahun: TahunOpt = None,
    bulan: BulanOpt = None,
    triwulan: TriwulanOpt = None,
    dari: DariOpt = None,
    sampai: SampaiOpt = None,
    format: ReportFormatOpt = ReportFormat.teks,
    output: OutputOpt = None,
    revisi: RevisiOpt = None,
) -> None:
    """Buku besar satu akun dengan saldo berjalan."""
    chosen = periods.from_options(tahun, bulan, triwulan, dari, sampai)
    period = chosen or Period.year(_year(None))
    _run(
        ctx,
        lambda b: statements.buku_besar(b, akun, periode=period),
        format,
        output,
        default=None if chosen else _this_year(None),
        revisi=revisi,
    )


class PackFormat(StrEnum):
    html = "html"
    md = "md"
    xlsx = "xlsx"
    pdf = "pdf"


PackFormatOpt = Annotated[
    PackFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="html, md, xlsx atau pdf (pdf perlu WeasyPrint); bawaan: menurut akhiran berkas, "
        "selain itu html.",
    ),
]


def _pack_format(fmt: PackFormat | None, output: Path) -> PackFormat:
    if fmt is not None:
        return fmt
    suffix = output.suffix.lower().lstrip(".")
    return PackFormat(suffix) if suffix in PackFormat.__members__ else PackFormat.html


PackOutOpt = Annotated[Path, typer.Option("--output", "-o", help="Berkas yang ditulis.")]


def _signatures(book: Book) -> list[dict[str, str]]:
    """Ketua and bendahara from koperasi.yaml, for the signature lines."""
    wanted = ("ketua", "bendahara")
    return [
        {"jabatan": o.jabatan, "nama": o.nama}
        for o in book.config.organisasi.pengurus
        if o.jabatan.lower() in wanted
    ]


def _write_pack(
    book: Book, pack: packs.Pack, output: Path, chosen: PackFormat | None, kepada: str = ""
) -> None:
    fmt = _pack_format(chosen, output)
    if output.exists() and output.is_dir():
        raise KkmpError(f"{output} adalah folder; sebutkan nama berkas, mis. laporan.{fmt.value}.")
    if not output.parent.exists():
        raise KkmpError(f"Folder {output.parent} tidak ada.")
    if fmt is PackFormat.xlsx:
        xlsx.write_sheets(output, views.pack_sheets(pack))
    else:
        context = {**views.pack_view(pack), "ttd": _signatures(book), "kepada": kepada}
        template = "laporan-paket.md.j2" if fmt is PackFormat.md else "laporan-paket.html.j2"
        text = templating.render(template, context, book.paths.root)
        if fmt is PackFormat.pdf:
            pdf.write(text, output, base_url=book.paths.root)
        else:
            fsutil.atomic_write(output, text)
    console.print(f"Ditulis ke {output}")


@app.command("bulanan")
def bulanan(
    ctx: typer.Context,
    bulan: Annotated[str, typer.Argument(metavar="TTTT-BB", help="Bulan laporan, mis. 2025-06.")],
    output: PackOutOpt,
    format: PackFormatOpt = None,
    banding: BandingOpt = "tahun-lalu",
) -> None:
    """Laporan bulanan untuk rapat pengurus dan pengawas: neraca, PHU per unit, arus kas,
    simpanan, pinjaman dan NPL, persediaan, pembiayaan dan pajak."""
    period = periods.parse_month(bulan)
    compare = periods.check_banding(banding)
    book = state(ctx).book()
    _write_pack(book, packs.monthly(book, period, compare), output, format)


@app.command("desa")
def desa(
    ctx: typer.Context,
    triwulan: Annotated[
        str, typer.Argument(metavar="TTTT-Qn", help="Triwulan laporan, mis. 2025-Q3.")
    ],
    output: PackOutOpt,
    format: PackFormatOpt = None,
) -> None:
    """Laporan triwulan kepada Kepala Desa (Permendesa 10/2025 Pasal 9): penggunaan dana,
    pendapatan dan biaya per unit, status pengembalian pinjaman."""
    period = periods.parse_quarter(triwulan)
    book = state(ctx).book()
    name = (book.config.kelurahan_desa or "").strip()
    named = name.lower().startswith(("desa ", "kelurahan "))
    kepada = f"Kepala {name}" if named else f"Kepala Desa {name}".strip()
    _write_pack(book, packs.village(book, period), output, format, kepada)


# The year's tax report lives with the tax commands (#12).
app.command("pajak")(pajak_cli.report)
