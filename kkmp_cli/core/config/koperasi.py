"""koperasi.yaml: the cooperative's own rules (SOP, AD/ART) as typed objects, the template
`kkmp init` writes, and its reading."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

from kkmp_cli import chart, dates
from kkmp_cli.core.config.documents import Doc, read_document
from kkmp_cli.errors import KonfigurasiSalah

CONFIG_NAME = "koperasi.yaml"

# The default SOP numbers, documented in koperasi.yaml as written by `kkmp init`.
DEFAULT_POKOK = Decimal(100_000)
DEFAULT_WAJIB = Decimal(10_000)

CONFIG_TEMPLATE = """\
# Konfigurasi koperasi untuk kkmp. Ubah angka sesuai AD/ART, SOP dan keputusan Rapat Anggota.
# Berkas ini masuk git; data pribadi anggota (NIK, telepon, alamat) TIDAK disimpan di sini.

# --- Identitas ---
nama: {nama}
nomor_badan_hukum: ""        # nomor AHU / badan hukum koperasi
alamat: ""
kelurahan_desa: ""
tahun_buku: {tahun}          # tahun buku pertama yang dicatat di kkmp

# --- Simpanan (UU 25/1992 Pasal 41; besarnya ditetapkan AD/ART / Rapat Anggota) ---
simpanan:
  pokok: {pokok}             # rupiah, dibayar sekali saat masuk anggota
  pokok_boleh_dicicil: false # true: pokok boleh dibayar beberapa kali sampai lunas
  wajib_per_bulan: {wajib}   # rupiah per bulan, ditagih sejak bulan masuk
  # Besar simpanan wajib yang diubah Rapat Anggota, berlaku mulai bulannya (bulan sebelumnya
  # tetap dengan besar lama), urut waktu, mis.:
  #   wajib_berubah: [{{mulai: 2026-07, jumlah: 20000, dasar: "RAT 2026"}}]
  wajib_berubah: []
  # Jasa simpanan sukarela (`kkmp simpanan jasa --bulan YYYY-MM`), keputusan RA/SOP:
  jasa_sukarela_persen_tahun: 0   # persen setahun; 0 = tidak ada jasa simpanan sukarela
  jasa_sukarela_saldo: saldo_terendah  # saldo_terendah atau rata_rata_harian bulan itu
  # Persen jasa sukarela yang diubah Rapat Anggota, berlaku mulai bulannya (bulan sebelumnya,
  # juga bila dihitung ulang atau diperiksa, tetap dengan persen lama), urut waktu, mis.:
  #   jasa_sukarela_berubah: [{{mulai: 2026-07, persen: 5, dasar: "Keputusan RAT 2026"}}]
  jasa_sukarela_berubah: []
  # PPh final atas bunga simpanan koperasi kepada anggota orang pribadi (PP 15/2009 Pasal 2):
  # 0 % bila bunga sebulan sampai Rp240.000, 10 % dari jumlah bruto bunga bila lebih. Bunga
  # sebulan = seluruh bunga simpanan anggota itu pada bulan itu (jasa sukarela dan bunga
  # simpanan berjangka); dibulatkan ke bawah ke rupiah.
  pph_bunga_persen: 10
  pph_bunga_batas_bulan: 240000
  # Tarif dan batas yang diubah peraturan baru, berlaku mulai bulannya (bulan sebelumnya tetap
  # menurut PP 15/2009), urut waktu, mis.:
  #   pph_bunga_berubah: [{{mulai: 2027-01, persen: 10, batas_bulan: 300000, dasar: "PP …"}}]
  pph_bunga_berubah: []
  # Simpanan berjangka (`kkmp simpanan berjangka`), SOP USP:
  berjangka_minimum: 1000000       # rupiah per bilyet
  berjangka_tenor_maks: 24         # bulan
  berjangka_bunga_maks_persen_tahun: 9  # --bunga di atas ini ditolak
  berjangka_penalti_persen: 1      # pencairan sebelum jatuh tempo: persen dari pokok

# --- Organisasi: pengurus dan pengawas (nak: nomor anggota, bila anggota) ---
organisasi:
{organisasi}
# --- Unit simpan pinjam (SOP USP; Permenkop 8/2023) ---
pinjaman:
  jasa_maks_per_bulan: 3        # persen per bulan; --jasa di atas ini ditolak
  tenor_maks: 36                # bulan
  plafon_kali_simpanan: 3       # plafon = kelipatan simpanan anggota (lihat plafon_dari)
  plafon_dari: [pokok, wajib, sukarela]
  pinjaman_aktif_maks: 1        # pinjaman berjalan per anggota
  batas_pihak_terkait_persen: 10  # pinjaman pengurus/pengawas <= persen modal sendiri
  biaya_admin_persen: 0         # biaya administrasi bawaan saat pencairan (persen pokok)
  denda_persen_per_hari: {denda}     # denda per hari keterlambatan, persen dari angsuran tertunggak
  pelunasan_jasa: berjalan      # pelunasan dipercepat: berjalan (jasa periode berjalan),
                                # penuh (seluruh sisa jasa), tanpa (hanya jasa yang telah jatuh tempo)
  kolektibilitas: {kolektibilitas}     # koperasi, bank-umum atau bpr (sumber tiap preset di bawah)
  # koperasi : bulan tunggakan angsuran pokok (Kepmenkop 194/KEP/M/IX/1998 -> Permen KUKM
  #            20/Per/M.KUKM/XI/2008 diubah 14/Per/M.KUKM/XII/2009): kurang lancar > 3 bulan,
  #            diragukan > 6 bulan, macet > 27 bulan (6 + 21 bulan diragukan tanpa penyelesaian).
  #            Penyisihan bawaan = bobot risiko pinjaman bermasalah di kertas kerja penilaian
  #            kesehatan KSP/USP: 50 % kurang lancar, 75 % diragukan, 100 % macet; lancar 0 %.
  # bank-umum: hari tunggakan (POJK 40/POJK.03/2019): dalam perhatian khusus 1-90, kurang lancar
  #            91-120, diragukan 121-180, macet > 180; PPKA 1 / 5 / 15 / 50 / 100 %.
  # bpr      : hari tunggakan (POJK 1 Tahun 2024, BPR): lancar s.d. 30, dalam perhatian khusus
  #            31-90, kurang lancar 91-180, diragukan 181-360, macet > 360; PPKA paling sedikit
  #            0,5 / 3 / 10 / 50 / 100 % (selain lancar: dari pinjaman dikurangi nilai agunan;
  #            kkmp belum mencatat agunan, jadi dihitung dari seluruh sisa pokok).
  # (nilai lama 'bank' dibaca sebagai bank-umum)
  batas_koperasi_bulan: {{kurang_lancar: 3, diragukan: 6, macet: 27}}  # tunggakan lebih dari N bulan
  penyisihan_persen:            # cadangan kerugian piutang per golongan (bawaan menurut preset)
{penyisihan}  restrukturisasi_pulih_setelah: 3  # pinjaman restrukturisasi tetap pada golongannya sampai
                                  # N angsuran berturut-turut dibayar tepat waktu
  pengakuan_jasa: kas           # kas (jasa diakui saat dibayar) atau akrual (SAK EP, Permenkop
                                # 2/2024: jasa angsuran jatuh tempo diakui sebagai piutang jasa;
                                # 'kkmp pinjaman akrual --bulan YYYY-MM')

# --- Unit usaha: tujuh unit wajib KDMP (Kemenkop, pelaksanaan Inpres 9/2025); hapus atau tambah
# baris sesuai usaha koperasi (mis. agen LPG atau pupuk: jenis barang; PPOB, sewa: jenis jasa) ---
# jenis: barang (gerai: persediaan, penjualan, HPP), jasa (klinik, sewa, angkutan: 'kkmp jasa'),
# simpan-pinjam (pinjaman anggota), kantor (beban umum yang dialokasikan ke unit lain).
# keluar (hanya unit barang): fifo (barang masuk pertama keluar pertama) atau fefo (yang paling
# dulu kedaluwarsa keluar pertama, untuk obat).
unit:
  - {{kode: kantor, nama: Kantor koperasi, jenis: kantor}}
  - {{kode: sembako, nama: Gerai sembako, jenis: barang}}
  - {{kode: simpan-pinjam, nama: Unit simpan pinjam, jenis: simpan-pinjam}}
  - {{kode: klinik, nama: Klinik desa, jenis: jasa}}
  - {{kode: apotek, nama: Apotek desa, jenis: barang, keluar: fefo}}
  - {{kode: cold-storage, nama: Cold storage dan pergudangan, jenis: jasa}}
  - {{kode: logistik, nama: Logistik dan distribusi, jenis: jasa}}

# --- Gerai (unit barang) ---
gerai:
  unit_bawaan: sembako          # unit untuk barang bila --unit tidak diberikan
batas_kredit_pelanggan: 1000000 # rupiah; piutang paling banyak per pelanggan non-anggota bernama
                                # (gerai jual --pelanggan NAMA --kredit); aturan koperasi sendiri
                                # (SOP / keputusan Rapat Anggota), bukan angka dari peraturan;
                                # 0 = tidak ada penjualan kredit kepada non-anggota

# --- Alokasi beban umum (unit kantor dan beban tanpa --unit) ke unit usaha, di laporan PHU ---
alokasi:
  dasar: pendapatan   # pendapatan (menurut bagian pendapatan tiap unit), persen (lihat di bawah)
                      # atau tanpa (beban umum tetap di unit kantor)
  # persen: {{sembako: 40, simpan-pinjam: 20, klinik: 20, apotek: 10, cold-storage: 5, logistik: 5}}

# --- SHU (UU 25/1992 Pasal 45; persentase menurut AD/ART / keputusan RAT) ---
shu:
  kdmp: false                 # true untuk Koperasi Desa/Kelurahan Merah Putih: wajib pos
                              # imbal_jasa_desa >= 20 % keuntungan bersih (Permendesa 10/2025 Pasal 7)
  pembagian:                  # persen; angka = pos yang dikenal (dari SHU anggota), atau
                              # {{persen, nama, akun, dasar}} untuk pos apa pun, mis.
                              # imbal_jasa_desa: {{persen: 20, nama: "Imbal jasa Pemerintah Desa", dasar: shu_total}}
                              # dasar shu_total: diambil dari seluruh SHU lebih dulu; dasar shu_anggota
                              # (bawaan): dari SHU anggota; tiap dasar berjumlah tepat 100 (shu_total < 100)
    cadangan: 40
    jasa_modal: 20
    jasa_usaha:               # satu pool per layanan (penjualan, pinjaman) atau satu angka
      penjualan: 10
      pinjaman: 10
    pengurus: 5
    karyawan: 5
    pendidikan: 5
    sosial: 5
  jasa_modal_dari: [pokok, wajib]   # simpanan yang dihitung
  jasa_modal_waktu: akhir_tahun     # akhir_tahun (saldo 31 Desember) atau rata_rata (rata-rata 12 akhir bulan)
  dasar_jasa_pinjaman: jasa         # jasa = jasa yang dibayar dalam tahun itu; pinjaman = pokok dicairkan
  pembulatan: bawah                 # tiap pos dan bagian anggota dibulatkan ke bawah; sisanya
                                    # dicatat sebagai sisa_pembulatan (dibukukan ke cadangan)
  anggota_keluar: ikut              # ikut: anggota yang keluar dalam tahun itu mendapat jasa usaha
                                    # atas transaksinya sebelum keluar; tidak: tidak mendapat
  bagian_non_anggota: proporsional  # proporsional atau laba_kotor (lihat README)

# --- Kas dan bank ---
kas:
  boleh_minus: []    # akun kas/bank yang boleh bersaldo minus, mis. [Aset:Bank] untuk rekening
                     # dengan fasilitas cerukan (overdraft); akun kas/bank lain tidak boleh minus
                     # pada hari apa pun ('kkmp periksa' memeriksanya)

# --- Pembiayaan bank (PMK 49/2025 Pasal 5: pinjaman Himbara untuk KDMP/KKMP) ---
pembiayaan:
  plafon_maks: 3000000000       # plafon paling banyak Rp3 miliar per koperasi
  operasional_maks: 500000000   # dari plafon, paling banyak Rp500 juta untuk belanja operasional
  bunga_maks_persen: 6          # bunga/margin 6% per tahun
  tenor_maks: 72                # bulan
  masa_tenggang_maks: 8         # masa tenggang 6 sampai paling lama 8 bulan
                                # angsuran yang gagal dibayar dapat ditalangi Dana Desa
                                # (Permendesa 10/2025 Pasal 4): 'kkmp pembiayaan talangan'

# --- Aset tetap: umur manfaat bawaan (bulan) per kelompok ---
# Masa manfaat menurut UU PPh Pasal 11 dan PMK 72/2023: bangunan permanen 20 tahun; kelompok 1
# (inventaris kantor, peralatan kecil) 4 tahun; kelompok 2 (kendaraan angkut, mesin seperti
# cold storage) 8 tahun. Tanah tidak disusutkan. --umur pada 'kkmp aset tambah' menggantinya.
aset:
  umur_bulan:
    bangunan: 240
    kendaraan: 96
    mesin: 96
    peralatan: 48
    inventaris-kantor: 48

# --- Kepatuhan SOP: ambang pemeriksaan di buku RAT ---
kepatuhan:
  batas_tunggakan_wajib_persen: 20   # anggota menunggak wajib, persen dari anggota aktif
  batas_npl_persen: 5                # pinjaman bermasalah, persen dari sisa pokok
  batas_audit_modal: 5000000000      # USP dengan modal sendiri sebesar ini wajib diaudit akuntan publik
  bulan_batas_rat: 6                 # RAT paling lambat N bulan sesudah tahun buku (UU 25/1992)

# --- Rapat anggota: kuorum dan kuasa menurut AD/ART (#18). UU 25/1992 tidak menetapkan kuorum;
# Pasal 23 menyerahkan tata rapat anggota kepada anggaran dasar. Bawaan: sah bila dihadiri LEBIH
# DARI 1/2 anggota (rumusan umum AD koperasi); ganti sesuai AD/ART koperasi ini (ada AD yang
# memakai 1/5 atau 2/3). ---
rapat_anggota:
  kuorum: 1/2               # pecahan dari anggota aktif pada tanggal RAT
  kuorum_lebih_dari: true   # true: hadir harus LEBIH DARI pecahan itu; false: sekurang-kurangnya
  kuasa_per_anggota: 0      # kuasa yang boleh dibawa satu anggota hadir (0: AD/ART tidak membolehkan)

# --- Loket: tanggal aman (#22). Kode laptop untuk nomor bukti ada di berkas .kkmp-perangkat
# (tidak masuk git), lihat README "Dua bendahara". ---
loket:
  jarak_hari_maks: 31  # perintah tanpa --tanggal ditolak bila hari ini lebih dari N hari sesudah
                       # catatan terakhir (0: tidak diperiksa)
  maju_hari_maks: 7    # tanggal lebih dari N hari sesudah hari ini ditolak (salah ketik tahun);
                       # 0 atau kosong: tanpa batas (buku latihan/uji yang sengaja bertanggal maju)

# --- Pajak (#12): PPh Final UMKM, PP 55/2022 ---
pajak:
  pph_final: false             # true: 'kkmp pajak hitung --bulan' membukukan PPh final tiap bulan
  terdaftar_sejak: {tahun}         # tahun pajak koperasi terdaftar (NPWP); jangka waktu dihitung dari
                               # sini (terdaftar sebelum 2018: dari 2018, PP 55/2022 Pasal 59)
  tarif_persen: 0.5            # PP 55/2022 Pasal 56 ayat (2): 0,5 % dari peredaran bruto sebulan
  jangka_tahun: 4              # PP 55/2022 Pasal 59 ayat (1) huruf b: koperasi paling lama 4 tahun
                               # pajak; sesudahnya tarif umum PPh badan (UU PPh Pasal 17 ayat (1)
                               # huruf b, dengan fasilitas Pasal 31E)
  batas_peredaran: 4800000000  # PP 55/2022 Pasal 57 ayat (1): peredaran bruto paling banyak
                               # Rp4,8 miliar setahun
  shu_anggota: dikecualikan    # SHU yang dibagikan kepada anggota bukan objek PPh (UU PPh Pasal 4
                               # ayat (3) huruf f sejak UU 11/2020 Cipta Kerja, kini UU 6/2023;
                               # PMK 18/2021): koperasi tidak memotong pajak; anggota yang tidak
                               # menginvestasikannya di Indonesia dalam 3 tahun menyetor sendiri

# --- Gaji dan honor (#12): PPh 21 (PP 58/2023, PMK 168/2023) dan iuran BPJS ---
gaji:
  bpjs_pegawai_persen: {{}}      # dipotong dari gaji pegawai tetap, mis. {{jht: 2, jp: 1, kesehatan: 1}}
  bpjs_koperasi_persen: {{}}     # ditanggung koperasi, mis. {{jkk: 0.24, jkm: 0.3, jht: 3.7, jp: 2,
                               # kesehatan: 4}}; jkk, jkm dan kesehatan menambah penghasilan bruto
                               # PPh 21 (PMK 168/2023), jht dan jp tidak
"""


@dataclass(frozen=True)
class WajibChange:
    """A Rapat Anggota's new simpanan wajib, owed from the month `mulai` (year, month) on."""

    mulai: tuple[int, int]
    jumlah: Decimal
    dasar: str = ""


@dataclass(frozen=True)
class JasaChange:
    """A Rapat Anggota's new rate of jasa on sukarela (percent a year), from the month `mulai`."""

    mulai: tuple[int, int]
    persen: Decimal
    dasar: str = ""


@dataclass(frozen=True)
class PphBungaChange:
    """A new regulation's PPh final on savings interest from the month `mulai`: `persen` of a
    member's gross interest in a month above `batas_bulan` rupiah."""

    mulai: tuple[int, int]
    persen: Decimal
    batas_bulan: Decimal
    dasar: str = ""


Change = TypeVar("Change", WajibChange, JasaChange, PphBungaChange)


def in_force(changes: tuple[Change, ...], year: int, month: int) -> Change | None:
    """The last of `changes` (in order of their first month) in force in the month; None
    before the first of them."""
    found = None
    for change in changes:
        if change.mulai <= (year, month):
            found = change
    return found


@dataclass(frozen=True)
class SimpananRules:
    pokok: Decimal = DEFAULT_POKOK
    pokok_boleh_dicicil: bool = False
    wajib_per_bulan: Decimal = DEFAULT_WAJIB
    # Later amounts of simpanan wajib, each from its month (in order): the months before keep
    # the amount they had, so arrears are not reckoned at today's amount (#2, found by an
    # adversarial review).
    wajib_berubah: tuple[WajibChange, ...] = ()
    jasa_sukarela_persen_tahun: Decimal = Decimal(0)
    jasa_sukarela_saldo: str = "saldo_terendah"
    # Later rates of jasa on sukarela, each from its month (in order), as for wajib (#12).
    jasa_sukarela_berubah: tuple[JasaChange, ...] = ()
    # PP 15/2009 Pasal 2: 10 % of the gross interest when a member's interest in a month, over
    # all their savings (sukarela jasa and time deposits), exceeds Rp240.000 (members.interest).
    pph_bunga_persen: Decimal = Decimal(10)
    pph_bunga_batas_bulan: Decimal = Decimal(240_000)
    # A later regulation's rate and threshold, each from its month (in order, #12).
    pph_bunga_berubah: tuple[PphBungaChange, ...] = ()
    berjangka_minimum: Decimal = Decimal(1_000_000)
    berjangka_tenor_maks: int = 24
    berjangka_bunga_maks_persen_tahun: Decimal = Decimal(9)
    berjangka_penalti_persen: Decimal = Decimal(1)

    def wajib_on(self, year: int, month: int) -> Decimal:
        """The simpanan wajib owed for a month."""
        change = in_force(self.wajib_berubah, year, month)
        return self.wajib_per_bulan if change is None else change.jumlah

    def jasa_on(self, year: int, month: int) -> Decimal:
        """The rate of jasa on sukarela (percent a year) in force in a month: the one reading
        of it for the run, periksa's recheck and the exit's wait (#12)."""
        change = in_force(self.jasa_sukarela_berubah, year, month)
        return self.jasa_sukarela_persen_tahun if change is None else change.persen

    def pph_bunga_basis(self, year: int, month: int) -> str:
        """The regulation the PPh on savings interest of a month follows: PP 15/2009, or the
        `dasar` of the change in force (its key when it names none)."""
        change = in_force(self.pph_bunga_berubah, year, month)
        if change is None:
            return "PP 15/2009"
        return change.dasar or "simpanan.pph_bunga_berubah"

    def pph_bunga_on(self, year: int, month: int) -> tuple[Decimal, Decimal]:
        """The PPh final on savings interest in force in a month (PP 15/2009 Pasal 2 or a later
        regulation): (percent of the gross, threshold in rupiah a month), for every payment of
        interest and periksa's check of it (#12)."""
        change = in_force(self.pph_bunga_berubah, year, month)
        if change is None:
            return self.pph_bunga_persen, self.pph_bunga_batas_bulan
        return change.persen, change.batas_bulan


KOLEKTIBILITAS_BANK = ("lancar", "dalam_perhatian_khusus", "kurang_lancar", "diragukan", "macet")
KOLEKTIBILITAS_KOPERASI = ("lancar", "kurang_lancar", "diragukan", "macet")
PELUNASAN = ("berjalan", "penuh", "tanpa")
PENGAKUAN_JASA = ("kas", "akrual")


@dataclass(frozen=True)
class Preset:
    """A collectibility preset named by its source: day bands (None: months, koperasi) and the
    allowance percentages it prescribes."""

    sumber: str
    batas_hari: tuple[tuple[int, str], ...] | None  # (last day of the band, class); then macet
    penyisihan: dict[str, Decimal]


def _pct(*values: str) -> dict[str, Decimal]:
    return dict(zip(KOLEKTIBILITAS_BANK, (Decimal(v) for v in values), strict=True))


PRESETS = {
    "koperasi": Preset(
        "Permen KUKM 14/Per/M.KUKM/XII/2009 (penilaian kesehatan KSP/USP; tunggakan pokok "
        "dalam bulan)",
        None,
        _pct("0", "0", "50", "75", "100"),
    ),
    "bank-umum": Preset(
        "POJK 40/POJK.03/2019 (kualitas aset bank umum; tunggakan dalam hari)",
        ((0, "lancar"), (90, "dalam_perhatian_khusus"), (120, "kurang_lancar"), (180, "diragukan")),
        _pct("1", "5", "15", "50", "100"),
    ),
    "bpr": Preset(
        "POJK 1 Tahun 2024 (kualitas aset BPR; tunggakan dalam hari; PPKA minimum)",
        (
            (30, "lancar"),
            (90, "dalam_perhatian_khusus"),
            (180, "kurang_lancar"),
            (360, "diragukan"),
        ),
        _pct("0.5", "3", "10", "50", "100"),
    ),
}
PRESET_ALIASES = {"bank": "bank-umum"}


def render_penyisihan(preset: str) -> str:
    """The penyisihan_persen lines of koperasi.yaml for a preset."""
    values = PRESETS[PRESET_ALIASES.get(preset, preset)].penyisihan
    return "".join(f"    {k}: {money_text(v)}\n" for k, v in values.items())


def money_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class PinjamanRules:
    jasa_maks_per_bulan: Decimal = Decimal(3)
    tenor_maks: int = 36
    plafon_kali_simpanan: Decimal = Decimal(3)
    plafon_dari: tuple[str, ...] = ("pokok", "wajib", "sukarela")
    pinjaman_aktif_maks: int = 1
    batas_pihak_terkait_persen: Decimal = Decimal(10)
    biaya_admin_persen: Decimal = Decimal(0)
    denda_persen_per_hari: Decimal = Decimal(0)
    pelunasan_jasa: str = "berjalan"
    kolektibilitas: str = "koperasi"
    kolektibilitas_alias: str | None = None  # the old name read, e.g. 'bank' (announced)
    batas_koperasi_bulan: dict[str, int] = field(
        default_factory=lambda: {"kurang_lancar": 3, "diragukan": 6, "macet": 27}
    )
    penyisihan_persen: dict[str, Decimal] = field(
        default_factory=lambda: dict(PRESETS["koperasi"].penyisihan)
    )
    restrukturisasi_pulih_setelah: int = 3
    pengakuan_jasa: str = "kas"

    @property
    def preset(self) -> Preset:
        return PRESETS[PRESET_ALIASES.get(self.kolektibilitas, self.kolektibilitas)]


PINJAMAN_KEYS = tuple(k for k in PinjamanRules.__dataclass_fields__ if k != "kolektibilitas_alias")


@dataclass(frozen=True)
class GeraiRules:
    unit: tuple[str, ...] = ("sembako",)  # the barang units, in order (their account codes)
    unit_bawaan: str = "sembako"


UNIT_KINDS = ("barang", "jasa", "simpan-pinjam", "kantor")
KELUAR = ("fifo", "fefo")


@dataclass(frozen=True)
class Unit:
    """One unit usaha: barang (stock), jasa (services), simpan-pinjam or kantor (general)."""

    kode: str
    nama: str
    jenis: str
    keluar: str = "fifo"  # barang units: which lot leaves first


# An old koperasi.yaml lists only gerai.unit: its units are those barang units, with the
# office (general costs) and the savings-and-loan unit every cooperative has.
LEGACY_KANTOR = Unit("kantor", "Kantor koperasi", "kantor")
LEGACY_USP = Unit("simpan-pinjam", "Unit simpan pinjam", "simpan-pinjam")

ALOKASI_DASAR = ("pendapatan", "persen", "tanpa")


@dataclass(frozen=True)
class Alokasi:
    """How general costs are shared over the units in the PHU (a report computation)."""

    dasar: str = "tanpa"
    persen: dict[str, Decimal] = field(default_factory=dict)


SHU_POOLS = ("cadangan", "jasa_modal", "jasa_usaha", "pengurus", "karyawan", "pendidikan", "sosial")
SHU_LINES = ("penjualan", "pinjaman")
SHU_BASES = ("shu_total", "shu_anggota")
POOL_KEYS = ("persen", "nama", "akun", "dasar")
POOL_RE = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
POOL_ACCOUNT_RE = re.compile(r"^(Kewajiban|Ekuitas)(:[A-Z0-9][A-Za-z0-9-]*)+$")
KDMP_DESA = "imbal_jasa_desa"
KDMP_MIN_PERSEN = Decimal(20)  # Permendesa 10/2025 Pasal 7: paling sedikit 20 % keuntungan bersih


@dataclass(frozen=True)
class Pos:
    """An SHU pool beyond the members' shares: its AD/ART percentage, the base it is taken
    from, and where the distribution posts it (None: the built-in account of a known pool)."""

    kode: str
    nama: str
    persen: Decimal
    dasar: str = "shu_anggota"
    akun: str | None = None


@dataclass(frozen=True)
class ShuRules:
    cadangan: Decimal = Decimal(40)
    jasa_modal: Decimal = Decimal(20)
    jasa_usaha: dict[str, Decimal] = field(
        default_factory=lambda: {"penjualan": Decimal(10), "pinjaman": Decimal(10)}
    )
    dana: dict[str, Decimal] = field(
        default_factory=lambda: {
            k: Decimal(5) for k in ("pengurus", "karyawan", "pendidikan", "sosial")
        }
    )
    jasa_modal_dari: tuple[str, ...] = ("pokok", "wajib")
    jasa_modal_waktu: str = "akhir_tahun"
    dasar_jasa_pinjaman: str = "jasa"
    pembulatan: str = "bawah"
    bagian_non_anggota: str = "proporsional"
    # Pools given as a mapping (any name), and the base of every pool that is not the members'
    # SHU (#13); a plain number keeps its old meaning: a share of the members' SHU.
    pos_lain: tuple[Pos, ...] = ()
    dasar: dict[str, str] = field(default_factory=dict)
    nama: dict[str, str] = field(default_factory=dict)
    kdmp: bool = False
    anggota_keluar: str = "ikut"

    def base_of(self, kode: str) -> str:
        return self.dasar.get(kode, "shu_anggota")


@dataclass(frozen=True)
class PembiayaanRules:
    """Limits of bank financing (PMK 49/2025 Pasal 5), refused above them by `pembiayaan`."""

    plafon_maks: Decimal = Decimal(3_000_000_000)
    operasional_maks: Decimal = Decimal(500_000_000)
    bunga_maks_persen: Decimal = Decimal(6)
    tenor_maks: int = 72
    masa_tenggang_maks: int = 8


ASSET_KELOMPOK = ("tanah", "bangunan", "kendaraan", "mesin", "peralatan", "inventaris-kantor")
# Default useful lives in months (UU PPh Pasal 11, PMK 72/2023); tanah is not depreciated.
DEFAULT_UMUR = {
    "bangunan": 240,
    "kendaraan": 96,
    "mesin": 96,
    "peralatan": 48,
    "inventaris-kantor": 48,
}


@dataclass(frozen=True)
class AsetRules:
    umur_bulan: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_UMUR))


@dataclass(frozen=True)
class Kepatuhan:
    batas_tunggakan_wajib_persen: Decimal = Decimal(20)
    batas_npl_persen: Decimal = Decimal(5)
    batas_audit_modal: Decimal = Decimal(5_000_000_000)
    bulan_batas_rat: int = 6


@dataclass(frozen=True)
class RapatAnggota:
    """The members' meeting rules from the AD/ART (#18): the quorum as an exact fraction of the
    members active on the meeting date, strict ("more than") or not, and how many proxies one
    member present may carry (0: none)."""

    kuorum: Fraction = Fraction(1, 2)
    kuorum_lebih_dari: bool = True
    kuasa_per_anggota: int = 0


@dataclass(frozen=True)
class Loket:
    """The counter (#22): this laptop's code in document numbers, how far after the last
    entry a command may take today's date when none is given, and how far after today a date
    may be (0: no limit)."""

    perangkat: str = ""
    jarak_hari_maks: int = 31
    maju_hari_maks: int = 7


DEVICE_RE = re.compile(r"^[A-Z][A-Z0-9]?$")


@dataclass(frozen=True)
class PajakRules:
    """PPh Final UMKM (PP 55/2022): on, since which tax year, the rate and the window."""

    pph_final: bool = False
    terdaftar_sejak: int = 2018
    tarif_persen: Decimal = Decimal("0.5")
    jangka_tahun: int = 4
    batas_peredaran: Decimal = Decimal(4_800_000_000)
    # SHU paid to members: not an object of income tax since UU 11/2020 (UU PPh Pasal 4 ayat
    # (3) huruf f; PMK 18/2021), so the cooperative withholds nothing (#12 part 5).
    shu_anggota: str = "dikecualikan"

    @property
    def tahun_pertama(self) -> int:
        """The first tax year of the window (registered before 2018: 2018, PP 55/2022 Pasal 59)."""
        return max(self.terdaftar_sejak, 2018)

    @property
    def tahun_terakhir(self) -> int:
        return self.tahun_pertama + self.jangka_tahun - 1


SHU_ANGGOTA = ("dikecualikan",)
SHU_ANGGOTA_NOTE = (
    "SHU yang dibagikan kepada anggota bukan objek PPh (UU PPh Pasal 4 ayat (3) huruf f, "
    "UU 6/2023; PMK 18/2021): koperasi tidak memotong pajak atasnya; anggota yang tidak "
    "menginvestasikannya di Indonesia dalam 3 tahun menyetor PPh final 10 % sendiri."
)
BPJS_PEGAWAI = ("jht", "jp", "kesehatan")
BPJS_KOPERASI = ("jkk", "jkm", "jht", "jp", "kesehatan")


@dataclass(frozen=True)
class GajiRules:
    """BPJS shares (percent of the gross wage) of permanent staff: withheld and borne."""

    bpjs_pegawai_persen: dict[str, Decimal] = field(default_factory=dict)
    bpjs_koperasi_persen: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Officer:
    jabatan: str
    nama: str
    nak: str | None


@dataclass(frozen=True)
class Organisasi:
    pengurus: tuple[Officer, ...] = ()
    pengawas: tuple[Officer, ...] = ()

    @property
    def related_naks(self) -> set[str]:
        """Members who are pengurus or pengawas (related parties for loans)."""
        return {o.nak for o in (*self.pengurus, *self.pengawas) if o.nak}


@dataclass(frozen=True)
class Config:
    nama: str
    tahun_buku: int
    nomor_badan_hukum: str = ""
    alamat: str = ""
    kelurahan_desa: str = ""
    simpanan: SimpananRules = field(default_factory=SimpananRules)
    pinjaman: PinjamanRules = field(default_factory=PinjamanRules)
    gerai: GeraiRules = field(default_factory=GeraiRules)
    shu: ShuRules = field(default_factory=ShuRules)
    kepatuhan: Kepatuhan = field(default_factory=Kepatuhan)
    organisasi: Organisasi = field(default_factory=Organisasi)
    kas_boleh_minus: tuple[str, ...] = ()  # cash/bank accounts allowed below zero (overdraft)
    petugas_wajib: bool = False  # refuse to record when no officer is named (#15)
    units: tuple[Unit, ...] = (LEGACY_KANTOR, Unit("sembako", "sembako", "barang"), LEGACY_USP)
    alokasi: Alokasi = field(default_factory=Alokasi)

    def unit(self, kode: str) -> Unit | None:
        """The unit with this kode, None when koperasi.yaml has none."""
        return next((u for u in self.units if u.kode == kode), None)

    @property
    def barang_units(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.jenis == "barang")

    def units_of(self, jenis: str) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.jenis == jenis)

    def unit_keluar(self, kode: str) -> str:
        """fifo or fefo: which lot of a barang unit leaves first."""
        found = self.unit(kode)
        return found.keluar if found is not None else "fifo"

    pembiayaan: PembiayaanRules = field(default_factory=PembiayaanRules)
    aset: AsetRules = field(default_factory=AsetRules)
    # The most a named non-member customer may owe (the cooperative's own rule, #10).
    batas_kredit_pelanggan: Decimal = Decimal(0)
    loket: Loket = field(default_factory=lambda: Loket())
    pajak: PajakRules = field(default_factory=PajakRules)
    gaji: GajiRules = field(default_factory=GajiRules)
    rapat_anggota: RapatAnggota = field(default_factory=RapatAnggota)


DEFAULT_ORGANISASI = """\
  pengurus: []     # contoh: - {jabatan: Ketua, nama: "Siti Aminah", nak: A0001}
  pengawas: []
"""


def render_new(
    nama: str,
    tahun: int,
    *,
    denda: str = "0",
    kolektibilitas: str = "koperasi",
    organisasi: dict[str, list[dict[str, str]]] | None = None,
    identitas: dict[str, str] | None = None,
) -> str:
    """The commented koperasi.yaml that `kkmp init` writes (the demo fills in more)."""
    import yaml

    org = DEFAULT_ORGANISASI
    if organisasi:
        dumped = yaml.safe_dump(organisasi, allow_unicode=True, sort_keys=False, width=100)
        org = "".join(f"  {line}\n" for line in dumped.splitlines())
    ident = {"nomor_badan_hukum": "", "alamat": "", "kelurahan_desa": "", **(identitas or {})}
    text = CONFIG_TEMPLATE
    for key, value in ident.items():
        quoted = yaml.safe_dump(value, allow_unicode=True, default_style='"').strip()
        text = text.replace(f'{key}: ""', f"{key}: {quoted}", 1)
    return text.format(
        organisasi=org,
        nama=yaml.safe_dump(nama, allow_unicode=True, default_style='"').strip(),
        tahun=tahun,
        pokok=int(DEFAULT_POKOK),
        wajib=int(DEFAULT_WAJIB),
        denda=denda,
        kolektibilitas=kolektibilitas,
        penyisihan=render_penyisihan(kolektibilitas),
    )


# --- Reading YAML documents with line numbers ---

# The expanded size (nodes, aliases counted each time they are used) a document may have: the
# largest real one (latihan.yaml) has about a thousand; an alias bomb has billions.
CONFIG_KEYS = (
    "nama",
    "nomor_badan_hukum",
    "alamat",
    "kelurahan_desa",
    "tahun_buku",
    "simpanan",
    "organisasi",
    "pinjaman",
    "gerai",
    "unit",
    "alokasi",
    "shu",
    "kepatuhan",
    "kas",
    "petugas_wajib",
    "pembiayaan",
    "aset",
    "batas_kredit_pelanggan",
    "loket",
    "pajak",
    "gaji",
    "rapat_anggota",
)
UNIT_RE = re.compile(r"^[a-z][a-z0-9-]{0,20}$")
ASSET_ACCOUNT_RE = re.compile(r"^Aset(:[A-Z0-9][A-Za-z0-9-]*)+$")
SIMPANAN_KINDS = ("pokok", "wajib", "sukarela")


# The typed koperasi.yaml of the last read (#16), in the git-ignored `*.picklecache` beside it:
# keyed by the sha256 of the file's bytes and of the code that reads it, so any edit (by hand,
# by git) or any other kkmp is a miss, and the file is read and checked again. A command whose
# koperasi.yaml has not changed imports no YAML reader at all.
CONFIG_CACHE = ".kkmp.koperasi.picklecache"
_CACHE_TAG = b"kkmp-koperasi-cache 1"


def load(root: Path) -> Config:
    """Read and validate koperasi.yaml with messages that name the key and the line."""
    key = _cache_key(root)
    cache = root / CONFIG_CACHE
    if key is not None:
        try:
            head, _, body = cache.read_bytes().partition(b"\n")
            config = pickle.loads(body) if head == key.encode() else None
        except Exception:  # noqa: BLE001 - no cache, or one this kkmp cannot read: read the file
            config = None
        if isinstance(config, Config):
            # This laptop's code is the environment's, not the file's: asked every time.
            return dataclasses.replace(
                config, loket=dataclasses.replace(config.loket, perangkat=device_code(root))
            )
    config = _read(root)
    if key is not None:
        _store(cache, key, config)
    return config


def _cache_key(root: Path) -> str | None:
    """sha256 of koperasi.yaml and of the modules that turn it into a Config; None when one
    cannot be read (then there is no cache: the reader says what is wrong)."""
    from kkmp_cli import dates, errors, money
    from kkmp_cli.core.config import documents

    digest = hashlib.sha256(_CACHE_TAG + sys.version.encode())
    try:
        digest.update((root / CONFIG_NAME).read_bytes())
        for module in (sys.modules[__name__], documents, money, dates, errors):
            digest.update(Path(str(module.__file__)).read_bytes())
    except (OSError, TypeError):
        return None
    return digest.hexdigest()


def _store(cache: Path, key: str, config: Config) -> None:
    """Write the cache atomically. A folder that cannot take it (read-only, full) simply has
    none; the replace itself is the one step that is not excused (tests/test_crash.py injects
    a crash there like at any other)."""
    tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(key.encode() + b"\n" + pickle.dumps(config, pickle.HIGHEST_PROTOCOL))
    except OSError:
        tmp.unlink(missing_ok=True)
        return
    try:
        os.replace(tmp, cache)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _read(root: Path) -> Config:
    """koperasi.yaml read and checked (the cache's source)."""
    doc = read_document(root / CONFIG_NAME, CONFIG_KEYS, label=CONFIG_NAME, text_only=False)
    nama = doc.text("nama")
    if not nama:
        raise doc.fail("nama", "wajib diisi")
    rules = _simpanan(doc.section("simpanan", tuple(SimpananRules.__dataclass_fields__)))
    kas = doc.section("kas", ("boleh_minus",))
    units = _units(doc)
    return Config(
        nama=nama,
        tahun_buku=doc.integer("tahun_buku", None, low=2000, high=2100),
        nomor_badan_hukum=doc.text("nomor_badan_hukum"),
        alamat=doc.text("alamat"),
        kelurahan_desa=doc.text("kelurahan_desa"),
        simpanan=rules,
        pinjaman=_pinjaman(doc.section("pinjaman", PINJAMAN_KEYS)),
        gerai=_gerai(doc.section("gerai", ("unit", "unit_bawaan")), units),
        units=units,
        alokasi=_alokasi(doc.section("alokasi", ("dasar", "persen")), units),
        shu=_shu(doc.section("shu", SHU_KEYS)),
        kepatuhan=_kepatuhan(doc.section("kepatuhan", tuple(Kepatuhan.__dataclass_fields__))),
        organisasi=_organisasi(doc.section("organisasi", ("pengurus", "pengawas"))),
        loket=_loket(doc.section("loket", ("jarak_hari_maks", "maju_hari_maks")), root),
        rapat_anggota=_rapat_anggota(
            doc.section("rapat_anggota", tuple(RapatAnggota.__dataclass_fields__))
        ),
        kas_boleh_minus=kas.words(
            "boleh_minus", (), pattern=ASSET_ACCOUNT_RE, hint="tulis nama akun aset, mis. Aset:Bank"
        ),
        petugas_wajib=doc.flag("petugas_wajib", False),
        pembiayaan=_pembiayaan(
            doc.section("pembiayaan", tuple(PembiayaanRules.__dataclass_fields__))
        ),
        aset=_aset(doc.section("aset", ("umur_bulan",))),
        batas_kredit_pelanggan=doc.rupiah("batas_kredit_pelanggan", Decimal(0), allow_zero=True),
        pajak=_pajak(doc.section("pajak", tuple(PajakRules.__dataclass_fields__))),
        gaji=_gaji(doc.section("gaji", tuple(GajiRules.__dataclass_fields__))),
    )


def _pajak(doc: Doc) -> PajakRules:
    base = PajakRules()
    return PajakRules(
        pph_final=doc.flag("pph_final", base.pph_final),
        terdaftar_sejak=doc.integer("terdaftar_sejak", base.terdaftar_sejak, low=1945, high=2100),
        tarif_persen=doc.number("tarif_persen", base.tarif_persen, allow_zero=False, high=100),
        jangka_tahun=doc.integer("jangka_tahun", base.jangka_tahun, low=1, high=100),
        batas_peredaran=doc.rupiah("batas_peredaran", base.batas_peredaran),
        shu_anggota=doc.choice("shu_anggota", base.shu_anggota, SHU_ANGGOTA),
    )


def _gaji(doc: Doc) -> GajiRules:
    def shares(key: str, known: tuple[str, ...]) -> dict[str, Decimal]:
        part = doc.section(key, known, f"persen per program, mis. {{{known[0]}: 1}}")
        return {k: part.number(k, Decimal(0), high=100) for k in known if k in part.data}

    return GajiRules(
        bpjs_pegawai_persen=shares("bpjs_pegawai_persen", BPJS_PEGAWAI),
        bpjs_koperasi_persen=shares("bpjs_koperasi_persen", BPJS_KOPERASI),
    )


JASA_SALDO = ("saldo_terendah", "rata_rata_harian")


def _changes(
    simp: Doc,
    key: str,
    values: tuple[str, ...],
    make: Callable[[Doc, tuple[int, int]], Change],
) -> tuple[Change, ...]:
    """A list of `{mulai: YYYY-MM, <values>, dasar: "…"}`, each value required, the months in
    order: a setting decided anew from a month on (wajib, the jasa rate, the PPh on interest)."""
    changes: list[Change] = []
    for item in simp.entries(key, ("mulai", *values, "dasar")):
        item.require("mulai", *values)
        mulai = item.parsed("mulai", dates.parse_month)
        if changes and mulai <= changes[-1].mulai:
            raise item.fail("mulai", "harus sesudah bulan perubahan sebelumnya (urut waktu)")
        changes.append(make(item, mulai))
    return tuple(changes)


def _wajib_change(item: Doc, mulai: tuple[int, int]) -> WajibChange:
    jumlah = item.rupiah("jumlah", DEFAULT_WAJIB, allow_zero=True)
    return WajibChange(mulai, jumlah, item.text("dasar"))


def _jasa_change(item: Doc, mulai: tuple[int, int]) -> JasaChange:
    return JasaChange(mulai, item.number("persen", Decimal(0), high=100), item.text("dasar"))


def _pph_bunga_change(item: Doc, mulai: tuple[int, int]) -> PphBungaChange:
    persen = item.number("persen", Decimal(0), high=100)
    batas = item.rupiah("batas_bulan", Decimal(0), allow_zero=True)
    return PphBungaChange(mulai, persen, batas, item.text("dasar"))


def _simpanan(simp: Doc) -> SimpananRules:
    base = SimpananRules()
    return SimpananRules(
        pokok=simp.rupiah("pokok", DEFAULT_POKOK),
        pokok_boleh_dicicil=simp.flag("pokok_boleh_dicicil", False),
        wajib_per_bulan=simp.rupiah("wajib_per_bulan", DEFAULT_WAJIB, allow_zero=True),
        wajib_berubah=_changes(simp, "wajib_berubah", ("jumlah",), _wajib_change),
        jasa_sukarela_persen_tahun=simp.number(
            "jasa_sukarela_persen_tahun", base.jasa_sukarela_persen_tahun, high=100
        ),
        jasa_sukarela_saldo=simp.choice(
            "jasa_sukarela_saldo", base.jasa_sukarela_saldo, JASA_SALDO
        ),
        jasa_sukarela_berubah=_changes(simp, "jasa_sukarela_berubah", ("persen",), _jasa_change),
        pph_bunga_persen=simp.number("pph_bunga_persen", base.pph_bunga_persen, high=100),
        pph_bunga_batas_bulan=simp.rupiah(
            "pph_bunga_batas_bulan", base.pph_bunga_batas_bulan, allow_zero=True
        ),
        pph_bunga_berubah=_changes(
            simp, "pph_bunga_berubah", ("persen", "batas_bulan"), _pph_bunga_change
        ),
        berjangka_minimum=simp.rupiah("berjangka_minimum", base.berjangka_minimum),
        berjangka_tenor_maks=simp.integer(
            "berjangka_tenor_maks", base.berjangka_tenor_maks, low=1, high=120
        ),
        berjangka_bunga_maks_persen_tahun=simp.number(
            "berjangka_bunga_maks_persen_tahun",
            base.berjangka_bunga_maks_persen_tahun,
            allow_zero=False,
            high=100,
        ),
        berjangka_penalti_persen=simp.number(
            "berjangka_penalti_persen", base.berjangka_penalti_persen, high=100
        ),
    )


def _pembiayaan(doc: Doc) -> PembiayaanRules:
    base = PembiayaanRules()
    return PembiayaanRules(
        plafon_maks=doc.rupiah("plafon_maks", base.plafon_maks),
        operasional_maks=doc.rupiah("operasional_maks", base.operasional_maks, allow_zero=True),
        bunga_maks_persen=doc.number("bunga_maks_persen", base.bunga_maks_persen, high=100),
        tenor_maks=doc.integer("tenor_maks", base.tenor_maks, low=1, high=600),
        masa_tenggang_maks=doc.integer(
            "masa_tenggang_maks", base.masa_tenggang_maks, low=0, high=120
        ),
    )


def _aset(doc: Doc) -> AsetRules:
    lives = doc.section("umur_bulan", tuple(DEFAULT_UMUR))
    return AsetRules({k: lives.integer(k, v, low=1, high=1200) for k, v in DEFAULT_UMUR.items()})


DEVICE_FILE = ".kkmp-perangkat"
DEVICE_ENV = "KKMP_PERANGKAT"


def _loket(doc: Doc, root: Path) -> Loket:
    base = Loket()
    # Written but left empty, the limit on dates ahead is off like 0; not written, the default.
    off = "maju_hari_maks" in doc.keys() and doc.get("maju_hari_maks") is None
    return Loket(
        device_code(root),
        doc.integer("jarak_hari_maks", base.jarak_hari_maks, low=0, high=3660),
        0 if off else doc.integer("maju_hari_maks", base.maju_hari_maks, low=0, high=3660),
    )


def device_code(root: Path) -> str:
    """This laptop's code in document numbers: $KKMP_PERANGKAT, else the one line of the
    git-ignored .kkmp-perangkat in the cooperative's folder, else none (one device)."""
    path = root / DEVICE_FILE
    code = os.environ.get(DEVICE_ENV) or (path.read_text(encoding="utf-8") if path.exists() else "")
    code = code.strip().upper()
    if code and not DEVICE_RE.match(code):
        raise KonfigurasiSalah(
            f"Kode perangkat '{code}' ({DEVICE_ENV} atau {DEVICE_FILE}) harus satu atau dua "
            "huruf/angka diawali huruf, mis. B."
        )
    return code


def _pinjaman(doc: Doc) -> PinjamanRules:
    base = PinjamanRules()
    batas_doc = doc.section("batas_koperasi_bulan", tuple(base.batas_koperasi_bulan))
    batas = {
        k: batas_doc.integer(k, v, low=0, high=1200) for k, v in base.batas_koperasi_bulan.items()
    }
    if not batas["kurang_lancar"] < batas["diragukan"] < batas["macet"]:
        raise doc.fail("batas_koperasi_bulan", "harus naik (kurang_lancar < diragukan < macet)")
    named = doc.choice("kolektibilitas", base.kolektibilitas, (*PRESETS, *PRESET_ALIASES))
    preset = PRESET_ALIASES.get(named, named)
    pen_doc = doc.section("penyisihan_persen", KOLEKTIBILITAS_BANK)
    penyisihan = {k: pen_doc.number(k, v, high=100) for k, v in PRESETS[preset].penyisihan.items()}
    return PinjamanRules(
        jasa_maks_per_bulan=doc.number(
            "jasa_maks_per_bulan", base.jasa_maks_per_bulan, allow_zero=False
        ),
        tenor_maks=doc.integer("tenor_maks", base.tenor_maks, low=1, high=600),
        plafon_kali_simpanan=doc.number(
            "plafon_kali_simpanan", base.plafon_kali_simpanan, allow_zero=False
        ),
        plafon_dari=doc.words("plafon_dari", base.plafon_dari, allowed=SIMPANAN_KINDS),
        pinjaman_aktif_maks=doc.integer(
            "pinjaman_aktif_maks", base.pinjaman_aktif_maks, low=1, high=100
        ),
        batas_pihak_terkait_persen=doc.number(
            "batas_pihak_terkait_persen", base.batas_pihak_terkait_persen
        ),
        biaya_admin_persen=doc.number("biaya_admin_persen", base.biaya_admin_persen, high=100),
        denda_persen_per_hari=doc.number("denda_persen_per_hari", base.denda_persen_per_hari),
        pelunasan_jasa=doc.choice("pelunasan_jasa", base.pelunasan_jasa, PELUNASAN),
        kolektibilitas=preset,
        kolektibilitas_alias=named if named != preset else None,
        batas_koperasi_bulan=batas,
        penyisihan_persen=penyisihan,
        restrukturisasi_pulih_setelah=doc.integer(
            "restrukturisasi_pulih_setelah", base.restrukturisasi_pulih_setelah, low=0, high=120
        ),
        pengakuan_jasa=doc.choice("pengakuan_jasa", base.pengakuan_jasa, PENGAKUAN_JASA),
    )


SHU_KEYS = (
    "kdmp",
    "pembagian",
    "jasa_modal_dari",
    "jasa_modal_waktu",
    "dasar_jasa_pinjaman",
    "pembulatan",
    "bagian_non_anggota",
    "anggota_keluar",
)
SHU_CHOICES = {
    "jasa_modal_waktu": ("akhir_tahun", "rata_rata"),
    "dasar_jasa_pinjaman": ("jasa", "pinjaman"),
    "pembulatan": ("bawah",),
    "bagian_non_anggota": ("proporsional", "laba_kotor"),
    "anggota_keluar": ("ikut", "tidak"),
}


@dataclass
class _Split:
    pct: dict[str, Decimal] = field(default_factory=dict)
    jasa_usaha: dict[str, Decimal] = field(default_factory=dict)
    dasar: dict[str, str] = field(default_factory=dict)
    nama: dict[str, str] = field(default_factory=dict)
    lain: list[Pos] = field(default_factory=list)


def _pool(split: Doc, key: str, into: _Split) -> None:
    """One entry of shu.pembagian: a number (a known pool of the members' SHU) or a mapping."""
    if not isinstance(split.get(key), dict):
        if key not in SHU_POOLS:
            raise split.fail(
                key,
                'bukan pos yang dikenal; tulis sebagai {persen: N, nama: "...", dasar: '
                "shu_anggota} untuk pos lain",
            )
        into.pct[key] = split.number(key, Decimal(0))
        return
    item = split.section(key, POOL_KEYS)
    item.require("persen")
    persen = item.number("persen", Decimal(0), high=100)
    dasar = item.choice("dasar", "shu_anggota", SHU_BASES)
    nama = item.text("nama")
    akun = item.text("akun") or None
    if akun is not None and not POOL_ACCOUNT_RE.match(akun):
        raise item.fail(
            "akun", "harus akun Kewajiban:... atau Ekuitas:..., mis. Kewajiban:Dana-Desa"
        )
    if akun is not None:
        _own_pool_account(item, akun)
    if key in SHU_POOLS:
        into.pct[key] = persen
        into.dasar[key] = dasar
        if nama:
            into.nama[key] = nama
        if akun is not None:
            raise item.fail("akun", f"tidak dapat diganti untuk pos '{key}' (akunnya tetap)")
        return
    if not POOL_RE.match(key):
        raise split.fail(key, "harus nama pos huruf kecil dengan garis bawah, mis. dana_desa")
    into.lain.append(Pos(key, nama or key.replace("_", " ").capitalize(), persen, dasar, akun))


def _own_pool_account(item: Doc, akun: str) -> None:
    """A pool's `akun` may not be one a kkmp command keeps, nor a member's sub-ledger: the
    distribution would post into their books behind the command's back (SHU-Belum-Dibagi:2025
    gave a self-cancelling line and a finding nothing could clear, #13)."""
    command = chart.kept_by(akun)
    if command is not None:
        raise item.fail(
            "akun",
            f"tidak boleh {akun}: akun itu dikelola perintah kkmp sendiri ({command}); pilih "
            "akun lain, mis. Kewajiban:Dana-Desa",
        )
    member = next(
        (a.name for a in chart.CHART if a.per_member and (akun + ":").startswith(a.name + ":")),
        None,
    )
    if member is not None:
        raise item.fail(
            "akun",
            f"tidak boleh {akun}: akun itu buku pembantu anggota ({member}); pilih akun lain, "
            "mis. Kewajiban:Dana-Desa",
        )


def _split(doc: Doc) -> _Split:
    split = doc.section("pembagian", None, "persen per pos")
    result = _Split()
    for key in split.keys():
        if key == "jasa_usaha":
            if isinstance(split.get(key), dict):
                lines = split.section(key, SHU_LINES)
                result.jasa_usaha = {
                    k: lines.number(k, Decimal(0)) for k in SHU_LINES if k in lines.data
                }
            elif split.get(key) is not None:
                result.jasa_usaha = {"usaha": split.number(key, Decimal(0))}
            continue
        _pool(split, key, result)
    sums = {b: Decimal(0) for b in SHU_BASES}
    for kode, value in result.pct.items():
        sums[result.dasar.get(kode, "shu_anggota")] += value
    sums["shu_anggota"] += sum(result.jasa_usaha.values(), Decimal(0))
    for pos in result.lain:
        sums[pos.dasar] += pos.persen
    members, whole = sums["shu_anggota"], sums["shu_total"]
    if members != 100 or whole >= 100:
        if not whole:
            raise doc.fail(
                "pembagian", f"jumlah persentase harus tepat 100, sekarang {members.normalize():f}"
            )
        raise doc.fail(
            "pembagian",
            "jumlah persentase pos dari SHU anggota harus tepat 100 dan pos dari seluruh SHU "
            f"kurang dari 100; sekarang dasar shu_anggota {members.normalize():f}, dasar "
            f"shu_total {whole.normalize():f}",
        )
    return result


def _shu(doc: Doc) -> ShuRules:
    base = ShuRules()
    kdmp = doc.flag("kdmp", False)
    if doc.get("pembagian") is None:
        split = _Split(
            {"cadangan": base.cadangan, "jasa_modal": base.jasa_modal, **base.dana},
            dict(base.jasa_usaha),
        )
    else:
        split = _split(doc)
    if kdmp:
        desa = next((p for p in split.lain if p.kode == KDMP_DESA), None)
        if desa is None or desa.dasar != "shu_total" or desa.persen < KDMP_MIN_PERSEN:
            raise doc.fail(
                "kdmp",
                f"mewajibkan pos {KDMP_DESA} paling sedikit {KDMP_MIN_PERSEN} persen dengan dasar "
                "shu_total (Permendesa 10/2025 Pasal 7: imbal jasa kepada Pemerintah Desa "
                "sekurang-kurangnya 20 % keuntungan bersih), sekarang "
                + (
                    "tidak ada"
                    if desa is None
                    else f"{desa.persen.normalize():f} persen dari {desa.dasar}"
                ),
            )
    modal_dari = doc.words("jasa_modal_dari", base.jasa_modal_dari, allowed=SIMPANAN_KINDS)
    if not modal_dari:
        raise doc.fail(
            "jasa_modal_dari", f"pilih paling sedikit satu dari {', '.join(SIMPANAN_KINDS)}"
        )
    pct = split.pct
    return ShuRules(
        cadangan=pct.get("cadangan", Decimal(0)),
        jasa_modal=pct.get("jasa_modal", Decimal(0)),
        jasa_usaha=split.jasa_usaha,
        dana={k: v for k, v in pct.items() if k not in ("cadangan", "jasa_modal")},
        jasa_modal_dari=modal_dari,
        pos_lain=tuple(split.lain),
        dasar=split.dasar,
        nama=split.nama,
        kdmp=kdmp,
        **{k: doc.choice(k, getattr(base, k), allowed) for k, allowed in SHU_CHOICES.items()},
    )


# --- The SHU rules a distribution used, kept with it in the journal (#13) ---

# A distribution's metadata keys that record its SHU rules: the rule's koperasi.yaml path
# under `shu:` with `-` for `.` (`shu-pembagian-jasa_usaha-penjualan`), so a git diff shows
# one changed rule per line.
SHU_RECORD = "shu-"
_RECORD_LISTS = ("jasa_modal_dari",)


def _decimal_text(value: Decimal) -> str:
    return f"{value:f}"


def shu_record(rules: ShuRules) -> dict[str, str]:
    """The SHU rules as journal metadata, every rule written (defaults too: the record must
    not depend on what a later kkmp defaults to); `shu_from_record` reads it back."""
    out = {"kdmp": "true" if rules.kdmp else "false"}

    def pool(kode: str, persen: Decimal, dasar: str, nama: str = "", akun: str = "") -> None:
        if dasar == "shu_anggota" and not nama and not akun and kode in SHU_POOLS:
            out[f"pembagian-{kode}"] = _decimal_text(persen)
            return
        out[f"pembagian-{kode}-persen"] = _decimal_text(persen)
        out[f"pembagian-{kode}-dasar"] = dasar
        out.update({f"pembagian-{kode}-{k}": v for k, v in (("nama", nama), ("akun", akun)) if v})

    for kode, persen in (("cadangan", rules.cadangan), ("jasa_modal", rules.jasa_modal)):
        pool(kode, persen, rules.base_of(kode), rules.nama.get(kode, ""))
    if set(rules.jasa_usaha) == {"usaha"}:
        out["pembagian-jasa_usaha"] = _decimal_text(rules.jasa_usaha["usaha"])
    else:
        for line, persen in rules.jasa_usaha.items():
            out[f"pembagian-jasa_usaha-{line}"] = _decimal_text(persen)
    for kode, persen in rules.dana.items():
        pool(kode, persen, rules.base_of(kode), rules.nama.get(kode, ""))
    for p in rules.pos_lain:
        pool(p.kode, p.persen, p.dasar, p.nama, p.akun or "")
    out["jasa_modal_dari"] = ", ".join(rules.jasa_modal_dari)
    out.update({key: str(getattr(rules, key)) for key in SHU_CHOICES})
    return {SHU_RECORD + key: value for key, value in out.items()}


def shu_from_record(meta: dict[str, object], file: str, line: int) -> ShuRules | None:
    """The SHU rules a distribution recorded in its metadata (None: an older kkmp recorded
    none), read by koperasi.yaml's own reader: an unknown key or a wrong value is refused by
    name, at the distribution's file and line."""
    tree: dict[str, object] = {}
    for key, value in meta.items():
        if not key.startswith(SHU_RECORD):
            continue
        *path, last = key.removeprefix(SHU_RECORD).split("-")
        node = tree
        for part in path:
            node = node.setdefault(part, {})  # type: ignore[assignment]
            if not isinstance(node, dict):
                break
        if not isinstance(node, dict) or last in node:
            raise KonfigurasiSalah(
                f"{file} baris {line}: kunci '{key}' bertabrakan dengan kunci aturan SHU lain "
                "pada pembagian yang sama."
            )
        if last in _RECORD_LISTS and not path and isinstance(value, str):
            value = [word.strip() for word in value.split(",") if word.strip()]
        node[last] = value
    if not tree:
        return None
    return _shu(Doc(tree, file, known=SHU_KEYS, where="shu", line=line))


def _rapat_anggota(doc: Doc) -> RapatAnggota:
    base = RapatAnggota()
    quorum = base.kuorum if doc.get("kuorum") is None else doc.parsed("kuorum", _fraction)
    return RapatAnggota(
        kuorum=quorum,
        kuorum_lebih_dari=doc.flag("kuorum_lebih_dari", base.kuorum_lebih_dari),
        kuasa_per_anggota=doc.integer("kuasa_per_anggota", base.kuasa_per_anggota, low=0, high=10),
    )


def _fraction(text: str) -> Fraction:
    """A quorum: a fraction such as 1/2 or 2/3 (more than 0, at most 1)."""
    parts = text.strip().split("/")
    if len(parts) == 2 and all(p.strip().isdigit() for p in parts) and int(parts[1]) > 0:
        value = Fraction(int(parts[0]), int(parts[1]))
        if 0 < value <= 1:
            return value
    raise KonfigurasiSalah(f"harus pecahan antara 0 dan 1, mis. 1/2 atau 2/3, bukan '{text}'.")


def _kepatuhan(doc: Doc) -> Kepatuhan:
    base = Kepatuhan()
    return Kepatuhan(
        batas_tunggakan_wajib_persen=doc.number(
            "batas_tunggakan_wajib_persen", base.batas_tunggakan_wajib_persen
        ),
        batas_npl_persen=doc.number("batas_npl_persen", base.batas_npl_persen),
        batas_audit_modal=doc.number("batas_audit_modal", base.batas_audit_modal),
        bulan_batas_rat=doc.integer("bulan_batas_rat", base.bulan_batas_rat, low=1, high=120),
    )


UNIT_HINT = "pakai huruf kecil, angka dan '-', mis. lpg-3kg"


def _legacy_units(doc: Doc) -> tuple[Unit, ...]:
    """The units of a koperasi.yaml without a `unit:` list: gerai.unit as barang units."""
    gerai = doc.section("gerai", ("unit", "unit_bawaan"))
    names = gerai.words("unit", GeraiRules().unit, pattern=UNIT_RE, hint=UNIT_HINT)
    if not names:
        raise gerai.fail("unit", "harus daftar unit usaha, mis. [sembako, apotek]")
    barang = tuple(Unit(n, n, "barang") for n in names)
    extra = tuple(u for u in (LEGACY_KANTOR, LEGACY_USP) if u.kode not in names)
    return (*extra[:1], *barang, *extra[1:])


def _units(doc: Doc) -> tuple[Unit, ...]:
    if doc.get("unit") is None:
        return _legacy_units(doc)
    found: list[Unit] = []
    for item in doc.entries("unit", ("kode", "nama", "jenis", "keluar")):
        item.require("kode", "jenis")
        kode = item.text("kode")
        if not UNIT_RE.match(kode):
            raise item.fail("kode", f"'{kode}' tidak sah; {UNIT_HINT}")
        if any(u.kode == kode for u in found):
            raise item.fail("kode", f"'{kode}' sudah dipakai unit lain")
        jenis = item.choice("jenis", "barang", UNIT_KINDS)
        if jenis != "barang" and item.get("keluar") is not None:
            raise item.fail("keluar", "hanya untuk unit berjenis barang")
        keluar = item.choice("keluar", "fifo", KELUAR)
        found.append(Unit(kode, item.text("nama") or kode, jenis, keluar))
    if not found:
        raise doc.fail("unit", "harus daftar unit usaha, mis. - {kode: sembako, jenis: barang}")
    return tuple(found)


def _gerai(doc: Doc, units: tuple[Unit, ...]) -> GeraiRules:
    barang = tuple(u.kode for u in units if u.jenis == "barang")
    listed = doc.words("unit", barang, pattern=UNIT_RE, hint=UNIT_HINT)
    strays = [n for n in listed if n not in barang]
    if strays:
        raise doc.fail(
            "unit", f"berisi {strays[0]} yang bukan unit berjenis barang di daftar 'unit'"
        )
    if not barang:
        if doc.get("unit_bawaan") is not None:
            raise doc.fail("unit_bawaan", "tidak berlaku: tidak ada unit berjenis barang")
        return GeraiRules((), "")
    return GeraiRules(barang, doc.choice("unit_bawaan", barang[0], barang))


def _alokasi(doc: Doc, units: tuple[Unit, ...]) -> Alokasi:
    dasar = doc.choice("dasar", "tanpa", ALOKASI_DASAR)
    if dasar != "persen":
        if doc.get("persen") is not None:
            raise doc.fail("persen", "hanya dipakai bila dasar: persen")
        return Alokasi(dasar)
    targets = tuple(u.kode for u in units if u.jenis != "kantor")
    shares = doc.section("persen", targets, "persen per unit, mis. {sembako: 60, klinik: 40}")
    persen = {k: shares.number(k, Decimal(0)) for k in targets if k in shares.data}
    total = sum(persen.values(), Decimal(0))
    if total != 100:
        raise doc.fail("persen", f"jumlahnya harus tepat 100, sekarang {total.normalize():f}")
    return Alokasi(dasar, persen)


def _organisasi(doc: Doc) -> Organisasi:
    groups = {}
    for group in ("pengurus", "pengawas"):
        officers = []
        for item in doc.entries(group, ("jabatan", "nama", "nak")):
            item.require("nama")
            officers.append(
                Officer(item.text("jabatan"), item.text("nama"), item.text("nak") or None)
            )
        groups[group] = tuple(officers)
    return Organisasi(**groups)


# --- RAT inputs beyond the ledger (rat.yaml) ---
