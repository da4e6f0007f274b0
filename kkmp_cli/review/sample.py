"""A reproducible sample of a year's transactions for vouching (`kkmp sampel`).

Every transaction above the threshold is taken; the `jumlah` others are drawn at random,
stratified by `jenis` (each kind gets its share of the population, largest remainders first),
with Python's Mersenne Twister seeded by `benih`, from documents sorted by number: the same
books, year, size, threshold and seed always give the same sample.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import dates
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import SampelTerlaluBesar
from kkmp_cli.reports import statements
from kkmp_cli.review import diff

ABOVE = "di atas ambang"
DRAWN = "acak"


@dataclass(frozen=True)
class Butir:
    id: str
    tanggal: dt.date
    jenis: str
    narasi: str
    pihak: str
    jumlah: Decimal
    alasan: str


@dataclass(frozen=True)
class Lapisan:
    jenis: str
    populasi: int
    diambil: int


@dataclass(frozen=True)
class Sampel:
    tahun: int
    benih: int
    jumlah: int
    ambang: Decimal | None
    populasi: int
    lapisan: list[Lapisan]
    butir: list[Butir]


def _item(entry: data.Transaction, reason: str) -> Butir:
    return Butir(
        id=str(entry.meta.get("id", "")),
        tanggal=entry.date,
        jenis=str(entry.meta.get("jenis", "") or "lainnya"),
        narasi=entry.narration or "",
        pihak=entry.payee or "",
        jumlah=diff.total(entry),
        alasan=reason,
    )


def population(book: Book, year: int) -> list[Butir]:
    """The year's numbered transactions, closing entries left out, by document number."""
    start, end = dt.date(dates.check_year(year), 1, 1), dt.date(year, 12, 31)
    items = [
        _item(e, DRAWN)
        for e in book.transactions(start, end)
        if e.meta.get("id") and e.meta.get("jenis") != statements.CLOSING
    ]
    return sorted(items, key=lambda b: b.id)


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """`n` split over the strata in proportion to their sizes (largest remainder)."""
    total = sum(sizes.values())
    quotas = {k: Decimal(n * s) / total for k, s in sizes.items()} if total else {}
    shares = {k: int(q) for k, q in quotas.items()}
    left = n - sum(shares.values())
    for k in sorted(quotas, key=lambda k: (-(quotas[k] - shares[k]), k)):
        if left == 0:
            break
        if shares[k] < sizes[k]:
            shares[k] += 1
            left -= 1
    return shares


def draw(book: Book, year: int, n: int, seed: int, above: Decimal | None = None) -> Sampel:
    """All transactions above `above` plus `n` drawn at random from the rest, by jenis."""
    items = population(book, year)
    big = [
        Butir(**{**b.__dict__, "alasan": ABOVE})
        for b in items
        if above is not None and b.jumlah > above
    ]
    rest = [b for b in items if above is None or b.jumlah <= above]
    if n > len(rest):
        where = f" yang tidak di atas ambang {above}" if above is not None else ""
        raise SampelTerlaluBesar(
            f"Sampel {n} transaksi lebih besar dari populasinya: tahun {year} hanya punya "
            f"{len(rest)} transaksi bernomor{where}."
        )
    strata: dict[str, list[Butir]] = {}
    for b in rest:
        strata.setdefault(b.jenis, []).append(b)
    shares = allocate({k: len(v) for k, v in strata.items()}, n)
    rng = random.Random(seed)
    drawn = []
    for kind in sorted(strata):
        drawn += rng.sample(strata[kind], shares[kind])
    chosen = sorted([*big, *drawn], key=lambda b: b.id)
    layers = [Lapisan(kind, len(strata[kind]), shares[kind]) for kind in sorted(strata)]
    return Sampel(year, seed, n, above, len(items), layers, chosen)


def rows(s: Sampel) -> tuple[list[str], list[list[object]]]:
    """The working paper's header and rows (for XLSX/CSV), with columns to tick when vouched."""
    header = [
        "No. dokumen",
        "Tanggal",
        "Jenis",
        "Uraian",
        "Pihak",
        "Jumlah",
        "Alasan terpilih",
        "Bukti diperiksa",
        "Catatan pemeriksa",
    ]
    body: list[list[object]] = [
        [b.id, f"{b.tanggal:%d-%m-%Y}", b.jenis, b.narasi, b.pihak, b.jumlah, b.alasan, "", ""]
        for b in s.butir
    ]
    return header, body
