"""`kkmp gerai`: items, purchases (batch and expiry), sales (member / non-member / named
customer, FIFO or FEFO HPP), returns, stock, expiring lots, write-offs and opname."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated

import typer
from beancount.core import data
from rich.table import Table

from kkmp_cli import dates, money
from kkmp_cli.app.members import sell
from kkmp_cli.cli import listing
from kkmp_cli.cli.common import (
    DateOpt,
    DryRunOpt,
    Format,
    FormatOpt,
    KeteranganOpt,
    PaidViaOpt,
    PerOpt,
    ViaOpt,
    console,
    emit_json,
    record,
    show_entries,
    state,
)
from kkmp_cli.errors import TeksTidakValid
from kkmp_cli.outlet import customers, expiry, returns
from kkmp_cli.outlet import trade as outlet

app = typer.Typer(
    help="Gerai (unit usaha): barang, pembelian, penjualan, retur, stok, kedaluwarsa.",
    no_args_is_help=True,
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
    batch: Annotated[
        str | None, typer.Option("--batch", help="Nomor batch (wajib di unit FEFO, mis. apotek).")
    ] = None,
    kedaluwarsa: Annotated[
        str | None,
        typer.Option("--kedaluwarsa", help="Tanggal kedaluwarsa batch ini, mis. 30-06-2026."),
    ] = None,
    tanggal: DateOpt = None,
    via: PaidViaOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Catat pembelian barang ke persediaan (lot pada harga pokok, dengan batch dan
    kedaluwarsanya bila ada)."""
    qty = outlet.parse_quantity(jumlah)
    price = money.parse(harga)
    date = dates.parse(tanggal)
    expires = dates.parse(kedaluwarsa) if kedaluwarsa else None
    record(
        ctx,
        lambda b: outlet.purchase(
            b,
            kode,
            qty,
            price,
            date,
            pemasok=pemasok,
            kredit=kredit,
            via=via,
            batch=batch,
            kedaluwarsa=expires,
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
    pelanggan: Annotated[
        str | None,
        typer.Option("--pelanggan", help="Nama pelanggan non-anggota (boleh kredit dalam batas)."),
    ] = None,
    kredit: Annotated[
        bool,
        typer.Option("--kredit", help="Belanja kredit (anggota, atau pelanggan bernama)."),
    ] = False,
    nik: Annotated[
        str | None, typer.Option("--nik", help="NIK pembeli barang bersubsidi (pribadi).")
    ] = None,
    tanggal: DateOpt = None,
    via: PaidViaOpt = None,
    keterangan: KeteranganOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Catat penjualan (satu nota); HPP dari lot yang keluar (FIFO, atau FEFO di unit apotek)."""
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
    req = outlet.SaleRequest(
        date, tuple(lines), anggota, kredit, via, keterangan, extra, pelanggan=pelanggan
    )

    _, entries = sell(state(ctx).paths(), req, nik=nik, dry_run=coba)
    show_entries(entries, dry_run=coba)
    if nik and not coba:
        console.print("NIK pembeli disimpan di pribadi/anggota.yaml (tidak masuk git).")


@app.command("stok")
def stok(
    ctx: typer.Context,
    per: PerOpt = None,
    format: listing.ListFormatOpt = listing.ListFormat.teks,
    output: listing.ListOutputOpt = None,
) -> None:
    """Stok per barang: jumlah dan nilai pada harga pokok."""
    book = state(ctx).book()
    as_of = dates.parse(per) if per else None
    rows = outlet.stock(book, as_of)
    if format in (listing.ListFormat.csv, listing.ListFormat.xlsx, listing.ListFormat.html):
        listing.write(
            fmt=format,
            output=output,
            koperasi=book.config.nama,
            judul="Stok gerai" + (f" per {dates.fmt(as_of)}" if as_of else ""),
            header=["Kode", "Nama", "Jumlah", "Satuan", "Harga pokok rata", "Nilai"],
            rows=[
                [
                    r.item.kode,
                    r.item.nama,
                    outlet.fmt_qty(r.jumlah),
                    r.item.satuan,
                    r.harga_rata,
                    r.nilai,
                ]
                for r in rows
            ],
            total=[
                "Jumlah",
                f"{len(rows)} barang",
                "",
                "",
                "",
                sum((r.nilai for r in rows), Decimal(0)),
            ],
            coop_root=book.paths.root,
        )
        return
    if format is listing.ListFormat.json:
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
    aset: Annotated[
        bool,
        typer.Option(
            "--aset",
            help="Bayar utang pembelian aset tetap (aset tambah --via utang), bukan utang "
            "barang; pemasok yang hanya punya utang aset dibayar tanpa pilihan ini.",
        ),
    ] = False,
    coba: DryRunOpt = False,
) -> None:
    """Bayar utang kepada pemasok (utang barang, atau utang pembelian aset tetap)."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: outlet.pay_supplier(b, pemasok, amount, date, via=via, aset=aset),
        dry_run=coba,
    )


@app.command("terima-piutang")
def terima_piutang(
    ctx: typer.Context,
    nak: Annotated[
        str | None, typer.Argument(metavar="NAK", help="Nomor anggota (tanpa --pelanggan).")
    ] = None,
    jumlah: Annotated[str | None, typer.Argument(metavar="JUMLAH", help="Jumlah diterima.")] = None,
    pelanggan: Annotated[
        str | None, typer.Option("--pelanggan", help="Nama pelanggan non-anggota.")
    ] = None,
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Terima pembayaran piutang belanja kredit: NAK JUMLAH (anggota) atau --pelanggan NAMA
    JUMLAH (non-anggota)."""
    if pelanggan is not None and jumlah is None:
        nak, jumlah = None, nak
    if jumlah is None or (pelanggan is None) == (nak is None):
        raise TeksTidakValid(
            "Sebutkan NAK JUMLAH untuk anggota, atau --pelanggan NAMA JUMLAH untuk pelanggan."
        )
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    if pelanggan is not None:
        name = pelanggan
        record(ctx, lambda b: customers.collect(b, name, amount, date, via=via), dry_run=coba)
        return
    member = str(nak)
    record(ctx, lambda b: outlet.collect(b, member, amount, date, via=via), dry_run=coba)


@app.command("kedaluwarsa")
def kedaluwarsa(
    ctx: typer.Context,
    per: PerOpt = None,
    hari: Annotated[
        int, typer.Option("--hari", help="Tampilkan yang kedaluwarsa dalam N hari.")
    ] = 90,
    format: FormatOpt = Format.teks,
) -> None:
    """Daftar batch yang kedaluwarsa dalam N hari (dan yang sudah kedaluwarsa)."""
    book = state(ctx).book()
    as_of = dates.parse(per)
    rows = expiry.expiring(book, as_of, hari)
    if format is Format.json:
        emit_json({"per": as_of, "hari": hari, "batch": rows})
        return
    table = Table(
        title=f"Batch kedaluwarsa sampai {dates.fmt(as_of + dt.timedelta(days=hari))} "
        f"(per {dates.fmt(as_of)})",
        title_justify="left",
    )
    for col in ("Kode", "Nama", "Unit", "Batch", "Kedaluwarsa"):
        table.add_column(col)
    for col in ("Jumlah", "Nilai", "Keadaan"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(
            r.kode,
            r.nama,
            r.unit,
            r.batch,
            dates.fmt(r.kedaluwarsa),
            f"{outlet.fmt_qty(r.jumlah)} {r.satuan}",
            money.fmt(r.nilai),
            "sudah kedaluwarsa" if r.kedaluwarsa_sudah else f"{r.sisa_hari} hari lagi",
        )
    console.print(table)
    if not rows:
        console.print(f"Tidak ada batch yang kedaluwarsa dalam {hari} hari.")
    else:
        console.print(
            f"Nilai pada harga pokok: {money.fmt(sum((r.nilai for r in rows), Decimal(0)))}"
        )


@app.command("musnahkan")
def musnahkan(
    ctx: typer.Context,
    kode: Annotated[str, typer.Argument(metavar="KODE", help="Kode barang.")],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Banyaknya yang dimusnahkan.")],
    batch: Annotated[str, typer.Option("--batch", help="Nomor batch yang dimusnahkan.")],
    alasan: Annotated[str, typer.Option("--alasan", help="Alasan, mis. kedaluwarsa atau rusak.")],
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Musnahkan barang kedaluwarsa atau rusak: dibebankan pada harga pokoknya."""
    qty = outlet.parse_quantity(jumlah)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: expiry.write_off(b, kode, qty, date, batch=batch, alasan=alasan),
        dry_run=coba,
    )


ReturItemOpt = Annotated[
    list[str] | None,
    typer.Option("--item", help="KODE:JUMLAH yang diretur, boleh berulang (bawaan: semua sisa)."),
]


def _return_items(specs: list[str] | None) -> list[tuple[str, Decimal]] | None:
    if not specs:
        return None
    found = []
    for spec in specs:
        parts = spec.split(":")
        if len(parts) != 2:
            raise TeksTidakValid(f"--item '{spec}' harus KODE:JUMLAH.")
        found.append((outlet.check_code(parts[0]), outlet.parse_quantity(parts[1])))
    return found


def _record_return(
    ctx: typer.Context,
    planner: Callable[..., list[data.Directive]],
    bukti: str,
    item: list[str] | None,
    tanggal: str | None,
    via: str,
    keterangan: str | None,
    coba: bool,
) -> None:
    items = _return_items(item)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: planner(b, bukti, date, items=items, via=via, keterangan=keterangan),
        dry_run=coba,
    )


@app.command("retur-jual")
def retur_jual(
    ctx: typer.Context,
    bukti: Annotated[str, typer.Argument(metavar="ID", help="Nomor bukti nota penjualan.")],
    item: ReturItemOpt = None,
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    keterangan: KeteranganOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Retur penjualan: barang kembali ke lotnya pada harga pokok, penjualan dan HPP dibalik,
    uang dikembalikan atau piutang pembeli dikurangi."""
    _record_return(ctx, returns.sale_return, bukti, item, tanggal, via, keterangan, coba)


@app.command("retur-beli")
def retur_beli(
    ctx: typer.Context,
    bukti: Annotated[str, typer.Argument(metavar="ID", help="Nomor bukti pembelian.")],
    item: ReturItemOpt = None,
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    keterangan: KeteranganOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Retur pembelian: barang dari lot pembelian itu kembali ke pemasok; utang kepadanya
    berkurang atau uangnya diterima kembali."""
    _record_return(ctx, returns.purchase_return, bukti, item, tanggal, via, keterangan, coba)
