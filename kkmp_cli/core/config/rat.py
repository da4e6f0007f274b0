"""rat.yaml: what the RAT book needs beyond the ledger, as typed inputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from kkmp_cli.core import fsutil
from kkmp_cli.core.config.documents import Doc, read_document

RAT_NAME = "rat.yaml"

RAT_TEMPLATE = """\
# Bahan buku RAT yang tidak ada di buku besar. Isi sebelum 'kkmp rat TAHUN'.
# Bagian yang kosong ditandai jelas sebagai [BELUM DIISI] di buku RAT; 'kkmp rat periksa TAHUN'
# menyebutkan semuanya. Pengurus dan pengawas diambil dari koperasi.yaml (organisasi).
rat:
  ke: null                  # RAT ke berapa, mis. 1
  tanggal: null             # tanggal RAT, mis. 15-03-2026 (paling lambat 6 bulan sesudah tahun buku)
  tempat: null
batas_pelaporan: null       # batas lapor menurut surat edaran Kemenkop, mis. 30-04-2026
pengantar: null             # kata pengantar pengurus (teks)
karyawan: []                # - {nama: "...", jabatan: "Pengelola gerai"}
rapat: []                   # - {tanggal: 10-02-2025, jenis: "Rapat pengurus", acara: "..."}
rapb:                       # anggaran (RAPB) tahun buku yang dilaporkan, hasil per unit (rupiah)
  {}                      # mis. sembako: 12000000, simpan-pinjam: 500000
laporan_pengawas: null      # laporan pengawas (teks)
rencana_kerja: []           # rencana kerja tahun depan (daftar)
rapb_tahun_depan: {}      # RAPB tahun depan per pos, mis. pendapatan sembako: 180000000
rancangan_keputusan: []     # rancangan keputusan RAT (daftar)
audit_kap: false            # true bila laporan sudah diaudit akuntan publik
"""

RAT_KEYS = (
    "rat",
    "batas_pelaporan",
    "pengantar",
    "karyawan",
    "rapat",
    "rapb",
    "laporan_pengawas",
    "rencana_kerja",
    "rapb_tahun_depan",
    "rancangan_keputusan",
    "audit_kap",
)


@dataclass(frozen=True)
class Staff:
    nama: str
    jabatan: str


@dataclass(frozen=True)
class Meeting:
    tanggal: dt.date | None
    jenis: str
    acara: str


@dataclass(frozen=True)
class RatInputs:
    """rat.yaml: what the RAT book needs beyond the ledger; None or empty = not filled in."""

    ke: str | None = None
    tanggal: dt.date | None = None
    tempat: str | None = None
    batas_pelaporan: dt.date | None = None
    pengantar: str | None = None
    karyawan: tuple[Staff, ...] = ()
    rapat: tuple[Meeting, ...] = ()
    rapb: dict[str, Decimal | None] = field(default_factory=dict)
    laporan_pengawas: str | None = None
    rencana_kerja: tuple[str, ...] = ()
    rapb_tahun_depan: tuple[tuple[str, Decimal | str], ...] = ()
    rancangan_keputusan: tuple[str, ...] = ()
    audit_kap: bool = False


def write_rat(root: Path, data: dict[str, Any]) -> None:
    """Write rat.yaml (the demo fills it in); keys keep their order."""
    text = "# Bahan buku RAT yang tidak ada di buku besar (lihat 'kkmp rat periksa').\n"
    text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    fsutil.atomic_write(root / RAT_NAME, text)


def load_rat(root: Path) -> RatInputs:
    """rat.yaml, typed (a missing file = nothing filled in yet)."""
    path = root / RAT_NAME
    if not path.exists():
        return RatInputs()
    doc = read_document(path, RAT_KEYS, label=RAT_NAME, text_only=False)
    meeting = doc.section("rat", ("ke", "tanggal", "tempat"), "ke, tanggal, tempat")
    budget = doc.section("rapb", None, "anggaran hasil per unit, mis. sembako: 12000000")
    plan = doc.section("rapb_tahun_depan", None, "pos: jumlah, mis. Beban usaha: 185000000")
    staff = doc.entries("karyawan", ("nama", "jabatan"))
    for person in staff:
        person.require("nama")
    meetings = doc.entries("rapat", ("tanggal", "jenis", "acara"))
    return RatInputs(
        ke=meeting.optional_text("ke"),
        tanggal=meeting.date("tanggal"),
        tempat=meeting.optional_text("tempat"),
        batas_pelaporan=doc.date("batas_pelaporan"),
        pengantar=doc.optional_text("pengantar"),
        karyawan=tuple(Staff(e.text("nama"), e.text("jabatan")) for e in staff),
        rapat=tuple(Meeting(m.date("tanggal"), m.text("jenis"), m.text("acara")) for m in meetings),
        rapb={k: budget.optional_rupiah(k, allow_zero=True, signed=True) for k in budget.keys()},
        laporan_pengawas=doc.optional_text("laporan_pengawas"),
        rencana_kerja=doc.texts("rencana_kerja"),
        rapb_tahun_depan=tuple((k, _amount_or_text(plan, k)) for k in plan.keys()),
        rancangan_keputusan=doc.texts("rancangan_keputusan"),
        audit_kap=doc.flag("audit_kap", False),
    )


def _amount_or_text(doc: Doc, key: str) -> Decimal | str:
    """A budget line: an amount (a number) or a remark (text)."""
    value = doc.get(key)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return doc.rupiah(key, Decimal(0), allow_zero=True, signed=True)
    return doc.text(key)


# --- Private member data (UU 27/2022): a git-ignored file, never the journal ---
