"""rat.yaml: what the RAT book needs beyond the ledger, as typed inputs."""

from __future__ import annotations

import datetime as dt
import re
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
  pukul: null               # jam mulai, mis. "09.00 WIB" (undangan: 'kkmp rat undangan TAHUN')
  acara: []                 # susunan acara; kosong: acara RAT yang lazim
batas_pelaporan: null       # batas lapor menurut surat edaran Kemenkop, mis. 30-04-2026
pengantar: null             # kata pengantar pengurus (teks)
karyawan: []                # - {nama: "...", jabatan: "Pengelola gerai"}
rapat: []                   # - {tanggal: 10-02-2025, jenis: "Rapat pengurus", acara: "..."}
rapb:                       # anggaran (RAPB) tahun buku yang dilaporkan, hasil per unit (rupiah)
  {}                      # mis. sembako: 12000000, simpan-pinjam: 500000
laporan_pengawas: null      # laporan pengawas: teks, atau bagian terstruktur:
#   ruang_lingkup: "Pemeriksaan buku besar, kas, stok dan berkas pinjaman"
#   temuan: ["..."]           # daftar temuan
#   rekomendasi: ["..."]
#   tanggapan_pengurus: "..."
#   tanggal: 01-03-2026
#   kepala_desa: {nama: "...", peran: "Kepala desa, pengawas ex officio (KDMP)"}
program_lalu: []            # realisasi program kerja tahun buku: - {program: "...", realisasi: "..."}
keputusan_lalu: []          # tindak lanjut keputusan RAT lalu: - {keputusan: "...", tindak_lanjut: "..."}
komitmen: []                # komitmen pada akhir tahun buku (CaLK), daftar teks
peristiwa_setelah: []       # peristiwa setelah tanggal pelaporan (CaLK), daftar teks
rencana_kerja: []           # rencana kerja tahun depan (daftar)
rapb_tahun_depan: {}      # RAPB tahun depan per pos, mis. pendapatan sembako: 180000000
rancangan_keputusan: []     # rancangan keputusan RAT (daftar)
audit_kap: false            # true bila laporan sudah diaudit akuntan publik
# Sesudah RAT (daftar hadir yang ditandatangani: 'kkmp rat hadir TAHUN'), untuk kuorum dan
# berita acara ('kkmp rat berita-acara TAHUN'); kuorum dan kuasa menurut koperasi.yaml rapat_anggota.
kehadiran:
  hadir: []                 # NAK anggota yang hadir dan tanda tangan, mis. [A0001, A0002]
  jumlah_hadir: null        # atau hanya jumlahnya, bila NAK tidak diketik satu per satu
  kuasa: []                 # - {pemberi: A0007, penerima: A0001} (hanya bila AD/ART membolehkan)
  tamu: null                # undangan bukan anggota yang hadir (tidak dihitung), mis. 5
  pimpinan_rapat: null      # nama pimpinan rapat
  notulis: null             # nama notulis
keputusan: []               # keputusan yang diambil RAT (daftar teks), untuk berita acara
"""

RAT_KEYS = (
    "rat",
    "batas_pelaporan",
    "pengantar",
    "karyawan",
    "rapat",
    "rapb",
    "laporan_pengawas",
    "program_lalu",
    "keputusan_lalu",
    "komitmen",
    "peristiwa_setelah",
    "rencana_kerja",
    "rapb_tahun_depan",
    "rancangan_keputusan",
    "audit_kap",
    "kehadiran",
    "keputusan",
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
class KepalaDesa:
    nama: str
    peran: str


@dataclass(frozen=True)
class PengawasReport:
    """The pengawas' report: free text (an old rat.yaml) or its structured parts."""

    teks: str | None = None
    ruang_lingkup: str | None = None
    temuan: tuple[str, ...] = ()
    rekomendasi: tuple[str, ...] = ()
    tanggapan_pengurus: str | None = None
    tanggal: dt.date | None = None
    kepala_desa: KepalaDesa | None = None

    @property
    def empty(self) -> bool:
        return not (self.teks or self.ruang_lingkup or self.temuan or self.rekomendasi)


@dataclass(frozen=True)
class FollowUp:
    """A line of last year's programme or decisions and what became of it."""

    butir: str
    hasil: str


@dataclass(frozen=True)
class Proxy:
    """A member absent who gave a proxy (kuasa) to a member present."""

    pemberi: str
    penerima: str


@dataclass(frozen=True)
class Attendance:
    """rat.yaml `kehadiran:`, filled in after the meeting from the signed attendance list:
    the NAKs present (or only their number), proxies, guests, chair and minute-taker."""

    hadir: tuple[str, ...] = ()
    jumlah_hadir: int | None = None
    kuasa: tuple[Proxy, ...] = ()
    tamu: int = 0
    pimpinan_rapat: str | None = None
    notulis: str | None = None

    @property
    def empty(self) -> bool:
        return not self.hadir and self.jumlah_hadir is None


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
    laporan_pengawas: PengawasReport = field(default_factory=PengawasReport)
    program_lalu: tuple[FollowUp, ...] = ()
    keputusan_lalu: tuple[FollowUp, ...] = ()
    komitmen: tuple[str, ...] = ()
    peristiwa_setelah: tuple[str, ...] = ()
    rencana_kerja: tuple[str, ...] = ()
    rapb_tahun_depan: tuple[tuple[str, Decimal | str], ...] = ()
    rancangan_keputusan: tuple[str, ...] = ()
    audit_kap: bool = False
    pukul: str | None = None
    acara: tuple[str, ...] = ()
    kehadiran: Attendance = field(default_factory=Attendance)
    keputusan: tuple[str, ...] = ()


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
    meeting = doc.section(
        "rat", ("ke", "tanggal", "tempat", "pukul", "acara"), "ke, tanggal, tempat"
    )
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
        laporan_pengawas=_pengawas(doc),
        program_lalu=_follow_ups(doc, "program_lalu", "program", "realisasi"),
        keputusan_lalu=_follow_ups(doc, "keputusan_lalu", "keputusan", "tindak_lanjut"),
        komitmen=doc.texts("komitmen"),
        peristiwa_setelah=doc.texts("peristiwa_setelah"),
        rencana_kerja=doc.texts("rencana_kerja"),
        rapb_tahun_depan=tuple((k, _amount_or_text(plan, k)) for k in plan.keys()),
        rancangan_keputusan=doc.texts("rancangan_keputusan"),
        audit_kap=doc.flag("audit_kap", False),
        pukul=meeting.optional_text("pukul"),
        acara=meeting.texts("acara"),
        kehadiran=_attendance(doc),
        keputusan=doc.texts("keputusan"),
    )


ATTENDANCE_KEYS = ("hadir", "jumlah_hadir", "kuasa", "tamu", "pimpinan_rapat", "notulis")
NAK_RE = re.compile(r"^[A-Z]+[0-9]+$")


def _attendance(doc: Doc) -> Attendance:
    """kehadiran: typed; whether the NAKs are members active on the day is the meeting
    module's check (it needs the register)."""
    part = doc.section("kehadiran", ATTENDANCE_KEYS, "hadir, jumlah_hadir, kuasa, …")
    present = part.words("hadir", (), pattern=NAK_RE, hint="tulis NAK, mis. A0001")
    count = None if part.get("jumlah_hadir") is None else part.integer("jumlah_hadir", 0, low=0)
    proxies = []
    for entry in part.entries("kuasa", ("pemberi", "penerima")):
        entry.require("pemberi", "penerima")
        proxies.append(Proxy(_nak(entry, "pemberi"), _nak(entry, "penerima")))
    return Attendance(
        hadir=present,
        jumlah_hadir=count,
        kuasa=tuple(proxies),
        tamu=part.integer("tamu", 0, low=0),
        pimpinan_rapat=part.optional_text("pimpinan_rapat"),
        notulis=part.optional_text("notulis"),
    )


PENGAWAS_KEYS = (
    "ruang_lingkup",
    "temuan",
    "rekomendasi",
    "tanggapan_pengurus",
    "tanggal",
    "kepala_desa",
)


def _nak(doc: Doc, key: str) -> str:
    nak = doc.text(key).strip().upper()
    if not NAK_RE.match(nak):
        raise doc.fail(key, f"harus NAK anggota, mis. A0007, bukan '{doc.text(key)}'")
    return nak


def _pengawas(doc: Doc) -> PengawasReport:
    """laporan_pengawas: a text (as before) or a section with the report's parts."""
    value = doc.get("laporan_pengawas")
    if not isinstance(value, dict):
        return PengawasReport(teks=doc.optional_text("laporan_pengawas"))
    part = doc.section("laporan_pengawas", PENGAWAS_KEYS)
    head = part.section("kepala_desa", ("nama", "peran"), "nama, peran")
    village = None
    if head.keys():
        head.require("nama")
        village = KepalaDesa(head.text("nama"), head.text("peran"))
    return PengawasReport(
        ruang_lingkup=part.optional_text("ruang_lingkup"),
        temuan=part.texts("temuan"),
        rekomendasi=part.texts("rekomendasi"),
        tanggapan_pengurus=part.optional_text("tanggapan_pengurus"),
        tanggal=part.date("tanggal"),
        kepala_desa=village,
    )


def _follow_ups(doc: Doc, key: str, what: str, result: str) -> tuple[FollowUp, ...]:
    found = []
    for entry in doc.entries(key, (what, result)):
        entry.require(what)
        found.append(FollowUp(entry.text(what), entry.text(result)))
    return tuple(found)


def _amount_or_text(doc: Doc, key: str) -> Decimal | str:
    """A budget line: an amount (a number) or a remark (text)."""
    value = doc.get(key)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return doc.rupiah(key, Decimal(0), allow_zero=True, signed=True)
    return doc.text(key)


# --- Private member data (UU 27/2022): a git-ignored file, never the journal ---
