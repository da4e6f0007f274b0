"""Workshop exercises (latihan): a story for the trainee treasurer, the commands that solve it,
and the balances the books must show afterwards, checked against the trainee's own ledger.

The exercises live in `templates/latihan.yaml`; a trainer can write their own in the practice
cooperative's `templates/latihan.yaml`. Each exercise states its balances *per* a date, so a
trainee can check an earlier exercise after doing later ones.
"""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from kkmp_cli import config, dates, explain, money, outlet, templating
from kkmp_cli.errors import KkmpError
from kkmp_cli.ledger import Book

FILE_NAME = "latihan.yaml"


class LatihanSalah(KkmpError):
    """An exercise file that cannot be used, or an exercise number that does not exist."""


@dataclass(frozen=True)
class Expected:
    """One balance the books must show: an account's IDR balance on its normal side, or an
    item's stock (quantity and value at cost)."""

    label: str
    nilai: Decimal
    akun: str | None = None
    barang: str | None = None
    ukuran: str = "saldo"  # "saldo", "jumlah" (stock quantity) or "nilai" (stock at cost)


@dataclass(frozen=True)
class Exercise:
    nomor: int
    judul: str
    cerita: str
    perintah: tuple[str, ...]
    kunci: tuple[str, ...]
    per: dt.date
    harapan: tuple[Expected, ...]
    pertanyaan: str
    jawaban: str


@dataclass(frozen=True)
class Exercises:
    koperasi: str
    tahun: int
    daftar: tuple[Exercise, ...]
    sumber: Path

    def get(self, nomor: int) -> Exercise:
        for exercise in self.daftar:
            if exercise.nomor == nomor:
                return exercise
        raise LatihanSalah(
            f"Latihan {nomor} tidak ada; pilih 1 sampai {len(self.daftar)} ('kkmp latihan daftar')."
        )


@dataclass(frozen=True)
class CheckRow:
    expected: Expected
    tercatat: Decimal

    @property
    def cocok(self) -> bool:
        return self.tercatat == self.expected.nilai


def find(coop_root: Path | None = None) -> Path:
    """The exercise file: the cooperative's own first, then kkmp's."""
    for folder in templating.template_dirs(coop_root):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    raise LatihanSalah(f"Berkas {FILE_NAME} tidak ditemukan.")


def load(coop_root: Path | None = None) -> Exercises:
    path = find(coop_root)
    doc = config.read_document(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("latihan"), list):
        raise LatihanSalah(f"{path}: harus memuat 'latihan:' berupa daftar.")
    try:
        tahun = int(doc.get("tahun", ""))
    except ValueError as exc:
        raise LatihanSalah(f"{path}: 'tahun' harus tahun buku, mis. 2025.") from exc
    items = tuple(
        _exercise(n, raw, f"{path}: latihan {n}") for n, raw in enumerate(doc["latihan"], start=1)
    )
    return Exercises(str(doc.get("koperasi") or "Koperasi Latihan"), tahun, items, path)


def _exercise(nomor: int, raw: Any, where: str) -> Exercise:
    if not isinstance(raw, dict):
        raise LatihanSalah(f"{where}: harus berupa pemetaan (judul, cerita, kunci, harapan …).")
    missing = [k for k in ("judul", "cerita", "kunci", "per", "harapan") if not raw.get(k)]
    if missing:
        raise LatihanSalah(f"{where}: belum ada {', '.join(missing)}.")
    try:
        per = dates.parse(raw["per"])
        harapan = tuple(_expected(raw["harapan"], where))
    except KkmpError as exc:
        raise LatihanSalah(f"{where}: {exc}") from exc
    return Exercise(
        nomor=nomor,
        judul=str(raw["judul"]).strip(),
        cerita=str(raw["cerita"]).strip(),
        perintah=tuple(str(p) for p in raw.get("perintah") or ()),
        kunci=tuple(str(k).strip() for k in raw["kunci"]),
        per=per,
        harapan=harapan,
        pertanyaan=str(raw.get("pertanyaan") or "").strip(),
        jawaban=str(raw.get("jawaban") or "").strip(),
    )


def _expected(raw: Any, where: str) -> list[Expected]:
    if not isinstance(raw, dict):
        raise LatihanSalah(f"{where}: 'harapan' harus berupa pemetaan akun: saldo.")
    result = []
    for key, value in raw.items():
        if key == "stok":
            if not isinstance(value, dict):
                raise LatihanSalah(
                    f"{where}: 'stok' harus berupa pemetaan BARANG: {{jumlah, nilai}}."
                )
            for code, spec in value.items():
                if not isinstance(spec, dict):
                    raise LatihanSalah(f"{where}: stok {code} harus memuat jumlah dan/atau nilai.")
                if "jumlah" in spec:
                    qty = outlet.parse_quantity(spec["jumlah"])
                    result.append(
                        Expected(f"Stok {code} (jumlah)", qty, barang=code, ukuran="jumlah")
                    )
                if "nilai" in spec:
                    value_ = money.parse(spec["nilai"])
                    result.append(
                        Expected(f"Stok {code} (nilai)", value_, barang=code, ukuran="nilai")
                    )
        else:
            result.append(Expected(str(key), _amount(value), akun=str(key)))
    return result


def _amount(text: str) -> Decimal:
    """A balance may be zero (an account that must be empty again)."""
    return Decimal(0) if str(text).strip() in ("0", "Rp0") else money.parse(text)


def commands(exercise: Exercise) -> list[list[str]]:
    """The solution as argument lists (what `kkmp` would receive)."""
    return [shlex.split(line) for line in exercise.kunci]


def check(book: Book, exercise: Exercise) -> list[CheckRow]:
    """Every expected balance beside what the trainee's books show per the exercise's date."""
    stock = {row.item.kode: row for row in outlet.stock(book, exercise.per)}
    rows = []
    for exp in exercise.harapan:
        if exp.barang is not None:
            found = stock.get(exp.barang)
            if found is None:
                value = Decimal(0)
            else:
                value = found.jumlah if exp.ukuran == "jumlah" else found.nilai
        else:
            assert exp.akun is not None
            value = book.balance_on(exp.akun, exercise.per)
            if not explain.debit_normal(exp.akun):
                value = -value
        rows.append(CheckRow(exp, value))
    return rows
