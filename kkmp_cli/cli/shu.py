"""`kkmp shu` (hitung, bagikan, bayar) and `kkmp tutup-buku`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from beancount.core import data
from rich.table import Table

from kkmp_cli import chart, dates, money
from kkmp_cli.app import close_year
from kkmp_cli.cli.common import DateOpt, DryRunOpt, ViaOpt, console, record, show_entries, state
from kkmp_cli.cli.output import OutputOpt, as_json, emit
from kkmp_cli.core import templating, xlsx
from kkmp_cli.reports import views
from kkmp_cli.shu import shu

app = typer.Typer(help="Sisa hasil usaha: hitung, bagikan, bayar.", no_args_is_help=True)


class ShuFormat(StrEnum):
    teks = "teks"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


@app.command("hitung")
def hitung(
    ctx: typer.Context,
    tahun: Annotated[int, typer.Argument(metavar="TAHUN", help="Tahun buku.")],
    format: Annotated[
        ShuFormat, typer.Option("--format", "-f", help="teks, json, csv, xlsx atau html.")
    ] = ShuFormat.teks,
    output: OutputOpt = None,
) -> None:
    """Hitung SHU per anggota menurut koperasi.yaml (sementara sebelum tutup buku)."""
    book = state(ctx).book()
    sheet = shu.compute(book, tahun)
    if format is ShuFormat.json:
        emit(as_json(views.shu_json(sheet)), output)
        return
    if format in (ShuFormat.csv, ShuFormat.xlsx):
        header, rows = views.shu_rows(sheet)
        target = output or Path(f"shu-{tahun}.{format.value}")
        xlsx.write(target, header, rows)
        console.print(f"Lembar SHU {tahun} ditulis ke {target}")
        return
    view = {**views.shu_view(sheet), "koperasi": book.config.nama}
    if format is ShuFormat.html:
        emit(templating.render("shu.html.j2", view, book.paths.root), output)
        return
    console.print(
        f"SHU {tahun} ({sheet.status}): {view['shu']} - bagian anggota {view['shu_anggota']}, "
        f"bagian non-anggota {view['shu_non_anggota']} (ke cadangan)"
    )
    pools = Table(title="Pembagian menurut AD/ART", title_justify="left")
    for col in ("Pos", "Persen AD/ART", "Porsi", "Jumlah"):
        pools.add_column(col, justify="left" if col == "Pos" else "right")
    for p in view["pool"]:
        pools.add_row(p["nama"], p["persen"], p["porsi"], p["jumlah"])
    console.print(pools)
    for note in view["catatan"]:
        console.print(f"Catatan: {note}")
    table = Table(title=f"SHU per anggota {tahun}", title_justify="left")
    for col in ("NAK", "Nama"):
        table.add_column(col)
    for col in ("Simpanan", "Jasa modal", *view["kolom_usaha"], "Jumlah"):
        table.add_column(col, justify="right")
    for a in view["anggota"]:
        table.add_row(
            a["nak"], a["nama"], a["simpanan"], a["jasa_modal"], *a["jasa_usaha"], a["total"]
        )
    console.print(table)
    console.print(f"Rekonsiliasi: {view['rekonsiliasi']}")


@app.command("bagikan")
def bagikan(
    ctx: typer.Context,
    tahun: Annotated[int, typer.Argument(metavar="TAHUN", help="Tahun buku yang sudah ditutup.")],
    tanggal: DateOpt = None,
    ke: Annotated[
        str, typer.Option("--ke", help="Bagian anggota ke: sukarela, utang atau kas.")
    ] = "sukarela",
    coba: DryRunOpt = False,
) -> None:
    """Bukukan pembagian SHU sesudah diputuskan RAT (sekali saja)."""
    date = dates.parse(tanggal)
    record(ctx, lambda b: shu.distribute(b, tahun, date, ke=ke), dry_run=coba)
    console.print(f"SHU {tahun} dibagikan per {dates.fmt(date)} (bagian anggota ke {ke}).")


@app.command("bayar")
def bayar(
    ctx: typer.Context,
    nak: Annotated[str, typer.Argument(metavar="NAK", help="Nomor anggota.")],
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Bayar SHU anggota yang dicatat sebagai utang."""
    date = dates.parse(tanggal)
    record(ctx, lambda b: shu.pay(b, nak, date, via=via), dry_run=coba)


def tutup_buku_cmd(
    ctx: typer.Context,
    tahun: Annotated[int, typer.Argument(metavar="TAHUN", help="Tahun buku yang ditutup.")],
    coba: DryRunOpt = False,
) -> None:
    """Tutup buku: pendapatan dan beban ke SHU belum dibagi, saldo dibawa ke tahun berikut, tahun disegel."""
    book, recorded = close_year(state(ctx).paths(), tahun, dry_run=coba)
    if coba:
        show_entries(recorded, dry_run=True)
        carried = sum(isinstance(e, data.Balance) for e in recorded)
        console.print(
            f"Juga akan dicatat: {carried} saldo dibawa ke 01-01-{tahun + 1} dan segel tahun "
            f"buku {tahun}. Tidak ada yang ditulis (--coba)."
        )
        return
    sheet_shu = -book.balance(f"{chart.SHU_BELUM_DIBAGI}:{tahun}")
    console.print(
        f"Tahun buku {tahun} ditutup dan disegel. SHU {money.fmt(sheet_shu)} menunggu keputusan RAT "
        f"('kkmp shu bagikan {tahun}'). Catatan bertanggal {tahun} kini ditolak."
    )
