"""Exports (`kkmp ekspor`, `kkmp gabung`): open one or many cooperatives read-only, and write
a folder of files all-or-nothing (built in a hidden folder beside the target, then moved in)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kkmp_cli.core import config, ledger, parquet, xlsx
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.errors import KkmpError
from kkmp_cli.export import combined, simkopdes, tables
from kkmp_cli.members import register as members


class BukanKoperasi(KkmpError):
    """A folder given as a cooperative that holds no koperasi.yaml."""


class FolderKeluaranSalah(KkmpError):
    """An output folder that cannot be written."""


def open_books(folders: Sequence[Path]) -> list[tuple[str, Book]]:
    """(folder name, Book) of each cooperative folder, refusing one that is not a cooperative
    or named twice (two folders of the same name would share one Parquet partition)."""
    seen: dict[str, Path] = {}
    result = []
    for folder in folders:
        if not (folder / config.CONFIG_NAME).is_file():
            raise BukanKoperasi(
                f"Folder '{folder}' bukan folder koperasi (tidak ada {config.CONFIG_NAME} di "
                "dalamnya), jadi tidak ada yang dibuat."
            )
        name = partition_name(folder)
        if name in seen:
            raise BukanKoperasi(
                f"Folder '{folder}' dan '{seen[name]}' bernama sama ({name}); sebut setiap "
                "koperasi sekali dan beri folder yang bernama sama nama lain."
            )
        seen[name] = folder
        result.append((name, ledger.load(Paths(folder))))
    return result


def partition_name(folder: Path) -> str:
    """The cooperative's name in partition paths: its folder's name, safe in a path."""
    name = folder.resolve().name
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name) or "koperasi"


def _unwritable(dest: Path, exc: OSError) -> FolderKeluaranSalah:
    reason = exc.strerror or type(exc).__name__
    return FolderKeluaranSalah(
        f"Folder keluaran '{dest}' tidak dapat ditulis ({reason}), jadi tidak ada yang ditulis."
    )


@contextmanager
def staged(dest: Path, *, private: bool = False) -> Iterator[Path]:
    """A hidden folder beside `dest` to write into; on success its files are moved into `dest`
    (made if missing; owner-only when `private`), on failure it is removed and `dest` is
    untouched."""
    if dest.exists() and not dest.is_dir():
        raise FolderKeluaranSalah(
            f"'{dest}' sudah ada dan bukan folder, jadi tidak ada yang ditulis; pilih folder lain."
        )
    parent = dest.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=parent))
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            stage.chmod(0o777 & ~umask)
    except OSError as exc:
        raise _unwritable(dest, exc) from exc
    try:
        yield stage
        _publish(stage, dest)
    except OSError as exc:
        raise _unwritable(dest, exc) from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _publish(stage: Path, dest: Path) -> None:
    if not dest.exists():
        os.replace(stage, dest)
        return
    for path in sorted(p for p in stage.rglob("*") if p.is_file()):
        target = dest / path.relative_to(stage)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)


# --- kkmp ekspor simkopdes ---


@dataclass(frozen=True)
class Written:
    folder: Path
    files: list[str]


def _niks(book: Book) -> dict[str, str]:
    """NAK → NIK from the private member file (UU 27/2022), members only."""
    naks = set(members.register(book))
    private = config.load_private(book.paths.root)
    return {nak: fields.get("nik", "") for nak, fields in private.items() if nak in naks}


def export_simkopdes(
    paths: Paths, per: dt.date, out: Path, *, with_nik: bool = False
) -> tuple[simkopdes.Export, Written]:
    """The SIMKOPDES sheets as XLSX and CSV in `out`; NIK (read from the private file) only
    when asked, and then the files are readable by their owner only."""
    book = ledger.load(paths)
    result = simkopdes.export(book, per, _niks(book) if with_nik else None)
    names = []
    with staged(out, private=with_nik) as stage:
        for sheet in result.sheets:
            for suffix in (".xlsx", ".csv"):
                target = stage / f"{sheet.nama}{suffix}"
                xlsx.write(target, list(sheet.header), sheet.rows)
                if with_nik:
                    target.chmod(0o600)
                names.append(target.name)
    return result, Written(out, names)


# --- kkmp ekspor parquet ---


@dataclass(frozen=True)
class Partition:
    tabel: str
    koperasi: str
    tahun: int
    baris: int


def export_parquet(folders: Sequence[Path], out: Path) -> list[Partition]:
    """Every cooperative's tables as Parquet, laid out `TABLE/koperasi=NAME/tahun=YEAR/` (the
    Hive layout DuckDB and Spark read as partition columns)."""
    parquet.check()
    books = open_books(folders)
    written = []
    with staged(out) as stage:
        for name, book in books:
            for table in tables.tables(book):
                for year, rows in table.tahun.items():
                    part = stage / table.nama / f"koperasi={name}" / f"tahun={year}"
                    parquet.write(part / "bagian-0.parquet", table.columns, rows)
                    written.append(Partition(table.nama, name, year, len(rows)))
    return written


# --- kkmp gabung ---


def combine(folders: Sequence[Path], year: int) -> combined.Combined:
    """Each cooperative's headline figures for `year`, side by side, and their total."""
    heads = [combined.headline(book, year, name) for name, book in open_books(folders)]
    return combined.combine(heads, year)
