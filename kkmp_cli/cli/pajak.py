"""`kkmp pajak`: PPh Final UMKM of a month (PP 55/2022) and paying a tax payable (#12)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich.table import Table

from kkmp_cli import dates, money
from kkmp_cli.cli.common import (
    DateOpt,
    DryRunOpt,
    Format,
    FormatOpt,
    console,
    emit_json,
    record,
    state,
)
from kkmp_cli.tax import pphfinal
from kkmp_cli.tax import report as tax_report

app = typer.Typer(
    help="Pajak: PPh final 0,5 % per bulan (PP 55/2022) dan setoran utang pajak.",
    no_args_is_help=True,
)


@app.command("hitung")
def hitung(
    ctx: typer.Context,
    bulan: Annotated[str, typer.Option("--bulan", help="Masa pajak, mis. 2025-03.")],
    coba: DryRunOpt = False,
) -> None:
    """Hitung dan bukukan PPh final 0,5 % dari peredaran bruto sebulan (aman diulang)."""
    masa = pphfinal.month(bulan)
    book, entries = record(ctx, lambda b: pphfinal.plan_compute(b, masa), dry_run=coba)
    result = pphfinal.compute(book, masa)
    console.print(
        f"Masa {masa.kode}: peredaran bruto {money.fmt(result.peredaran)}, PPh final "
        f"{money.fmt_pct(result.tarif_persen)} = {money.fmt(result.terutang)}."
    )
    if not entries:
        console.print("Sudah dibukukan sebelumnya; tidak ada yang dicatat.")


@app.command("setor")
def setor(
    ctx: typer.Context,
    jenis: Annotated[
        str,
        typer.Argument(
            metavar="JENIS", help="Utang pajak: pph-final-umkm, pph-21, pph-final-bunga …"
        ),
    ],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah disetor, mis. 200rb.")],
    masa: Annotated[str, typer.Option("--masa", help="Masa pajak yang dibayar, mis. 2025-03.")],
    tanggal: DateOpt = None,
    ntpn: Annotated[
        str | None, typer.Option("--ntpn", help="Nomor Transaksi Penerimaan Negara (bukti setor).")
    ] = None,
    via: Annotated[
        str, typer.Option("--via", help="Dibayar dari kas, bank atau kode rekening.")
    ] = "bank",
    coba: DryRunOpt = False,
) -> None:
    """Setor (bayar) utang pajak satu masa, paling banyak sebesar yang terutang."""
    month = pphfinal.month(masa)
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: pphfinal.plan_pay(b, jenis, month, amount, date, ntpn=ntpn, via=via),
        dry_run=coba,
    )
    console.print(f"Setoran {jenis.lower()} masa {month.kode} {money.fmt(amount)} dicatat.")


def report(
    ctx: typer.Context,
    tahun: Annotated[int, typer.Option("--tahun", help="Tahun pajak, mis. 2025.")],
    format: FormatOpt = Format.teks,
) -> None:
    """Laporan pajak setahun: per masa peredaran bruto, PPh final, PPh 21 dan PPh lain
    dipotong dan disetor, serta utang pajak akhir tahun."""
    result = tax_report.build(state(ctx).book(), tahun)
    if format is Format.json:
        emit_json(result)
        return
    table = Table(title=f"Laporan pajak tahun {tahun}", title_justify="left")
    kinds = list(result.jumlah)
    table.add_column("Masa")
    table.add_column("Peredaran bruto", justify="right")
    table.add_column("PPh final terutang", justify="right")
    for jenis in kinds:
        table.add_column(f"{jenis} dicatat", justify="right")
        table.add_column(f"{jenis} disetor", justify="right")
    for row in result.bulan:
        cells = [
            row.masa,
            money.fmt_report(row.peredaran),
            money.fmt_report(row.pph_final_terutang),
        ]
        for jenis in kinds:
            move = row.pajak[jenis]
            cells += [money.fmt_report(move.dipotong), money.fmt_report(move.disetor)]
        table.add_row(*cells)
    total = ["Jumlah", money.fmt_report(sum((r.peredaran for r in result.bulan), Decimal(0))),
             money.fmt_report(sum((r.pph_final_terutang for r in result.bulan), Decimal(0)))]  # fmt: skip
    for jenis in kinds:
        total += [money.fmt_report(result.jumlah[jenis].dipotong),
                  money.fmt_report(result.jumlah[jenis].disetor)]  # fmt: skip
    table.add_row(*total)
    console.print(table)
    for jenis, owed in result.terutang_akhir_tahun.items():
        console.print(f"Utang {jenis} per 31-12-{tahun}: {money.fmt(owed)}")
    console.print(result.shu_anggota, soft_wrap=True)
