"""`kkmp latihan`: workshop exercises for trainee treasurers, checked against their own books."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shlex
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kkmp_cli import money
from kkmp_cli.app import found_cooperative
from kkmp_cli.cli.common import Format, FormatOpt, console, emit_json, err_console, state, to_json
from kkmp_cli.core import fsutil, ledger, pdf, templating, xlsx
from kkmp_cli.errors import KkmpError
from kkmp_cli.outlet import trade as outlet
from kkmp_cli.workshop import classroom, exercises, workbook

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
    table = Table("No", "Latihan", "Per tanggal", "Butuh", title=f"Latihan {found.koperasi}")
    for ex in found.daftar:
        needs = ", ".join(map(str, ex.butuh)) or "-"
        table.add_row(str(ex.nomor), ex.judul, f"{ex.per:%d-%m-%Y}", needs)
    console.print(table)
    console.print("Mulai:  kkmp latihan mulai FOLDER   lalu   kkmp -k FOLDER latihan lihat 1")
    console.print("Mulai dari latihan N (yang sebelumnya sudah dikerjakan):  --dari N")


@app.command("mulai")
def mulai(
    ctx: typer.Context,
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Folder baru untuk koperasi latihan.")
    ],
    dari: DariOpt = 1,
) -> None:
    """Buat koperasi latihan (tahun buku latihan); --dari N: latihan 1 sampai N-1 sudah dikerjakan."""
    found = exercises.load(None)
    _check_from(found, dari)
    paths = found_cooperative(folder, found.koperasi, found.tahun)
    console.print(f"{found.koperasi} dibuat di {paths.root} (tahun buku {found.tahun}).")
    _solve(paths.root, found.daftar[: dari - 1])
    if dari > len(found.daftar):
        console.print("Semua latihan sudah dikerjakan dengan kuncinya.")
        return
    if dari > 1:
        console.print(f"Latihan 1 sampai {dari - 1} sudah dikerjakan dengan kuncinya.")
    console.print(f"Latihan berikutnya:  kkmp -k {paths.root} latihan lihat {dari}")


DariOpt = Annotated[
    int,
    typer.Option(
        "--dari",
        metavar="N",
        help="Mulai dari latihan N: latihan sebelumnya sudah dicatat dengan kuncinya.",
    ),
]


def _check_from(found: exercises.Exercises, dari: int) -> None:
    if not 1 <= dari <= len(found.daftar) + 1:
        raise exercises.LatihanSalah(
            f"--dari {dari} tidak ada; pilih 1 sampai {len(found.daftar) + 1} "
            f"({len(found.daftar) + 1} berarti semua latihan sudah dikerjakan)."
        )


def _solve(root: Path, chosen: Sequence[exercises.Exercise], *, then: str = "") -> None:
    """Record the keys of the `chosen` exercises in the practice cooperative, through the real
    commands (quietly), in its own folder so that files they write (the RAT book) land there;
    a key that fails is refused with `then`, what it leaves behind."""
    from kkmp_cli.cli import app as kkmp  # the root command, which registers this module

    command = typer.main.get_command(kkmp)
    here = Path.cwd()
    root = root.resolve()
    try:
        os.chdir(root)
        for ex in chosen:
            for line in ex.kunci:
                out = io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                    code = command.main(
                        ["-k", str(root), *shlex.split(line)],
                        prog_name="kkmp",
                        standalone_mode=False,
                    )
                if code not in (0, None):
                    problem = " ".join(out.getvalue().split())
                    raise exercises.LatihanSalah(
                        f"Kunci latihan {ex.nomor} gagal pada 'kkmp {line}' ({problem}); "
                        f"{then or f'koperasi latihan di {root} baru sebagian disiapkan'}."
                    )
    finally:
        os.chdir(here)


# What each exercise file's keys record, per exercise file's content: the keys are run once
# per process (a class board reads every participant against one run).
_KEYS: dict[str, tuple[exercises.KeyEntries, ...]] = {}


def _key(found: exercises.Exercises) -> tuple[exercises.KeyEntries, ...]:
    """What every exercise's key records, from the keys run in a scratch practice cooperative
    that is thrown away afterwards (#20)."""
    digest = hashlib.sha256(found.sumber.read_bytes()).hexdigest()
    if digest not in _KEYS:
        parts = []
        with tempfile.TemporaryDirectory(prefix="kkmp-kunci-") as scratch:
            paths = found_cooperative(Path(scratch) / "kunci", found.koperasi, found.tahun)
            seen: list[str] = []
            try:
                for ex in found.daftar:
                    _solve(paths.root, [ex], then=UNCHECKED)
                    book = ledger.load(paths)
                    parts.append(exercises.key_entries(ex, seen, book))
                    seen = [str(t.meta.get("id", "")) for t in book.transactions()]
            except exercises.LatihanSalah as exc:  # a trainer's key: the balances still count
                err_console.print(f"Perhatian: {exc}", soft_wrap=True)
                parts = []
        _KEYS[digest] = tuple(parts)
    return _KEYS[digest]


UNCHECKED = "catatan yang tidak diminta latihan tidak diperiksa, hanya saldonya"


@app.command("lihat")
def lihat(ctx: typer.Context, nomor: NomorArg) -> None:
    """Cerita latihan: apa yang harus dicatat, dan perintah yang dipakai."""
    found = exercises.load(_coop_root(ctx))
    ex = found.get(nomor)
    console.print(f"Latihan {ex.nomor} dari {len(found.daftar)}: {ex.judul}\n")
    if ex.butuh:
        needs = ", ".join(map(str, ex.butuh))
        console.print(
            f"Perlu latihan {needs} sudah dikerjakan (koperasi latihan baru yang siap untuk "
            f"latihan ini: kkmp latihan mulai FOLDER --dari {ex.nomor}).\n"
        )
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
    unasked = exercises.unasked(book, _key(found))
    results = [(ex, exercises.check(book, ex), unasked.get(ex.nomor, ())) for ex in chosen]
    if format is Format.json:
        emit_json(
            [
                {
                    "nomor": ex.nomor,
                    "judul": ex.judul,
                    "cocok": all(r.cocok for r in rows) and not lain,
                    "saldo": [
                        {
                            "pos": r.expected.label,
                            "seharusnya": r.expected.nilai,
                            "tercatat": r.tercatat,
                            "cocok": r.cocok,
                        }
                        for r in rows
                    ],
                    "lain": [classroom.unasked_data(u) for u in lain],
                }
                for ex, rows, lain in results
            ]
        )
    else:
        for ex, rows, lain in results:
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
            for u in lain:
                console.print(f"Latihan {ex.nomor}: {u.saran}", soft_wrap=True)
    wrong = [ex.nomor for ex, rows, lain in results if lain or not all(r.cocok for r in rows)]
    if wrong:
        err_console.print(
            "Belum cocok: latihan " + ", ".join(map(str, wrong)) + ". Periksa jurnalnya dengan "
            "'kkmp laporan buku-besar AKUN'; perbaiki dengan 'kkmp koreksi NOMOR-BUKTI'."
        )
        raise typer.Exit(1)
    if format is not Format.json:
        console.print("Semua saldo cocok. Bagus!")


# --- the class (#20) ---


class KelasFormat(StrEnum):
    teks = "teks"
    json = "json"
    html = "html"
    xlsx = "xlsx"


@app.command("kelas")
def kelas(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR", help="Folder kelas: satu koperasi latihan per peserta di dalamnya."
        ),
    ],
    format: Annotated[
        KelasFormat,
        typer.Option("--format", "-f", help="teks (tabel), json, html (proyektor) atau xlsx."),
    ] = KelasFormat.teks,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Berkas tujuan html/xlsx (bawaan: DIR/kelas.FORMAT)."),
    ] = None,
    siapkan: Annotated[
        int | None,
        typer.Option(
            "--siapkan", metavar="N", help="Buat N koperasi latihan di DIR, satu per peserta."
        ),
    ] = None,
    nama_dari: Annotated[
        Path | None,
        typer.Option(
            "--nama-dari", help="Daftar peserta (CSV atau XLSX, kolom 'nama') untuk --siapkan."
        ),
    ] = None,
    dari: DariOpt = 1,
) -> None:
    """Papan kelas: setiap peserta x setiap latihan (selesai / belum / salah); --siapkan N membuat koperasi latihannya."""
    if siapkan is not None:
        _prepare(folder, siapkan, nama_dari, dari)
        return
    if nama_dari is not None:
        raise exercises.LatihanSalah("--nama-dari hanya dipakai bersama --siapkan N.")
    found = exercises.load(folder if folder.is_dir() else None)
    rows = _board(folder, found)
    board = classroom.as_data(rows, found)
    if format is KelasFormat.json:
        console.print(to_json(board), soft_wrap=True)
    elif format is KelasFormat.teks:
        _print_board(rows, found)
    else:
        target = output or folder / f"kelas.{format.value}"
        if format is KelasFormat.html:
            fsutil.atomic_write(target, templating.render("latihan-kelas.html.j2", board))
        else:
            header = ["Peserta", *[f"{ex.nomor}. {ex.judul}" for ex in found.daftar], "Selesai"]
            table = [
                [r.peserta, *[classroom.detail(s) for s in r.status], r.selesai]
                if not r.galat
                else [r.peserta, f"Galat: {r.galat}"]
                for r in rows
            ]
            xlsx.write(target, header, table)
        console.print(f"Papan kelas ({len(rows)} peserta) ditulis ke {target}.")


def _participants(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise exercises.LatihanSalah(f"Folder kelas {folder} tidak ada.")
    found = sorted(p for p in folder.iterdir() if (p / "koperasi.yaml").is_file())
    if not found:
        raise exercises.LatihanSalah(
            f"Di {folder} tidak ada koperasi latihan; buat dengan "
            f"'kkmp latihan kelas {folder} --siapkan N --nama-dari peserta.csv'."
        )
    return found


def _board(folder: Path, found: exercises.Exercises) -> list[classroom.Row]:
    rows = []
    participants = _participants(folder)
    key = _key(found)
    for root in participants:
        try:
            book = ledger.load(ledger.Paths(root))
            rows.append(classroom.row(root.name, book, found, key))
        except KkmpError as exc:
            rows.append(classroom.broken(root.name, str(exc)))
    return rows


SIGNS = {"selesai": "ok", "belum": "-", "salah": "X"}


def _print_board(rows: list[classroom.Row], found: exercises.Exercises) -> None:
    table = Table(title=f"Papan kelas: {found.koperasi}")
    table.add_column("Peserta", no_wrap=True)
    for ex in found.daftar:
        table.add_column(str(ex.nomor), justify="center")
    table.add_column("Selesai", no_wrap=True)
    for r in rows:
        if r.galat:
            table.add_row(r.peserta, *["?"] * len(found.daftar), "-")
            continue
        cells = [SIGNS[s.keadaan] for s in r.status]
        table.add_row(r.peserta, *cells, f"{r.selesai}/{len(found.daftar)}")
    console.print(table)
    console.print(
        "ok = selesai, - = belum dikerjakan, X = salah (saldo pertama yang salah di bawah)"
    )
    for r in rows:
        if r.galat:
            console.print(f"{r.peserta}: Galat: {r.galat}", soft_wrap=True)
        for s in r.status:
            if s.keadaan == "salah":
                console.print(
                    f"{r.peserta}, latihan {s.exercise.nomor}: {classroom.detail(s)}",
                    soft_wrap=True,
                )
    console.print(
        "Latihan: " + "; ".join(f"{ex.nomor}. {ex.judul}" for ex in found.daftar), soft_wrap=True
    )


def _prepare(folder: Path, count: int, names_file: Path | None, dari: int) -> None:
    """--siapkan N: one practice cooperative per participant, all checked before any is made."""
    found = exercises.load(None)
    _check_from(found, dari)
    if not 1 <= count <= 200:
        raise exercises.LatihanSalah(f"--siapkan {count}: jumlah peserta harus 1 sampai 200.")
    if names_file is not None:
        header, sheet = xlsx.read(names_file)
        names = classroom.names(header, sheet, str(names_file))
        if len(names) != count:
            raise exercises.LatihanSalah(
                f"{names_file} memuat {len(names)} nama, bukan {count}; samakan --siapkan dengan "
                "jumlah peserta di daftar."
            )
    else:
        names = [f"Peserta {n}" for n in range(1, count + 1)]
    targets = [folder / classroom.folder_name(n, name) for n, name in enumerate(names, 1)]
    taken = [t for t in targets if t.exists()]
    if taken:
        raise exercises.LatihanSalah(f"Folder {taken[0]} sudah ada; pilih folder kelas lain.")
    folder.mkdir(parents=True, exist_ok=True)
    for target, name in zip(targets, names, strict=True):
        paths = found_cooperative(target, f"{found.koperasi} ({name})", found.tahun)
        _solve(paths.root, found.daftar[: dari - 1])
        console.print(f"{name}: {paths.root}")
    console.print(
        f"{count} koperasi latihan disiapkan. Setiap peserta: kkmp -k FOLDER latihan lihat {dari}; "
        f"papan kelas: kkmp latihan kelas {folder}"
    )


# --- the printed workbook (#20) ---


class BukuFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    md = "md"


@app.command("buku")
def buku(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Berkas tujuan, mis. buku-latihan.html.")
    ],
    format: Annotated[
        BukuFormat,
        typer.Option("--format", "-f", help="html (cetak A4 dari peramban), pdf atau md."),
    ] = BukuFormat.html,
    kunci_jawaban: Annotated[
        bool, typer.Option("--kunci", help="Sertakan kunci jawaban (untuk pelatih).")
    ] = False,
) -> None:
    """Buku latihan cetak: cerita, perintah, tabel jurnal kosong untuk ditulis tangan, pertanyaan, daftar istilah."""
    root = _coop_root(ctx)
    found = exercises.load(root)
    context = workbook.context(found, with_key=kunci_jawaban)
    if format is BukuFormat.md:
        fsutil.atomic_write(output, templating.render("latihan-buku.md.j2", context, root))
    else:
        html = templating.render("latihan-buku.html.j2", context, root)
        if format is BukuFormat.pdf:
            pdf.write(html, output)
        else:
            fsutil.atomic_write(output, html)
    which = "dengan kunci jawaban" if kunci_jawaban else "untuk peserta"
    console.print(f"Buku latihan ({len(found.daftar)} latihan, {which}) ditulis ke {output}.")
