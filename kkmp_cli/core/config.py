"""koperasi.yaml, rat.yaml, the private member file and every YAML document a user hands to kkmp,
read into typed objects: the only place that reads or writes YAML."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import yaml

from kkmp_cli import dates, money
from kkmp_cli.core import fsutil
from kkmp_cli.errors import KkmpError, KonfigurasiSalah

T = TypeVar("T")

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
    kas_boleh_minus: tuple[str, ...] = ()  # cash/bank accounts allowed below zero (overdraft)


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
MAX_NODES = 50_000
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Map(dict[str, Any]):
    """A YAML mapping that remembers the line of each key (1-based)."""

    key_lines: dict[str, int]


class _List(list[Any]):
    """A YAML sequence that remembers the line of each item (1-based)."""

    item_lines: list[int]


def _construct_map(loader: Any, node: yaml.MappingNode) -> _Map:
    result = _Map()
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, dict | list | set | tuple):
            raise yaml.constructor.ConstructorError(
                None, None, "kunci harus berupa teks", key_node.start_mark
            )
        name = "" if key is None else str(key)
        if name in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"kunci '{name}' ditulis dua kali", key_node.start_mark
            )
        result[name] = loader.construct_object(value_node, deep=True)
        result.key_lines[name] = key_node.start_mark.line + 1
    return result


def _construct_list(loader: Any, node: yaml.SequenceNode) -> _List:
    result = _List(loader.construct_object(item, deep=True) for item in node.value)
    result.item_lines = [item.start_mark.line + 1 for item in node.value]
    return result


def _construct_decimal(loader: Any, node: yaml.ScalarNode) -> Decimal | str:
    """Numbers with a fraction stay exact (0.1 is Decimal('0.1'), never a float); .inf and
    .nan stay text and are refused where a number is expected."""
    text = str(loader.construct_scalar(node))
    try:
        number = Decimal(text.replace("_", ""))
    except ArithmeticError:
        return text
    return number if number.is_finite() else text


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:  # 2025-02-30 passes the resolver's pattern, not the calendar
        raise yaml.constructor.ConstructorError(
            None, None, f"tanggal '{node.value}' tidak ada", node.start_mark
        ) from exc


class _TypedLoader(yaml.SafeLoader):
    """YAML 1.1 types, except that fractions are Decimal; mappings and lists keep lines."""


_TypedLoader.add_constructor(_MAP_TAG, _construct_map)
_TypedLoader.add_constructor(_SEQ_TAG, _construct_list)
_TypedLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_TypedLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _TextLoader(yaml.BaseLoader):
    """Every scalar as text (`100.000` stays one hundred thousand rupiah, not the float 100.0)."""


def _construct_any(loader: Any, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return _construct_map(loader, node)
    if isinstance(node, yaml.SequenceNode):
        return _construct_list(loader, node)
    return loader.construct_scalar(node)


_TextLoader.add_constructor(None, _construct_any)


def _expanded_size(root: yaml.Node, where: str) -> int:
    """The number of nodes once every alias is expanded, refused past MAX_NODES; linear in
    the composed document (each shared node is sized once)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise KonfigurasiSalah(f"{where}: alias YAML merujuk ke dirinya sendiri; tidak dibaca.")
        active.add(key)
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        total = 1 + sum(size(child) for child in children)
        active.discard(key)
        if total > MAX_NODES:
            raise KonfigurasiSalah(
                f"{where}: dokumen terlalu besar setelah alias YAML (&/*) diuraikan "
                f"(lebih dari {MAX_NODES:,} unsur); tidak dibaca.".replace(",", ".")
            )
        sizes[key] = total
        return total

    return size(root)


def _read_yaml(path: Path, label: str | None = None, *, text_only: bool = False) -> Any:
    """A YAML file as plain data (mappings `_Map`, lists `_List`), or one Indonesian error."""
    shown = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KonfigurasiSalah(f"Berkas {path} tidak ada.") from exc
    except UnicodeDecodeError as exc:
        raise KonfigurasiSalah(f"{shown}: bukan teks UTF-8; simpan ulang sebagai UTF-8.") from exc
    except OSError as exc:
        raise KonfigurasiSalah(f"Berkas {path} tidak dapat dibaca ({exc.strerror}).") from exc
    loader = (_TextLoader if text_only else _TypedLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, shown)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" baris {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "bentuk YAML tidak sah"
        raise KonfigurasiSalah(f"{shown}{where}: YAML tidak dapat dibaca ({problem}).") from exc
    except RecursionError as exc:
        raise KonfigurasiSalah(f"{shown}: susunan YAML terlalu dalam; tidak dibaca.") from exc
    finally:
        loader.dispose()


def _show(value: Any) -> str:
    """A value as the treasurer wrote it, for an error sentence."""
    if isinstance(value, dict):
        return "sebuah bagian berisi kunci"
    if isinstance(value, list | tuple | set):
        return "sebuah daftar"
    if value is None:
        return "kosong"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


class Doc:
    """One mapping of a YAML document with typed reads. Unknown keys are refused by name when
    the Doc is made; a missing (or empty) key gives its default; every error names the file,
    the line and the key."""

    def __init__(
        self,
        data: Any,
        file: str,
        *,
        known: tuple[str, ...] | None,
        where: str = "",
        line: int = 0,
        error: type[KkmpError] = KonfigurasiSalah,
        what: str = "bagian berisi kunci: nilai",
    ) -> None:
        self.file, self.where, self.error = file, where, error
        self.line = line  # where the mapping's key (or list item) is; 0 for the whole file
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise error(
                f"{self._at(self.line)}: '{where or 'isi berkas'}' harus berupa {what}, bukan {_show(data)}."
            )
        self.data: dict[str, Any] = data
        if known is not None:
            for key in data:
                if key not in known:
                    inside = f" di '{where}'" if where else ""
                    hint = (
                        '; angka berkoma di dalam {...} ditulis dalam tanda petik, mis. jasa: "1,5"'
                        if key.isdigit()
                        else ""
                    )
                    raise error(
                        f"{self._at(self.line_of(key))}: kunci '{key}' tidak dikenal{inside} "
                        f"(yang dikenal: {', '.join(known)}){hint}."
                    )

    def _at(self, line: int) -> str:
        return f"{self.file} baris {line}" if line else self.file

    def line_of(self, key: str) -> int:
        return getattr(self.data, "key_lines", {}).get(key, self.line)

    def name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def fail(self, key: str, problem: str) -> KkmpError:
        """The error for a wrong value under `key` (problem: 'harus …')."""
        return self.error(f"{self._at(self.line_of(key))}: '{self.name(key)}' {problem}.")

    def keys(self) -> list[str]:
        return list(self.data)

    def get(self, key: str) -> Any:
        """The raw value; None when missing or empty."""
        value = self.data.get(key)
        return None if value == "" and not isinstance(value, bool) else value

    def require(self, *keys: str) -> None:
        for key in keys:
            if self.get(key) is None:
                raise self.error(f"{self._at(self.line)}: '{self.name(key)}' wajib diisi.")

    def text(self, key: str, default: str = "") -> str:
        value = self.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal | dt.date):
            raise self.fail(key, f"harus berupa teks, bukan {_show(value)}")
        return (dates.fmt(value) if isinstance(value, dt.date) else str(value)).strip()

    def optional_text(self, key: str) -> str | None:
        return self.text(key) or None

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of texts (each item one line of the book)."""
        result = []
        for i, (item, line) in enumerate(self._items(key), 1):
            if isinstance(item, bool) or not isinstance(item, str | int | Decimal):
                raise self.error(
                    f"{self._at(line)}: '{self.name(key)}' ke-{i} harus berupa teks, "
                    f"bukan {_show(item)}."
                )
            if str(item).strip():
                result.append(str(item).strip())
        return tuple(result)

    def words(
        self,
        key: str,
        default: tuple[str, ...],
        *,
        allowed: tuple[str, ...] | None = None,
        pattern: re.Pattern[str] | None = None,
        hint: str = "",
    ) -> tuple[str, ...]:
        """A list of names, each among `allowed` or matching `pattern`."""
        if self.get(key) is None:
            return default
        result = []
        for item, _ in self._items(key):
            word = item if isinstance(item, str) else _show(item)
            if (allowed is not None and word not in allowed) or (
                pattern is not None and not pattern.match(word)
            ):
                choices = f"pilih dari {', '.join(allowed)}" if allowed else hint
                raise self.fail(key, f"berisi {_show(item)} yang tidak sah; {choices}")
            result.append(word)
        return tuple(result)

    def _items(self, key: str) -> list[tuple[Any, int]]:
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"harus berupa daftar (baris diawali '- '), bukan {_show(value)}")
        lines = getattr(value, "item_lines", [self.line_of(key)] * len(value))
        return list(zip(value, lines, strict=True))

    def integer(
        self, key: str, default: int | None, *, low: int | None = None, high: int | None = None
    ) -> int:
        value = self.get(key)
        if value is None:
            if default is None:
                self.require(key)
            assert default is not None
            return default
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        span = f" {low} sampai {high}" if low is not None and high is not None else ""
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            raise self.fail(key, f"harus bilangan bulat{span}, bukan {_show(value)}")
        return value

    def number(
        self,
        key: str,
        default: Decimal,
        *,
        integer: bool = False,
        allow_zero: bool = True,
        high: Decimal | int | None = None,
    ) -> Decimal:
        """A non-negative number such as a percentage (a comma may mark the decimals)."""
        value = self.get(key)
        if value is None:
            return default
        number: Decimal | None = None
        if not isinstance(value, bool) and isinstance(value, int | Decimal | str):
            try:
                number = Decimal(str(value).strip().replace(",", "."))
            except ArithmeticError:
                number = None
        if number is None or not number.is_finite():
            raise self.fail(key, f"harus berupa angka, bukan {_show(value)}")
        if number < 0 or (number == 0 and not allow_zero):
            raise self.fail(key, f"harus angka {'>= 0' if allow_zero else 'lebih dari nol'}")
        if integer and number != number.to_integral_value():
            raise self.fail(key, "harus bilangan bulat")
        if high is not None and number > high:
            raise self.fail(key, f"paling besar {high}")
        return number

    def rupiah(
        self, key: str, default: Decimal, *, allow_zero: bool = False, signed: bool = False
    ) -> Decimal:
        """Whole rupiah: 100000, 100_000 or the text '100.000' / '100rb'."""
        amount = self.optional_rupiah(key, allow_zero=allow_zero, signed=signed)
        return default if amount is None else amount

    def optional_rupiah(
        self, key: str, *, allow_zero: bool = False, signed: bool = False
    ) -> Decimal | None:
        """Whole rupiah, or None when the key is missing or empty."""
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            text = value.strip()
            negative = signed and text.startswith("-")
            if text.lstrip("-") in ("0", "Rp0"):
                amount = Decimal(0)
            else:
                amount = self.parsed(key, money.parse, text.lstrip("-") if negative else text)
            amount = -amount if negative else amount
        elif not isinstance(value, bool) and isinstance(value, int | Decimal):
            amount = Decimal(value)
        else:
            raise self.fail(key, f"harus berupa angka rupiah, bukan {_show(value)}")
        if amount != amount.to_integral_value():
            raise self.fail(key, f"harus rupiah utuh, bukan {_show(value)}")
        if (amount < 0 and not signed) or (amount == 0 and not allow_zero):
            more = "nol atau lebih" if allow_zero else "lebih dari nol"
            raise self.fail(key, f"harus rupiah {more}, bukan {_show(value)}")
        return amount

    def flag(self, key: str, default: bool) -> bool:
        value = self.get(key)
        if value is None:
            return default
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        if not isinstance(value, bool):
            raise self.fail(key, f"harus true atau false, bukan {_show(value)}")
        return value

    def choice(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.get(key)
        if value is None:
            return default
        if value not in allowed:
            raise self.fail(key, f"pilih {' atau '.join(allowed)}, bukan {_show(value)}")
        return str(value)

    def date(self, key: str) -> dt.date | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str | int):
            raise self.fail(key, f"harus berupa tanggal, mis. 15-03-2026, bukan {_show(value)}")
        return self.parsed(key, dates.parse, str(value))

    def parsed(self, key: str, parse: Callable[[str], T], text: str | None = None) -> T:
        """A value read by one of kkmp's parsers (money, dates, quantities …), its error
        placed at the key."""
        value = self.get(key) if text is None else text
        if isinstance(value, dict | list):
            raise self.fail(key, f"harus berupa satu nilai, bukan {_show(value)}")
        try:
            return parse(str(value if value is not None else ""))
        except KkmpError as exc:
            raise self.error(f"{self._at(self.line_of(key))}: '{self.name(key)}': {exc}") from exc

    def section(self, key: str, known: tuple[str, ...] | None, what: str = "") -> Doc:
        """The sub-mapping under `key` (empty when missing)."""
        value = self.get(key)
        if value is not None and not isinstance(value, dict):
            hint = f" ({what})" if what else ""
            raise self.fail(
                key, f"harus berupa bagian berisi kunci: nilai{hint}, bukan {_show(value)}"
            )
        return Doc(
            value,
            self.file,
            known=known,
            where=self.name(key),
            line=self.line_of(key),
            error=self.error,
        )

    def entries(self, key: str, known: tuple[str, ...], label: str = "{key} ke-{i}") -> list[Doc]:
        """A list of mappings (`- {nak: A0001, pokok: 100.000}`), each a Doc named by `label`."""
        result = []
        for i, (item, line) in enumerate(self._items(key), 1):
            result.append(
                Doc(
                    item,
                    self.file,
                    known=known,
                    where=label.format(key=self.name(key), i=i),
                    line=line,
                    error=self.error,
                    what="bagian berisi " + ", ".join(known),
                )
            )
        return result


def read_document(
    path: Path,
    known: tuple[str, ...],
    *,
    label: str | None = None,
    text_only: bool = True,
    error: type[KkmpError] = KonfigurasiSalah,
) -> Doc:
    """A YAML document a user hands to kkmp (saldo awal, latihan …) as a Doc. `text_only`
    keeps every value as text: `100.000` stays one hundred thousand rupiah."""
    data = _read_yaml(path, label, text_only=text_only)
    return Doc(data, label or str(path), known=known, error=error)


# --- koperasi.yaml ---

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
        kas_boleh_minus=kas.words(
            "boleh_minus", (), pattern=ASSET_ACCOUNT_RE, hint="tulis nama akun aset, mis. Aset:Bank"
        ),
    )


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

PRIVATE_DIR = "pribadi"
PRIVATE_MEMBERS = "anggota.yaml"


def private_path(root: Path) -> Path:
    return root / PRIVATE_DIR / PRIVATE_MEMBERS


def load_private(root: Path) -> dict[str, dict[str, str]]:
    """NAK → {nik, telepon, alamat}; empty when the file does not exist."""
    path = private_path(root)
    if not path.exists():
        return {}
    doc = Doc(_read_yaml(path, text_only=True), str(path), known=None)
    records = {}
    for nak in doc.keys():
        fields = doc.section(nak, None)
        records[nak] = {key: fields.text(key) for key in fields.keys()}
    return records


def save_private(
    root: Path, records: dict[str, dict[str, str]], write: Any = fsutil.atomic_write
) -> None:
    """Write the private member file (listed in the cooperative's .gitignore), mode 0600;
    `write=session.stage_file` commits it with the journal, under the same lock."""
    text = "# Data pribadi anggota (UU 27/2022). JANGAN dimasukkan ke git.\n" + yaml.safe_dump(
        records, allow_unicode=True, sort_keys=True
    )
    write(private_path(root), text, mode=0o600)
