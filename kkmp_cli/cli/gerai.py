"""`kkmp gerai`: items, purchases, sales (member / non-member, FIFO HPP), stock and opname."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from beancount.core import data
from rich.table import Table

from kkmp_cli import dates, money
from kkmp_cli.app.members import sell
from kkmp_cli.cli.common import (
    DateOpt,
    DryRunOpt,
    Format,
    FormatOpt,
    KeteranganOpt,
    PerOpt,
    ViaOpt,
    console,
    emit_json,
    record,
    show_entries,
    state,
)
from kkmp_cli.errors import TeksTidakValid
from kkmp_cli.outlet import trade as outlet

app = typer.Typer(
    help="Gerai (unit usaha): barang, pembelian, penjualan, stok.", no_args_is_help=True
)
barang_app = typer.Typer(help="Daftar barang gerai.", no_args_is_help=True)
app.add_typer(barang_app, name="barang")


@barang_app.command("tambah")
def barang_tambah(
    ctx: typer.Context,
    kode: Annotated[str, typer.Argument(metavar="KODE", help="Kode barang, mis. BERAS-5KG.")],
    nama: Annotated[str, typer.Option("--nama", help="Nama barang.")],
    harga_jual: Annotated[str, typer.Option("--harga-jual", help="Harga jual umum.")],
    satuan: Annotated[str, typer.Option("--satuan", help="Satuan, mis. karung, botol.")] = "buah",
    harga_anggota: Annotated[
        str | None, typer.Option("--harga-anggota", help="Harga khusus anggota.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Unit usaha (bawaan dari SOP).")
    ] = None,
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Daftarkan barang baru (komoditas Beancount) dengan harga jualnya."""
    price = money.parse(harga_jual)
    member_price = money.parse(harga_anggota) if harga_anggota else None
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: outlet.add_item(
            b,
            kode,
            date,
            nama=nama,
            satuan=satuan,
            harga_jual=price,
            harga_anggota=member_price,
            unit=unit,
        ),
        dry_run=coba,
    )
    console.print(f"Barang {kode.upper()} ({nama}) terdaftar, harga jual {money.fmt(price)}.")


@barang_app.command("daftar")
def barang_daftar(ctx: typer.Context, format: FormatOpt = Format.teks) -> None:
    """Daftar barang dengan harga dan unit usahanya."""
    book = state(ctx).book()
    found = outlet.items(book)
    if format is Format.json:
        emit_json({"barang": list(found.values())})
        return
    table = Table(title="Daftar barang", title_justify="left")
    for col in ("Kode", "Nama", "Satuan", "Unit"):
        table.add_column(col)
    table.add_column("Harga jual", justify="right")
    table.add_column("Harga anggota", justify="right")
    for it in found.values():
        table.add_row(
            it.kode,
            it.nama,
            it.satuan,
            it.unit,
            money.fmt(it.harga_jual),
            money.fmt(it.harga_anggota) if it.harga_anggota else "-",
        )
    console.print(table)


@app.command("beli")
def beli(
    ctx: typer.Context,
    kode: Annotated[str, typer.Argument(metavar="KODE", help="Kode barang.")],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Banyaknya barang.")],
    harga: Annotated[str, typer.Option("--harga", help="Harga beli per satuan.")],
    pemasok: Annotated[str, typer.Option("--pemasok", help="Nama pemasok.")],
    kredit: Annotated[bool, typer.Option("--kredit", help="Belum dibayar (utang usaha).")] = False,
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Catat pembelian barang ke persediaan (lot pada harga pokok)."""
    qty = outlet.parse_quantity(jumlah)
    price = money.parse(harga)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: outlet.purchase(
            b, kode, qty, price, date, pemasok=pemasok, kredit=kredit, via=via
        ),
        dry_run=coba,
    )


def _parse_item(spec: str) -> outlet.SaleLine:
    parts = spec.split(":")
    if len(parts) not in (2, 3):
        raise TeksTidakValid(f"--item '{spec}' harus KODE:JUMLAH atau KODE:JUMLAH:HARGA.")
    price = money.parse(parts[2]) if len(parts) == 3 else None
    return outlet.SaleLine(outlet.check_code(parts[0]), outlet.parse_quantity(parts[1]), price)


@app.command("jual")
def jual(
    ctx: typer.Context,
    kode: Annotated[
        str | None, typer.Argument(metavar="KODE", help="Kode barang (satu barang).")
    ] = None,
    jumlah: Annotated[str | None, typer.Argument(metavar="JUMLAH", help="Banyaknya.")] = None,
    item: Annotated[
        list[str] | None,
        typer.Option("--item", help="KODE:JUMLAH[:HARGA], boleh berulang (satu nota)."),
    ] = None,
    harga: Annotated[
        str | None, typer.Option("--harga", help="Harga satuan (bawaan: harga barang).")
    ] = None,
    anggota: Annotated[
        str | None, typer.Option("--anggota", help="NAK pembeli bila anggota.")
    ] = None,
    kredit: Annotated[
        bool, typer.Option("--kredit", help="Belanja kredit (hanya anggota).")
    ] = False,
    nik: Annotated[
        str | None, typer.Option("--nik", help="NIK pembeli barang bersubsidi (pribadi).")
    ] = None,
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    keterangan: KeteranganOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Catat penjualan (satu nota); HPP dihitung FIFO oleh Beancount."""
    lines = [_parse_item(s) for s in item or []]
    if kode:
        if not jumlah:
            raise TeksTidakValid("Sebutkan jumlah barang: kkmp gerai jual KODE JUMLAH.")
        lines.insert(
            0,
            outlet.SaleLine(
                outlet.check_code(kode),
                outlet.parse_quantity(jumlah),
                money.parse(harga) if harga else None,
            ),
        )
    if not lines:
        raise TeksTidakValid("Sebutkan barangnya: KODE JUMLAH, atau --item KODE:JUMLAH.")
    if nik and not (nik.isdigit() and len(nik) == 16):
        raise TeksTidakValid("NIK harus 16 angka.")
    date = dates.parse(tanggal)
    extra = (("nik", "pribadi"),) if nik else ()
    req = outlet.SaleRequest(date, tuple(lines), anggota, kredit, via, keterangan, extra)

    _, entries = sell(state(ctx).paths(), req, nik=nik, dry_run=coba)
    show_entries(entries, dry_run=coba)
    if nik and not coba:
        console.print("NIK pembeli disimpan di pribadi/anggota.yaml (tidak masuk git).")


@app.command("stok")
def stok(ctx: typer.Context, per: PerOpt = None, format: FormatOpt = Format.teks) -> None:
    """Stok per barang: jumlah dan nilai pada harga pokok."""
    book = state(ctx).book()
    as_of = dates.parse(per) if per else None
    rows = outlet.stock(book, as_of)
    if format is Format.json:
        emit_json(
            {
                "per": as_of,
                "barang": [
                    {"kode": r.item.kode, "nama": r.item.nama, "jumlah": r.jumlah, "nilai": r.nilai}
                    for r in rows
                ],
                "total_nilai": sum((r.nilai for r in rows), Decimal(0)),
            }
        )
        return
    table = Table(
        title="Stok gerai" + (f" per {dates.fmt(as_of)}" if as_of else ""), title_justify="left"
    )
    for col in ("Kode", "Nama"):
        table.add_column(col)
    for col in ("Jumlah", "Harga pokok rata", "Nilai"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(
            r.item.kode,
            r.item.nama,
            f"{outlet.fmt_qty(r.jumlah)} {r.item.satuan}",
            money.fmt(r.harga_rata),
            money.fmt(r.nilai),
        )
    console.print(table)
    console.print(f"Nilai persediaan: {money.fmt(sum((r.nilai for r in rows), Decimal(0)))}")


@app.command("opname")
def opname(
    ctx: typer.Context,
    kode: Annotated[str, typer.Argument(metavar="KODE", help="Kode barang.")],
    dihitung: Annotated[str, typer.Argument(metavar="DIHITUNG", help="Jumlah hasil hitung fisik.")],
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Stock opname: selisih hitung fisik dan buku dibebankan ke selisih persediaan."""
    counted = (
        Decimal(dihitung.replace(",", "."))
        if dihitung.strip() in ("0",)
        else outlet.parse_quantity(dihitung)
    )
    date = dates.parse(tanggal)
    _, entries = record(ctx, lambda b: outlet.count(b, kode, counted, date), dry_run=coba)
    if not any(isinstance(e, data.Transaction) for e in entries):
        done = (
            "tidak ditulis, --coba"
            if coba
            else "hasil hitung dicatat"
            if entries
            else "hasil hitung ini sudah tercatat"
        )
        console.print(f"Stok {kode.upper()} cocok dengan buku; tidak ada selisih ({done}).")


@app.command("bayar-pemasok")
def bayar_pemasok(
    ctx: typer.Context,
    pemasok: Annotated[str, typer.Argument(metavar="PEMASOK", help="Nama pemasok.")],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah dibayar.")],
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Bayar utang kepada pemasok."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    record(ctx, lambda b: outlet.pay_supplier(b, pemasok, amount, date, via=via), dry_run=coba)


@app.command("terima-piutang")
def terima_piutang(
    ctx: typer.Context,
    nak: Annotated[str, typer.Argument(metavar="NAK", help="Nomor anggota.")],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah diterima.")],
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Terima pembayaran piutang belanja kredit anggota."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    record(ctx, lambda b: outlet.collect(b, nak, amount, date, via=via), dry_run=coba)
