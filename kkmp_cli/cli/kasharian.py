"""`kkmp kas harian` (buku kas umum of a day) and `kkmp kas opname` (the cash count) (#22)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kkmp_cli import dates, money
from kkmp_cli.cli.common import DryRunOpt, Format, FormatOpt, console, emit_json, record, state
from kkmp_cli.counter import cashbook

RekeningOpt = Annotated[
    str | None,
    typer.Option(
        "--rekening", help="Akun kas/bank: kas, bank, kodenya (1101) atau namanya (bawaan: semua)."
    ),
]


def harian_cmd(
    ctx: typer.Context,
    tanggal: Annotated[
        str | None, typer.Option("--tanggal", "-t", help="Hari yang dilihat (bawaan: hari ini).")
    ] = None,
    dari: Annotated[str | None, typer.Option("--dari", help="Awal rentang tanggal.")] = None,
    sampai: Annotated[str | None, typer.Option("--sampai", help="Akhir rentang tanggal.")] = None,
    rekening: RekeningOpt = None,
    format: FormatOpt = Format.teks,
) -> None:
    """Buku kas harian: saldo awal, setiap mutasi dengan nomor buktinya, saldo akhir."""
    book = state(ctx).book()
    day = dates.parse(tanggal)
    start = dates.parse(dari) if dari else day
    end = dates.parse(sampai) if sampai else (day if tanggal or not dari else dates.parse(None))
    accounts = (
        [cashbook.resolve(book, rekening, end)]
        if rekening
        else [cb.akun for cb in cashbook.cash_accounts(book, end)]
    )
    books = [cashbook.day_book(book, a, start, end) for a in accounts]
    if format is Format.json:
        emit_json(
            [
                {**vars(cb), "total_masuk": cb.total_masuk, "total_keluar": cb.total_keluar}
                for cb in books
            ]
        )
        return
    period = dates.fmt(start) if start == end else f"{dates.fmt(start)} s.d. {dates.fmt(end)}"
    for cb in books:
        table = Table(
            title=f"Buku kas harian {cb.uraian} ({cb.akun}) {period}\n{book.config.nama}",
            title_justify="left",
        )
        table.add_column("Tanggal", no_wrap=True)
        table.add_column("Bukti", no_wrap=True)
        table.add_column("Uraian")
        for col in ("Masuk", "Keluar", "Saldo"):
            table.add_column(col, justify="right")
        table.add_row("", "", "Saldo awal", "", "", money.fmt(cb.saldo_awal))
        for line in cb.lines:
            table.add_row(
                dates.fmt(line.tanggal),
                line.bukti,
                line.uraian,
                money.fmt(line.masuk) if line.masuk else "",
                money.fmt(line.keluar) if line.keluar else "",
                money.fmt(line.saldo),
            )
        table.add_row(
            "",
            "",
            "Jumlah / saldo akhir",
            money.fmt(cb.total_masuk),
            money.fmt(cb.total_keluar),
            money.fmt(cb.saldo_akhir),
            style="bold",
        )
        console.print(table)


def opname_cmd(
    ctx: typer.Context,
    tanggal: Annotated[
        str | None, typer.Option("--tanggal", "-t", help="Tanggal penghitungan (bawaan: hari ini).")
    ] = None,
    hitung: Annotated[
        str | None, typer.Option("--hitung", help="Jumlah uang yang dihitung di laci/brankas.")
    ] = None,
    pecahan: Annotated[
        str | None,
        typer.Option(
            "--pecahan", help="Rincian pecahan NILAI=LEMBAR, mis. 100000=3,50000=2,500=4."
        ),
    ] = None,
    rekening: Annotated[
        str, typer.Option("--rekening", help="Akun kas yang dihitung: kas, kodenya atau namanya.")
    ] = "kas",
    alasan: Annotated[
        str | None, typer.Option("--alasan", help="Sebab selisih (wajib bila kas kurang).")
    ] = None,
    coba: DryRunOpt = False,
) -> None:
    """Kas opname: catat hasil hitung fisik; selisihnya dibukukan ke akun selisih kas."""
    date = dates.parse(tanggal)
    counted = money.parse(hitung) if hitung is not None else None
    pieces = cashbook.parse_pecahan(pecahan) if pecahan else None

    def plan(book: cashbook.Book) -> list[cashbook.data.Directive]:
        account = cashbook.resolve(book, rekening, date)
        return cashbook.count(book, account, date, counted, pieces, alasan)

    book, entries = record(ctx, plan, dry_run=coba)
    counts = [c for c in entries if isinstance(c, cashbook.data.Custom)]
    if not counts:
        console.print(f"Kas opname {dates.fmt(date)} dengan jumlah itu sudah tercatat.")
        return
    account, total = str(counts[-1].values[0].value), counts[-1].values[1].value
    diff = total - counts[-1].meta["tercatat"]
    verdict = (
        "cocok dengan catatan"
        if diff == 0
        else f"selisih {'lebih' if diff > 0 else 'kurang'} {money.fmt(abs(diff))} dibukukan"
    )
    verb = "akan dicatat" if coba else "dicatat"
    console.print(
        f"Kas opname {account} {dates.fmt(date)} {verb}: dihitung {money.fmt(total)}, {verdict}."
    )


def show_last_counts(book: cashbook.Book) -> None:
    """The latest cash count per cash account (`periksa` shows it)."""
    for c in cashbook.last_counts(book):
        diff = c.dihitung - c.tercatat
        said = "cocok" if diff == 0 else f"selisih {money.fmt(diff)}"
        console.print(
            f"Kas opname terakhir: {c.akun} {dates.fmt(c.tanggal)}, dihitung "
            f"{money.fmt(c.dihitung)} ({said})."
        )
