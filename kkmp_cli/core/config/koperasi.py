"""koperasi.yaml: the cooperative's own rules (SOP, AD/ART) as typed objects, the template
`kkmp init` writes, and its reading."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

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
  kolektibilitas: {kolektibilitas}     # koperasi (bulan tunggakan pokok) atau bank (hari tunggakan)
  batas_koperasi_bulan: {{kurang_lancar: 3, diragukan: 6, macet: 27}}  # tunggakan lebih dari N bulan
  penyisihan_persen:            # cadangan kerugian piutang per golongan
    lancar: 1
    dalam_perhatian_khusus: 5
    kurang_lancar: 15
    diragukan: 50
    macet: 100

# --- Gerai / unit usaha (sembako, apotek, LPG, ...) ---
gerai:
  unit: [sembako]               # unit usaha; tiap unit punya akun persediaan, penjualan dan HPP sendiri
  unit_bawaan: sembako          # unit untuk barang bila --unit tidak diberikan

# --- SHU (UU 25/1992 Pasal 45; persentase menurut AD/ART / keputusan RAT) ---
shu:
  pembagian:                  # persen; jumlahnya harus tepat 100
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
  pembulatan: bawah                 # bagian tiap anggota dibulatkan ke bawah; sisa ke cadangan
  bagian_non_anggota: proporsional  # proporsional atau laba_kotor (lihat README)

# --- Kas dan bank ---
kas:
  boleh_minus: []    # akun kas/bank yang boleh bersaldo minus, mis. [Aset:Bank] untuk rekening
                     # dengan fasilitas cerukan (overdraft); akun kas/bank lain tidak boleh minus
                     # pada hari apa pun ('kkmp periksa' memeriksanya)

# --- Kepatuhan SOP: ambang pemeriksaan di buku RAT ---
kepatuhan:
  batas_tunggakan_wajib_persen: 20   # anggota menunggak wajib, persen dari anggota aktif
  batas_npl_persen: 5                # pinjaman bermasalah, persen dari sisa pokok
  batas_audit_modal: 5000000000      # USP dengan modal sendiri sebesar ini wajib diaudit akuntan publik
  bulan_batas_rat: 6                 # RAT paling lambat N bulan sesudah tahun buku (UU 25/1992)

# --- Loket: tanggal aman (#22). Kode laptop untuk nomor bukti ada di berkas .kkmp-perangkat
# (tidak masuk git), lihat README "Dua bendahara". ---
loket:
  jarak_hari_maks: 31  # perintah tanpa --tanggal ditolak bila hari ini lebih dari N hari sesudah
                       # catatan terakhir (0: tidak diperiksa)
"""


@dataclass(frozen=True)
class SimpananRules:
    pokok: Decimal = DEFAULT_POKOK
    pokok_boleh_dicicil: bool = False
    wajib_per_bulan: Decimal = DEFAULT_WAJIB


KOLEKTIBILITAS_BANK = ("lancar", "dalam_perhatian_khusus", "kurang_lancar", "diragukan", "macet")
KOLEKTIBILITAS_KOPERASI = ("lancar", "kurang_lancar", "diragukan", "macet")
PELUNASAN = ("berjalan", "penuh", "tanpa")


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
    batas_koperasi_bulan: dict[str, int] = field(
        default_factory=lambda: {"kurang_lancar": 3, "diragukan": 6, "macet": 27}
    )
    penyisihan_persen: dict[str, Decimal] = field(
        default_factory=lambda: {
            "lancar": Decimal(1),
            "dalam_perhatian_khusus": Decimal(5),
            "kurang_lancar": Decimal(15),
            "diragukan": Decimal(50),
            "macet": Decimal(100),
        }
    )


@dataclass(frozen=True)
class GeraiRules:
    unit: tuple[str, ...] = ("sembako",)
    unit_bawaan: str = "sembako"


SHU_POOLS = ("cadangan", "jasa_modal", "jasa_usaha", "pengurus", "karyawan", "pendidikan", "sosial")
SHU_LINES = ("penjualan", "pinjaman")


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


@dataclass(frozen=True)
class Kepatuhan:
    batas_tunggakan_wajib_persen: Decimal = Decimal(20)
    batas_npl_persen: Decimal = Decimal(5)
    batas_audit_modal: Decimal = Decimal(5_000_000_000)
    bulan_batas_rat: int = 6


@dataclass(frozen=True)
class Loket:
    """The counter (#22): this laptop's code in document numbers, and how far after the last
    entry a command may take today's date when none is given."""

    perangkat: str = ""
    jarak_hari_maks: int = 31


DEVICE_RE = re.compile(r"^[A-Z][A-Z0-9]?$")


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
    loket: Loket = field(default_factory=lambda: Loket())


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
    "shu",
    "kepatuhan",
    "kas",
    "loket",
)
UNIT_RE = re.compile(r"^[a-z][a-z0-9-]{0,20}$")
ASSET_ACCOUNT_RE = re.compile(r"^Aset(:[A-Z0-9][A-Za-z0-9-]*)+$")
SIMPANAN_KINDS = ("pokok", "wajib", "sukarela")


def load(root: Path) -> Config:
    """Read and validate koperasi.yaml with messages that name the key and the line."""
    doc = read_document(root / CONFIG_NAME, CONFIG_KEYS, label=CONFIG_NAME, text_only=False)
    nama = doc.text("nama")
    if not nama:
        raise doc.fail("nama", "wajib diisi")
    simp = doc.section("simpanan", ("pokok", "pokok_boleh_dicicil", "wajib_per_bulan"))
    rules = SimpananRules(
        pokok=simp.rupiah("pokok", DEFAULT_POKOK),
        pokok_boleh_dicicil=simp.flag("pokok_boleh_dicicil", False),
        wajib_per_bulan=simp.rupiah("wajib_per_bulan", DEFAULT_WAJIB, allow_zero=True),
    )
    kas = doc.section("kas", ("boleh_minus",))
    return Config(
        nama=nama,
        tahun_buku=doc.integer("tahun_buku", None, low=2000, high=2100),
        nomor_badan_hukum=doc.text("nomor_badan_hukum"),
        alamat=doc.text("alamat"),
        kelurahan_desa=doc.text("kelurahan_desa"),
        simpanan=rules,
        pinjaman=_pinjaman(doc.section("pinjaman", tuple(PinjamanRules.__dataclass_fields__))),
        gerai=_gerai(doc.section("gerai", ("unit", "unit_bawaan"))),
        shu=_shu(doc.section("shu", SHU_KEYS)),
        kepatuhan=_kepatuhan(doc.section("kepatuhan", tuple(Kepatuhan.__dataclass_fields__))),
        organisasi=_organisasi(doc.section("organisasi", ("pengurus", "pengawas"))),
        loket=_loket(doc.section("loket", ("jarak_hari_maks",)), root),
        kas_boleh_minus=kas.words(
            "boleh_minus", (), pattern=ASSET_ACCOUNT_RE, hint="tulis nama akun aset, mis. Aset:Bank"
        ),
    )


DEVICE_FILE = ".kkmp-perangkat"
DEVICE_ENV = "KKMP_PERANGKAT"


def _loket(doc: Doc, root: Path) -> Loket:
    return Loket(device_code(root), doc.integer("jarak_hari_maks", 31, low=0, high=3660))


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
    pen_doc = doc.section("penyisihan_persen", KOLEKTIBILITAS_BANK)
    penyisihan = {k: pen_doc.number(k, v, high=100) for k, v in base.penyisihan_persen.items()}
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
        kolektibilitas=doc.choice("kolektibilitas", base.kolektibilitas, ("koperasi", "bank")),
        batas_koperasi_bulan=batas,
        penyisihan_persen=penyisihan,
    )


SHU_KEYS = (
    "pembagian",
    "jasa_modal_dari",
    "jasa_modal_waktu",
    "dasar_jasa_pinjaman",
    "pembulatan",
    "bagian_non_anggota",
)
SHU_CHOICES = {
    "jasa_modal_waktu": ("akhir_tahun", "rata_rata"),
    "dasar_jasa_pinjaman": ("jasa", "pinjaman"),
    "pembulatan": ("bawah",),
    "bagian_non_anggota": ("proporsional", "laba_kotor"),
}


def _shu(doc: Doc) -> ShuRules:
    base = ShuRules()
    if doc.get("pembagian") is None:
        pct = {"cadangan": base.cadangan, "jasa_modal": base.jasa_modal, **base.dana}
        jasa_usaha = dict(base.jasa_usaha)
    else:
        split = doc.section("pembagian", SHU_POOLS, "persen per pos")
        pct = {
            k: split.number(k, Decimal(0))
            for k in SHU_POOLS
            if k != "jasa_usaha" and k in split.data
        }
        if isinstance(split.get("jasa_usaha"), dict):
            lines = split.section("jasa_usaha", SHU_LINES)
            jasa_usaha = {k: lines.number(k, Decimal(0)) for k in SHU_LINES if k in lines.data}
        elif split.get("jasa_usaha") is None:
            jasa_usaha = {}
        else:
            jasa_usaha = {"usaha": split.number("jasa_usaha", Decimal(0))}
        total = sum(pct.values(), Decimal(0)) + sum(jasa_usaha.values(), Decimal(0))
        if total != 100:
            raise doc.fail(
                "pembagian", f"jumlah persentase harus tepat 100, sekarang {total.normalize():f}"
            )
    modal_dari = doc.words("jasa_modal_dari", base.jasa_modal_dari, allowed=SIMPANAN_KINDS)
    if not modal_dari:
        raise doc.fail(
            "jasa_modal_dari", f"pilih paling sedikit satu dari {', '.join(SIMPANAN_KINDS)}"
        )
    return ShuRules(
        cadangan=pct.get("cadangan", Decimal(0)),
        jasa_modal=pct.get("jasa_modal", Decimal(0)),
        jasa_usaha=jasa_usaha,
        dana={k: v for k, v in pct.items() if k not in ("cadangan", "jasa_modal")},
        jasa_modal_dari=modal_dari,
        **{k: doc.choice(k, getattr(base, k), allowed) for k, allowed in SHU_CHOICES.items()},
    )


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


def _gerai(doc: Doc) -> GeraiRules:
    units = doc.words(
        "unit",
        GeraiRules().unit,
        pattern=UNIT_RE,
        hint="pakai huruf kecil, angka dan '-', mis. lpg-3kg",
    )
    if not units:
        raise doc.fail("unit", "harus daftar unit usaha, mis. [sembako, apotek]")
    return GeraiRules(units, doc.choice("unit_bawaan", units[0], units))


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
