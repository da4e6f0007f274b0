"""Workshop exercises (latihan): a story for the trainee treasurer, the commands that solve it,
and the balances the books must show afterwards, checked against the trainee's own ledger.

The exercises live in `templates/latihan.yaml`; a trainer can write their own in the practice
cooperative's `templates/latihan.yaml`. Each exercise states its balances *per* a date, so a
trainee can check an earlier exercise after doing later ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kkmp_cli import dates, money
from kkmp_cli.core import config, templating
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError
from kkmp_cli.outlet import trade as outlet
from kkmp_cli.reports import explain

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


EXERCISE_KEYS = ("judul", "cerita", "perintah", "kunci", "per", "harapan", "pertanyaan", "jawaban")


def load(coop_root: Path | None = None) -> Exercises:
    path = find(coop_root)
    doc = config.read_document(path, ("koperasi", "tahun", "latihan"), error=LatihanSalah)
    doc.require("latihan")
    items = tuple(
        _exercise(n, item)
        for n, item in enumerate(doc.entries("latihan", EXERCISE_KEYS, "latihan {i}"), 1)
    )
    return Exercises(
        doc.text("koperasi", "Koperasi Latihan"),
        doc.integer("tahun", None, low=2000, high=2100),
        items,
        path,
    )


def _exercise(nomor: int, doc: config.Doc) -> Exercise:
    doc.require("judul", "cerita", "kunci", "per", "harapan")
    return Exercise(
        nomor=nomor,
        judul=doc.text("judul"),
        cerita=doc.text("cerita"),
        perintah=doc.texts("perintah"),
        kunci=doc.texts("kunci"),
        per=doc.parsed("per", dates.parse),
        harapan=tuple(_expected(doc.section("harapan", None, "akun: saldo"))),
        pertanyaan=doc.text("pertanyaan"),
        jawaban=doc.text("jawaban"),
    )


def _expected(doc: config.Doc) -> list[Expected]:
    """Account balances (`Aset:Kas: "120.000"`) and stock (`stok: {BARANG: {jumlah, nilai}}`)."""
    result = []
    for key in doc.keys():
        if key != "stok":
            result.append(Expected(key, doc.parsed(key, _amount), akun=key))
            continue
        stock = doc.section("stok", None, "BARANG: {jumlah, nilai}")
        for code in stock.keys():
            spec = stock.section(code, ("jumlah", "nilai"), "jumlah dan/atau nilai")
            if spec.get("jumlah") is not None:
                qty = spec.parsed("jumlah", outlet.parse_quantity)
                result.append(Expected(f"Stok {code} (jumlah)", qty, barang=code, ukuran="jumlah"))
            if spec.get("nilai") is not None:
                value = spec.parsed("nilai", money.parse)
                result.append(Expected(f"Stok {code} (nilai)", value, barang=code, ukuran="nilai"))
    return result


def _amount(text: str) -> Decimal:
    """A balance may be zero (an account that must be empty again)."""
    return Decimal(0) if str(text).strip() in ("0", "Rp0") else money.parse(text)


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
