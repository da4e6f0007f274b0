"""Corrections and back-dated entries that left the books wrong while `periksa` said they were
clean, found by an adversarial review (#16, "books that cannot silently go wrong"): each is
refused now, or kept right, and `periksa` checks the invariant behind it."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import Cli, ok, refused, reload, transactions

from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Paths


@pytest.fixture
def funded(cli: Cli) -> Cli:
    ok(cli, "kas", "masuk", "hibah", "100jt", "--keterangan", "Hibah modal", "-t", "02-01-2025")
    return cli


def _clean(cli: Cli) -> None:
    r = cli("periksa")
    assert r.exit_code == 0 and "Buku bersih" in r.output, r.output


def _balance(cli: Cli, account: str) -> Decimal:
    return ledger.load(Paths(cli.root), fresh=True).balance(account)


def _doc(said: str, prefix: str) -> str:
    found = [w.strip(".,:()") for w in said.split() if w.strip(".,:()").startswith(prefix)]
    assert found, said
    return found[0]


def _two_buildings(cli: Cli) -> tuple[str, str]:
    a = ok(cli, "aset", "tambah", "Gedung A", "--kelompok", "bangunan", "--harga", "24jt",
           "-t", "10-01-2025")  # fmt: skip
    b = ok(cli, "aset", "tambah", "Gedung B", "--kelompok", "bangunan", "--harga", "48jt",
           "-t", "10-01-2025")  # fmt: skip
    return _doc(a, "BKK-"), _doc(b, "BKK-")


def test_an_asset_purchase_is_not_corrected_under_its_depreciation_or_sale(funded: Cli) -> None:
    bought, _ = _two_buildings(funded)
    ok(funded, "aset", "susut", "--sampai", "2025-06")
    ok(funded, "aset", "lepas", "AT-2025-0001", "-t", "15-07-2025", "--harga", "30jt")
    refused(funded, "koreksi", bought, "--alasan", "salah", "-t", "20-07-2025", says="dilepas")
    _clean(funded)


def test_asset_corrections_go_from_the_last_depreciation_back(funded: Cli) -> None:
    """Depreciation is taken back from its last month, then the purchase; `aset susut` books
    a month again after its correction (it was refused as a twin of the reversed entry)."""
    bought, _ = _two_buildings(funded)
    said = ok(funded, "aset", "susut", "--sampai", "2025-02")
    refused(funded, "koreksi", bought, "--alasan", "salah", "-t", "01-03-2025", says="penyusutan")
    months = [
        t for t in transactions(funded.root)
        if t.meta.get("jenis") == "aset-susut" and t.meta.get("aset") == "AT-2025-0001"
    ]  # fmt: skip
    assert [t.meta["bulan"] for t in months] == ["2025-01", "2025-02"], said
    first, last = (str(t.meta["id"]) for t in months)
    refused(funded, "koreksi", first, "--alasan", "salah", "-t", "01-03-2025", says=last)
    ok(funded, "koreksi", last, "--alasan", "salah bulan", "-t", "01-03-2025")
    ok(funded, "aset", "susut", "--sampai", "2025-03")  # February again, then March
    _clean(funded)
    entries, errors = reload(funded.root)
    assert not errors, errors
    acc = _balance(funded, "Aset:Akumulasi-Penyusutan:Bangunan")
    listed = json.loads(ok(funded, "aset", "daftar", "--per", "31-03-2025", "-f", "json"))
    assert -acc == sum(Decimal(str(a["akumulasi"])) for a in listed["aset"])


def test_periksa_compares_the_fixed_asset_accounts_with_the_register(funded: Cli) -> None:
    _two_buildings(funded)
    # A journal cannot post to them any more (D)...
    refused(
        funded, "jurnal", "--posting", "Aset:Kas=24.000.000",
        "--posting", "Aset:Aset-Tetap:Bangunan=-24.000.000", "--keterangan", "uji",
        "-t", "31-01-2025", says="kkmp aset",
    )  # fmt: skip
    # ...and an entry that slipped past (a hand edit, an older kkmp) is reported.
    year = Paths(funded.root).year_file(2025)
    year.write_text(
        year.read_text()
        + '\n2025-01-31 * "Jual sebagian gedung di luar kkmp"\n'
        + '  id: "BM-2025-900001"\n'
        + "  Aset:Kas                                 24000000 IDR\n"
        + "  Aset:Aset-Tetap:Bangunan                -24000000 IDR\n"
    )
    r = funded("periksa")
    assert r.exit_code != 0 and "Bangunan" in r.output and "buku aset" in r.output, r.output


def test_a_bank_financing_accrual_is_corrected_on_its_own_day_only(funded: Cli) -> None:
    """A reversal on a later day, with the month accrued again, would hold March's interest
    twice until then; on the accrual's own day it is the way out for an instalment recorded
    late (#11)."""
    ok(funded, "pembiayaan", "tambah", "BRI-KDMP", "--kreditur", "Bank BRI", "--plafon", "500jt",
       "--bunga", "6", "--tenor", "72", "--masa-tenggang", "6", "--jatuh-tempo", "12",
       "-t", "12-01-2025")  # fmt: skip
    ok(funded, "pembiayaan", "cair", "BRI-KDMP", "100jt", "-t", "12-01-2025", "--untuk", "Gedung")
    said = ok(funded, "pembiayaan", "akrual", "--bulan", "2025-03")
    refused(funded, "koreksi", _doc(said, "BM-"), "--alasan", "salah", "-t", "15-04-2025",
            says="tanggalnya sendiri (31-03-2025)")  # fmt: skip
    ok(funded, "koreksi", _doc(said, "BM-"), "--alasan", "salah", "-t", "31-03-2025")
    assert _balance(funded, "Kewajiban:Utang-Bunga:BRI-KDMP") == 0
    assert "BM-" in ok(funded, "pembiayaan", "akrual", "--bulan", "2025-03")  # accrued again
    _clean(funded)


def test_a_corrected_wage_payment_leaves_the_payroll(funded: Cli) -> None:
    ok(funded, "kas", "masuk", "hibah", "300jt", "--keterangan", "Hibah 2", "-t", "03-01-2025")
    pay = ("gaji", "bayar", "Yusuf Hidayat", "120jt", "--bulan", "2025-03", "--pegawai",
           "bukan-pegawai", "--jabatan", "Pengawas")  # fmt: skip
    first = ok(funded, *pay, "-t", "25-03-2025")
    ok(funded, "koreksi", _doc(first, "BKK-"), "--alasan", "salah nominal", "-t", "26-03-2025")
    again = ok(funded, *pay, "-t", "26-03-2025")
    assert "3.000.000" in again, again  # PPh 21 as the first time: the first was taken back
    listed = json.loads(ok(funded, "gaji", "daftar", "--tahun", "2025", "-f", "json"))
    text = json.dumps(listed)
    assert "240000000" not in text and "120000000" in text, text
    assert _balance(funded, "Kewajiban:Utang-Pajak:PPh-21") == Decimal("-3000000")
    _clean(funded)


def test_a_back_dated_purchase_does_not_slip_under_a_sale_taken_back(funded: Cli) -> None:
    ok(funded, "gerai", "barang", "tambah", "BERAS-5KG", "--nama", "Beras", "--satuan", "karung",
       "--harga-jual", "65.000", "-t", "02-01-2025")  # fmt: skip
    ok(funded, "gerai", "beli", "BERAS-5KG", "10", "--harga", "50.000", "--pemasok", "Toko",
       "-t", "03-01-2025")  # fmt: skip
    sale = ok(funded, "gerai", "jual", "BERAS-5KG", "5", "-t", "10-01-2025")
    ok(funded, "koreksi", _doc(sale, "BKM-"), "--alasan", "nota batal", "-t", "11-01-2025")
    refused(funded, "gerai", "beli", "BERAS-5KG", "10", "--harga", "30.000", "--pemasok", "Toko",
            "-t", "02-01-2025", says="11-01-2025")  # fmt: skip
    ok(funded, "gerai", "beli", "BERAS-5KG", "10", "--harga", "30.000", "--pemasok", "Toko",
       "-t", "11-01-2025")  # fmt: skip
    assert _balance(funded, "Beban:HPP-Sembako") == 0
    _clean(funded)


def test_a_corrected_tax_payment_stays_in_its_tax_month(funded: Cli) -> None:
    cfg = funded.root / "koperasi.yaml"
    cfg.write_text(cfg.read_text().replace("pph_final: false", "pph_final: true"))
    ok(funded, "gerai", "barang", "tambah", "BERAS-5KG", "--nama", "Beras", "--satuan", "karung",
       "--harga-jual", "65.000", "-t", "02-01-2025")  # fmt: skip
    ok(funded, "gerai", "beli", "BERAS-5KG", "10", "--harga", "50.000", "--pemasok", "Toko",
       "-t", "03-01-2025")  # fmt: skip
    ok(funded, "gerai", "jual", "BERAS-5KG", "5", "-t", "10-01-2025")
    computed = ok(funded, "pajak", "hitung", "--bulan", "2025-01")
    setor = ("pajak", "setor", "pph-final-umkm", "1.625", "--masa", "2025-01", "--via", "kas")
    paid = ok(funded, *setor, "-t", "10-02-2025", "--ntpn", "0123456789ABCDEF")
    # the month's tax is not taken back while its payment stands (it would be paid beyond it)
    refused(funded, "koreksi", _doc(computed, "BM-"), "--alasan", "salah", "-t", "11-02-2025",
            says="Koreksi dulu setoran pajak masa itu")  # fmt: skip
    ok(funded, "koreksi", _doc(paid, "BKK-"), "--alasan", "salah setor", "-t", "15-02-2025")
    ok(funded, *setor, "-t", "16-02-2025", "--ntpn", "0123456789ABCDEG")
    back = [t for t in transactions(funded.root) if t.meta.get("jenis") == "koreksi"]
    assert back and back[0].meta.get("masa") == "2025-01", back
    months = json.loads(ok(funded, "laporan", "pajak", "--tahun", "2025", "-f", "json"))["bulan"]
    assert months[0]["pajak"]["pph-final-umkm"] == {"dipotong": 1625, "disetor": 1625}
    assert months[1]["pajak"]["pph-final-umkm"] == {"dipotong": 0, "disetor": 0}
    _clean(funded)
    # The month's tax taken back (after its payment) is booked again by `pajak hitung`.
    last = [t for t in transactions(funded.root) if t.meta.get("jenis") == "pajak-setor"][-1]
    ok(funded, "koreksi", str(last.meta["id"]), "--alasan", "salah", "-t", "17-02-2025")
    ok(funded, "koreksi", _doc(computed, "BM-"), "--alasan", "salah", "-t", "17-02-2025")
    again = ok(funded, "pajak", "hitung", "--bulan", "2025-01")
    assert "dicatat ulang" in again, again
    assert _balance(funded, "Kewajiban:Utang-Pajak:PPh-Final-UMKM") == Decimal(-1625)
    _clean(funded)


def test_a_time_deposit_cashed_is_not_corrected_at_its_opening(funded: Cli) -> None:
    ok(funded, "anggota", "tambah", "Siti", "-t", "02-01-2025")
    opened = ok(funded, "simpanan", "berjangka", "buka", "A0001", "10jt", "--tenor", "3",
                "--bunga", "6", "-t", "03-01-2025")  # fmt: skip
    code = _doc(opened, "SB-")
    ok(funded, "simpanan", "berjangka", "cair", code, "-t", "03-04-2025")
    refused(funded, "koreksi", _doc(opened, "BKM-"), "--alasan", "salah", "-t", "04-04-2025",
            says="Simpanan-Berjangka")  # fmt: skip
    _clean(funded)


def test_a_credit_purchase_paid_is_not_corrected_into_a_debit_payable(funded: Cli) -> None:
    ok(funded, "gerai", "barang", "tambah", "BERAS-5KG", "--nama", "Beras", "--satuan", "karung",
       "--harga-jual", "65.000", "-t", "02-01-2025")  # fmt: skip
    bought = ok(funded, "gerai", "beli", "BERAS-5KG", "10", "--harga", "60.000", "--pemasok",
                "Toko", "--kredit", "-t", "03-01-2025")  # fmt: skip
    ok(funded, "gerai", "bayar-pemasok", "Toko", "600.000", "-t", "31-01-2025")
    refused(funded, "koreksi", _doc(bought, "BM-"), "--alasan", "salah", "-t", "01-02-2025",
            says="Utang-Usaha")  # fmt: skip
    _clean(funded)


def test_an_asset_from_older_books_enters_with_its_depreciation_so_far(cli: Cli) -> None:
    """`jurnal` may no longer post to fixed-asset accounts: an asset owned before the books
    began comes in by `aset tambah --via saldo-awal` with the depreciation booked in the older
    books; the register and the ledger agree, and depreciation goes on over the months left
    (found by the review of this change, #16)."""
    refused(cli, "aset", "tambah", "Gedung lama", "--kelompok", "bangunan", "--harga", "200jt",
            "--via", "saldo-awal", "--akumulasi", "50jt", "--umur", "120", "-t", "02-01-2025",
            says="31-12-2024")  # fmt: skip
    refused(cli, "aset", "tambah", "Gedung lama", "--kelompok", "bangunan", "--harga", "200jt",
            "--akumulasi", "50jt", "-t", "02-01-2025", says="saldo-awal")  # fmt: skip
    # its purchase day in the old books is not the opening day: every later `susut` failed
    refused(cli, "aset", "tambah", "Gedung lama", "--kelompok", "bangunan", "--harga", "200jt",
            "--via", "saldo-awal", "--akumulasi", "50jt", "--umur", "120", "-t", "01-05-2019",
            says="sehari sebelum buku dimulai: 31-12-2024")  # fmt: skip
    ok(cli, "aset", "tambah", "Gedung lama", "--kelompok", "bangunan", "--harga", "200jt",
       "--via", "saldo-awal", "--akumulasi", "50jt", "--umur", "120", "-t", "31-12-2024")  # fmt: skip
    _clean(cli)
    ok(cli, "aset", "susut", "--sampai", "2025-02")
    months = [t for t in transactions(cli.root) if t.meta.get("jenis") == "aset-susut"]
    assert [(t.meta["bulan"], -ledger.number(t.postings[1])) for t in months] == [
        ("2025-01", Decimal(1_250_000)),  # (200jt - 50jt) over the 120 months left
        ("2025-02", Decimal(1_250_000)),
    ]
    listed = json.loads(ok(cli, "aset", "daftar", "--per", "28-02-2025", "-f", "json"))["aset"]
    assert Decimal(str(listed[0]["akumulasi"])) == Decimal(52_500_000)
    assert _balance(cli, "Aset:Akumulasi-Penyusutan:Bangunan") == Decimal(-52_500_000)
    assert _balance(cli, "Ekuitas:Saldo-Awal") == Decimal(-150_000_000)
    _clean(cli)
