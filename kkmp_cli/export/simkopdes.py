"""The SIMKOPDES sheets: the member register, each member's simpanan and the loans, in the
columns of the ministry's member and simpanan screens (README: which columns are known from
SIMKOPDES guides and which are kkmp's guess)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kkmp_cli.core.ledger import Book
from kkmp_cli.loans import portfolio
from kkmp_cli.members import deposits
from kkmp_cli.members import register as members

GENDER = {"L": "Laki-laki", "P": "Perempuan"}
STATUS = {"aktif": "Aktif", "keluar": "Keluar"}


@dataclass(frozen=True)
class Sheet:
    """One table of the export: written as `<nama>.xlsx` and `<nama>.csv`."""

    nama: str
    header: tuple[str, ...]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Export:
    per: dt.date
    sheets: list[Sheet]
    tanpa_nik: int  # members without a NIK in the private file (only with NIK asked for)


def _nik_column(nik: dict[str, str] | None) -> tuple[str, ...]:
    return ("NIK",) if nik is not None else ()


def _nik(nik: dict[str, str] | None, nak: str) -> list[str]:
    return [] if nik is None else [nik.get(nak, "")]


def member_sheet(book: Book, per: dt.date, nik: dict[str, str] | None) -> Sheet:
    """Menu Anggota: one line per member registered by `per`."""
    header = (
        "No",
        *_nik_column(nik),
        "Nomor Anggota",
        "Nama Lengkap",
        "Jenis Kelamin",
        "Tanggal Bergabung",
        "Status Keanggotaan",
        "Tanggal Keluar",
    )
    rows = []
    for i, row in enumerate(members.listing(book, per), start=1):
        m = row.member  # as the register stood on `per`
        left = m.keluar
        rows.append(
            [
                i,
                *_nik(nik, m.nak),
                m.nak,
                m.nama,
                GENDER.get(m.jenis_kelamin or "", m.jenis_kelamin or ""),
                m.masuk,
                "Keluar" if left else "Aktif",
                left,
            ]
        )
    return Sheet("anggota", header, rows)


def simpanan_sheet(book: Book, per: dt.date, nik: dict[str, str] | None) -> Sheet:
    """Menu Simpanan: each member's pokok, wajib and sukarela balance on `per`, and the
    wajib instalments still owed (SIMKOPDES's 'Tagihan Simpanan' status)."""
    header = (
        "No",
        *_nik_column(nik),
        "Nomor Anggota",
        "Nama Lengkap",
        "Simpanan Pokok",
        "Simpanan Wajib",
        "Simpanan Sukarela",
        "Total Simpanan",
        "Tunggakan Simpanan Wajib",
        "Bulan Tunggakan Wajib",
        "Status Tagihan Wajib",
    )
    owed = {a.member.nak: a for a in deposits.arrears(book, per)}
    rows = []
    for i, row in enumerate(members.listing(book, per), start=1):
        m = row.member
        s = row.saldo
        a = owed.get(m.nak)
        late = a.tunggakan if a else Decimal(0)
        status = "Tidak ditagih" if a is None else ("Lunas" if not late else "Belum lunas")
        rows.append(
            [
                i,
                *_nik(nik, m.nak),
                m.nak,
                m.nama,
                s["pokok"],
                s["wajib"],
                s["sukarela"],
                s["pokok"] + s["wajib"] + s["sukarela"],  # the three kinds SIMKOPDES bills
                late,
                a.bulan_tunggakan if a else 0,
                status,
            ]
        )
    return Sheet("simpanan", header, rows)


def loan_sheet(book: Book, per: dt.date, nik: dict[str, str] | None) -> Sheet:
    """The loans (kkmp's own layout: SIMKOPDES guides show no loan screen): state on `per`."""
    header = (
        "No",
        "Nomor Pinjaman",
        *_nik_column(nik),
        "Nomor Anggota",
        "Nama Lengkap",
        "Tanggal Pencairan",
        "Pokok Pinjaman",
        "Jangka Waktu (bulan)",
        "Jasa per Bulan (%)",
        "Metode",
        "Pokok Dibayar",
        "Jasa Dibayar",
        "Sisa Pokok",
        "Tunggakan Pokok",
        "Tunggakan Jasa",
        "Kolektibilitas",
        "Status",
    )
    rows = []
    for i, s in enumerate(portfolio.portfolio(book, per).pinjaman, start=1):
        loan = s.loan
        rows.append(
            [
                i,
                loan.id,
                *_nik(nik, loan.nak),
                loan.nak,
                loan.nama,
                loan.tanggal,
                loan.pokok,
                loan.tenor,
                loan.jasa_persen,
                loan.metode,
                s.pokok_dibayar,
                s.jasa_dibayar,
                s.sisa_pokok,
                s.tunggakan_pokok,
                s.tunggakan_jasa,
                _words(s.kolektibilitas),
                _words(s.status),
            ]
        )
    return Sheet("pinjaman", header, rows)


def _words(code: str) -> str:
    """A kkmp code as a screen shows it: kurang_lancar → Kurang lancar, hapus-buku → Hapus buku."""
    return code.replace("_", " ").replace("-", " ").capitalize()


def export(book: Book, per: dt.date, nik: dict[str, str] | None = None) -> Export:
    """The three sheets on `per`; `nik` (NAK → NIK, from the private file) adds the NIK column."""
    sheets = [
        member_sheet(book, per, nik),
        simpanan_sheet(book, per, nik),
        loan_sheet(book, per, nik),
    ]
    missing = 0
    if nik is not None:
        missing = sum(1 for r in members.listing(book, per) if not nik.get(r.member.nak))
    return Export(per, sheets, missing)
