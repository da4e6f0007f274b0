"""koperasi.yaml and the private member file: the only place that reads or writes YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from kkmp_cli import fsutil
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
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


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


def _read_yaml(path: Path, loader: Any = yaml.SafeLoader) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KonfigurasiSalah(f"Berkas {path} tidak ada.") from exc
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - SafeLoader or BaseLoader only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" baris {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "bentuk YAML tidak sah"
        raise KonfigurasiSalah(f"{path}{where}: YAML tidak dapat dibaca ({problem}).") from exc


def _money(value: Any, where: str, *, allow_zero: bool = False) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise KonfigurasiSalah(f"{where}: harus berupa angka rupiah utuh, bukan {value!r}.")
    try:
        amount = Decimal(str(value).replace(".", "").replace("_", ""))
    except ArithmeticError as exc:
        raise KonfigurasiSalah(f"{where}: '{value}' bukan angka rupiah.") from exc
    if amount != amount.to_integral_value() or amount < 0 or (amount == 0 and not allow_zero):
        raise KonfigurasiSalah(f"{where}: harus angka rupiah utuh lebih dari nol, bukan {value!r}.")
    return amount


def load(root: Path) -> Config:
    """Read and validate koperasi.yaml with messages that name the key and the line."""
    path = root / CONFIG_NAME
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise KonfigurasiSalah(f"{path}: isinya harus berupa pasangan kunci: nilai.")
    nama = data.get("nama")
    if not isinstance(nama, str) or not nama.strip():
        raise KonfigurasiSalah(f"{path}: 'nama' koperasi wajib diisi.")
    tahun = data.get("tahun_buku")
    if isinstance(tahun, bool) or not isinstance(tahun, int) or not 2000 <= tahun <= 2100:
        raise KonfigurasiSalah(f"{path}: 'tahun_buku' harus tahun empat angka, bukan {tahun!r}.")
    simp = data.get("simpanan") or {}
    if not isinstance(simp, dict):
        raise KonfigurasiSalah(f"{path}: 'simpanan' harus berupa bagian berisi pokok dan wajib.")
    cicil = simp.get("pokok_boleh_dicicil", False)
    if not isinstance(cicil, bool):
        raise KonfigurasiSalah(f"{path}: 'simpanan.pokok_boleh_dicicil' harus true atau false.")
    rules = SimpananRules(
        pokok=_money(simp.get("pokok", DEFAULT_POKOK), f"{path}: simpanan.pokok"),
        pokok_boleh_dicicil=cicil,
        wajib_per_bulan=_money(
            simp.get("wajib_per_bulan", DEFAULT_WAJIB),
            f"{path}: simpanan.wajib_per_bulan",
            allow_zero=True,
        ),
    )
    text_fields = {}
    for key in ("nomor_badan_hukum", "alamat", "kelurahan_desa"):
        value = data.get(key) or ""
        if not isinstance(value, str | int):
            raise KonfigurasiSalah(f"{path}: '{key}' harus berupa teks.")
        text_fields[key] = str(value)
    return Config(
        nama=nama.strip(),
        tahun_buku=tahun,
        simpanan=rules,
        pinjaman=_pinjaman(data.get("pinjaman") or {}, f"{path}: pinjaman"),
        gerai=_gerai(data.get("gerai") or {}, f"{path}: gerai"),
        shu=_shu(data.get("shu") or {}, f"{path}: shu"),
        kepatuhan=_kepatuhan(data.get("kepatuhan") or {}, f"{path}: kepatuhan"),
        organisasi=_organisasi(data.get("organisasi") or {}, f"{path}: organisasi"),
        raw=data,
        **text_fields,
    )


def _number(value: Any, where: str, *, integer: bool = False, allow_zero: bool = True) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise KonfigurasiSalah(f"{where}: harus berupa angka, bukan {value!r}.")
    try:
        number = Decimal(str(value).replace(",", "."))
    except ArithmeticError as exc:
        raise KonfigurasiSalah(f"{where}: '{value}' bukan angka.") from exc
    if not number.is_finite() or number < 0 or (number == 0 and not allow_zero):
        raise KonfigurasiSalah(f"{where}: harus angka {'positif' if not allow_zero else '>= 0'}.")
    if integer and number != number.to_integral_value():
        raise KonfigurasiSalah(f"{where}: harus bilangan bulat.")
    return number


def _known_keys(data: Any, name: str, defaults: dict[str, Any], where: str) -> dict[str, Any]:
    """The sub-mapping `name` of a section, whose keys must all be among `defaults`."""
    raw = data.get(name) or {}
    if not isinstance(raw, dict) or not set(raw) <= set(defaults):
        raise KonfigurasiSalah(f"{where}: kunci yang dikenal: {', '.join(defaults)}.")
    return raw


def _pinjaman(data: Any, where: str) -> PinjamanRules:
    if not isinstance(data, dict):
        raise KonfigurasiSalah(f"{where}: harus berupa bagian berisi aturan pinjaman.")
    base = PinjamanRules()
    known = set(PinjamanRules.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise KonfigurasiSalah(f"{where}: kunci tidak dikenal: {', '.join(unknown)}.")

    def num(key: str, **kw: Any) -> Decimal:
        return _number(data.get(key, getattr(base, key)), f"{where}.{key}", **kw)

    plafon_dari = data.get("plafon_dari", list(base.plafon_dari))
    if not isinstance(plafon_dari, list) or not set(plafon_dari) <= {"pokok", "wajib", "sukarela"}:
        raise KonfigurasiSalah(f"{where}.plafon_dari: pilih dari pokok, wajib, sukarela.")
    pelunasan = data.get("pelunasan_jasa", base.pelunasan_jasa)
    if pelunasan not in PELUNASAN:
        raise KonfigurasiSalah(f"{where}.pelunasan_jasa: pilih {', '.join(PELUNASAN)}.")
    preset = data.get("kolektibilitas", base.kolektibilitas)
    if preset not in ("koperasi", "bank"):
        raise KonfigurasiSalah(f"{where}.kolektibilitas: pilih koperasi atau bank.")
    batas = dict(base.batas_koperasi_bulan)
    field = f"{where}.batas_koperasi_bulan"
    for key, value in _known_keys(data, "batas_koperasi_bulan", batas, field).items():
        batas[key] = int(_number(value, f"{field}.{key}", integer=True))
    if not batas["kurang_lancar"] < batas["diragukan"] < batas["macet"]:
        raise KonfigurasiSalah(
            f"{where}.batas_koperasi_bulan: harus naik (kurang_lancar < diragukan < macet)."
        )
    penyisihan = dict(base.penyisihan_persen)
    field = f"{where}.penyisihan_persen"
    for key, value in _known_keys(data, "penyisihan_persen", penyisihan, field).items():
        pct = _number(value, f"{field}.{key}")
        if pct > 100:
            raise KonfigurasiSalah(f"{field}.{key}: paling besar 100.")
        penyisihan[key] = pct
    return PinjamanRules(
        jasa_maks_per_bulan=num("jasa_maks_per_bulan", allow_zero=False),
        tenor_maks=int(num("tenor_maks", integer=True, allow_zero=False)),
        plafon_kali_simpanan=num("plafon_kali_simpanan", allow_zero=False),
        plafon_dari=tuple(plafon_dari),
        pinjaman_aktif_maks=int(num("pinjaman_aktif_maks", integer=True, allow_zero=False)),
        batas_pihak_terkait_persen=num("batas_pihak_terkait_persen"),
        biaya_admin_persen=num("biaya_admin_persen"),
        denda_persen_per_hari=num("denda_persen_per_hari"),
        pelunasan_jasa=pelunasan,
        kolektibilitas=preset,
        batas_koperasi_bulan=batas,
        penyisihan_persen=penyisihan,
    )


def _shu(data: Any, where: str) -> ShuRules:
    if not isinstance(data, dict):
        raise KonfigurasiSalah(f"{where}: harus berupa bagian aturan SHU.")
    base = ShuRules()
    raw = data.get("pembagian")
    if raw is None:
        pools: dict[str, Any] = {
            "cadangan": base.cadangan,
            "jasa_modal": base.jasa_modal,
            "jasa_usaha": base.jasa_usaha,
            **base.dana,
        }
    elif isinstance(raw, dict):
        pools = raw
    else:
        raise KonfigurasiSalah(f"{where}.pembagian: harus berisi persen per pos.")
    unknown = sorted(set(pools) - set(SHU_POOLS))
    if unknown:
        raise KonfigurasiSalah(
            f"{where}.pembagian: pos tidak dikenal: {', '.join(unknown)} (yang dikenal: {', '.join(SHU_POOLS)})."
        )
    pct = {k: _number(v, f"{where}.pembagian.{k}") for k, v in pools.items() if k != "jasa_usaha"}
    ju_raw = pools.get("jasa_usaha", {})
    if isinstance(ju_raw, dict):
        bad = sorted(set(ju_raw) - set(SHU_LINES))
        if bad:
            raise KonfigurasiSalah(
                f"{where}.pembagian.jasa_usaha: layanan tidak dikenal: {', '.join(bad)} "
                f"(yang dikenal: {', '.join(SHU_LINES)})."
            )
        jasa_usaha = {k: _number(v, f"{where}.pembagian.jasa_usaha.{k}") for k, v in ju_raw.items()}
    else:
        jasa_usaha = {"usaha": _number(ju_raw, f"{where}.pembagian.jasa_usaha")}
    total = sum(pct.values(), Decimal(0)) + sum(jasa_usaha.values(), Decimal(0))
    if total != 100:
        raise KonfigurasiSalah(
            f"{where}.pembagian: jumlah persentase harus tepat 100, sekarang {total.normalize():f}."
        )
    modal_dari = data.get("jasa_modal_dari", list(base.jasa_modal_dari))
    if (
        not isinstance(modal_dari, list)
        or not modal_dari
        or not set(modal_dari) <= {"pokok", "wajib", "sukarela"}
    ):
        raise KonfigurasiSalah(f"{where}.jasa_modal_dari: pilih dari pokok, wajib, sukarela.")
    choices = {
        "jasa_modal_waktu": ("akhir_tahun", "rata_rata"),
        "dasar_jasa_pinjaman": ("jasa", "pinjaman"),
        "pembulatan": ("bawah",),
        "bagian_non_anggota": ("proporsional", "laba_kotor"),
    }
    picked = {}
    for key, allowed in choices.items():
        value = data.get(key, getattr(base, key))
        if value not in allowed:
            raise KonfigurasiSalah(
                f"{where}.{key}: pilih {' atau '.join(allowed)}, bukan {value!r}."
            )
        picked[key] = value
    return ShuRules(
        cadangan=pct.get("cadangan", Decimal(0)),
        jasa_modal=pct.get("jasa_modal", Decimal(0)),
        jasa_usaha=jasa_usaha,
        dana={k: v for k, v in pct.items() if k not in ("cadangan", "jasa_modal")},
        jasa_modal_dari=tuple(modal_dari),
        **picked,
    )


def _kepatuhan(data: Any, where: str) -> Kepatuhan:
    if not isinstance(data, dict):
        raise KonfigurasiSalah(f"{where}: harus berupa bagian ambang kepatuhan.")
    base = Kepatuhan()
    unknown = sorted(set(data) - set(Kepatuhan.__dataclass_fields__))
    if unknown:
        raise KonfigurasiSalah(f"{where}: kunci tidak dikenal: {', '.join(unknown)}.")

    def num(key: str, **kw: Any) -> Decimal:
        return _number(data.get(key, getattr(base, key)), f"{where}.{key}", **kw)

    return Kepatuhan(
        batas_tunggakan_wajib_persen=num("batas_tunggakan_wajib_persen"),
        batas_npl_persen=num("batas_npl_persen"),
        batas_audit_modal=num("batas_audit_modal"),
        bulan_batas_rat=int(num("bulan_batas_rat", integer=True, allow_zero=False)),
    )


UNIT_RE = re.compile(r"^[a-z][a-z0-9-]{0,20}$")


def _gerai(data: Any, where: str) -> GeraiRules:
    if not isinstance(data, dict):
        raise KonfigurasiSalah(f"{where}: harus berupa bagian berisi daftar unit.")
    units = data.get("unit", ["sembako"])
    if not isinstance(units, list) or not units:
        raise KonfigurasiSalah(f"{where}.unit: harus daftar unit usaha, mis. [sembako, apotek].")
    for unit in units:
        if not isinstance(unit, str) or not UNIT_RE.match(unit):
            raise KonfigurasiSalah(
                f"{where}.unit: '{unit}' tidak sah; pakai huruf kecil, angka dan '-', mis. lpg-3kg."
            )
    default = data.get("unit_bawaan", units[0])
    if default not in units:
        raise KonfigurasiSalah(f"{where}.unit_bawaan: '{default}' tidak ada di daftar unit.")
    return GeraiRules(tuple(units), str(default))


def _organisasi(data: Any, where: str) -> Organisasi:
    if not isinstance(data, dict):
        raise KonfigurasiSalah(f"{where}: harus berisi daftar pengurus dan pengawas.")
    groups = {}
    for group in ("pengurus", "pengawas"):
        items = data.get(group) or []
        if not isinstance(items, list):
            raise KonfigurasiSalah(f"{where}.{group}: harus berupa daftar.")
        officers = []
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict) or not item.get("nama"):
                raise KonfigurasiSalah(f"{where}.{group} ke-{i}: isi paling sedikit 'nama'.")
            nak = item.get("nak")
            officers.append(
                Officer(str(item.get("jabatan", "")), str(item["nama"]), str(nak) if nak else None)
            )
        groups[group] = tuple(officers)
    return Organisasi(**groups)


def read_document(path: Path) -> Any:
    """A YAML document a user hands to kkmp (e.g. opening balances), every value as text:
    `100.000` stays one hundred thousand rupiah instead of becoming the float 100.0."""
    return _read_yaml(path, loader=yaml.BaseLoader)


# --- RAT inputs beyond the ledger (rat.yaml) ---

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


def write_rat(root: Path, data: dict[str, Any]) -> None:
    """Write rat.yaml (the demo fills it in); keys keep their order."""
    text = "# Bahan buku RAT yang tidak ada di buku besar (lihat 'kkmp rat periksa').\n"
    text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    fsutil.atomic_write(root / RAT_NAME, text)


def load_rat(root: Path) -> dict[str, Any]:
    """rat.yaml as plain data (missing file = nothing filled in yet)."""
    path = root / RAT_NAME
    if not path.exists():
        return {}
    data = _read_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KonfigurasiSalah(f"{path}: isinya harus berupa bagian-bagian bahan RAT.")
    return data


# --- Private member data (UU 27/2022): a git-ignored file, never the journal ---

PRIVATE_DIR = "pribadi"
PRIVATE_MEMBERS = "anggota.yaml"


def private_path(root: Path) -> Path:
    return root / PRIVATE_DIR / PRIVATE_MEMBERS


def load_private(root: Path) -> dict[str, dict[str, str]]:
    """NAK → {nik, telepon, alamat}; empty when the file does not exist."""
    path = private_path(root)
    if not path.exists():
        return {}
    data = _read_yaml(path) or {}
    if not isinstance(data, dict):
        raise KonfigurasiSalah(f"{path}: isinya harus berupa daftar per nomor anggota.")
    return {str(k): {str(a): str(b) for a, b in (v or {}).items()} for k, v in data.items()}


def save_private(
    root: Path, records: dict[str, dict[str, str]], write: Any = fsutil.atomic_write
) -> None:
    """Write the private member file (listed in the cooperative's .gitignore), mode 0600;
    `write=session.stage_file` commits it with the journal, under the same lock."""
    text = "# Data pribadi anggota (UU 27/2022). JANGAN dimasukkan ke git.\n" + yaml.safe_dump(
        records, allow_unicode=True, sort_keys=True
    )
    write(private_path(root), text, mode=0o600)
