"""koperasi.yaml and the private member file: the only place that reads or writes YAML."""

from __future__ import annotations

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

# --- Bagian yang diisi oleh kemampuan berikutnya (unit simpan pinjam, gerai, SHU, RAT) ---
pinjaman: {{}}
gerai: {{}}
shu: {{}}
"""


@dataclass(frozen=True)
class SimpananRules:
    pokok: Decimal = DEFAULT_POKOK
    pokok_boleh_dicicil: bool = False
    wajib_per_bulan: Decimal = DEFAULT_WAJIB


@dataclass(frozen=True)
class Config:
    nama: str
    tahun_buku: int
    nomor_badan_hukum: str = ""
    alamat: str = ""
    kelurahan_desa: str = ""
    simpanan: SimpananRules = field(default_factory=SimpananRules)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def render_new(nama: str, tahun: int) -> str:
    """The commented koperasi.yaml that `kkmp init` writes."""
    return CONFIG_TEMPLATE.format(
        nama=yaml.safe_dump(nama, allow_unicode=True, default_style='"').strip(),
        tahun=tahun,
        pokok=int(DEFAULT_POKOK),
        wajib=int(DEFAULT_WAJIB),
    )


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KonfigurasiSalah(f"Berkas {path} tidak ada.") from exc
    try:
        return yaml.safe_load(text)
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
    return Config(nama=nama.strip(), tahun_buku=tahun, simpanan=rules, raw=data, **text_fields)


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


def save_private(root: Path, records: dict[str, dict[str, str]]) -> None:
    """Write the private member file atomically (it is listed in the cooperative's .gitignore)."""
    text = "# Data pribadi anggota (UU 27/2022). JANGAN dimasukkan ke git.\n" + yaml.safe_dump(
        records, allow_unicode=True, sort_keys=True
    )
    fsutil.atomic_write(private_path(root), text, mode=0o600)
