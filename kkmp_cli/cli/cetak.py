"""`kkmp cetak` and the other papers a member takes home: receipt, passbook, loan card (#22)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kkmp_cli import dates
from kkmp_cli.cli.common import console, state
from kkmp_cli.core import fsutil
from kkmp_cli.lazy import lazy

if TYPE_CHECKING:
    from kkmp_cli.core.ledger import Book
    from kkmp_cli.counter import papers
else:
    # Imported when a paper is printed (#16): `pinjaman angsur` loads this module for
    # `pinjaman kartu` and should not pay for jinja2 and WeasyPrint's adapter.
    papers = lazy("kkmp_cli.counter.papers")
app = lazy("kkmp_cli.app")
pdf = lazy("kkmp_cli.core.pdf")
templating = lazy("kkmp_cli.core.templating")


class PaperFormat(StrEnum):
    html = "html"
    pdf = "pdf"


class Size(StrEnum):
    a5 = "a5"
    mm58 = "58mm"
    mm80 = "80mm"


PaperFormatOpt = Annotated[
    PaperFormat, typer.Option("--format", "-f", help="html (buka di peramban lalu cetak) atau pdf.")
]
SizeOpt = Annotated[
    Size, typer.Option("--ukuran", help="Ukuran kertas: a5, 58mm atau 80mm (printer struk).")
]
PaperOutOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Berkas tujuan (bawaan: di folder cetak/).")
]


def bendahara(book: Book) -> str:
    """The treasurer named in koperasi.yaml (organisasi.pengurus), if any."""
    for officer in book.config.organisasi.pengurus:
        if "bendahara" in officer.jabatan.lower():
            return officer.nama
    return ""


def write_paper(
    book: Book,
    template: str,
    context: dict[str, Any],
    target: Path,
    fmt: PaperFormat,
) -> Path:
    """Render a paper to HTML (or PDF through WeasyPrint, when installed) and write it."""
    html = templating.render(template, context, book.paths.root)
    if fmt is PaperFormat.pdf:
        pdf.write(html, target, base_url=book.paths.root)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        fsutil.atomic_write(target, html)
    return target


def _target(book: Book, output: Path | None, name: str, fmt: PaperFormat) -> Path:
    return output or book.paths.root / "cetak" / f"{name}.{fmt.value}"


def cetak_cmd(
    ctx: typer.Context,
    nomor: Annotated[
        str, typer.Argument(metavar="ID", help="Nomor bukti transaksi, mis. BKM-2025-000001.")
    ],
    output: PaperOutOpt = None,
    format: PaperFormatOpt = PaperFormat.html,
    ukuran: SizeOpt = Size.a5,
    petugas: Annotated[
        str | None,
        typer.Option("--petugas", help="Nama yang mencatat (bawaan: bendahara di koperasi.yaml)."),
    ] = None,
) -> None:
    """Cetak kuitansi / bukti kas masuk-keluar sebuah transaksi, dengan jumlah terbilang."""
    book, receipt, count = app.print_receipt(state(ctx).paths(), nomor)
    context = papers.receipt_sheet(
        receipt,
        petugas=petugas if petugas is not None else bendahara(book),
        cetak_ke=count,
        ukuran=ukuran.value,
    )
    target = write_paper(
        book, "kuitansi.html.j2", context, _target(book, output, receipt.nomor, format), format
    )
    again = f" (cetak ulang ke-{count})" if count > 1 else ""
    console.print(f"{receipt.judul} {receipt.nomor}{again} ditulis ke {target}")
    console.print(f"  {receipt.pihak}: {context['jumlah']} ({receipt.terbilang})")


def kartu_cmd(
    ctx: typer.Context,
    pinjaman_id: Annotated[
        str, typer.Argument(metavar="ID", help="Nomor pinjaman, mis. PJ-2025-000001.")
    ],
    output: PaperOutOpt = None,
    format: PaperFormatOpt = PaperFormat.html,
    ukuran: SizeOpt = Size.a5,
    per: Annotated[
        str | None, typer.Option("--per", help="Keadaan per tanggal (bawaan: hari ini).")
    ] = None,
) -> None:
    """Kartu pinjaman: jadwal angsuran, tanggal dan nomor bukti tiap pembayaran, tunggakan, denda."""
    book = state(ctx).book()
    card = papers.loan_card(book, pinjaman_id.strip().upper(), dates.parse(per))
    target = write_paper(
        book,
        "kartu-pinjaman.html.j2",
        papers.card_sheet(card, ukuran=ukuran.value),
        _target(book, output, f"kartu-{card.id}", format),
        format,
    )
    console.print(f"Kartu pinjaman {card.id} ({card.nama}) ditulis ke {target}")


def buku(
    book: Book,
    nak: str,
    dari: str | None,
    sampai: str | None,
    output: Path | None,
    format: PaperFormat,
    ukuran: Size,
) -> tuple[papers.Passbook, Path]:
    """The passbook of one member written as a paper (`anggota buku`)."""
    pb = papers.passbook(
        book,
        nak,
        dates.parse(dari) if dari else None,
        dates.parse(sampai) if sampai else None,
    )
    target = write_paper(
        book,
        "buku-simpanan.html.j2",
        papers.passbook_sheet(pb, ukuran=ukuran.value),
        _target(book, output, f"buku-simpanan-{pb.nak}", format),
        format,
    )
    return pb, target
