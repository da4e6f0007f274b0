"""A workshop class (#20): one practice cooperative per participant, the trainer's board of
participant x exercise, and the participants' list that names the practice cooperatives."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kkmp_cli import money
from kkmp_cli.core.ledger import Book
from kkmp_cli.outlet import trade as outlet
from kkmp_cli.workshop import exercises
from kkmp_cli.workshop.exercises import Exercises, KeyEntries, LatihanSalah, Status, Unasked

WORDS = {"selesai": "selesai", "belum": "belum", "salah": "SALAH"}


@dataclass(frozen=True)
class Row:
    """One participant's line of the board; `galat` when their books cannot be read."""

    peserta: str
    status: tuple[Status, ...]
    galat: str = ""

    @property
    def selesai(self) -> int:
        return sum(1 for s in self.status if s.keadaan == "selesai")


def row(peserta: str, book: Book, found: Exercises, key: Sequence[KeyEntries]) -> Row:
    """A participant's statuses, each with the entries its exercise did not ask for (`key`:
    what the keys record); a cash difference that only follows an earlier wrong exercise
    names it (`cause`), so the trainer looks at the first mistake."""
    statuses = []
    first_wrong: int | None = None
    unasked = exercises.unasked(book, key)
    for ex in found.daftar:
        status = exercises.status(book, ex, unasked.get(ex.nomor, ()))
        if status.keadaan == "salah":
            if status.only_cash and first_wrong is not None:
                status = dataclasses.replace(status, cause=first_wrong)
            first_wrong = first_wrong or ex.nomor
        statuses.append(status)
    return Row(peserta, tuple(statuses))


def broken(peserta: str, problem: str) -> Row:
    return Row(peserta, (), problem)


def show(value: Any, ukuran: str) -> str:
    return outlet.fmt_qty(value) if ukuran == "jumlah" else money.fmt(value)


def detail(status: Status) -> str:
    """The cell of the board: done / not yet / wrong with the first wrong balance, or else the
    first entry the exercise did not ask for."""
    if status.salah is None:
        if status.lain:
            return f"SALAH: {status.lain[0].singkat}"
        return WORDS[status.keadaan]
    exp = status.salah.expected
    text = (
        f"SALAH: {exp.label} {show(status.salah.tercatat, exp.ukuran)} "
        f"(seharusnya {show(exp.nilai, exp.ukuran)})"
    )
    if status.cause is not None:
        text += f", mungkin terbawa dari latihan {status.cause}"
    return text


def as_data(rows: list[Row], found: Exercises) -> dict[str, Any]:
    """The board as plain data (JSON, the HTML template, the spreadsheet)."""
    return {
        "koperasi": found.koperasi,
        "latihan": [{"nomor": ex.nomor, "judul": ex.judul} for ex in found.daftar],
        "peserta": [
            {
                "nama": r.peserta,
                "galat": r.galat,
                "selesai": r.selesai,
                "latihan": [
                    {
                        "nomor": s.exercise.nomor,
                        "keadaan": s.keadaan,
                        "teks": detail(s),
                        "salah": None
                        if s.salah is None
                        else {
                            "pos": s.salah.expected.label,
                            "seharusnya": s.salah.expected.nilai,
                            "tercatat": s.salah.tercatat,
                        },
                        "lain": [unasked_data(u) for u in s.lain],
                    }
                    for s in r.status
                ],
            }
            for r in rows
        ],
    }


def unasked_data(u: Unasked) -> dict[str, Any]:
    """An entry the exercise did not ask for, as plain data (the board, `latihan periksa`)."""
    return {
        "bukti": u.entry.bukti,
        "tanggal": u.entry.tanggal,
        "tanggal_latihan": u.tanggal_latihan,
        "teks": u.singkat,
    }


# --- the participants' list ---

NAME_COLUMNS = ("nama", "nama peserta", "peserta")


def names(
    header: list[str], rows: Sequence[tuple[int, Mapping[str, Any]]], source: str
) -> list[str]:
    """Participants' names from a spreadsheet's rows (column `nama`), in order, each once."""
    column = next((c for c in NAME_COLUMNS if c in header), None)
    if column is None:
        raise LatihanSalah(
            f"{source} tidak punya kolom 'nama' (baris pertama: {', '.join(header) or 'kosong'})."
        )
    result: list[str] = []
    for line, values in rows:
        name = " ".join(str(values.get(column) or "").split())
        if not name:
            continue
        if name in result:
            raise LatihanSalah(f"{source} baris {line}: nama '{name}' sudah ada di baris lain.")
        result.append(name)
    if not result:
        raise LatihanSalah(f"{source} tidak memuat satu nama pun di kolom '{column}'.")
    return result


def folder_name(nomor: int, name: str) -> str:
    """`03-siti-aminah`: the participant's practice folder, sorted in the list's order."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40].strip("-")
    return f"{nomor:02d}-{slug}" if slug else f"{nomor:02d}-peserta"
