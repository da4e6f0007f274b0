"""`kkmp kas`, `kkmp jurnal`, `kkmp koreksi`: the general journal."""

from __future__ import annotations

from typing import Annotated

import typer

from kkmp_cli import dates, journal, money
from kkmp_cli.cli.common import DateOpt, DryRunOpt, KeteranganOpt, ViaOpt, record

app = typer.Typer(help="Kas: pengeluaran, penerimaan, pemindahan kas/bank.", no_args_is_help=True)


@app.command("keluar")
def keluar(
    ctx: typer.Context,
    akun: Annotated[
        str,
        typer.Argument(metavar="AKUN", help="Nama beban (listrik, gaji, atk …) atau akun Beban:…."),
    ],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah.")],
    keterangan: KeteranganOpt = None,
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Catat pengeluaran (beban) dari kas atau bank."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: journal.cash_out(b, akun, amount, date, keterangan=keterangan, via=via),
        dry_run=coba,
    )


@app.command("masuk")
def masuk(
    ctx: typer.Context,
    akun: Annotated[
        str, typer.Argument(metavar="AKUN", help="hibah, lain, atau akun Pendapatan:….")
    ],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah.")],
    keterangan: KeteranganOpt = None,
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Catat penerimaan lain (pendapatan lain-lain, hibah) ke kas atau bank."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: journal.cash_in(b, akun, amount, date, keterangan=keterangan, via=via),
        dry_run=coba,
    )


@app.command("pindah")
def pindah(
    ctx: typer.Context,
    dari: Annotated[str, typer.Argument(metavar="DARI", help="kas atau bank.")],
    ke: Annotated[str, typer.Argument(metavar="KE", help="kas atau bank.")],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah.")],
    keterangan: KeteranganOpt = None,
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Pindahkan uang antara kas dan bank."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: journal.transfer(b, dari, ke, amount, date, keterangan=keterangan),
        dry_run=coba,
    )


def jurnal_cmd(
    ctx: typer.Context,
    posting: Annotated[
        list[str], typer.Option("--posting", help="AKUN=JUMLAH (kredit bertanda minus), berulang.")
    ],
    keterangan: Annotated[str, typer.Option("--keterangan", help="Uraian jurnal.")],
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Jurnal umum untuk akuntan: posting harus seimbang."""
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: journal.entry(
            b, [journal.parse_posting(b, p) for p in posting], date, keterangan=keterangan
        ),
        dry_run=coba,
    )


def koreksi_cmd(
    ctx: typer.Context,
    bukti: Annotated[
        str,
        typer.Argument(metavar="BUKTI", help="Nomor bukti yang dikoreksi, mis. BKK-2025-000007."),
    ],
    alasan: Annotated[str, typer.Option("--alasan", help="Alasan koreksi.")],
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Koreksi dengan jurnal balik yang tertaut; transaksi asli tidak diubah."""
    date = dates.parse(tanggal)
    record(ctx, lambda b: journal.correct(b, bukti, date, alasan=alasan), dry_run=coba)
