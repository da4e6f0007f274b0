"""One document's history in the books (`kkmp riwayat`): when and by whom it was recorded, and
the corrections, reversals and linked documents that belong to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from kkmp_cli.core import officer
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError
from kkmp_cli.review import diff


class DokumenTidakDikenal(KkmpError):
    """No transaction carries that document number."""


@dataclass(frozen=True)
class Terkait:
    id: str
    tanggal: dt.date
    jenis: str
    hubungan: str
    narasi: str
    petugas: str


@dataclass(frozen=True)
class Riwayat:
    id: str
    tanggal: dt.date
    jenis: str
    narasi: str
    pihak: str
    jumlah: Decimal
    petugas: str
    berkas: str
    terkait: list[Terkait] = field(default_factory=list)


def _related(entry: data.Transaction, relation: str) -> Terkait:
    return Terkait(
        id=str(entry.meta.get("id", "")),
        tanggal=entry.date,
        jenis=str(entry.meta.get("jenis", "")),
        hubungan=relation,
        narasi=entry.narration or "",
        petugas=str(entry.meta.get(officer.META_KEY, "")),
    )


def history(book: Book, doc: str) -> Riwayat:
    """Document `doc` and every transaction that corrects it, it corrects, or shares a link."""
    doc = doc.strip().upper()
    found = [t for t in book.transactions() if t.meta.get("id") == doc]
    if not found:
        raise DokumenTidakDikenal(
            f"Tidak ada transaksi bernomor '{doc}' di buku ini (nomor seperti BKM-2025-000001)."
        )
    entry = found[0]
    related = []
    for other in book.transactions():
        if other is entry:
            continue
        if other.meta.get("koreksi") == doc:
            related.append(_related(other, "dikoreksi oleh"))
        elif entry.meta.get("koreksi") == other.meta.get("id"):
            related.append(_related(other, "koreksi atas"))
        elif entry.links and entry.links & (other.links or set()):
            shared = ", ".join(sorted(entry.links & other.links))
            related.append(_related(other, f"tertaut ({shared})"))
    return Riwayat(
        id=doc,
        tanggal=entry.date,
        jenis=str(entry.meta.get("jenis", "")),
        narasi=entry.narration or "",
        pihak=entry.payee or "",
        jumlah=diff.total(entry),
        petugas=str(entry.meta.get(officer.META_KEY, "")),
        berkas=f"{entry.meta.get('filename', '?')}:{entry.meta.get('lineno', 0)}",
        terkait=related,
    )
