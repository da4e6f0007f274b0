"""Opening balances (saldo awal) dated the day before the books start (#22) and reports over
periods that begin before the books (#14): the opening is known by what kkmp marks it with,
makes no book year of its own, and is never a period's receipts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from beancount.core import data
from conftest import Cli, ok, refused, reload, transactions

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


def _first_year_booked(cli: Cli, tmp_path: Path) -> None:
    _opening(cli, tmp_path)
    ok(cli, "kas", "keluar", "Listrik", "100.000", "--keterangan", "Listrik",
       "--tanggal", "31-01-2025")  # fmt: skip


def test_the_opening_makes_no_book_year_of_its_own(cli: Cli, tmp_path: Path) -> None:
    """Found by an adversarial review: 'tutup-buku 2025' asked to close 2024 first (the year of
    the opening entry) while its checklist said 2025 was ready; 2024 could be closed and
    reported on as if it were a book year."""
    _first_year_booked(cli, tmp_path)
    out = ok(cli, "tutup-buku", "2025", "--periksa")
    assert "siap ditutup" in out
    refused(cli, "tutup-buku", "2024", says="2024 bukan tahun buku")
    ok(cli, "tutup-buku", "2025")
    entries, errors = reload(cli.root)
    assert errors == []
    seals = [e for e in entries if isinstance(e, data.Custom) and e.type == "tutup-buku"]
    assert [int(s.values[0].value) for s in seals] == [2025]
    assert not (cli.root / "jurnal" / "2024.beancount").exists()


def test_a_year_before_the_books_is_not_closed_without_an_opening(cli: Cli) -> None:
    refused(cli, "tutup-buku", "2024", says="2024 bukan tahun buku")
    out = ok(cli, "tutup-buku", "2024", "--periksa")
    assert "siap ditutup" not in out
    assert "'kkmp tutup-buku 2024' akan menolak: Tahun 2024 bukan tahun buku" in out
