"""`kkmp kas`, `kkmp jurnal`, `kkmp koreksi`: the general journal."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich.table import Table

from kkmp_cli import dates, money
from kkmp_cli.accounts import cash
from kkmp_cli.cli.common import (
    DateOpt,
    DryRunOpt,
    Format,
    FormatOpt,
    KeteranganOpt,
    NotaOpt,
    OpenDateOpt,
    PerOpt,
    UnitOpt,
    ViaOpt,
    console,
    emit_json,
    err_console,
    explaining,
    record,
    show_entries,
    state,
)
from kkmp_cli.errors import KkmpError
from kkmp_cli.journal import journal
from kkmp_cli.reports import statements

app = typer.Typer(
    help="Kas: pengeluaran, penerimaan, rekening, pemindahan, rekonsiliasi bank, saldo.",
    no_args_is_help=True,
)


@app.command("keluar")
def keluar(
    ctx: typer.Context,
    akun: Annotated[
        str,
        typer.Argument(
            metavar="AKUN",
            help="Nama beban (listrik, atk, sewa …) atau akun Beban:…; gaji dan honor: kkmp gaji bayar.",
        ),
    ],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah.")],
    keterangan: KeteranganOpt = None,
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    unit: UnitOpt = None,
    nota: NotaOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Catat pengeluaran (beban) dari kas atau bank."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: journal.cash_out(
            b, akun, amount, date, keterangan=keterangan, via=via, unit=unit, nota=nota
        ),
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
    nota: NotaOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Catat penerimaan lain (pendapatan lain-lain, hibah) ke kas atau bank."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: journal.cash_in(b, akun, amount, date, keterangan=keterangan, via=via, nota=nota),
        dry_run=coba,
    )


@app.command("pindah")
def pindah(
    ctx: typer.Context,
    dari: Annotated[
        str, typer.Argument(metavar="DARI", help="kas, bank, qris atau kode rekening asal.")
    ],
    ke: Annotated[str, typer.Argument(metavar="KE", help="kas, bank atau kode rekening tujuan.")],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah yang keluar dari asal.")],
    biaya: Annotated[
        str | None,
        typer.Option(
            "--biaya",
            help="Biaya yang dipotong (administrasi bank, atau MDR bila dari qris); "
            "tujuan menerima jumlah dikurangi biaya.",
        ),
    ] = None,
    keterangan: KeteranganOpt = None,
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Pindahkan uang antar-rekening kas, bank dan dompet digital; setor QRIS ke bank."""
    amount = money.parse(jumlah)
    fee = money.parse(biaya) if biaya else Decimal(0)
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: journal.transfer(b, dari, ke, amount, date, biaya=fee, keterangan=keterangan),
        dry_run=coba,
    )


rekening_app = typer.Typer(
    help="Rekening kas, bank dan dompet digital koperasi.", no_args_is_help=True
)
app.add_typer(rekening_app, name="rekening")


@rekening_app.command("tambah")
def rekening_tambah(
    ctx: typer.Context,
    kode: Annotated[
        str, typer.Argument(metavar="KODE", help="Kode rekening untuk --via, mis. bri atau dana.")
    ],
    nama: Annotated[str, typer.Option("--nama", help="Nama rekening, mis. 'Bank BRI Unit Desa'.")],
    jenis: Annotated[str, typer.Option("--jenis", help="kas, bank atau dompet-digital.")],
    nomor: Annotated[str | None, typer.Option("--nomor", help="Nomor rekening.")] = None,
    tanggal: OpenDateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Buka rekening kas, bank atau dompet digital baru; kodenya dipakai di --via."""
    date = dates.parse(tanggal) if tanggal else None
    _, booked = record(
        ctx,
        lambda b: cash.add_rekening(b, kode, nama=nama, jenis=jenis, nomor=nomor, date=date),
        dry_run=coba,
    )
    for entry in booked:
        verb = "akan dibuka (--coba)" if coba else "dibuka"
        console.print(
            f"Rekening {kode.strip().lower()} {verb}: akun {getattr(entry, 'account', '')}."
        )


@rekening_app.command("daftar")
def rekening_daftar(ctx: typer.Context, format: FormatOpt = Format.teks) -> None:
    """Kode --via yang dapat dipakai dan akunnya."""
    book = state(ctx).book()
    rows = [cash.via(book, k) for k in cash.codes(book)]
    if format is Format.json:
        emit_json({"rekening": rows})
        return
    table = Table()
    for title in ("Kode", "Akun", "Bukti masuk/keluar"):
        table.add_column(title)
    for v in rows:
        table.add_row(v.kode, v.akun, f"{v.doc_in}/{v.doc_out}")
    console.print(table)


@app.command("rekonsiliasi")
def rekonsiliasi(
    ctx: typer.Context,
    kode: Annotated[str, typer.Argument(metavar="KODE", help="kas, bank atau kode rekening.")],
    saldo: Annotated[str, typer.Option("--saldo", help="Saldo menurut rekening koran.")],
    per: Annotated[str, typer.Option("--per", help="Tanggal saldo rekening koran.")],
    coba: DryRunOpt = False,
) -> None:
    """Cocokkan saldo buku dengan rekening koran; bila sama, catat penegasan saldo (balance)."""
    amount = Decimal(0) if saldo.strip() == "0" else money.parse(saldo)
    date = dates.parse(per)
    try:
        record(ctx, lambda b: cash.reconcile(b, kode, amount, date), dry_run=coba)
    except cash.RekonsiliasiBerselisih as exc:
        _show_difference(exc.result)
        raise
    verb = "akan ditegaskan (--coba)" if coba else "cocok dan ditegaskan"
    console.print(
        f"Saldo {kode.strip().lower()} per {dates.fmt(date)} {verb}: {money.fmt(amount)}."
    )


def _show_difference(result: cash.Reconciliation) -> None:
    since = f"sejak rekonsiliasi {dates.fmt(result.sejak)}" if result.sejak else "sejak awal"
    table = Table(title=f"Mutasi {result.akun} {since}", title_justify="left")
    for title in ("Tanggal", "Bukti", "Uraian"):
        table.add_column(title)
    table.add_column("Jumlah", justify="right")
    for m in result.mutasi:
        table.add_row(dates.fmt(m.tanggal), m.bukti, m.uraian, money.fmt(m.jumlah))
    console.print(table)


@app.command("saldo")
def saldo(ctx: typer.Context, per: PerOpt = None, format: FormatOpt = Format.teks) -> None:
    """Saldo setiap akun kas dan bank per tanggal, dengan jumlahnya."""
    book = state(ctx).book()
    as_of = dates.parse(per)
    rows = statements.cash_balances(book, as_of)
    total = sum((r.saldo for r in rows), Decimal(0))
    if format is Format.json:
        emit_json(
            {
                "per": as_of,
                "akun": rows,
                "total": total,
            }
        )
        return
    when = dates.fmt(as_of) + (" (hari ini)" if per is None else "")
    console.print(f"Saldo kas dan bank {book.config.nama} per {when}")
    table = Table()
    table.add_column("Akun")
    table.add_column("Uraian")
    table.add_column("Saldo", justify="right")
    for i, r in enumerate(rows, start=1):
        table.add_row(r.akun, r.uraian, money.fmt(r.saldo), end_section=i == len(rows))
    table.add_row("Jumlah", "", money.fmt(total), style="bold")
    console.print(table)


def jurnal_cmd(
    ctx: typer.Context,
    posting: Annotated[
        list[str], typer.Option("--posting", help="AKUN=JUMLAH (kredit bertanda minus), berulang.")
    ],
    keterangan: Annotated[str, typer.Option("--keterangan", help="Uraian jurnal.")],
    tanggal: DateOpt = None,
    unit: UnitOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Jurnal umum untuk akuntan: posting harus seimbang."""
    date = dates.parse(tanggal)
    record(
        ctx,
        lambda b: journal.entry(
            b,
            [journal.parse_posting(b, p) for p in posting],
            date,
            keterangan=keterangan,
            unit=unit,
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
    """Koreksi dengan jurnal balik yang tertaut; transaksi asli tidak diubah.

    Koreksi pengembalian simpanan anggota keluar membatalkan keluarnya: anggota aktif kembali."""
    from kkmp_cli import app
    from kkmp_cli.cli.anggota import show_returned

    date = dates.parse(tanggal)
    book, booked = app.correct(state(ctx).paths(), bukti, date, alasan=alasan, dry_run=coba)
    show_entries(booked, dry_run=coba, book=book)
    show_returned(book, booked, date, dry_run=coba)


def impor_cmd(
    ctx: typer.Context,
    berkas: Annotated[
        str, typer.Argument(metavar="BERKAS", help="Berkas .xlsx/.csv, atau 'templat'.")
    ],
    templat_jenis: Annotated[
        str | None, typer.Argument(metavar="JENIS", help="Dengan 'templat': jenis templatnya.")
    ] = None,
    jenis: Annotated[
        str | None,
        typer.Option(
            "--jenis", help="simpanan, penjualan, pembelian, biaya, angsuran atau anggota."
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Berkas templat (bawaan: templat-JENIS.xlsx)."),
    ] = None,
    coba: DryRunOpt = False,
) -> None:
    """Impor baris dari CSV/XLSX: semua atau tidak sama sekali; baris yang sama tidak dobel.

    `kkmp impor templat JENIS` menulis templat kosong dengan kolom yang benar."""
    from pathlib import Path

    from rich.progress import Progress

    from kkmp_cli.app import import_file, write_template
    from kkmp_cli.journal import imports

    if berkas == "templat":
        kind = templat_jenis or jenis
        if not kind:
            raise KkmpError("Sebutkan jenis templat, mis. 'kkmp impor templat penjualan'.")
        target = Path(output or f"templat-{kind}.xlsx")
        write_template(kind, target)
        where = (
            f"isi data di lembar pertama; contoh pengisian ada di lembar '{imports.EXAMPLE_SHEET}'"
            if target.suffix.lower() == ".xlsx"
            else "berisi judul kolom saja"
        )
        console.print(f"Templat {kind} ditulis ke {target} ({where}).")
        return
    if not jenis:
        raise KkmpError(
            "Sebutkan --jenis (simpanan, penjualan, pembelian, biaya, angsuran, anggota)."
        )
    paths = state(ctx).paths()
    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task(f"Impor {jenis}", total=None)
        result = import_file(
            paths,
            Path(berkas),
            jenis,
            dry_run=coba,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if explaining():  # a sheet's entries are many: shown only to explain them (#20)
        show_entries(result.transaksi, dry_run=coba)
    verb = "akan dicatat (--coba)" if coba else "dicatat"
    console.print(
        f"{result.baris} baris dibaca: {result.dicatat} transaksi {verb}, "
        f"{result.dilewati} baris dilewati karena sudah pernah diimpor."
    )


def saldo_awal_cmd(
    ctx: typer.Context,
    berkas: Annotated[
        str, typer.Argument(metavar="BERKAS", help="Berkas YAML saldo awal, atau 'contoh'.")
    ],
    coba: DryRunOpt = False,
) -> None:
    """Catat saldo awal dari pembukuan lama; neraca awal harus seimbang.

    `kkmp saldo-awal contoh` menulis saldo-awal.yaml berisi contoh yang dapat diisi."""
    from pathlib import Path

    from kkmp_cli.app import record_opening
    from kkmp_cli.core import fsutil
    from kkmp_cli.journal import opening

    if berkas == "contoh":
        target = Path("saldo-awal.yaml")
        if target.exists():
            raise KkmpError(f"{target} sudah ada; tidak ditimpa.")
        try:
            book = state(ctx).book()
        except KkmpError:
            book = None  # no cooperative here: the example's own year
        fsutil.atomic_write(target, opening.example(book))
        console.print(f"Contoh saldo awal ditulis ke {target}.")
        return
    _, entries = record_opening(state(ctx).paths(), Path(berkas), dry_run=coba)
    show_entries(entries, dry_run=coba)
