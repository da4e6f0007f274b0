"""`kkmp rat TAHUN` (the RAT book) and `kkmp rat periksa TAHUN` (is everything there?)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from kkmp_cli.app import build_rat_book, build_rat_paper
from kkmp_cli.cli.common import RevisiOpt, console, err_console, state
from kkmp_cli.core import fsutil, pdf, templating
from kkmp_cli.errors import KkmpError


class RatFormat(StrEnum):
    html = "html"
    md = "md"
    pdf = "pdf"


def rat_cmd(
    ctx: typer.Context,
    perintah: Annotated[
        str,
        typer.Argument(
            metavar="TAHUN|periksa|undangan|hadir|berita-acara",
            help="Tahun buku; atau 'periksa', 'undangan', 'hadir', 'berita-acara' diikuti tahun.",
        ),
    ],
    tahun_periksa: Annotated[
        int | None,
        typer.Argument(metavar="TAHUN", help="Tahun untuk periksa/undangan/hadir/berita-acara."),
    ] = None,
    format: Annotated[
        RatFormat, typer.Option("--format", "-f", help="html, md atau pdf.")
    ] = RatFormat.html,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Berkas tujuan (bawaan: rat-TAHUN.FORMAT)."),
    ] = None,
    revisi: RevisiOpt = None,
) -> None:
    """Buku RAT siap cetak dari buku besar dan rat.yaml; 'kkmp rat periksa TAHUN' memeriksa
    kelengkapannya; 'undangan', 'hadir' dan 'berita-acara' TAHUN membuat surat undangan, daftar
    hadir dan rancangan berita acara RAT (kuorum menurut koperasi.yaml rapat_anggota)."""
    book = state(ctx).book(revisi)
    if perintah in PAPERS:
        if tahun_periksa is None:
            raise KkmpError(f"Sebutkan tahunnya: kkmp rat {perintah} 2025.")
        paper = build_rat_paper(book, tahun_periksa, perintah)
        target = output or Path(f"rat-{perintah}-{tahun_periksa}.{format.value}")
        _write(f"rat-{perintah}", paper, format, target, book.paths.root)
        console.print(f"{PAPERS[perintah]} RAT {tahun_periksa} ditulis ke {target}.")
        if perintah == "berita-acara":
            q = paper["kuorum"]
            verdict = "tercapai" if q["tercapai"] else "TIDAK tercapai"
            console.print(
                f"Kuorum {verdict}: {q['terhitung']} dari {q['anggota']} anggota "
                f"(perlu {q['perlu']}, {q['aturan']})."
            )
        return
    if perintah == "periksa":
        if tahun_periksa is None:
            raise KkmpError("Sebutkan tahunnya: kkmp rat periksa 2025.")
        _, gaps = build_rat_book(book, tahun_periksa)
        if not gaps:
            console.print(f"Bahan buku RAT {tahun_periksa} lengkap.")
            return
        for gap in gaps:
            console.print(f"- {gap}")
        err_console.print(f"{len(gaps)} bahan belum diisi (di rat.yaml atau koperasi.yaml).")
        raise typer.Exit(1)
    if not perintah.isdigit():
        raise KkmpError(f"'{perintah}' bukan tahun; contoh: kkmp rat 2025 -o rat-2025.html")
    year = int(perintah)
    context, gaps = build_rat_book(book, year)
    target = output or Path(f"rat-{year}.{format.value}")
    _write("rat", context, format, target, book.paths.root)
    console.print(f"Buku RAT {year} ditulis ke {target}.")
    if gaps:
        err_console.print(
            f"Perhatian: {len(gaps)} bahan belum diisi dan ditandai [BELUM DIISI]; lihat 'kkmp rat periksa {year}'."
        )


PAPERS = {"undangan": "Undangan", "hadir": "Daftar hadir", "berita-acara": "Rancangan berita acara"}


def _write(name: str, context: dict[str, Any], format: RatFormat, target: Path, root: Path) -> None:
    """Render `name`.md.j2 or `name`.html.j2 (to PDF through WeasyPrint) into `target`."""
    if format is RatFormat.md:
        fsutil.atomic_write(target, templating.render(f"{name}.md.j2", context, root))
        return
    html = templating.render(f"{name}.html.j2", context, root)
    if format is not RatFormat.pdf:
        fsutil.atomic_write(target, html)
        return
    pdf.write(html, target, base_url=root)
