"""`kkmp pajak`: PPh Final UMKM of a month (PP 55/2022) and paying a tax payable (#12)."""

from __future__ import annotations

from typing import Annotated

import typer

from kkmp_cli import dates, money
from kkmp_cli.cli.common import DateOpt, DryRunOpt, console, record
from kkmp_cli.tax import pphfinal

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
