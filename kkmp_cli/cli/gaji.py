"""`kkmp gaji`: wages and honoraria with PPh 21 withheld (PP 58/2023, PMK 168/2023) (#12)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.table import Table

from kkmp_cli import dates, money
from kkmp_cli.cli import listing
from kkmp_cli.cli.common import DateOpt, DryRunOpt, console, emit_json, record, state
from kkmp_cli.tax import payroll, pphfinal

app = typer.Typer(
    help="Gaji, upah dan honor: PPh 21 (TER bulanan, TER harian, Desember tarif Pasal 17), BPJS, "
    "daftar setahun.",
    no_args_is_help=True,
)


@app.command("bayar")
def bayar(
    ctx: typer.Context,
    nama: Annotated[str, typer.Argument(metavar="NAMA", help="Nama penerima.")],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Gaji/honor bruto, mis. 4,5jt.")],
    bulan: Annotated[str, typer.Option("--bulan", help="Masa pajak (bulan gaji), mis. 2025-03.")],
    jabatan: Annotated[str | None, typer.Option("--jabatan", help="Jabatan, mis. Manajer.")] = None,
    status_ptkp: Annotated[
        str | None,
        typer.Option("--status-ptkp", help="TK/0 … TK/3, K/0 … K/3 (bawaan: yang terakhir)."),
    ] = None,
    pegawai: Annotated[
        str | None,
        typer.Option(
            "--pegawai",
            help="tetap, tidak-tetap (upah dibayar bulanan) atau bukan-pegawai (bawaan: yang "
            "terakhir, tetap).",
        ),
    ] = None,
    harian: Annotated[
        int | None,
        typer.Option(
            "--harian",
            metavar="HARI",
            help="Pegawai tidak tetap/tenaga lepas yang tidak dibayar bulanan: jumlah hari kerja "
            "yang dibayar; JUMLAH = upah seluruh hari itu (harian, mingguan, satuan, borongan).",
        ),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Unit usaha yang menanggung gaji, mis. klinik.")
    ] = None,
    via: Annotated[
        str, typer.Option("--via", help="Dibayar dari kas, bank atau kode rekening.")
    ] = ("kas"),
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Bayar gaji atau honor: beban bruto, PPh 21 dan iuran BPJS dipotong, dibayar bersih."""
    masa = pphfinal.month(bulan)
    amount = money.parse(jumlah)
    date = dates.parse(tanggal, default=min(masa.end, dates.today()))
    _, entries = record(
        ctx,
        lambda b: payroll.plan_pay(
            b,
            nama,
            amount,
            masa,
            date,
            jabatan=jabatan,
            status_ptkp=status_ptkp,
            pegawai=pegawai,
            hari=harian,
            unit=unit,
            via=via,
        ),  # fmt: skip
        dry_run=coba,
    )
    m = entries[-1].meta
    console.print(
        f"{m['nama']}: bruto {money.fmt(money.parse(str(m['bruto'])))}, PPh 21 "
        f"{money.fmt(Decimal(m['pph21']))} ({m['metode']}), dibayar bersih "
        f"{money.fmt(Decimal(m['neto']))}."
    )


@app.command("daftar")
def daftar(
    ctx: typer.Context,
    tahun: Annotated[int, typer.Option("--tahun", help="Tahun pajak, mis. 2025.")],
    format: listing.ListFormatOpt = listing.ListFormat.teks,
    output: listing.ListOutputOpt = None,
) -> None:
    """Per orang setahun: bruto, PPh 21 dipotong, bersih (data bukti potong)."""
    book = state(ctx).book()
    rows = payroll.year_listing(book, tahun)
    if format is listing.ListFormat.json:
        emit_json({"tahun": tahun, "penerima": rows})
        return
    header = ["Nama", "Jabatan", "Pegawai", "PTKP", "Bulan", "Bruto", "Premi BPJS", "BPJS dipotong",
              "PPh 21", "Bersih"]  # fmt: skip
    cells: list[list[Any]] = [
        [r.nama, r.jabatan, r.pegawai, r.status_ptkp, r.bulan, r.bruto, r.premi, r.bpjs_pegawai,
         r.pph21, r.neto]
        for r in rows
    ]  # fmt: skip
    total = [
        "Jumlah",
        "",
        "",
        "",
        "",
        *(sum((c[i] for c in cells), payroll.ZERO) for i in range(5, 10)),
    ]
    if format is not listing.ListFormat.teks:
        listing.write(
            fmt=format, output=output, koperasi=book.config.nama,
            judul=f"Daftar gaji dan PPh 21 tahun {tahun}", header=header, rows=cells,
            total=total, coop_root=book.paths.root,
        )  # fmt: skip
        return
    if not rows:
        console.print(f"Belum ada gaji atau honor tahun {tahun} ('kkmp gaji bayar').")
        return
    table = Table(title=f"Gaji dan PPh 21 tahun {tahun}", title_justify="left")
    for i, col in enumerate(header):
        table.add_column(col, justify="right" if i >= 4 else "left")
    for row in [*cells, total]:
        table.add_row(*(money.fmt(Decimal(v)) if i >= 5 else str(v) for i, v in enumerate(row)))
    console.print(table)
