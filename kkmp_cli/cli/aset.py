"""`kkmp aset`: the fixed-asset register (buku inventaris) and depreciation."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from beancount.core import data
from rich.table import Table

from kkmp_cli import dates, money
from kkmp_cli.assets import register as assets
from kkmp_cli.cli.common import (
    DateOpt,
    DryRunOpt,
    Format,
    FormatOpt,
    PerOpt,
    console,
    emit_json,
    record,
    state,
)
from kkmp_cli.core import ledger

app = typer.Typer(
    help="Aset tetap (buku inventaris): perolehan, penyusutan, pelepasan, daftar.",
    no_args_is_help=True,
)


@app.command("tambah")
def tambah(
    ctx: typer.Context,
    nama: Annotated[str, typer.Argument(metavar="NAMA", help="Nama aset, mis. 'Gedung gerai'.")],
    kelompok: Annotated[
        str,
        typer.Option(
            "--kelompok",
            help="tanah, bangunan, kendaraan, mesin, peralatan atau inventaris-kantor.",
        ),
    ],
    harga: Annotated[str, typer.Option("--harga", help="Harga perolehan, mis. 240jt.")],
    tanggal: DateOpt = None,
    umur: Annotated[
        int | None,
        typer.Option("--umur", help="Umur manfaat dalam bulan (bawaan: koperasi.yaml)."),
    ] = None,
    residu: Annotated[str | None, typer.Option("--residu", help="Nilai residu (bawaan 0).")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Unit usaha pemakai aset.")] = None,
    via: Annotated[
        str,
        typer.Option(
            "--via",
            help="kas, bank, utang (kepada pemasok), hibah, atau saldo-awal (aset dari "
            "pembukuan lama, pada tanggal saldo awal, dengan --akumulasi dan sisa --umur).",
        ),
    ] = "kas",
    pemberi: Annotated[
        str | None, typer.Option("--pemberi", help="Pemasok (utang) atau pemberi hibah.")
    ] = None,
    akumulasi: Annotated[
        str | None,
        typer.Option(
            "--akumulasi",
            help="Akumulasi penyusutan di pembukuan lama (hanya dengan --via saldo-awal).",
        ),
    ] = None,
    coba: DryRunOpt = False,
) -> None:
    """Catat perolehan aset tetap (dibeli, diutang, hibah sebesar nilainya, atau aset dari
    pembukuan lama)."""
    date = dates.parse(tanggal)
    price = money.parse(harga)
    rest = Decimal(0) if residu is None or residu.strip() == "0" else money.parse(residu)
    worn = Decimal(0) if akumulasi is None or akumulasi.strip() == "0" else money.parse(akumulasi)
    _, entries = record(
        ctx,
        lambda b: assets.acquire(
            b,
            nama,
            kelompok,
            price,
            date,
            umur=umur,
            residu=rest,
            unit=unit,
            via=via,
            pemberi=pemberi,
            akumulasi=worn,
        ),  # fmt: skip
        dry_run=coba,
        opening=via.strip().lower() == assets.OPENING,
    )
    meta = entries[-1].meta
    life = int(meta["umur"])
    console.print(
        f"Aset {meta['aset']} dicatat ({meta['kelompok']}, "
        + (f"umur {life} bulan)." if life else "tidak disusutkan).")
    )


@app.command("susut")
def susut(
    ctx: typer.Context,
    sampai: Annotated[str, typer.Option("--sampai", help="Sampai bulan, mis. 2025-12.")],
    coba: DryRunOpt = False,
) -> None:
    """Bukukan penyusutan bulanan garis lurus sampai bulan itu (aman diulang)."""
    _, entries = record(ctx, lambda b: assets.depreciate(b, sampai), dry_run=coba)
    done = [
        e
        for e in entries
        if isinstance(e, data.Transaction) and e.meta.get("jenis") == assets.DEPRECIATE
    ]
    if not done:
        console.print(f"Penyusutan sudah dibukukan sampai {sampai}; tidak ada yang dicatat.")
        return
    total = sum((ledger.number(e.postings[0]) for e in done), Decimal(0))
    console.print(f"{len(done)} bulan penyusutan dibukukan, jumlah {money.fmt(total)}.")


@app.command("lepas")
def lepas(
    ctx: typer.Context,
    kode: Annotated[str, typer.Argument(metavar="KODE", help="Kode aset, mis. AT-2025-0001.")],
    tanggal: DateOpt = None,
    harga: Annotated[str | None, typer.Option("--harga", help="Harga jual (bawaan 0).")] = None,
    via: Annotated[str, typer.Option("--via", help="Hasil penjualan ke kas atau bank.")] = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Lepas (jual/hapus) aset: penyusutan sampai bulan itu, lalu laba atau rugi pelepasan."""
    date = dates.parse(tanggal)
    price = Decimal(0) if harga is None or harga.strip() == "0" else money.parse(harga)
    record(ctx, lambda b: assets.dispose(b, kode, date, harga=price, via=via), dry_run=coba)


@app.command("daftar")
def daftar(ctx: typer.Context, per: PerOpt = None, format: FormatOpt = Format.teks) -> None:
    """Buku inventaris: harga perolehan, akumulasi penyusutan, nilai buku, unit, sumber."""
    book = state(ctx).book()
    date = dates.parse(per)
    lines = assets.listing(book, date)
    if format is Format.json:
        emit_json({"per": date, "aset": lines})
        return
    if not lines:
        console.print("Belum ada aset tetap ('kkmp aset tambah').")
        return
    table = Table(title=f"Buku inventaris per {dates.fmt(date)}", title_justify="left")
    heads = ("Kode", "Nama", "Kelompok", "Tanggal", "Harga", "Akumulasi", "Nilai buku", "Unit",
             "Sumber", "Status")  # fmt: skip
    for col in heads:
        table.add_column(col, justify="right" if col in heads[4:7] else "left")
    for a in lines:
        source = a.sumber + (f" ({a.pemberi})" if a.pemberi else "")
        table.add_row(
            a.kode, a.nama, a.kelompok, dates.fmt(a.tanggal), money.fmt(a.harga),
            money.fmt(a.akumulasi), money.fmt(a.nilai_buku), a.unit or "-", source, a.status,
        )  # fmt: skip
    console.print(table)
