"""One definition per rule (#19): every caller of a rule gets the same answer from one function."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kkmp_cli import config, rat, statements
from kkmp_cli.loans import operations as loan_ops

# Rp10.000.000 of equity accounts and Rp1.500.000 of this year's result not yet closed.
UNCLOSED_YEAR = """
    2025-01-02 * "Hibah modal usaha"
      Aset:Kas                            10000000 IDR
      Ekuitas:Hibah                      -10000000 IDR

    2025-03-01 * "Jasa pinjaman"
      Aset:Kas                             2000000 IDR
      Pendapatan:Simpan-Pinjam:Jasa       -2000000 IDR

    2025-03-02 * "Gaji pengelola"
      Beban:Gaji                            500000 IDR
      Aset:Kas                             -500000 IDR
    """
END = dt.date(2025, 12, 31)


@pytest.fixture
def book(coop_dir, ledger_from_text):
    cfg = coop_dir / "koperasi.yaml"
    cfg.write_text(
        cfg.read_text().replace(
            "  pengurus: []", '  pengurus:\n    - {jabatan: Ketua, nama: "Budi", nak: A0001}'
        )
    )
    return ledger_from_text(UNCLOSED_YEAR)


def test_modal_sendiri_is_the_neraca_equity_with_the_unclosed_result(book) -> None:
    assert statements.unclosed_result(statements.sums(book, None, END)) == 1_500_000
    assert statements.modal_sendiri(book, END) == 11_500_000
    assert statements.neraca(book, 2025).total["total_ekuitas"] == 11_500_000
    assert statements.modal_sendiri(book, dt.date(2025, 1, 1)) == 0


def test_related_party_cap_and_audit_threshold_use_the_same_modal_sendiri(book) -> None:
    # Before #19 the loan cap counted the equity accounts only (10% of Rp10.000.000).
    found = loan_ops.breaches_on(book, "A0001", Decimal(1_200_000), END, None)
    related = [f for f in found if "pengurus/pengawas" in f]
    assert related and "modal sendiri (Rp1.150.000)" in related[0]
    audit = next(
        r for r in rat.checks(book, 2025, config.RatInputs()) if "Audit" in r["pemeriksaan"]
    )
    assert audit["angka"].startswith("modal sendiri Rp11.500.000;")
