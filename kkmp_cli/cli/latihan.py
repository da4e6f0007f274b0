"""`kkmp latihan`: workshop exercises for trainee treasurers, checked against their own books."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kkmp_cli import money
from kkmp_cli.app import found_cooperative
from kkmp_cli.cli.common import Format, FormatOpt, console, emit_json, err_console, state
from kkmp_cli.errors import KkmpError
from kkmp_cli.outlet import trade as outlet
from kkmp_cli.workshop import exercises

app = typer.Typer(
    help="Latihan pelatihan bendahara: cerita, kunci jawaban, dan pemeriksaan buku latihan.",
    no_args_is_help=True,
)

NomorArg = Annotated[int, typer.Argument(metavar="NOMOR", help="Nomor latihan, mis. 1.")]


def _coop_root(ctx: typer.Context) -> Path | None:
    """The practice cooperative, when there is one (its own latihan.yaml comes first)."""
    try:
        return state(ctx).paths().root
    except KkmpError:
        return None


def _show_value(exp: exercises.Expected, value: Decimal) -> str:
    return outlet.fmt_qty(value) if exp.ukuran == "jumlah" else money.fmt(value)


@app.command("daftar")
def daftar(ctx: typer.Context) -> None:
    """Daftar latihan, berurutan."""
    found = exercises.load(_coop_root(ctx))
    table = Table("No", "Latihan", "Per tanggal", title=f"Latihan {found.koperasi}")
    for ex in found.daftar:
        table.add_row(str(ex.nomor), ex.judul, f"{ex.per:%d-%m-%Y}")
    console.print(table)
    console.print("Mulai:  kkmp latihan mulai FOLDER   lalu   kkmp -k FOLDER latihan lihat 1")


@app.command("mulai")
def mulai(
    ctx: typer.Context,
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Folder baru untuk koperasi latihan.")
    ],
) -> None:
    """Buat koperasi latihan yang masih kosong (tahun buku latihan)."""
    found = exercises.load(None)
    paths = found_cooperative(folder, found.koperasi, found.tahun)
    console.print(f"{found.koperasi} dibuat di {paths.root} (tahun buku {found.tahun}).")
    console.print(f"Latihan pertama:  kkmp -k {paths.root} latihan lihat 1")


@app.command("lihat")
def lihat(ctx: typer.Context, nomor: NomorArg) -> None:
    """Cerita latihan: apa yang harus dicatat, dan perintah yang dipakai."""
    found = exercises.load(_coop_root(ctx))
    ex = found.get(nomor)
    console.print(f"Latihan {ex.nomor} dari {len(found.daftar)}: {ex.judul}\n")
    console.print(ex.cerita + "\n")
    if ex.perintah:
        console.print("Perintah yang dipakai: " + ", ".join(ex.perintah))
        console.print("(tambahkan --help pada perintah untuk melihat pilihannya)")
    if ex.pertanyaan:
        console.print(f"\nPertanyaan: {ex.pertanyaan}")
    console.print(f"\nSesudah mencatat:  kkmp latihan periksa {ex.nomor}")


@app.command("kunci")
def kunci(ctx: typer.Context, nomor: NomorArg) -> None:
    """Kunci jawaban untuk pelatih: perintah yang menyelesaikan latihan, dan jawabannya."""
    ex = exercises.load(_coop_root(ctx)).get(nomor)
    console.print(f"Kunci latihan {ex.nomor}: {ex.judul}")
    for line in ex.kunci:
        console.print(f"  kkmp {line}", soft_wrap=True)
    if ex.jawaban:
        console.print(f"\nJawaban: {ex.jawaban}")


@app.command("periksa")
def periksa(
    ctx: typer.Context,
    nomor: Annotated[
        int | None,
        typer.Argument(metavar="NOMOR", help="Nomor latihan (bawaan: semua latihan)."),
    ] = None,
    format: FormatOpt = Format.teks,
) -> None:
    """Cocokkan saldo di buku latihan dengan yang seharusnya, per tanggal latihan."""
    book = state(ctx).book()
    found = exercises.load(book.paths.root)
    chosen = [found.get(nomor)] if nomor is not None else list(found.daftar)
    results = [(ex, exercises.check(book, ex)) for ex in chosen]
    if format is Format.json:
        emit_json(
            [
                {
                    "nomor": ex.nomor,
                    "judul": ex.judul,
                    "cocok": all(r.cocok for r in rows),
                    "saldo": [
                        {
                            "pos": r.expected.label,
                            "seharusnya": r.expected.nilai,
                            "tercatat": r.tercatat,
                            "cocok": r.cocok,
                        }
                        for r in rows
                    ],
                }
                for ex, rows in results
            ]
        )
    else:
        for ex, rows in results:
            table = Table(
                "Pos",
                "Seharusnya",
                "Tercatat",
                "",
                title=f"Latihan {ex.nomor}: {ex.judul} (per {ex.per:%d-%m-%Y})",
            )
            for r in rows:
                table.add_row(
                    r.expected.label,
                    _show_value(r.expected, r.expected.nilai),
                    _show_value(r.expected, r.tercatat),
                    "cocok" if r.cocok else "BELUM",
                )
            console.print(table)
    wrong = [ex.nomor for ex, rows in results if not all(r.cocok for r in rows)]
    if wrong:
        err_console.print(
            "Belum cocok: latihan " + ", ".join(map(str, wrong)) + ". Periksa jurnalnya dengan "
            "'kkmp laporan buku-besar AKUN'; perbaiki dengan 'kkmp koreksi NOMOR-BUKTI'."
        )
        raise typer.Exit(1)
    if format is not Format.json:
        console.print("Semua saldo cocok. Bagus!")
