"""The chart of accounts (bagan akun): names, Indonesian 1-/2-/3-/4-/5- codes, member sub-accounts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
# Beancount's own earnings account (account_current_earnings = account_previous_earnings, set in
# the main file): tutup-buku moves the year's SHU from here into SHU-Belum-Dibagi:YEAR and
# leaves income and expenses untouched, so Fava reads each year right (#14).
SHU_TAHUN_BERJALAN = "Ekuitas:SHU-Tahun-Berjalan"
# A year's loss the RAT decided to carry forward rather than cover from the reserve now (#5).
RUGI_BELUM_DITUTUP = "Ekuitas:Rugi-Belum-Ditutup"
EARNINGS_LEAF = SHU_TAHUN_BERJALAN.split(":", 1)[1]
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
# A fixed asset bought on credit (`aset tambah --via utang`): paying it is investing (#11, #14).
UTANG_ASET = "Kewajiban:Utang-Aset"
PENDAPATAN_LAIN = "Pendapatan:Lain-Lain"
# QRIS receipts wait here until the acquirer settles them into a bank account, less its MDR fee
# (`kkmp kas pindah qris bri JUMLAH --biaya MDR`); both accounts open on first use (#10).
KLIRING_QRIS = "Aset:Kliring-QRIS"
BEBAN_MDR = "Beban:MDR-QRIS"
BEBAN_BANK = "Beban:Administrasi-Bank"
BEBAN_PAJAK = "Beban:Pajak"
# Tax payables are Kewajiban:Utang-Pajak:<Jenis> (#12; `kkmp pajak setor JENIS` pays any of them).
UTANG_PAJAK = "Kewajiban:Utang-Pajak"
UTANG_PPH_FINAL = f"{UTANG_PAJAK}:PPh-Final-UMKM"
UTANG_PPH_21 = f"{UTANG_PAJAK}:PPh-21"
UTANG_BPJS = "Kewajiban:Utang-BPJS"
# A tax month paid beyond what it owes after a correction (lebih bayar), one sub-account per tax
# payable's leaf (Aset:Lebih-Bayar-Pajak:PPh-21): asked back from the tax office (`pajak
# restitusi`) or, for PPh 21, set against a later month's (`pajak kompensasi`).
LEBIH_BAYAR_PAJAK = "Aset:Lebih-Bayar-Pajak"
# The cooperative's own money (#11): bank financing (one sub-account per facility code) and
# fixed assets (one account per kelompok, cost and accumulated depreciation apart).
UTANG_BANK = "Kewajiban:Utang-Bank"
UTANG_BUNGA = "Kewajiban:Utang-Bunga"
UTANG_TALANGAN = "Kewajiban:Utang-Talangan"
BEBAN_BUNGA = "Beban:Bunga-Pinjaman"
ASET_TETAP = "Aset:Aset-Tetap"
AKUMULASI_PENYUSUTAN = "Aset:Akumulasi-Penyusutan"
BEBAN_PENYUSUTAN = "Beban:Penyusutan"
LABA_PELEPASAN_ASET = "Pendapatan:Laba-Pelepasan-Aset"
RUGI_PELEPASAN_ASET = "Beban:Rugi-Pelepasan-Aset"
# kelompok (as `aset tambah --kelompok` takes it) -> account component, description
ASSET_GROUPS = {
    "Tanah": "tanah",
    "Bangunan": "bangunan",
    "Kendaraan": "kendaraan",
    "Mesin": "mesin",
    "Peralatan": "peralatan",
    "Inventaris-Kantor": "inventaris kantor",
}
# SHU and USP rules (#13): the village's imbal jasa (Permendesa 10/2025 Pasal 7), accrued loan
# jasa (SAK EP), jasa capitalised by a restructuring (deferred until paid) and forgiven jasa.
IMBAL_JASA_DESA = "Kewajiban:Imbal-Jasa-Desa"
PIUTANG_JASA = "Aset:Piutang-Jasa-Pinjaman"
JASA_DITANGGUHKAN = "Kewajiban:Jasa-Pinjaman-Ditangguhkan"
BEBAN_JASA_DIBEBASKAN = "Beban:Simpan-Pinjam:Jasa-Dibebaskan"
# A cash count (kas opname) that differs from the books: shortage and surplus (#22).
SELISIH_KAS_KURANG = "Beban:Selisih-Kas"
SELISIH_KAS_LEBIH = "Pendapatan:Selisih-Kas"
# Savings products of the USP (#12): time deposits per member, the interest paid on sukarela
# and time deposits (an expense of the simpan-pinjam unit), the early-withdrawal penalty, and
# the final PPh withheld on that interest (PP 15/2009), paid by `kkmp pajak setor`.
BERJANGKA = "Kewajiban:Simpanan-Berjangka"
BEBAN_JASA_SIMPANAN = "Beban:Simpan-Pinjam:Jasa-Simpanan"
# Interest on time deposits earned by the year end and not yet paid (SAK EP accrual).
BUNGA_BERJANGKA = "Kewajiban:Bunga-Simpanan-Berjangka"
PENALTI_BERJANGKA = "Pendapatan:Simpan-Pinjam:Penalti-Berjangka"
UTANG_PPH_BUNGA = "Kewajiban:Utang-Pajak:PPh-Final-Bunga"

# Every kind of simpanan a member holds, in the order every listing by kind shows them: pokok
# and wajib are equity, sukarela and berjangka liabilities (domain.md §2; the parent's root says
# which). `simpanan setor/tarik` move the first three (SIMPANAN_ACCOUNTS); berjangka moves only
# by `simpanan berjangka buka/cair`.
SIMPANAN = {"pokok": POKOK, "wajib": WAJIB, "sukarela": SUKARELA, "berjangka": BERJANGKA}
SIMPANAN_ACCOUNTS = {k: SIMPANAN[k] for k in ("pokok", "wajib", "sukarela")}
SIMPANAN_LABELS = {k: f"simpanan {k}" for k in SIMPANAN}
MEMBER_PARENTS = (POKOK, WAJIB, SUKARELA)
MEMBER_SUBLEDGERS = (
    POKOK,
    WAJIB,
    SUKARELA,
    PIUTANG_PINJAMAN,
    PIUTANG_DAGANG,
    UTANG_SHU,
    BERJANGKA,
)


# Accounts a kkmp command keeps with its own sub-ledger (loan schedules, member balances, the
# year's SHU), and the income and costs a command reckons from it (a facility's or a loan's
# interest, savings interest, depreciation: booked by hand they stay owed, and the command books
# them again, #11): `jurnal`, `kas keluar/masuk` and `impor` refuse them and koperasi.yaml may
# not name them as an SHU pool's `akun` (#13); `journal.KEPT_BY_COMMANDS` is this list.
KEPT_BY_COMMANDS = (
    (PIUTANG_PINJAMAN, "kkmp pinjaman"),
    (PENYISIHAN_PINJAMAN, "kkmp pinjaman cadangkan / hapus-buku"),
    (PIUTANG_JASA, "kkmp pinjaman akrual / angsur"),
    (JASA_DITANGGUHKAN, "kkmp pinjaman restrukturisasi / angsur"),
    (POKOK, "kkmp simpanan"),
    (WAJIB, "kkmp simpanan"),
    (SUKARELA, "kkmp simpanan"),
    (BERJANGKA, "kkmp simpanan berjangka"),
    (BUNGA_BERJANGKA, "kkmp simpanan berjangka akrual / cair"),
    (UTANG_SHU, "kkmp shu"),
    (LEBIH_BAYAR_PAJAK + ":", "kkmp pajak hitung / restitusi / kompensasi"),
    # Only the members' payables: the whole account an older kkmp used stays payable here (#23).
    (UTANG_PENGEMBALIAN + ":", "kkmp anggota bayar-pengembalian"),
    (SHU_BELUM_DIBAGI, "kkmp tutup-buku / shu bagikan"),
    (PIUTANG_DAGANG, "kkmp gerai"),
    ("Aset:Persediaan", "kkmp gerai"),
    (UTANG_BANK, "kkmp pembiayaan"),
    (UTANG_BUNGA, "kkmp pembiayaan akrual / bayar"),
    (BEBAN_BUNGA, "kkmp pembiayaan bayar / akrual"),
    (JASA_PINJAMAN, "kkmp pinjaman angsur / akrual"),
    (BEBAN_JASA_SIMPANAN, "kkmp simpanan jasa / simpanan berjangka"),
    (BEBAN_PENYUSUTAN, "kkmp aset susut"),
    (ASET_TETAP, "kkmp aset"),
    (AKUMULASI_PENYUSUTAN, "kkmp aset susut / lepas"),
)


def kept_by(account: str) -> str | None:
    """The kkmp command that keeps `account` (or the account it is under), or None."""
    for prefix, command in KEPT_BY_COMMANDS:
        if account == prefix or account.startswith(prefix.rstrip(":") + ":"):
            return command
    return None


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


# The built-in `--via` choices; a cooperative adds its own cash, bank and e-wallet accounts
# (`kkmp kas rekening tambah`), which `accounts.via` resolves from the books (#10).
CASH_ACCOUNTS = {"kas": KAS, "bank": BANK, "qris": KLIRING_QRIS}
# Document number prefixes: bukti kas/bank masuk and keluar; BM is a memorial (non-cash) entry.
DOC_IN = {"kas": "BKM", "bank": "BBM"}
DOC_OUT = {"kas": "BKK", "bank": "BBK"}
# Kinds of cash account (`--jenis` of `kas rekening tambah`): where each one lives, its code
# family and its voucher kind (cash uses the kas vouchers, bank and e-wallet the bank ones).
REKENING_JENIS = {
    "kas": (KAS, "1101", "kas"),
    "bank": (BANK, "1102", "bank"),
    "dompet-digital": ("Aset:Dompet-Digital", "1104", "bank"),
}


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
    # Opened when an entry first uses it, not in every new cooperative's akun.beancount.
    on_use: bool = False


CHART: tuple[Account, ...] = (
    Account("1101", KAS, "Kas", "aset-lancar", "kas"),
    Account("1102", BANK, "Bank", "aset-lancar", "kas"),
    Account(
        "1103",
        KLIRING_QRIS,
        "Penerimaan QRIS belum disetor ke rekening (kliring)",
        "aset-lancar",
        "kas",
        on_use=True,
    ),
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
        "2203",
        UTANG_ASET,
        "Utang pembelian aset tetap",
        "kewajiban-pendek",
        "investasi",
        per_member=True,
    ),
    Account(
        "2901",
        UTANG_PENGEMBALIAN,
        "Utang pengembalian simpanan anggota keluar",
        "kewajiban-pendek",
        "pendanaan",
        per_member=True,  # one payable per member who left (#23); older books used it whole
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
    Account(
        "3402",
        SHU_TAHUN_BERJALAN,
        "SHU tahun berjalan (dipindahkan ke SHU belum dibagi saat tutup buku)",
        "ekuitas",
        "pendanaan",
        on_use=True,
    ),
    Account(
        "3403",
        RUGI_BELUM_DITUTUP,
        "Rugi tahun buku lalu yang belum ditutup (keputusan RAT)",
        "ekuitas",
        "pendanaan",
        on_use=True,
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
    Account(
        "2305",
        IMBAL_JASA_DESA,
        "Imbal jasa Pemerintah Desa dari SHU (Permendesa 10/2025)",
        "kewajiban-pendek",
        "pendanaan",
    ),
    Account("1204", PIUTANG_JASA, "Piutang jasa pinjaman (akrual)", "aset-lancar", "operasi"),
    Account(
        "2306",
        JASA_DITANGGUHKAN,
        "Jasa pinjaman dikapitalisasi saat restrukturisasi (ditangguhkan)",
        "kewajiban-pendek",
        "operasi",
    ),
    Account(
        "5102",
        BEBAN_JASA_DIBEBASKAN,
        "Jasa pinjaman yang dibebaskan saat restrukturisasi",
        "beban",
        "operasi",
    ),
    Account("4901", PENDAPATAN_LAIN, "Pendapatan lain-lain", "pendapatan-lain", "operasi"),
    Account(
        "4903", SELISIH_KAS_LEBIH, "Selisih lebih kas (kas opname)", "pendapatan-lain", "operasi"
    ),
    Account("5101", BEBAN_PENYISIHAN, "Beban penyisihan piutang pinjaman", "beban", "operasi"),
    Account("5201", "Beban:Gaji", "Beban gaji dan honor", "beban", "operasi"),
    Account("5202", "Beban:Listrik-Air", "Beban listrik, air dan telepon", "beban", "operasi"),
    Account("5203", "Beban:ATK", "Beban alat tulis kantor", "beban", "operasi"),
    Account("5204", "Beban:Sewa", "Beban sewa", "beban", "operasi"),
    Account("5205", "Beban:Transportasi", "Beban transportasi", "beban", "operasi"),
    Account("5206", "Beban:Rapat", "Beban rapat dan RAT", "beban", "operasi"),
    Account("5210", BEBAN_BANK, "Beban administrasi bank", "beban", "operasi"),
    Account(
        "5211",
        BEBAN_MDR,
        "Beban MDR QRIS (potongan penyedia jasa)",
        "beban",
        "operasi",
        on_use=True,
    ),
    Account("5298", SELISIH_KAS_KURANG, "Selisih kurang kas (kas opname)", "beban-lain", "operasi"),
    Account("5299", "Beban:Lain-Lain", "Beban lain-lain", "beban-lain", "operasi"),
    Account("5901", BEBAN_PAJAK, "Beban pajak (PPh final 0,5% atau lainnya)", "beban", "operasi"),
    # --- The cooperative's own money (#11): bank financing and fixed assets ---
    *(
        Account(f"150{i}", f"{ASET_TETAP}:{c}", f"Aset tetap: {d}", "aset-tetap", "investasi")
        for i, (c, d) in enumerate(ASSET_GROUPS.items(), start=1)
    ),
    *(
        Account(
            f"151{i}",
            f"{AKUMULASI_PENYUSUTAN}:{c}",
            f"Akumulasi penyusutan {d} (kontra aset)",
            "aset-tetap",
            "investasi",
        )
        for i, (c, d) in enumerate(ASSET_GROUPS.items(), start=1)
        if c != "Tanah"
    ),
    Account(
        "2202",
        UTANG_BUNGA,
        "Utang bunga pembiayaan bank (akrual)",
        "kewajiban-pendek",
        "operasi",
        per_member=True,
    ),
    Account(
        "2501",
        UTANG_BANK,
        "Utang bank (pembiayaan PMK 49/2025 dan lainnya)",
        "kewajiban-panjang",
        "pendanaan",
        per_member=True,
    ),
    Account(
        "2902",
        UTANG_TALANGAN,
        "Utang talangan angsuran (mis. Dana Desa, Permendesa 10/2025)",
        "kewajiban-pendek",
        "pendanaan",
        per_member=True,
    ),
    Account(
        "4902", LABA_PELEPASAN_ASET, "Laba pelepasan aset tetap", "pendapatan-lain", "investasi"
    ),
    Account("5301", BEBAN_PENYUSUTAN, "Beban penyusutan aset tetap", "beban", "operasi"),
    # --- Savings products (#12) ---
    Account(
        "2102",
        BERJANGKA,
        "Simpanan berjangka anggota",
        "kewajiban-pendek",
        "pendanaan",
        per_member=True,
    ),
    Account(
        "2103",
        BUNGA_BERJANGKA,
        "Bunga simpanan berjangka yang masih harus dibayar (akrual akhir tahun)",
        "kewajiban-pendek",
        "operasi",
        on_use=True,
    ),
    Account(
        "2603",
        UTANG_PPH_BUNGA,
        "Utang PPh final atas bunga simpanan anggota (PP 15/2009)",
        "kewajiban-pendek",
        "operasi",
        on_use=True,
    ),
    Account(
        "4105",
        PENALTI_BERJANGKA,
        "Pendapatan penalti pencairan simpanan berjangka sebelum jatuh tempo",
        "pendapatan",
        "operasi",
        on_use=True,
    ),
    Account(
        "5103",
        BEBAN_JASA_SIMPANAN,
        "Beban jasa simpanan sukarela dan berjangka",
        "beban",
        "operasi",
        on_use=True,
    ),
    Account("5801", BEBAN_BUNGA, "Beban bunga pembiayaan bank", "beban-lain", "operasi"),
    # --- Taxes and wages (#12) ---
    Account(
        "2701",
        UTANG_PPH_FINAL,
        "Utang PPh final 0,5% (PP 55/2022)",
        "kewajiban-pendek",
        "operasi",
        on_use=True,
    ),
    Account(
        "2702",
        UTANG_PPH_21,
        "Utang PPh Pasal 21 dipotong dari gaji dan honor",
        "kewajiban-pendek",
        "operasi",
        on_use=True,
    ),
    Account(
        "2710",
        UTANG_BPJS,
        "Utang iuran BPJS (bagian pegawai dan koperasi)",
        "kewajiban-pendek",
        "operasi",
        on_use=True,
    ),
    *(
        Account(
            f"170{i}",
            f"{LEBIH_BAYAR_PAJAK}:{payable.rpartition(':')[2]}",
            f"Kelebihan pembayaran {what} (lebih bayar)",
            "aset-lancar",
            "operasi",
            on_use=True,
        )
        for i, (payable, what) in enumerate(
            (
                (UTANG_PPH_FINAL, "PPh final 0,5%"),
                (UTANG_PPH_21, "PPh Pasal 21"),
                (UTANG_PPH_BUNGA, "PPh final atas bunga simpanan"),
            ),
            start=1,
        )
    ),
    Account("5802", RUGI_PELEPASAN_ASET, "Rugi pelepasan aset tetap", "beban-lain", "investasi"),
)

CHART_BY_NAME = {a.name: a for a in CHART}


def overpayment_account(payable: str) -> str | None:
    """The chart's lebih-bayar account of a tax payable (None when the chart has none)."""
    account = f"{LEBIH_BAYAR_PAJAK}:{payable.rpartition(':')[2]}"
    return account if account in CHART_BY_NAME else None


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


def is_nominal(account: str) -> bool:
    """An income or expense account: tutup-buku closes its years into SHU without emptying it
    (#14), so what it holds on a day is that year's figure (its balance less the year before)."""
    return account.split(":", 1)[0] in (ROOTS["name_income"], ROOTS["name_expenses"])


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


# --- what any account is: golongan, cash-flow class, label, code (#10) ---

# The open-directive metadata that classes an account; the year seal leaves these out, so
# classing an account (or an older ledger getting its classes) never breaks a closed year.
GOLONGAN_KEY = "golongan"
ARUS_KAS_KEY = "arus-kas"
CLASS_META = (GOLONGAN_KEY, ARUS_KAS_KEY)
# What an account of an older ledger (or one opened by hand) is when neither its own open
# directive, nor a parent's, nor the chart says more: the usual class of its root.
ROOT_DEFAULTS = {
    "Aset": ("aset-lancar", "operasi"),
    "Kewajiban": ("kewajiban-pendek", "operasi"),
    "Ekuitas": ("ekuitas", "pendanaan"),
    "Pendapatan": ("pendapatan", "operasi"),
    "Beban": ("beban", "operasi"),
}
# The cash-flow class an added account takes when `--arus-kas` is not given.
ARUS_KAS_DEFAULT = {
    "aset-lancar": "operasi",
    "aset-tetap": "investasi",
    "aset-lain": "investasi",
    "kewajiban-pendek": "operasi",
    "kewajiban-panjang": "pendanaan",
    "ekuitas": "pendanaan",
    "pendapatan": "operasi",
    "pendapatan-lain": "operasi",
    "beban": "operasi",
    "beban-lain": "operasi",
}


@dataclass(frozen=True)
class Info:
    """What the books say an account is (see `describe`)."""

    akun: str
    kode: str | None
    label: str
    golongan: str
    arus_kas: str
    unit: str | None = None


def valid_class(account: str, meta: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """(golongan, arus-kas) from an open directive's metadata, when both are there and right
    for the account's root; None otherwise."""
    if not meta:
        return None
    golongan, arus = meta.get(GOLONGAN_KEY), meta.get(ARUS_KAS_KEY)
    if GOLONGAN_ROOT.get(str(golongan)) != account.split(":", 1)[0] or arus not in ARUS_KAS:
        return None
    return str(golongan), str(arus)


def describe(account: str, metas: Mapping[str, Mapping[str, Any] | None]) -> Info:
    """The account's golongan, cash-flow class, label, code and unit: its own open directive's
    metadata first (`metas`: account -> open metadata), then the chart, then the nearest parent
    that says (a member's or a bank's sub-account is what its parent is), then its root."""
    own = metas.get(account) or {}
    kode = own.get("kode")
    known = CHART_BY_NAME.get(account)
    label = own.get("keterangan") or (known.description if known else None)
    cls: tuple[str, str] | None = None
    unit = own.get("unit")
    name = account
    while name and cls is None:
        cls = valid_class(name, metas.get(name))
        if cls is None and name in CHART_BY_NAME:
            cls = (CHART_BY_NAME[name].golongan, CHART_BY_NAME[name].arus_kas)
        unit = unit or (metas.get(name) or {}).get("unit")
        name = name.rpartition(":")[0]
    if cls is None:
        cls = ROOT_DEFAULTS.get(account.split(":", 1)[0], ("aset-lancar", "operasi"))
    return Info(
        account,
        str(kode) if kode else kode_for(account),
        str(label) if label else account.split(":", 1)[-1].replace("-", " ").replace(":", " - "),
        cls[0],
        cls[1],
        str(unit) if unit else None,
    )


def needs_class(account: str) -> bool:
    """Whether an account's open directive carries golongan and arus-kas itself: every account
    but the sub-accounts of a per-member chart account (a member's, a supplier's, a year's),
    which are what their parent is."""
    return report_account(account) == account
