"""Opening balances (saldo awal) dated the day before the books start (#22) and reports over
periods that begin before the books (#14): the opening is known by what kkmp marks it with,
makes no book year of its own, and is never a period's receipts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import Cli, ok, refused, transactions

OPENING = dt.date(2024, 12, 31)
# kas + bank 12.500.000 = simpanan 840.000 + cadangan 11.660.000: no running loan, so nothing
# posts to Ekuitas:Saldo-Awal.
NO_LOANS = """\
tanggal: 31-12-2024
kas: 2.500.000
bank: 10.000.000
simpanan:
  - nak: A0001
    pokok: 100.000
    wajib: 240.000
    sukarela: 500.000
cadangan: 11.660.000
"""


def _opening(cli: Cli, tmp_path: Path, *, joined: str = "30-12-2024") -> None:
    """Siti registered on `joined` (from the old member register), then the opening above."""
    ok(cli, "anggota", "tambah", "Siti Aminah", "--tanggal", joined, "--jk", "P")
    src = tmp_path / "saldo-awal.yaml"
    src.write_text(NO_LOANS, encoding="utf-8")
    ok(cli, "saldo-awal", str(src))


def test_an_opening_without_loans_on_the_day_before_the_books_is_recorded(
    cli: Cli, tmp_path: Path
) -> None:
    """Found by an adversarial review: without a running loan nothing posts to
    Ekuitas:Saldo-Awal, and the writer refused the saldo awal as 'not the saldo awal'. A member
    who joined before the opening day (the old register's date) is part of it."""
    _opening(cli, tmp_path)
    opening = [t for t in transactions(cli.root) if t.date == OPENING]
    assert [t.meta["jenis"] for t in opening] == ["saldo-awal"]
    assert {p.account: int(p.units.number) for p in opening[0].postings} == {
        "Aset:Kas": 2_500_000,
        "Aset:Bank": 10_000_000,
        "Ekuitas:Simpanan-Pokok:A0001": -100_000,
        "Ekuitas:Simpanan-Wajib:A0001": -240_000,
        "Kewajiban:Simpanan-Sukarela:A0001": -500_000,
        "Ekuitas:Cadangan": -11_660_000,
    }
    assert not (cli.root / "jurnal" / "2024.beancount").exists()
    assert cli("periksa").exit_code == 0
    # Nothing else may use that day, whatever it posts to.
    refused(
        cli,
        "kas", "masuk", "Hibah", "50.000", "--keterangan", "Hibah", "--tanggal", "31-12-2024",
        says="Buku kkmp dimulai 01-01-2025; tidak ada catatan bertanggal 31-12-2024",
    )  # fmt: skip
    ok(cli, "simpanan", "setor", "A0001", "wajib", "20.000", "--tanggal", "02-01-2025")
