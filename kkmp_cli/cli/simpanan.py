"""`kkmp simpanan`: deposits and withdrawals, wajib arrears, the recap."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer

from kkmp_cli import dates, money
from kkmp_cli.cli import listing
from kkmp_cli.cli.common import (
    BuktiOpt,
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
    state,
)
from kkmp_cli.lazy import lazy

# Imported when a command runs, not for `--help` (#16).
deposits = lazy("kkmp_cli.members.deposits")
members = lazy("kkmp_cli.members.register")

app = typer.Typer(help="Simpanan pokok, wajib dan sukarela.", no_args_is_help=True)


@app.command("setor")
def setor(
    ctx: typer.Context,
    nak: Annotated[str, typer.Argument(metavar="NAK", help="Nomor anggota, mis. A0001.")],
    jenis: Annotated[str, typer.Argument(metavar="JENIS", help="pokok, wajib atau sukarela.")],
    jumlah: Annotated[
        str, typer.Argument(metavar="JUMLAH", help="Jumlah, mis. 100.000, Rp10.000, 250rb, 1,5jt.")
    ],
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    bukti: BuktiOpt = None,
    keterangan: KeteranganOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Catat setoran simpanan anggota."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    book, _ = record(
        ctx,
        lambda b: deposits.deposit(
            b, nak, jenis, amount, date, via=via, bukti=bukti, keterangan=keterangan
        ),
        dry_run=coba,
    )
    m = members.get(book, nak)
    saldo = members.simpanan_balances(book, m.nak)
    console.print(
        f"Saldo simpanan {jenis.lower()} {m.nak} {m.nama}: {money.fmt(saldo[jenis.lower()])}"
    )


@app.command("tarik")
def tarik(
    ctx: typer.Context,
    nak: Annotated[str, typer.Argument(metavar="NAK", help="Nomor anggota.")],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah yang ditarik.")],
    jenis: Annotated[
        str, typer.Option("--jenis", help="Jenis simpanan (hanya sukarela yang dapat ditarik).")
    ] = "sukarela",
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    bukti: BuktiOpt = None,
    keterangan: KeteranganOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Catat penarikan simpanan sukarela (tidak pernah melebihi saldo)."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    book, _ = record(
        ctx,
        lambda b: deposits.withdraw(
            b, nak, amount, date, kind=jenis, via=via, bukti=bukti, keterangan=keterangan
        ),
        dry_run=coba,
    )
    m = members.get(book, nak)
    saldo = members.simpanan_balances(book, m.nak)["sukarela"]
    console.print(f"Sisa simpanan sukarela {m.nak} {m.nama}: {money.fmt(saldo)}")


@app.command("tunggakan")
def tunggakan(
    ctx: typer.Context,
    per: PerOpt = None,
    semua: Annotated[
        bool, typer.Option("--semua", help="Tampilkan juga anggota tanpa tunggakan.")
    ] = False,
    format: listing.ListFormatOpt = listing.ListFormat.teks,
    output: listing.ListOutputOpt = None,
) -> None:
    """Tunggakan simpanan wajib per anggota (terpisah dari tunggakan pinjaman)."""
    book = state(ctx).book()
    as_of = dates.parse(per)
    rows = deposits.arrears(book, as_of)
    shown = rows if semua else [r for r in rows if r.tunggakan > 0]
    if format in (listing.ListFormat.csv, listing.ListFormat.xlsx, listing.ListFormat.html):
        listing.write(
            fmt=format,
            output=output,
            koperasi=book.config.nama,
            judul=f"Tunggakan simpanan wajib per {dates.fmt(as_of)}",
            header=["NAK", "Nama", "Bulan", "Seharusnya", "Dibayar", "Tunggakan", "Bln tunggak"],
            rows=[
                [
                    r.member.nak,
                    r.member.nama,
                    r.bulan_wajib,
                    r.seharusnya,
                    r.dibayar,
                    r.tunggakan,
                    r.bulan_tunggakan,
                ]
                for r in shown
            ],
            total=[
                "Jumlah",
                f"{len(shown)} anggota",
                "",
                sum((r.seharusnya for r in shown), Decimal(0)),
                sum((r.dibayar for r in shown), Decimal(0)),
                sum((r.tunggakan for r in shown), Decimal(0)),
                "",
            ],
            coop_root=book.paths.root,
        )
        return
    if format is listing.ListFormat.json:
        emit_json(
            {
                "per": as_of,
                "wajib_per_bulan": book.config.simpanan.wajib_per_bulan,
                "anggota": [
                    {
                        "nak": r.member.nak,
                        "nama": r.member.nama,
                        "bulan_wajib": r.bulan_wajib,
                        "seharusnya": r.seharusnya,
                        "dibayar": r.dibayar,
                        "tunggakan": r.tunggakan,
                        "bulan_tunggakan": r.bulan_tunggakan,
                    }
                    for r in shown
                ],
                "total_tunggakan": sum(r.tunggakan for r in rows),
            }
        )
        return
    from rich.table import Table

    table = Table(
        title=f"Tunggakan simpanan wajib per {dates.fmt(as_of)} "
        f"({money.fmt(book.config.simpanan.wajib_per_bulan)}/bulan)",
        title_justify="left",
    )
    for col in ("NAK", "Nama"):
        table.add_column(col)
    for col in ("Bulan", "Seharusnya", "Dibayar", "Tunggakan", "Bln tunggak"):
        table.add_column(col, justify="right")
    for r in shown:
        table.add_row(
            r.member.nak,
            r.member.nama,
            str(r.bulan_wajib),
            money.fmt(r.seharusnya),
            money.fmt(r.dibayar),
            money.fmt(r.tunggakan),
            str(r.bulan_tunggakan),
        )
    console.print(table)
    late = [r for r in rows if r.tunggakan > 0]
    total = sum(r.tunggakan for r in rows)
    console.print(
        f"{len(late)} dari {len(rows)} anggota aktif menunggak, total {money.fmt(total)}."
    )


@app.command("rekap")
def rekap(ctx: typer.Context, per: PerOpt = None, format: FormatOpt = Format.teks) -> None:
    """Rekap simpanan per jenis, dicocokkan dengan saldo buku besar."""
    book = state(ctx).book()
    as_of = dates.parse(per)
    r = deposits.recap(book, as_of)
    if format is Format.json:
        emit_json(
            {
                "per": as_of,
                "anggota_aktif": r.anggota_aktif,
                "simpanan": r.saldo,
                "total": r.total,
                "saldo_buku": r.saldo_buku,
                "cocok": r.cocok,
            }
        )
        return
    from rich.table import Table

    table = Table(title=f"Rekap simpanan per {dates.fmt(as_of)}", title_justify="left")
    table.add_column("Jenis")
    table.add_column("Jumlah (kartu anggota)", justify="right")
    table.add_column("Saldo buku besar", justify="right")
    for kind in deposits.KINDS:
        table.add_row(f"Simpanan {kind}", money.fmt(r.saldo[kind]), money.fmt(r.saldo_buku[kind]))
    table.add_row("Total", money.fmt(r.total), money.fmt(sum(r.saldo_buku.values())))
    console.print(table)
    console.print(f"Anggota aktif: {r.anggota_aktif}. " + ("Cocok." if r.cocok else "TIDAK COCOK!"))
