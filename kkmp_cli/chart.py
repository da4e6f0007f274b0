"""The chart of accounts (bagan akun): names, Indonesian 1-/2-/3-/4-/5- codes, member sub-accounts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkmp_cli.errors import PilihanKasTidakDikenal

# Beancount root names, set per file through the name_* options (domain.md §7).
ROOTS = {
    "name_assets": "Aset",
    "name_liabilities": "Kewajiban",
    "name_equity": "Ekuitas",
    "name_income": "Pendapatan",
    "name_expenses": "Beban",
}

KAS = "Aset:Kas"
BANK = "Aset:Bank"
POKOK = "Ekuitas:Simpanan-Pokok"
WAJIB = "Ekuitas:Simpanan-Wajib"
SUKARELA = "Kewajiban:Simpanan-Sukarela"
CADANGAN = "Ekuitas:Cadangan"
HIBAH = "Ekuitas:Hibah"
SALDO_AWAL = "Ekuitas:Saldo-Awal"
UTANG_PENGEMBALIAN = "Kewajiban:Utang-Pengembalian-Simpanan"
PIUTANG_PINJAMAN = "Aset:Piutang-Pinjaman"
PENYISIHAN_PINJAMAN = "Aset:Penyisihan-Piutang-Pinjaman"
JASA_PINJAMAN = "Pendapatan:Simpan-Pinjam:Jasa"
ADMIN_PINJAMAN = "Pendapatan:Simpan-Pinjam:Administrasi"
DENDA_PINJAMAN = "Pendapatan:Simpan-Pinjam:Denda"
PEMULIHAN_PINJAMAN = "Pendapatan:Simpan-Pinjam:Pemulihan-Piutang"
BEBAN_PENYISIHAN = "Beban:Simpan-Pinjam:Penyisihan-Piutang"
SHU_BELUM_DIBAGI = "Ekuitas:SHU-Belum-Dibagi"
DANA_PENGURUS = "Kewajiban:Dana-Pengurus"
DANA_KARYAWAN = "Kewajiban:Dana-Karyawan"
DANA_PENDIDIKAN = "Kewajiban:Dana-Pendidikan"
DANA_SOSIAL = "Kewajiban:Dana-Sosial"
UTANG_SHU = "Kewajiban:Utang-SHU"
PIUTANG_DAGANG = "Aset:Piutang-Dagang"
# Receivables from named non-member customers (warung, BPJS, ...), one sub-account per
# customer: Aset:Piutang-Pelanggan:Warung-Bu-Sri (#10).
PIUTANG_PELANGGAN = "Aset:Piutang-Pelanggan"
UTANG_USAHA = "Kewajiban:Utang-Usaha"
PENDAPATAN_LAIN = "Pendapatan:Lain-Lain"
BEBAN_PAJAK = "Beban:Pajak"
# A cash count (kas opname) that differs from the books: shortage and surplus (#22).
SELISIH_KAS_KURANG = "Beban:Selisih-Kas"
SELISIH_KAS_LEBIH = "Pendapatan:Selisih-Kas"

SIMPANAN_ACCOUNTS = {"pokok": POKOK, "wajib": WAJIB, "sukarela": SUKARELA}
SIMPANAN_LABELS = {
    "pokok": "simpanan pokok",
    "wajib": "simpanan wajib",
    "sukarela": "simpanan sukarela",
}
MEMBER_PARENTS = (POKOK, WAJIB, SUKARELA)
MEMBER_SUBLEDGERS = (POKOK, WAJIB, SUKARELA, PIUTANG_PINJAMAN, PIUTANG_DAGANG, UTANG_SHU)


@dataclass(frozen=True)
class UnitAccounts:
    """The accounts of one unit usaha (gerai), so P&L per unit falls out of the ledger."""

    unit: str
    index: int  # position in koperasi.yaml gerai.unit, 1-based: gives the account codes
    persediaan: str
    penjualan_anggota: str
    penjualan_non_anggota: str
    hpp_anggota: str
    hpp_non_anggota: str
    selisih: str

    def all(self) -> list[tuple[str, str, str]]:
        """(account, kode, description) for opening the unit's accounts."""
        i = self.index
        return [
            (self.persediaan, f"130{i}", f"Persediaan barang unit {self.unit}"),
            (self.penjualan_anggota, f"42{i}1", f"Penjualan unit {self.unit} kepada anggota"),
            (
                self.penjualan_non_anggota,
                f"42{i}2",
                f"Penjualan unit {self.unit} kepada non-anggota",
            ),
            (self.hpp_anggota, f"51{i}1", f"HPP penjualan unit {self.unit} kepada anggota"),
            (self.hpp_non_anggota, f"51{i}2", f"HPP penjualan unit {self.unit} kepada non-anggota"),
            (self.selisih, f"51{i}9", f"Selisih persediaan (stock opname) unit {self.unit}"),
        ]


def component(name: str) -> str:
    """A name as one Beancount account component: 'toko grosir makmur' -> 'Toko-Grosir-Makmur'."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    text = "-".join(w[:1].upper() + w[1:] for w in words)
    return text if text and text[0].isalpha() else "X-" + (text or "Tanpa-Nama")


def unit_accounts(unit: str, index: int) -> UnitAccounts:
    c = component(unit)
    return UnitAccounts(
        unit,
        index,
        f"Aset:Persediaan:{c}",
        f"Pendapatan:{c}:Anggota",
        f"Pendapatan:{c}:Non-Anggota",
        f"Beban:HPP-{c}:Anggota",
        f"Beban:HPP-{c}:Non-Anggota",
        f"Beban:HPP-{c}:Selisih-Persediaan",
    )


CASH_ACCOUNTS = {"kas": KAS, "bank": BANK}
# Document number prefixes: bukti kas/bank masuk and keluar; BM is a memorial (non-cash) entry.
DOC_IN = {"kas": "BKM", "bank": "BBM"}
DOC_OUT = {"kas": "BKK", "bank": "BBK"}


def check_via(via: str) -> str:
    """The kas/bank choice (`--via`, any case) as a key of CASH_ACCOUNTS, DOC_IN and DOC_OUT;
    anything else refused in the one sentence every command shows (#19)."""
    key = via.strip().lower()
    if key not in CASH_ACCOUNTS:
        raise PilihanKasTidakDikenal(
            f"Pilihan '{via}' tidak dikenal untuk kas/bank (--via); pilih kas atau bank."
        )
    return key


def cash_account(via: str) -> str:
    """The cash or bank account a kas/bank choice names (Aset:Kas or Aset:Bank)."""
    return CASH_ACCOUNTS[check_via(via)]


# Golongan (balance-sheet / income-statement group) of an account and the root it belongs to;
# the statements read these, never hard-coded account lists (#10).
GOLONGAN_ROOT = {
    "aset-lancar": "Aset",
    "aset-tetap": "Aset",
    "aset-lain": "Aset",
    "kewajiban-pendek": "Kewajiban",
    "kewajiban-panjang": "Kewajiban",
    "ekuitas": "Ekuitas",
    "pendapatan": "Pendapatan",
    "pendapatan-lain": "Pendapatan",
    "beban": "Beban",
    "beban-lain": "Beban",
}
# Cash-flow class (direct method) of a counter-account; "kas" marks the cash, bank and
# e-wallet accounts themselves.
ARUS_KAS = ("operasi", "investasi", "pendanaan", "kas")


@dataclass(frozen=True)
class Account:
    kode: str
    name: str
    description: str
    golongan: str
    arus_kas: str
    per_member: bool = False


CHART: tuple[Account, ...] = (
    Account("1101", KAS, "Kas", "aset-lancar", "kas"),
    Account("1102", BANK, "Bank", "aset-lancar", "kas"),
    Account(
        "1201",
        PIUTANG_PINJAMAN,
        "Piutang pinjaman anggota",
        "aset-lancar",
        "operasi",
        per_member=True,
    ),
    Account(
        "1202",
        PIUTANG_DAGANG,
        "Piutang penjualan kredit anggota",
        "aset-lancar",
        "operasi",
        per_member=True,
    ),
    Account(
        "1203",
        PIUTANG_PELANGGAN,
        "Piutang pelanggan non-anggota",
        "aset-lancar",
        "operasi",
        per_member=True,
    ),
    Account(
        "1209",
        PENYISIHAN_PINJAMAN,
        "Penyisihan piutang pinjaman tak tertagih (kontra aset)",
        "aset-lancar",
        "operasi",
    ),
    Account("3101", POKOK, "Simpanan pokok anggota", "ekuitas", "pendanaan", per_member=True),
    Account("3102", WAJIB, "Simpanan wajib anggota", "ekuitas", "pendanaan", per_member=True),
    Account(
        "2101",
        SUKARELA,
        "Simpanan sukarela anggota",
        "kewajiban-pendek",
        "pendanaan",
        per_member=True,
    ),
    Account(
        "2201",
        UTANG_USAHA,
        "Utang usaha kepada pemasok",
        "kewajiban-pendek",
        "operasi",
        per_member=True,
    ),
    Account(
        "2901",
        UTANG_PENGEMBALIAN,
        "Utang pengembalian simpanan anggota keluar",
        "kewajiban-pendek",
        "pendanaan",
    ),
    Account("3201", CADANGAN, "Cadangan", "ekuitas", "pendanaan"),
    Account("3301", HIBAH, "Hibah", "ekuitas", "pendanaan"),
    Account(
        "3401",
        SHU_BELUM_DIBAGI,
        "SHU tahun buku yang ditutup, belum dibagi",
        "ekuitas",
        "pendanaan",
        per_member=True,
    ),
    Account("2301", DANA_PENGURUS, "Dana pengurus dari SHU", "kewajiban-pendek", "pendanaan"),
    Account("2302", DANA_KARYAWAN, "Dana karyawan dari SHU", "kewajiban-pendek", "pendanaan"),
    Account("2303", DANA_PENDIDIKAN, "Dana pendidikan dari SHU", "kewajiban-pendek", "pendanaan"),
    Account("2304", DANA_SOSIAL, "Dana sosial dari SHU", "kewajiban-pendek", "pendanaan"),
    Account(
        "2401",
        UTANG_SHU,
        "SHU anggota yang belum dibayar",
        "kewajiban-pendek",
        "pendanaan",
        per_member=True,
    ),
    Account(
        "3901", SALDO_AWAL, "Saldo awal (pindahan dari pembukuan lama)", "ekuitas", "pendanaan"
    ),
    Account("4101", JASA_PINJAMAN, "Pendapatan jasa pinjaman", "pendapatan", "operasi"),
    Account("4102", ADMIN_PINJAMAN, "Pendapatan administrasi pinjaman", "pendapatan", "operasi"),
    Account(
        "4103", DENDA_PINJAMAN, "Pendapatan denda keterlambatan angsuran", "pendapatan", "operasi"
    ),
    Account(
        "4104",
        PEMULIHAN_PINJAMAN,
        "Pemulihan piutang yang telah dihapusbukukan",
        "pendapatan-lain",
        "operasi",
    ),
    Account("4901", PENDAPATAN_LAIN, "Pendapatan lain-lain", "pendapatan-lain", "operasi"),
    Account(
        "4902", SELISIH_KAS_LEBIH, "Selisih lebih kas (kas opname)", "pendapatan-lain", "operasi"
    ),
    Account("5101", BEBAN_PENYISIHAN, "Beban penyisihan piutang pinjaman", "beban", "operasi"),
    Account("5201", "Beban:Gaji", "Beban gaji dan honor", "beban", "operasi"),
    Account("5202", "Beban:Listrik-Air", "Beban listrik, air dan telepon", "beban", "operasi"),
    Account("5203", "Beban:ATK", "Beban alat tulis kantor", "beban", "operasi"),
    Account("5204", "Beban:Sewa", "Beban sewa", "beban", "operasi"),
    Account("5205", "Beban:Transportasi", "Beban transportasi", "beban", "operasi"),
    Account("5206", "Beban:Rapat", "Beban rapat dan RAT", "beban", "operasi"),
    Account("5210", "Beban:Administrasi-Bank", "Beban administrasi bank", "beban", "operasi"),
    Account("5298", SELISIH_KAS_KURANG, "Selisih kurang kas (kas opname)", "beban-lain", "operasi"),
    Account("5299", "Beban:Lain-Lain", "Beban lain-lain", "beban-lain", "operasi"),
    Account("5901", BEBAN_PAJAK, "Beban pajak (PPh final 0,5% atau lainnya)", "beban", "operasi"),
)

CHART_BY_NAME = {a.name: a for a in CHART}

NAK_RE = re.compile(r"^[A-Z][A-Z0-9]{0,11}$")


def member_account(parent: str, nak: str) -> str:
    """The member's own sub-account, e.g. Ekuitas:Simpanan-Pokok:A0001."""
    return f"{parent}:{nak}"


def split_member_account(account: str) -> tuple[str, str] | None:
    """(parent, nak) for a member sub-account, None for any other account."""
    parent, _, leaf = account.rpartition(":")
    if parent in MEMBER_SUBLEDGERS and NAK_RE.match(leaf):
        return parent, leaf
    return None


def report_account(account: str) -> str:
    """The line an account shows on in the statements: member, supplier and year
    sub-accounts fold into their chart account."""
    parts = account.split(":")
    for i in range(len(parts) - 1, 0, -1):
        prefix = ":".join(parts[:i])
        acc = CHART_BY_NAME.get(prefix)
        if acc is not None and acc.per_member:
            return prefix
    return account


def kode_for(account: str) -> str | None:
    """The account's code; member sub-accounts carry the parent code and the member number."""
    if account in CHART_BY_NAME:
        return CHART_BY_NAME[account].kode
    parts = split_member_account(account)
    if parts and parts[0] in CHART_BY_NAME:
        return f"{CHART_BY_NAME[parts[0]].kode}.{parts[1]}"
    return None
