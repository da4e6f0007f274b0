"""`kkmp riwayat`: one document's history — recorded when and by whom, its commits, its
corrections and linked documents."""

from __future__ import annotations

from typing import Annotated

import typer

from kkmp_cli import money
from kkmp_cli.app import auditing
from kkmp_cli.cli.common import Format, FormatOpt, console, emit_json, state


def riwayat_cmd(
    ctx: typer.Context,
    dokumen: Annotated[
        str, typer.Argument(metavar="ID", help="Nomor dokumen, mis. BKM-2025-000001.")
    ],
    format: FormatOpt = Format.teks,
) -> None:
    """Riwayat satu dokumen: kapan dan oleh siapa dicatat, commit git yang membawanya, serta
    koreksi dan dokumen yang tertaut."""
    found, commits = auditing.document_history(state(ctx).paths(), dokumen)
    if format is Format.json:
        emit_json({"dokumen": found, "commit": commits})
        return
    console.print(f"{found.id}  {found.tanggal:%d-%m-%Y}  {found.jenis}  {money.fmt(found.jumlah)}")
    console.print(f"  {found.narasi}" + (f" - {found.pihak}" if found.pihak else ""))
    console.print(f"  Dicatat oleh: {found.petugas or '(tidak tercatat)'}")
    console.print(f"  Letak: {found.berkas}", soft_wrap=True)
    if commits:
        console.print("Commit git yang menambah, mengubah atau menghapusnya:")
        for i, c in enumerate(commits):
            what = "dibawa oleh" if i == 0 else "diubah di"
            console.print(f"  {what} {c.commit[:12]}  {c.tanggal:%d-%m-%Y}  {c.nama}: {c.judul}")
    else:
        console.print("Belum ada commit git yang memuatnya.")
    if found.terkait:
        console.print("Terkait:")
        for t in found.terkait:
            who = f" (oleh {t.petugas})" if t.petugas else ""
            console.print(
                f"  {t.hubungan}: {t.id}  {t.tanggal:%d-%m-%Y}  {t.jenis}  {t.narasi}{who}",
                soft_wrap=True,
            )
