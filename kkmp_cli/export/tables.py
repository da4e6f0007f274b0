"""The ledger as flat tables for a Dinas' data tools (`kkmp ekspor parquet`): postings,
transactions, members and loans, one partition per cooperative and year, typed columns."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kkmp_cli import accounts, chart
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.loans import portfolio
from kkmp_cli.members import register as members

# Column kinds the Parquet adapter maps to Arrow types: text, date, int, rupiah (a decimal
# with SCALE places: weights of lots at cost can carry fractions of a rupiah), jumlah (a
# quantity or a percentage, same decimal).
Column = tuple[str, str]

POSTINGS: tuple[Column, ...] = (
    ("nama_koperasi", "text"),
    ("tanggal", "date"),
    ("transaksi", "text"),
    ("baris", "int"),
    ("akun", "text"),
    ("golongan_utama", "text"),
    ("golongan", "text"),
    ("jumlah", "rupiah"),
    ("kuantitas", "jumlah"),
    ("komoditas", "text"),
    ("anggota", "text"),
    ("jenis", "text"),
)
TRANSACTIONS: tuple[Column, ...] = (
    ("nama_koperasi", "text"),
    ("tanggal", "date"),
    ("transaksi", "text"),
    ("jenis", "text"),
    ("pihak", "text"),
    ("keterangan", "text"),
    ("petugas", "text"),
    ("anggota", "text"),
    ("jumlah_debet", "rupiah"),
    ("baris_jurnal", "int"),
)
MEMBERS: tuple[Column, ...] = (
    ("nama_koperasi", "text"),
    ("per", "date"),
    ("nak", "text"),
    ("nama", "text"),
    ("jenis_kelamin", "text"),
    ("masuk", "date"),
    ("keluar", "date"),
    ("status", "text"),
    *((f"simpanan_{k}", "rupiah") for k in chart.SIMPANAN),  # every kind: one schema
)
LOANS: tuple[Column, ...] = (
    ("nama_koperasi", "text"),
    ("per", "date"),
    ("pinjaman", "text"),
    ("nak", "text"),
    ("nama", "text"),
    ("tanggal", "date"),
    ("pokok", "rupiah"),
    ("tenor", "int"),
    ("jasa_persen", "jumlah"),
    ("metode", "text"),
    ("status", "text"),
    ("sisa_pokok", "rupiah"),
    ("pokok_dibayar", "rupiah"),
    ("jasa_dibayar", "rupiah"),
    ("tunggakan_pokok", "rupiah"),
    ("tunggakan_jasa", "rupiah"),
    ("kolektibilitas", "text"),
    ("penyisihan", "rupiah"),
)


@dataclass(frozen=True)
class Table:
    """One table of one cooperative: rows (dicts by column name) per year."""

    nama: str
    columns: tuple[Column, ...]
    tahun: dict[int, list[dict[str, Any]]]


def _member_of(account: str, naks: set[str]) -> str | None:
    """The NAK of a member sub-account (Ekuitas:Simpanan-Pokok:A0001), else None."""
    last = account.rsplit(":", 1)[-1]
    return last if last in naks and account != chart.report_account(account) else None


def _postings(
    book: Book,
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, list[dict[str, Any]]]]:
    posts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    trans: dict[int, list[dict[str, Any]]] = defaultdict(list)
    name = book.config.nama
    info: dict[str, chart.Info] = {}
    naks = set(members.register(book))
    for entry in book.transactions():
        doc = str(entry.meta.get("id", ""))
        kind = str(entry.meta.get("jenis", ""))
        debit = Decimal(0)
        nak = entry.meta.get("anggota")
        for i, p in enumerate(entry.postings, start=1):
            if p.account not in info:
                info[p.account] = accounts.info(book, p.account)
            weight = ledger.weight(p)
            debit += max(weight, Decimal(0))
            units = p.units
            posts[entry.date.year].append(
                {
                    "nama_koperasi": name,
                    "tanggal": entry.date,
                    "transaksi": doc,
                    "baris": i,
                    "akun": p.account,
                    "golongan_utama": p.account.split(":", 1)[0],
                    "golongan": info[p.account].golongan,
                    "jumlah": weight,
                    "kuantitas": units.number if units is not None else None,
                    "komoditas": units.currency if units is not None else None,
                    "anggota": _member_of(p.account, naks),
                    "jenis": kind,
                }
            )
        trans[entry.date.year].append(
            {
                "nama_koperasi": name,
                "tanggal": entry.date,
                "transaksi": doc,
                "jenis": kind,
                "pihak": entry.payee,
                "keterangan": entry.narration,
                "petugas": entry.meta.get("petugas"),
                "anggota": str(nak) if nak else None,
                "jumlah_debet": debit,
                "baris_jurnal": entry.meta.get("lineno"),
            }
        )
    return posts, trans


def years(book: Book) -> list[int]:
    """Every year from the first book year to the last entry's (or the first, if empty)."""
    last = book.last_date()
    end = max(book.config.tahun_buku, last.year if last else book.config.tahun_buku)
    return list(range(book.config.tahun_buku, end + 1))


def _snapshot_date(book: Book, year: int) -> dt.date:
    """Members and loans of a year as on 31 December (or the last entry, in the last year)."""
    last = book.last_date()
    end = dt.date(year, 12, 31)
    return min(end, last) if last is not None and last.year == year else end


def _members(book: Book, per: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "nama_koperasi": book.config.nama,
            "per": per,
            "nak": r.member.nak,
            "nama": r.member.nama,
            "jenis_kelamin": r.member.jenis_kelamin,
            "masuk": r.member.masuk,
            "keluar": r.member.keluar,  # as the register stood on `per`
            "status": r.member.status,
            **{f"simpanan_{k}": r.saldo.get(k, Decimal(0)) for k in chart.SIMPANAN},
        }
        for r in members.listing(book, per)
    ]


def _loans(book: Book, per: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "nama_koperasi": book.config.nama,
            "per": per,
            "pinjaman": s.loan.id,
            "nak": s.loan.nak,
            "nama": s.loan.nama,
            "tanggal": s.loan.tanggal,
            "pokok": s.loan.pokok,
            "tenor": s.loan.tenor,
            "jasa_persen": s.loan.jasa_persen,
            "metode": s.loan.metode,
            "status": s.status,
            "sisa_pokok": s.sisa_pokok,
            "pokok_dibayar": s.pokok_dibayar,
            "jasa_dibayar": s.jasa_dibayar,
            "tunggakan_pokok": s.tunggakan_pokok,
            "tunggakan_jasa": s.tunggakan_jasa,
            "kolektibilitas": s.kolektibilitas,
            "penyisihan": s.penyisihan,
        }
        for s in portfolio.portfolio(book, per).pinjaman
    ]


def tables(book: Book) -> list[Table]:
    """The four tables of one cooperative. Postings and transactions fall in the year of
    their date; members and loans are a snapshot per year (31 December, or the last entry's
    date in the last year). The closing entries of a sealed year are included, as in the
    journal, with their `jenis`, so a query can leave them out."""
    posts, trans = _postings(book)
    span = years(book)
    snapshots = {y: _snapshot_date(book, y) for y in span}
    return [
        Table("posting", POSTINGS, {y: posts.get(y, []) for y in span}),
        Table("transaksi", TRANSACTIONS, {y: trans.get(y, []) for y in span}),
        Table("anggota", MEMBERS, {y: _members(book, d) for y, d in snapshots.items()}),
        Table("pinjaman", LOANS, {y: _loans(book, d) for y, d in snapshots.items()}),
    ]
