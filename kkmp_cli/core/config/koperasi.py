"""koperasi.yaml: the cooperative's own rules (SOP, AD/ART) as typed objects, the template
`kkmp init` writes, and its reading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from kkmp_cli.core.config.documents import Doc, read_document

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

# --- Alokasi beban umum (unit kantor dan beban tanpa --unit) ke unit usaha, di laporan PHU ---
alokasi:
  dasar: pendapatan   # pendapatan (menurut bagian pendapatan tiap unit), persen (lihat di bawah)
                      # atau tanpa (beban umum tetap di unit kantor)
  # persen: {{sembako: 40, simpan-pinjam: 20, klinik: 20, apotek: 10, cold-storage: 5, logistik: 5}}

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
    "unit",
    "alokasi",
    "shu",
    "kepatuhan",
    "kas",
    "petugas_wajib",
    "pembiayaan",
    "aset",
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
    units = _units(doc)
    return Config(
        nama=nama,
        tahun_buku=doc.integer("tahun_buku", None, low=2000, high=2100),
        nomor_badan_hukum=doc.text("nomor_badan_hukum"),
        alamat=doc.text("alamat"),
        kelurahan_desa=doc.text("kelurahan_desa"),
        simpanan=rules,
        pinjaman=_pinjaman(doc.section("pinjaman", tuple(PinjamanRules.__dataclass_fields__))),
        gerai=_gerai(doc.section("gerai", ("unit", "unit_bawaan")), units),
        units=units,
        alokasi=_alokasi(doc.section("alokasi", ("dasar", "persen")), units),
        shu=_shu(doc.section("shu", SHU_KEYS)),
        kepatuhan=_kepatuhan(doc.section("kepatuhan", tuple(Kepatuhan.__dataclass_fields__))),
        organisasi=_organisasi(doc.section("organisasi", ("pengurus", "pengawas"))),
        kas_boleh_minus=kas.words(
            "boleh_minus", (), pattern=ASSET_ACCOUNT_RE, hint="tulis nama akun aset, mis. Aset:Bank"
        ),
        petugas_wajib=doc.flag("petugas_wajib", False),
        pembiayaan=_pembiayaan(
            doc.section("pembiayaan", tuple(PembiayaanRules.__dataclass_fields__))
        ),
        aset=_aset(doc.section("aset", ("umur_bulan",))),
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
