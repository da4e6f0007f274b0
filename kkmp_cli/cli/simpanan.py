"""`kkmp simpanan`: deposits and withdrawals, wajib arrears, the recap."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer

from kkmp_cli import chart, dates, money
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
interest = lazy("kkmp_cli.members.interest")
term_deposits = lazy("kkmp_cli.members.term_deposits")
ledger = lazy("kkmp_cli.core.ledger")

app = typer.Typer(
    help="Simpanan pokok, wajib, sukarela dan berjangka; jasa simpanan.", no_args_is_help=True
)
berjangka_app = typer.Typer(
    help="Simpanan berjangka anggota: buka, cair, daftar.", no_args_is_help=True
)
app.add_typer(berjangka_app, name="berjangka")


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
                "wajib_per_bulan": book.config.simpanan.wajib_on(as_of.year, as_of.month),
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
        f"({money.fmt(book.config.simpanan.wajib_on(as_of.year, as_of.month))}/bulan)",
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
def rekap(
    ctx: typer.Context,
    per: PerOpt = None,
    format: listing.ListFormatOpt = listing.ListFormat.teks,
    output: listing.ListOutputOpt = None,
) -> None:
    """Rekap simpanan per jenis, dicocokkan dengan saldo buku besar."""
    book = state(ctx).book()
    as_of = dates.parse(per)
    r = deposits.recap(book, as_of)
    if format in (listing.ListFormat.csv, listing.ListFormat.xlsx, listing.ListFormat.html):
        listing.write(
            fmt=format,
            output=output,
            koperasi=book.config.nama,
            judul=f"Rekap simpanan per {dates.fmt(as_of)} ({r.anggota_aktif} anggota aktif)",
            header=["Jenis", "Jumlah (kartu anggota)", "Saldo buku besar"],
            rows=[[f"Simpanan {kind}", r.saldo[kind], r.saldo_buku[kind]] for kind in r.saldo],
            total=["Jumlah", r.total, sum(r.saldo_buku.values(), Decimal(0))],
            coop_root=book.paths.root,
        )
        return
    if format is listing.ListFormat.json:
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
    for kind in r.saldo:
        table.add_row(f"Simpanan {kind}", money.fmt(r.saldo[kind]), money.fmt(r.saldo_buku[kind]))
    table.add_row("Total", money.fmt(r.total), money.fmt(sum(r.saldo_buku.values())))
    console.print(table)
    console.print(f"Anggota aktif: {r.anggota_aktif}. " + ("Cocok." if r.cocok else "TIDAK COCOK!"))


@app.command("jasa")
def jasa(
    ctx: typer.Context,
    bulan: Annotated[
        str, typer.Option("--bulan", help="Bulan yang diberi jasa, YYYY-MM (mis. 2025-03).")
    ],
    coba: DryRunOpt = False,
) -> None:
    """Kreditkan jasa simpanan sukarela sebulan ke setiap anggota (dipotong PPh final bunga
    10 % bila jasanya sebulan lebih dari Rp240.000, PP 15/2009); sekali per bulan."""
    year, month = interest.parse_month(bulan)
    _, entries = record(ctx, lambda b: interest.plan(b, year, month), dry_run=coba)
    credits = interest.credits_of(entries)
    total = sum((c.jasa for c in credits), Decimal(0))
    tax = sum((c.pph for c in credits), Decimal(0))
    console.print(
        f"Jasa simpanan sukarela {year:04d}-{month:02d}: {len(credits)} anggota, jasa "
        f"{money.fmt(total)}, PPh final {money.fmt(tax)}, dikreditkan {money.fmt(total - tax)}."
    )


TenorOpt = Annotated[int, typer.Option("--tenor", help="Jangka waktu dalam bulan, mis. 6.")]
BungaOpt = Annotated[str, typer.Option("--bunga", help="Bunga persen setahun, mis. 6 atau 5,5.")]
ViaBerjangkaOpt = Annotated[
    str,
    typer.Option(
        "--via",
        help="kas, bank, kode rekening, atau sukarela (dipindah dari/ke simpanan sukarela).",
    ),
]


@berjangka_app.command("buka")
def berjangka_buka(
    ctx: typer.Context,
    nak: Annotated[str, typer.Argument(metavar="NAK", help="Nomor anggota.")],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Pokok, mis. 10jt.")],
    tenor: TenorOpt,
    bunga: BungaOpt,
    tanggal: DateOpt = None,
    via: ViaBerjangkaOpt = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Buka simpanan berjangka anggota (bilyet) dengan tenor dan bunga tetap."""
    amount = money.parse(jumlah)
    rate = term_deposits.parse_rate(bunga)
    date = dates.parse(tanggal)
    book, entries = record(
        ctx,
        lambda b: term_deposits.open_deposit(b, nak, amount, date, tenor=tenor, rate=rate, via=via),
        dry_run=coba,
    )
    sid = next(
        str(e.meta["berjangka"]) for e in entries if e.meta.get("jenis") == term_deposits.OPEN
    )
    d = term_deposits.deposits_of(book).get(sid) if not coba else None
    due = dates.fmt(d.jatuh_tempo) if d else "-"
    console.print(
        f"Simpanan berjangka {sid}: {money.fmt(amount)}, {tenor} bulan, bunga "
        f"{money.fmt_pct(rate)} setahun, jatuh tempo {due}."
    )


@berjangka_app.command("cair")
def berjangka_cair(
    ctx: typer.Context,
    berjangka_id: Annotated[
        str, typer.Argument(metavar="ID", help="Nomor simpanan berjangka, mis. SB-2025-0001.")
    ],
    tanggal: DateOpt = None,
    via: ViaBerjangkaOpt = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Cairkan simpanan berjangka: pokok dan jasa dikurangi PPh final; sebelum jatuh tempo
    jasa hanya untuk bulan penuh dan dikenai penalti SOP."""
    from beancount.core import data

    date = dates.parse(tanggal)
    _, entries = record(
        ctx, lambda b: term_deposits.cash_out(b, berjangka_id, date, via=via), dry_run=coba
    )
    cashing = next(
        e
        for e in entries
        if isinstance(e, data.Transaction) and e.meta.get("jenis") == term_deposits.CASH
    )
    meta = cashing.meta
    paid = -ledger.number(cashing.postings[-1])
    console.print(
        f"{meta['berjangka']} dicairkan: jasa {money.fmt(meta['jasa'])}, PPh final "
        f"{money.fmt(meta['pph'])}, penalti {money.fmt(meta['penalti'])}, dibayar "
        f"{money.fmt(paid)}."
    )


@berjangka_app.command("akrual")
def berjangka_akrual(
    ctx: typer.Context,
    tahun: Annotated[int, typer.Option("--tahun", help="Tahun buku yang diakrualkan, mis. 2025.")],
    coba: DryRunOpt = False,
) -> None:
    """Akrualkan bunga simpanan berjangka yang sudah berjalan per 31 Desember (SAK EP), sebelum
    tutup buku; sekali per tahun."""
    from beancount.core import data

    _, entries = record(ctx, lambda b: term_deposits.accrue(b, tahun), dry_run=coba)
    total = sum(
        (
            ledger.number(p)
            for e in entries
            if isinstance(e, data.Transaction)
            for p in e.postings
            if p.account == chart.BEBAN_JASA_SIMPANAN
        ),
        Decimal(0),
    )
    console.print(f"Bunga simpanan berjangka {tahun} diakrualkan: {money.fmt(total)}.")


STATUS_LABEL = {"berjalan": "berjalan", "jatuh-tempo": "jatuh tempo", "dicairkan": "dicairkan"}


@berjangka_app.command("daftar")
def berjangka_daftar(
    ctx: typer.Context,
    per: PerOpt = None,
    anggota: Annotated[
        str | None, typer.Option("--anggota", help="Hanya simpanan satu anggota (NAK).")
    ] = None,
    format: FormatOpt = Format.teks,
) -> None:
    """Daftar simpanan berjangka per tanggal: pokok, bunga, jatuh tempo, status."""
    book = state(ctx).book()
    as_of = dates.parse(per)
    nak = members.get(book, anggota).nak if anggota else None
    rows = term_deposits.listing(book, as_of, nak=nak)
    held = [r for r in rows if r.status != "dicairkan"]
    total = sum((r.deposit.pokok for r in held), Decimal(0))
    if format is Format.json:
        emit_json(
            {
                "per": as_of,
                "berjangka": [
                    {
                        "id": r.deposit.id,
                        "nak": r.deposit.nak,
                        "nama": r.deposit.nama,
                        "pokok": r.deposit.pokok,
                        "tenor": r.deposit.tenor,
                        "bunga_persen": r.deposit.bunga,
                        "tanggal": r.deposit.tanggal,
                        "jatuh_tempo": r.deposit.jatuh_tempo,
                        "status": r.status,
                        "jasa_berjalan": r.jasa_berjalan,
                        "dicairkan": r.deposit.cair,
                    }
                    for r in rows
                ],
                "total_pokok": total,
            }
        )
        return
    from rich.table import Table

    table = Table(title=f"Simpanan berjangka per {dates.fmt(as_of)}", title_justify="left")
    for col in ("ID", "NAK", "Nama"):
        table.add_column(col)
    table.add_column("Pokok", justify="right")
    table.add_column("Tenor", justify="right")
    table.add_column("Bunga", justify="right")
    for col in ("Dibuka", "Jatuh tempo", "Status"):
        table.add_column(col)
    table.add_column("Jasa berjalan", justify="right")
    for r in rows:
        d = r.deposit
        table.add_row(
            d.id,
            d.nak,
            d.nama,
            money.fmt(d.pokok),
            f"{d.tenor} bln",
            money.fmt_pct(d.bunga),
            dates.fmt(d.tanggal),
            dates.fmt(d.jatuh_tempo),
            STATUS_LABEL[r.status],
            money.fmt(r.jasa_berjalan),
        )
    console.print(table)
    console.print(f"{len(held)} simpanan berjangka belum dicairkan, pokok {money.fmt(total)}.")
