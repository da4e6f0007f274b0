"""`kkmp rat TAHUN` (the RAT book) and `kkmp rat periksa TAHUN` (is everything there?)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kkmp_cli.app import build_rat_book
from kkmp_cli.cli.common import RevisiOpt, console, err_console, state
from kkmp_cli.core import fsutil, templating
from kkmp_cli.errors import KkmpError


class RatFormat(StrEnum):
    html = "html"
    md = "md"
    pdf = "pdf"


def rat_cmd(
    ctx: typer.Context,
    perintah: Annotated[
        str, typer.Argument(metavar="TAHUN|periksa", help="Tahun buku, atau 'periksa'.")
    ],
    tahun_periksa: Annotated[
        int | None, typer.Argument(metavar="TAHUN", help="Tahun untuk 'periksa'.")
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
    """Buku RAT siap cetak dari buku besar dan rat.yaml; 'kkmp rat periksa TAHUN' memeriksa kelengkapannya."""
    book = state(ctx).book(revisi)
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
    if format is RatFormat.md:
        text = templating.render("rat.md.j2", context, book.paths.root)
        fsutil.atomic_write(target, text)
    else:
        html = templating.render("rat.html.j2", context, book.paths.root)
        if format is RatFormat.pdf:
            try:
                import weasyprint  # type: ignore[import-not-found]
            except ImportError as exc:
                raise KkmpError(
                    "Format pdf memerlukan WeasyPrint. Pasang dengan: pip install 'kkmp[pdf]' "
                    "(atau buka berkas HTML di peramban lalu cetak ke PDF)."
                ) from exc
            except OSError as exc:  # WeasyPrint is there, its system libraries (pango) are not
                raise KkmpError(
                    "WeasyPrint tidak menemukan pustaka sistemnya (pango); di Debian/Ubuntu: "
                    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 "
                    "(atau buka berkas HTML di peramban lalu cetak ke PDF)."
                ) from exc
            weasyprint.HTML(string=html, base_url=str(book.paths.root)).write_pdf(str(target))
        else:
            fsutil.atomic_write(target, html)
    console.print(f"Buku RAT {year} ditulis ke {target}.")
    if gaps:
        err_console.print(
            f"Perhatian: {len(gaps)} bahan belum diisi dan ditandai [BELUM DIISI]; lihat 'kkmp rat periksa {year}'."
        )
