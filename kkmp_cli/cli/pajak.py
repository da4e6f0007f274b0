"""`kkmp pajak`: PPh Final UMKM of a month (PP 55/2022) and paying a tax payable (#12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kkmp_cli import chart, dates, money
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
        done = result.sudah_dibukukan or result.terutang
        said = "Sudah dibukukan sebelumnya" if done else "Tidak ada PPh final yang terutang"
        console.print(f"{said}; tidak ada yang dicatat.")
    account = chart.overpayment_account(chart.UTANG_PPH_FINAL)
    over = pphfinal.overpaid(book, account, masa.kode) if account else Decimal(0)
    if over > 0:
        console.print(
            f"Masa {masa.kode} sudah disetor melebihi yang terutang: lebih bayar "
            f"{money.fmt(over)} tercatat di {account}. Setoran PPh final tidak dapat "
            "dipindahbukukan ke masa lain; ajukan pengembalian ke kantor pajak, lalu catat "
            "uangnya dengan 'kkmp pajak restitusi'.",
            soft_wrap=True,
        )


JenisArg = Annotated[
    str,
    typer.Argument(metavar="JENIS", help="Utang pajak: pph-final-umkm, pph-21, pph-final-bunga …"),
]
if TYPE_CHECKING:
    from beancount.core import data

    from kkmp_cli.core.ledger import Book

    Plan = Callable[[Book, pphfinal.Month, Decimal, dt.date], list[data.Directive]]


def _record_month(
    ctx: typer.Context, masa: str, jumlah: str, tanggal: str | None, plan: Plan, coba: bool
) -> tuple[pphfinal.Month, Decimal]:
    """Parse a tax month, an amount and a date, and record what `plan` makes of them."""
    month = pphfinal.month(masa)
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    record(ctx, lambda b: plan(b, month, amount, date), dry_run=coba)
    return month, amount


@app.command("setor")
def setor(
    ctx: typer.Context,
    jenis: JenisArg,
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

    def plan(b: Book, m: pphfinal.Month, n: Decimal, d: dt.date) -> list[data.Directive]:
        return pphfinal.plan_pay(b, jenis, m, n, d, ntpn=ntpn, via=via)

    month, amount = _record_month(ctx, masa, jumlah, tanggal, plan, coba)
    console.print(f"Setoran {jenis.lower()} masa {month.kode} {money.fmt(amount)} dicatat.")


@app.command("restitusi")
def restitusi(
    ctx: typer.Context,
    jenis: JenisArg,
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah diterima, mis. 45rb.")],
    masa: Annotated[str, typer.Option("--masa", help="Masa pajak yang lebih bayar, mis. 2025-03.")],
    tanggal: DateOpt = None,
    via: Annotated[
        str, typer.Option("--via", help="Diterima di kas, bank atau kode rekening.")
    ] = "bank",
    coba: DryRunOpt = False,
) -> None:
    """Catat pengembalian (restitusi) lebih bayar pajak satu masa dari kantor pajak."""

    def plan(b: Book, m: pphfinal.Month, n: Decimal, d: dt.date) -> list[data.Directive]:
        return pphfinal.plan_refund(b, jenis, m, n, d, via=via)

    month, amount = _record_month(ctx, masa, jumlah, tanggal, plan, coba)
    console.print(f"Restitusi {jenis.lower()} masa {month.kode} {money.fmt(amount)} dicatat.")


@app.command("kompensasi")
def kompensasi(
    ctx: typer.Context,
    jenis: JenisArg,
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah diperhitungkan.")],
    dari: Annotated[str, typer.Option("--dari", help="Masa yang lebih bayar, mis. 2025-02.")],
    masa: Annotated[str, typer.Option("--masa", help="Masa sesudahnya yang terutang.")],
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Perhitungkan lebih bayar PPh 21 satu masa dengan PPh 21 terutang masa sesudahnya."""
    source = pphfinal.month(dari)

    def plan(b: Book, m: pphfinal.Month, n: Decimal, d: dt.date) -> list[data.Directive]:
        return pphfinal.plan_offset(b, jenis, source, m, n, d)

    target, amount = _record_month(ctx, masa, jumlah, tanggal, plan, coba)
    console.print(
        f"Lebih bayar {jenis.lower()} masa {source.kode} {money.fmt(amount)} diperhitungkan "
        f"dengan masa {target.kode}."
    )


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
    for jenis, over in result.lebih_bayar_akhir_tahun.items():
        if over:
            console.print(f"Lebih bayar {jenis} per 31-12-{tahun}: {money.fmt(over)}")
    console.print(result.shu_anggota, soft_wrap=True)
