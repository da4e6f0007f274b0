"""`kkmp selisih`: what changed in the books between two git revisions, by document number."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from kkmp_cli.app import auditing
from kkmp_cli.cli.common import console, err_console, state
from kkmp_cli.cli.output import OutputOpt, as_json, emit
from kkmp_cli.core import templating
from kkmp_cli.review import diff


class DiffFormat(StrEnum):
    teks = "teks"
    json = "json"
    md = "md"


def _side(s: diff.Sisi) -> str:
    commit = f" ({s.commit})" if s.commit else ""
    return f"{s.revisi}{commit}, {s.tanggal:%d-%m-%Y}"


def selisih_cmd(
    ctx: typer.Context,
    rev1: Annotated[
        str | None,
        typer.Argument(metavar="REV1", help="Revisi awal, mis. HEAD~3 atau tag (bawaan: HEAD)."),
    ] = None,
    rev2: Annotated[
        str | None,
        typer.Argument(metavar="REV2", help="Revisi akhir (bawaan: folder kerja saat ini)."),
    ] = None,
    format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="teks, json atau md.")
    ] = DiffFormat.teks,
    output: OutputOpt = None,
) -> None:
    """Selisih buku antara dua revisi git: transaksi per nomor dokumen, saldo, anggota,
    pinjaman, koperasi.yaml dan segel tahun buku. Keluar dengan kode 1 bila tahun tersegel
    berubah."""
    paths = state(ctx).paths()
    result = auditing.compare(paths, rev1, rev2)
    parts = diff.sections(result)
    if format is DiffFormat.json:
        emit(as_json(result), output)
    elif format is DiffFormat.md:
        view = {
            "koperasi": paths.root.name,
            "dari": _side(result.dari),
            "ke": _side(result.ke),
            "bagian": parts,
        }
        emit(templating.render("selisih.md.j2", view, paths.root), output)
    elif output is not None:
        raise typer.BadParameter("format teks hanya untuk layar; pakai md atau json")
    else:
        console.print(f"Selisih buku: {_side(result.dari)} -> {_side(result.ke)}")
        if not parts:
            console.print("Tidak ada perubahan.")
        for part in parts:
            style = "bold red" if part.bahaya else "bold"
            console.print(f"\n{part.judul} ({len(part.baris)})", style=style)
            for line in part.baris:
                console.print(f"  {line}", style="red" if part.bahaya else None, soft_wrap=True)
    if result.tersegel_berubah:
        err_console.print(
            "Tahun buku yang sudah ditutup berubah: segel rusak. Kembalikan perubahannya "
            "(git restore / git revert) atau catat koreksi di tahun berjalan.",
            style="bold red",
        )
        raise typer.Exit(1)
