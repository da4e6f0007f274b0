"""`kkmp git`: the pre-commit and commit-message hooks, and commits for treasurers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kkmp_cli.app import auditing
from kkmp_cli.cli.common import console, err_console, state

app = typer.Typer(
    help="Buku koperasi di git: pasang pemeriksaan sebelum commit, simpan perubahan.",
    no_args_is_help=True,
)


@app.command("pasang")
def pasang(
    ctx: typer.Context,
    ganti: Annotated[
        bool, typer.Option("--ganti", help="Ganti hook git yang sudah ada dari alat lain.")
    ] = False,
) -> None:
    """Pasang hook git: 'kkmp periksa' cepat sebelum commit (menolak buku rusak atau tahun
    tersegel yang berubah) dan daftar dokumen di pesan commit."""
    for hook in auditing.install_hooks(state(ctx).paths(), replace=ganti):
        console.print(f"Dipasang: {hook}")
    console.print("Setiap commit kini diperiksa dulu; buku yang rusak tidak dapat di-commit.")


@app.command("simpan")
def simpan(
    ctx: typer.Context,
    pesan: Annotated[
        str | None,
        typer.Option("--pesan", "-m", help="Judul commit (bawaan: jumlah dokumen baru)."),
    ] = None,
) -> None:
    """Commit folder koperasi dengan pesan yang menyebut dokumen-dokumen barunya."""
    commit, lines = auditing.save(state(ctx).paths(), pesan)
    if not commit:
        console.print("Tidak ada perubahan untuk disimpan.")
        return
    console.print(f"Disimpan sebagai commit {commit}.")
    for line in lines:
        console.print(f"  {line}", soft_wrap=True)


@app.command("gabung-jurnal")
def gabung_jurnal(
    dasar: Annotated[Path, typer.Argument(metavar="DASAR", help="Versi bersama terakhir (%O).")],
    kami: Annotated[Path, typer.Argument(metavar="KAMI", help="Versi laptop ini (%A).")],
    mereka: Annotated[Path, typer.Argument(metavar="MEREKA", help="Versi laptop lain (%B).")],
) -> None:
    """Gabungkan satu berkas jurnal dari dua laptop per transaksi utuh (dipanggil oleh git
    sebagai driver merge yang dipasang 'kkmp git pasang')."""
    conflicts = auditing.merge_journal(dasar, kami, mereka)
    for conflict in conflicts:
        err_console.print(f"Bentrok: {conflict}; selesaikan dengan tangan lalu 'kkmp periksa'.")
    if conflicts:
        raise typer.Exit(1)


@app.command("periksa", hidden=True)
def periksa_hook(ctx: typer.Context) -> None:
    """Pemeriksaan cepat untuk hook pre-commit (dipanggil oleh git)."""
    problems = auditing.hook_findings(state(ctx).paths())
    if not problems:
        return
    for problem in problems:
        err_console.print(problem, soft_wrap=True)
    err_console.print(
        f"Commit ditolak oleh kkmp: {len(problems)} temuan. Perbaiki dulu (kkmp periksa, "
        "kkmp selisih), lalu commit lagi.",
        style="bold red",
    )
    raise typer.Exit(1)


@app.command("pesan", hidden=True)
def pesan_hook(
    ctx: typer.Context,
    berkas: Annotated[Path, typer.Argument(help="Berkas pesan commit dari git.")],
    sumber: Annotated[str, typer.Argument(help="Asal pesan menurut git.")] = "",
    commit: Annotated[str, typer.Argument(help="Commit yang diubah (bila ada).")] = "",
) -> None:
    """Tambahkan daftar dokumen ke pesan commit (dipanggil oleh hook prepare-commit-msg)."""
    auditing.annotate_message(state(ctx).paths(), berkas, sumber)
    _ = commit
