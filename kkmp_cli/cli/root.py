"""The commands that belong to no group: init, periksa, demo (loaded when called, #16)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kkmp_cli import dates
from kkmp_cli.app import build_demo, found_cooperative
from kkmp_cli.cli import kasharian as kas_harian
from kkmp_cli.cli.common import Format, FormatOpt, console, emit_json, err_console, state
from kkmp_cli.closing import audit, closing

app = typer.Typer()


def init_cmd(
    folder: Annotated[
        Path,
        typer.Argument(metavar="FOLDER", help="Folder baru untuk koperasi, mis. ledgers/desa-x."),
    ],
    nama: Annotated[str, typer.Option("--nama", help="Nama resmi koperasi.")],
    tahun_buku: Annotated[
        int | None, typer.Option("--tahun-buku", help="Tahun buku pertama (bawaan: tahun ini).")
    ] = None,
) -> None:
    """Buat folder koperasi baru: koperasi.yaml, bagan akun dan jurnal tahun buku."""
    tahun = tahun_buku or dates.parse(None).year
    paths = found_cooperative(folder, nama, tahun)
    console.print(f"Koperasi dibuat di {paths.root}:")
    for name in ("koperasi.yaml", "buku.beancount", "akun.beancount", f"jurnal/{tahun}.beancount"):
        console.print(f"  {paths.root / name}")
    console.print('Langkah berikut: kkmp -k FOLDER anggota tambah "NAMA"')


def periksa_cmd(ctx: typer.Context, format: FormatOpt = Format.teks) -> None:
    """Pemeriksaan lengkap: galat beancount dan aturan kkmp, sebagai berkas:baris: pesan."""
    # The Book periksa parsed serves the notes below too: the text is parsed once (#16).
    book, findings = audit.inspect(state(ctx).paths())
    if format is Format.json:
        emit_json({"temuan": findings, "jumlah": len(findings)})
    else:
        for f in findings:
            console.print(str(f), soft_wrap=True)
        for c in closing.reopenings(book):
            console.print(
                f"Catatan: tahun buku {c.values[0].value} dibuka kembali {dates.fmt(c.date)} "
                f"(alasan: {c.meta.get('alasan', '')}; disetujui {c.meta.get('disetujui', '')}).",
                soft_wrap=True,
            )
        from kkmp_cli.app import members as private_records  # periksa's notes only
        from kkmp_cli.closing import invariants
        from kkmp_cli.shu import shu

        for note in shu.drift_notes(book):
            console.print(note, soft_wrap=True)
        for note in invariants.sealed_reconciliation_notes(book):
            console.print(note, soft_wrap=True)
        if stray := private_records.stray_private(book):
            console.print(
                f"Catatan: pribadi/anggota.yaml menyimpan data pribadi {', '.join(stray)}, nomor "
                "yang tidak terdaftar di buku (pendaftarannya dibuang dari jurnal?); data itu "
                "tidak dipakai dan dihapus bila nomor itu didaftarkan lagi, atau hapus bagiannya "
                "dari berkas itu.",
                soft_wrap=True,
            )
        if findings:
            err_console.print(f"{len(findings)} temuan. Buku belum bersih.")
        else:
            console.print("Buku bersih: tidak ada temuan.")
        kas_harian.show_last_counts(book)
    if findings:
        raise typer.Exit(1)


def demo_cmd(
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Folder tujuan koperasi contoh.")
    ] = Path("ledgers/contoh"),
    ganti: Annotated[
        bool, typer.Option("--ganti", help="Hapus dan buat ulang bila folder sudah ada.")
    ] = False,
) -> None:
    """Bangun koperasi contoh (±100 anggota, setahun simpanan) lalu tampilkan ringkasannya."""
    from kkmp_cli import demo

    summary = build_demo(folder, replace=ganti)
    console.print(f"{summary.nama} dibuat di {summary.root}")
    for label, value in summary.lines:
        console.print(f"  {label}: {value}")
    console.print(
        "\n"
        + demo.fava_hint(summary.root)
        + "\nCoba:         kkmp -k "
        + str(summary.root)
        + " anggota daftar"
    )
