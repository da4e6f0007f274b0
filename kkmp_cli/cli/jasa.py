"""`kkmp jasa`: services of the jasa units (klinik, cold storage, logistik …) and their
receivables."""

from __future__ import annotations

from typing import Annotated

import typer

from kkmp_cli import dates, money
from kkmp_cli.cli.common import DateOpt, DryRunOpt, PaidViaOpt, ViaOpt, record
from kkmp_cli.errors import TeksTidakValid
from kkmp_cli.units import jasa

app = typer.Typer(
    help="Unit jasa (klinik, cold storage, logistik …): pendapatan jasa dan piutangnya.",
    no_args_is_help=True,
)

PelangganOpt = Annotated[
    str | None,
    typer.Option("--pelanggan", help="Nama pelanggan bukan anggota, mis. 'BPJS Kesehatan'."),
]


@app.command("catat")
def catat(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(metavar="UNIT", help="Kode unit jasa, mis. klinik.")],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Nilai jasa.")],
    layanan: Annotated[
        str, typer.Option("--layanan", help="Layanan yang diberikan, mis. 'Periksa umum'.")
    ],
    anggota: Annotated[
        str | None, typer.Option("--anggota", help="NAK anggota yang dilayani.")
    ] = None,
    pelanggan: PelangganOpt = None,
    kredit: Annotated[
        bool, typer.Option("--kredit", help="Belum dibayar: menjadi piutang anggota/pelanggan.")
    ] = False,
    via: PaidViaOpt = None,
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Catat pendapatan jasa sebuah unit, anggota dan non-anggota terpisah."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: jasa.record(
            b,
            unit,
            amount,
            date,
            layanan=layanan,
            nak=anggota,
            pelanggan=pelanggan,
            kredit=kredit,
            via=via,
        ),
        dry_run=coba,
    )


@app.command("terima-piutang")
def terima_piutang(
    ctx: typer.Context,
    pertama: Annotated[
        str,
        typer.Argument(metavar="NAK|JUMLAH", help="NAK anggota (atau JUMLAH dengan --pelanggan)."),
    ],
    kedua: Annotated[
        str | None, typer.Argument(metavar="JUMLAH", help="Jumlah yang dibayar.")
    ] = None,
    pelanggan: PelangganOpt = None,
    via: ViaOpt = "kas",
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Terima pembayaran piutang jasa dari anggota (NAK JUMLAH) atau pelanggan (--pelanggan NAMA JUMLAH)."""
    if pelanggan:
        if kedua is not None:
            raise TeksTidakValid("Dengan --pelanggan cukup tulis JUMLAH, tanpa NAK.")
        nak, amount_text = None, pertama
    else:
        if kedua is None:
            raise TeksTidakValid("Tulis NAK dan JUMLAH, atau --pelanggan NAMA dan JUMLAH.")
        nak, amount_text = pertama, kedua
    amount = money.parse(amount_text)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: jasa.collect(b, amount, date, nak=nak, pelanggan=pelanggan, via=via),
        dry_run=coba,
    )
