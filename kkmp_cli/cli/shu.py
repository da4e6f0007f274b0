"""`kkmp shu` (hitung, bagikan, bayar) and `kkmp tutup-buku`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from beancount.core import data
from rich.table import Table

from kkmp_cli import chart, dates, money, text
from kkmp_cli.app import close_year, reopen_year
from kkmp_cli.cli.common import (
    DateOpt,
    DryRunOpt,
    RevisiOpt,
    ViaOpt,
    console,
    planned,
    record,
    show_entries,
    state,
)
from kkmp_cli.cli.output import OutputOpt, as_json, emit
from kkmp_cli.closing import checklist, closing
from kkmp_cli.core import templating, xlsx
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import TeksTidakValid
from kkmp_cli.reports import views
from kkmp_cli.shu import distributions, shu

app = typer.Typer(help="Sisa hasil usaha: hitung, bagikan, bayar.", no_args_is_help=True)


class ShuFormat(StrEnum):
    teks = "teks"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


@app.command("hitung")
def hitung(
    ctx: typer.Context,
    tahun: Annotated[int, typer.Argument(metavar="TAHUN", help="Tahun buku.")],
    format: Annotated[
        ShuFormat, typer.Option("--format", "-f", help="teks, json, csv, xlsx atau html.")
    ] = ShuFormat.teks,
    output: OutputOpt = None,
    revisi: RevisiOpt = None,
) -> None:
    """Hitung SHU per anggota menurut koperasi.yaml (sementara sebelum tutup buku); tahun yang
    SHU-nya sudah dibagikan menurut aturan SHU yang dicatat bersama pembagiannya."""
    book = state(ctx).book(revisi)
    sheet = shu.compute(book, tahun)
    if format is ShuFormat.json:
        emit(as_json(views.shu_json(sheet)), output)
        return
    if format in (ShuFormat.csv, ShuFormat.xlsx):
        header, rows = views.shu_rows(sheet)
        target = output or Path(f"shu-{tahun}.{format.value}")
        xlsx.write(target, header, rows)
        console.print(f"Lembar SHU {tahun} ditulis ke {target}")
        return
    view = {**views.shu_view(sheet), "koperasi": book.config.nama}
    if format is ShuFormat.html:
        emit(templating.render("shu.html.j2", view, book.paths.root), output)
        return
    console.print(
        f"SHU {tahun} ({sheet.status}): {view['shu']} - bagian anggota {view['shu_anggota']}, "
        f"bagian non-anggota {view['shu_non_anggota']} (ke cadangan)"
    )
    pools = Table(title="Pembagian menurut AD/ART", title_justify="left")
    for col in ("Pos", "Persen AD/ART", "Porsi", "Jumlah"):
        pools.add_column(col, justify="left" if col == "Pos" else "right")
    for p in view["pool"]:
        pools.add_row(p["nama"], p["persen"], p["porsi"], p["jumlah"])
    console.print(pools)
    for note in view["catatan"]:
        console.print(f"Catatan: {note}")
    table = Table(title=f"SHU per anggota {tahun}", title_justify="left")
    for col in ("NAK", "Nama"):
        table.add_column(col)
    for col in ("Simpanan", "Jasa modal", *view["kolom_usaha"], "Jumlah"):
        table.add_column(col, justify="right")
    for a in view["anggota"]:
        table.add_row(
            a["nak"], a["nama"], a["simpanan"], a["jasa_modal"], *a["jasa_usaha"], a["total"]
        )
    console.print(table)
    console.print(f"Rekonsiliasi: {view['rekonsiliasi']}")


@app.command("bagikan")
def bagikan(
    ctx: typer.Context,
    tahun: Annotated[int, typer.Argument(metavar="TAHUN", help="Tahun buku yang sudah ditutup.")],
    tanggal: DateOpt = None,
    ke: Annotated[
        str, typer.Option("--ke", help="Bagian anggota ke: sukarela, utang atau kas.")
    ] = "sukarela",
    tutup_dari: Annotated[
        str | None,
        typer.Option(
            "--tutup-dari",
            help="Tahun rugi: keputusan RAT atas kerugian, cadangan (ditutup dari dana "
            "cadangan) atau ditangguhkan (dibawa sebagai rugi belum ditutup).",
        ),
    ] = None,
    coba: DryRunOpt = False,
) -> None:
    """Bukukan pembagian SHU sesudah diputuskan RAT (sekali saja); tahun rugi: keputusan RAT
    atas kerugiannya (--tutup-dari)."""
    date = dates.parse(tanggal)
    book, entries = record(
        ctx, lambda b: shu.distribute(b, tahun, date, ke=ke, tutup_dari=tutup_dari), dry_run=coba
    )
    txn = planned(entries, distributions.DISTRIBUTION)
    if shu.is_loss_decision(txn):
        console.print(f"{shu.loss_decision_said(txn)} per {dates.fmt(date)}, keputusan RAT.")
        return
    console.print(f"SHU {tahun} dibagikan per {dates.fmt(date)} (bagian anggota ke {ke}).")


@app.command("bayar")
def bayar(
    ctx: typer.Context,
    nak: Annotated[str, typer.Argument(metavar="NAK", help="Nomor anggota.")],
    jumlah: Annotated[
        str | None,
        typer.Argument(
            metavar="JUMLAH", help="Sebagian saja (keputusan RAT); tanpa ini seluruhnya."
        ),
    ] = None,
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    ke: Annotated[
        str,
        typer.Option(
            "--ke", help="kas (tunai lewat --via) atau sukarela (ke simpanan sukarela anggota)."
        ),
    ] = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Bayar SHU anggota yang dicatat sebagai utang: seluruhnya atau JUMLAH, tunai atau ke
    simpanan sukarela."""
    date = dates.parse(tanggal)
    amount = None if jumlah is None else money.parse(jumlah)
    record(ctx, lambda b: shu.pay(b, nak, date, via=via, jumlah=amount, ke=ke), dry_run=coba)


def tutup_buku_cmd(
    ctx: typer.Context,
    tahun: Annotated[int, typer.Argument(metavar="TAHUN", help="Tahun buku yang ditutup.")],
    periksa: Annotated[
        bool,
        typer.Option("--periksa", help="Hanya tampilkan daftar periksa akhir tahun."),
    ] = False,
    abaikan: Annotated[
        list[str] | None,
        typer.Option(
            "--abaikan",
            help="Butir daftar periksa yang dilewati atas keputusan Pengurus (boleh berulang).",
        ),
    ] = None,
    alasan: Annotated[
        str | None,
        typer.Option("--alasan", help="Alasan butir yang dilewati (wajib dengan --abaikan)."),
    ] = None,
    buka: Annotated[
        bool,
        typer.Option("--buka", help="Buka kembali tahun yang disegel untuk penyesuaian."),
    ] = False,
    disetujui: Annotated[
        str | None, typer.Option("--disetujui", help="Nama pengurus yang menyetujui --buka.")
    ] = None,
    coba: DryRunOpt = False,
) -> None:
    """Tutup buku: SHU tahun berjalan ke SHU belum dibagi, saldo dibawa ke tahun berikut, tahun disegel."""
    if buka:
        _reopen(ctx, tahun, alasan, disetujui)
        return
    if periksa:
        _show_checklist(state(ctx).book(), tahun)
        return
    waived = _waived(abaikan, alasan)
    book, recorded = close_year(state(ctx).paths(), tahun, dry_run=coba, waived=waived)
    show_entries(recorded, dry_run=coba, book=None if coba else book)
    carried = sum(isinstance(e, data.Balance) for e in recorded)
    also = f"{carried} saldo dibawa ke 01-01-{tahun + 1} dan segel tahun buku {tahun}"
    if coba:
        console.print(f"Juga akan dicatat: {also}. Tidak ada yang ditulis (--coba).")
        return
    console.print(f"Juga dicatat: {also}.")
    sheet_shu = -book.balance(f"{chart.SHU_BELUM_DIBAGI}:{tahun}")
    if sheet_shu < 0:  # the command the RAT's decision on a loss takes (#5)
        waits = (
            f"Rugi {money.fmt(-sheet_shu)} menunggu keputusan RAT: ditutup dari dana cadangan "
            f"('kkmp shu bagikan {tahun} --tutup-dari cadangan') atau dibawa sebagai rugi belum "
            f"ditutup ('kkmp shu bagikan {tahun} --tutup-dari ditangguhkan')."
        )
    elif sheet_shu == 0:
        waits = "Tidak ada SHU untuk dibagi."
    else:
        waits = f"SHU {money.fmt(sheet_shu)} menunggu keputusan RAT ('kkmp shu bagikan {tahun}')."
    console.print(
        f"Tahun buku {tahun} ditutup dan disegel. {waits} Catatan bertanggal {tahun} kini ditolak."
    )
    kept = closing.waivers(book, tahun)
    if kept:
        console.print(f"Butir yang dilewati (dicatat pada segel): {', '.join(kept)}.")


def _reopen(ctx: typer.Context, year: int, alasan: str | None, disetujui: str | None) -> None:
    if not (alasan and alasan.strip()) or not (disetujui and disetujui.strip()):
        raise TeksTidakValid(
            "Membuka kembali tahun buku perlu --alasan TEKS dan --disetujui NAMA (pengurus)."
        )
    book, event = reopen_year(state(ctx).paths(), year, alasan=alasan, disetujui=disetujui)
    show_entries([event], book=book)
    number = closing.reopening_number(event)
    nth = f", pembukaan ke-{number}" if number > 1 else ""
    console.print(
        f"Tahun buku {year} dibuka kembali ({dates.fmt(event.date)}{nth}): {event.meta['alasan']}; "
        f"disetujui {event.meta['disetujui']}. Catat penyesuaiannya, lalu tutup lagi dengan "
        f"'kkmp tutup-buku {year}'. Peristiwa ini tetap tercatat di jurnal."
    )


def _waived(abaikan: list[str] | None, alasan: str | None) -> dict[str, str]:
    items = [a.strip().lower() for a in abaikan or []]
    if items and not (alasan and alasan.strip()):
        raise TeksTidakValid("--abaikan perlu --alasan TEKS (keputusan Pengurus).")
    if alasan and not items:
        raise TeksTidakValid("--alasan hanya dipakai bersama --abaikan BUTIR.")
    reason = text.clean(alasan or "", field="alasan", max_len=300) if items else ""
    return dict.fromkeys(items, reason)


def _show_checklist(book: Book, year: int) -> None:
    items = checklist.checklist(book, year)
    table = Table(title=f"Daftar periksa tutup buku {year}", title_justify="left")
    for col in ("Butir", "Pemeriksaan", "Status", "Rincian / perintah"):
        table.add_column(col)
    for item in items:
        detail = "; ".join(item.rincian)
        if item.terbuka and item.perintah:
            detail = f"{detail} -> {item.perintah}" if detail else item.perintah
        table.add_row(item.kode, item.judul, item.status, detail)
    console.print(table)
    try:  # the checklist says what the closing itself would say (#22)
        closing.require_closable(book, year)
    except closing.TutupBukuDitolak as refusal:
        console.print(f"'kkmp tutup-buku {year}' akan menolak: {refusal}")
        return
    still = [i.kode for i in items if i.terbuka]
    if still:
        console.print(f"Masih terbuka: {', '.join(still)}. 'kkmp tutup-buku {year}' akan menolak.")
    else:
        console.print(f"Semua butir beres; tahun buku {year} siap ditutup.")
