"""`kkmp koreksi`: which entries a linked reversal may undo, judged over the whole timeline
(issue #23 items 2, 3, 4 and the SHU part of "Also"; issue #17 item 10)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import Cli, transactions
from conftest import ok as _ok
from conftest import refused as _refused

from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.loans import checks

D = Decimal


def _balances(cli: Cli) -> dict[str, Decimal]:
    return ledger.load(Paths(cli.root), fresh=True).balances()


def _doc(cli: Cli, jenis: str) -> str:
    return next(str(t.meta["id"]) for t in transactions(cli.root) if t.meta.get("jenis") == jenis)


def _loan(cli: Cli, loan_id: str = "PJ-2025-0001") -> dict:
    listing = json.loads(cli("pinjaman", "daftar", "--semua", "-f", "json").output)
    return next(p for p in listing["pinjaman"] if p["id"] == loan_id)


@pytest.fixture
def loan(kdmp: Cli) -> Cli:
    """The issue's base (conftest `kdmp`): PJ-2025-0001 of A0001 on 01-02-2025."""
    return kdmp


def test_disbursement_with_instalments_is_refused_naming_them(loan: Cli) -> None:
    cair = _doc(loan, "pinjaman-cair")
    _ok(loan, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "01-03-2025")
    angsur = _doc(loan, "pinjaman-angsur")
    out = _refused(loan, "koreksi", cair, "--alasan", "salah", "--tanggal", "05-03-2025")
    assert f"{angsur} (01-03-2025)" in out and "Koreksi dulu" in out
    assert _balances(loan)["Aset:Piutang-Pinjaman:A0001"] == D(1_100_000)
    # Once the instalment is reversed, the disbursement may be: the loan is cancelled.
    _ok(loan, "koreksi", angsur, "--alasan", "salah", "--tanggal", "05-03-2025")
    _ok(loan, "koreksi", cair, "--alasan", "salah", "--tanggal", "05-03-2025")
    assert _balances(loan)["Aset:Piutang-Pinjaman:A0001"] == 0
    assert _loan(loan)["status"] == "dibatalkan"
    out = _refused(loan, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "06-03-2025")
    assert "dibatalkan" in out
    out = _refused(loan, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "04-03-2025")
    assert "dibatalkan dengan koreksi pada 05-03-2025" in out
    assert checks.findings(ledger.load(Paths(loan.root), fresh=True)) == []


def test_reversal_carries_what_it_reverses(loan: Cli) -> None:
    _ok(loan, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "01-03-2025")
    angsur = _doc(loan, "pinjaman-angsur")
    _ok(loan, "koreksi", angsur, "--alasan", "dobel", "--tanggal", "02-03-2025")
    reversal = next(t for t in transactions(loan.root) if t.meta.get("jenis") == "koreksi")
    assert reversal.meta["koreksi"] == angsur
    assert reversal.meta["jenis_asal"] == "pinjaman-angsur"
    assert reversal.links == {"PJ-2025-0001"} and reversal.meta["pinjaman"] == "PJ-2025-0001"
    assert _loan(loan)["sisa_pokok"] == 1_200_000
    # The same instalment can be paid again: jasa is owed once more, not twice.
    _ok(loan, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "03-03-2025")
    assert _balances(loan)["Pendapatan:Simpan-Pinjam:Jasa"] == -D(12_000)


@pytest.mark.parametrize(
    ("ending", "jenis", "word"),
    [
        (
            ["hapus-buku", "PJ-2025-0001", "--alasan", "Meninggal", "--tanggal", "15-06-2025"],
            "pinjaman-hapus",
            "hapus buku pinjaman tidak dapat dikoreksi",
        ),
        (
            [
                "restrukturisasi",
                "PJ-2025-0001",
                "--tenor",
                "12",
                "--jasa",
                "1",
                "--alasan",
                "Gagal panen",
                "--tanggal",
                "15-06-2025",
                "--jasa-tertunggak",
                "hapus",
            ],
            "pinjaman-restruktur",
            "restrukturisasi pinjaman tidak dapat dikoreksi",
        ),
    ],
)
def test_write_off_and_restructuring_are_not_correctable(
    loan: Cli, ending: list[str], jenis: str, word: str
) -> None:
    _ok(loan, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "01-03-2025")
    _ok(loan, "pinjaman", *ending)
    doc = _doc(loan, jenis)
    out = _refused(loan, "koreksi", doc, "--alasan", "salah", "--tanggal", "16-06-2025")
    assert word in out
    # Nor the instalment the write-off or restructuring was computed with.
    angsur = _doc(loan, "pinjaman-angsur")
    out = _refused(loan, "koreksi", angsur, "--alasan", "salah", "--tanggal", "16-06-2025")
    assert f"{doc} (15-06-2025)" in out
    assert checks.findings(ledger.load(Paths(loan.root), fresh=True)) == []


def _closed_2025(cli: Cli) -> None:
    _ok(cli, "anggota", "tambah", "Satu", "--tanggal", "02-01-2025")
    _ok(cli, "simpanan", "setor", "A0001", "pokok", "100.000", "--tanggal", "02-01-2025")
    _ok(cli, "kas", "masuk", "lain", "1jt", "--keterangan", "x", "--tanggal", "05-01-2025")
    _ok(cli, "tutup-buku", "2025")


def test_closing_entry_is_not_correctable(cli: Cli) -> None:
    _closed_2025(cli)
    doc = _doc(cli, "tutup-buku")
    out = _refused(cli, "koreksi", doc, "--alasan", "salah", "--tanggal", "02-01-2026")
    assert "jurnal tutup buku tidak dapat dikoreksi" in out
    assert cli("periksa").exit_code == 0


def test_shu_distribution_is_not_correctable(cli: Cli) -> None:
    _closed_2025(cli)
    _ok(cli, "shu", "bagikan", "2025", "--tanggal", "15-03-2026", "--ke", "utang")
    doc = _doc(cli, "shu-bagi")
    out = _refused(cli, "koreksi", doc, "--alasan", "salah", "--tanggal", "16-03-2026")
    assert "pembagian SHU tidak dapat dikoreksi" in out and "kkmp jurnal" in out


@pytest.fixture
def gerai(cli: Cli) -> Cli:
    _ok(cli, "kas", "masuk", "hibah", "1jt", "--keterangan", "Modal", "--tanggal", "02-01-2025")
    _ok(
        cli,
        "gerai",
        "barang",
        "tambah",
        "BERAS-5KG",
        "--nama",
        "Beras 5 kg",
        "--satuan",
        "karung",
        "--harga-jual",
        "65.000",
    )
    _ok(
        cli,
        "gerai",
        "beli",
        "BERAS-5KG",
        "10",
        "--harga",
        "60.000",
        "--pemasok",
        "Toko",
        "--tanggal",
        "03-01-2025",
    )
    return cli


@pytest.mark.parametrize("when", ["05-01-2025", "05-01-2026"])
def test_purchase_partly_sold_is_refused_in_indonesian(gerai: Cli, when: str) -> None:
    sold_on = "04-01-2025" if when.endswith("2025") else "04-01-2026"
    _ok(gerai, "gerai", "jual", "BERAS-5KG", "4", "--tanggal", sold_on)
    if when.endswith("2026"):
        _ok(gerai, "tutup-buku", "2025", "--abaikan", "opname", "--alasan", "uji koreksi")
    beli, jual = _doc(gerai, "gerai-beli"), _doc(gerai, "gerai-jual")
    out = _refused(gerai, "koreksi", beli, "--alasan", "salah", "--tanggal", when)
    assert "dari 10 BERAS-5KG yang dibeli, tinggal 6 di persediaan" in out
    assert f"{jual} ({sold_on})" in out and "kkmp gerai opname" in out
    assert "lots" not in out and "CostSpec" not in out


def test_purchase_still_in_stock_is_correctable(gerai: Cli) -> None:
    beli = _doc(gerai, "gerai-beli")
    _ok(gerai, "koreksi", beli, "--alasan", "salah", "--tanggal", "05-01-2025")
    book = ledger.load(Paths(gerai.root), fresh=True)
    assert book.balance("Aset:Kas") == D(1_000_000)
    assert book.inventory("Aset:Persediaan:Sembako").is_empty()


def test_payment_reversal_dated_before_the_payoff_is_refused(loan: Cli) -> None:
    _ok(loan, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "01-03-2025")
    _ok(loan, "pinjaman", "lunasi", "PJ-2025-0001", "--tanggal", "15-06-2025")
    angsur = _doc(loan, "pinjaman-angsur")
    out = _refused(loan, "koreksi", angsur, "--alasan", "dobel", "--tanggal", "01-04-2025")
    assert "sebelum pinjaman PJ-2025-0001 selesai" in out and "15-06-2025 atau sesudahnya" in out
    # Dated after the payoff it is accepted: the loan owes that instalment again.
    _ok(loan, "koreksi", angsur, "--alasan", "dobel", "--tanggal", "16-06-2025")
    assert _loan(loan)["status"] == "berjalan" and _loan(loan)["sisa_pokok"] == 100_000
    assert checks.findings(ledger.load(Paths(loan.root), fresh=True)) == []


def test_entry_on_closed_accounts_is_refused_in_indonesian(loan: Cli) -> None:
    """A deposit of a member who left (the koreksi of the exit itself takes the exit back, #17)."""
    _ok(loan, "anggota", "keluar", "A0002", "--alasan", "Pindah", "--tanggal", "01-03-2025")
    doc = next(
        str(t.meta["id"])
        for t in transactions(loan.root)
        if t.meta.get("anggota") == "A0002" and t.meta.get("jenis") != "keluar-anggota"
    )
    out = _refused(loan, "koreksi", doc, "--alasan", "salah", "--tanggal", "02-03-2025")
    assert "Simpanan-Pokok:A0002" in out and "sudah ditutup" in out
    assert "inactive" not in out
