"""Opening balances (saldo awal) dated the day before the books start (#22) and reports over
periods that begin before the books (#14): the opening is known by what kkmp marks it with,
makes no book year of its own, and is never a period's receipts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
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
    # The opening's bank money is on the main bank account: reconciled for the year end.
    ok(cli, "kas", "rekonsiliasi", "bank", "--saldo", "10jt", "--per", "31-12-2025")
    out = ok(cli, "tutup-buku", "2025", "--periksa")
    assert "siap ditutup" in out
    refused(cli, "tutup-buku", "2024", says="2024 bukan tahun buku")
    refused(cli, "laporan", "phu", "--tahun", "2024", says="sebelum buku koperasi dimulai")
    refused(cli, "laporan", "pajak", "--tahun", "2024", says="sebelum buku koperasi dimulai")
    refused(cli, "rat", "2024", "-o", str(tmp_path / "rat.html"), says="sebelum buku")
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


@pytest.mark.parametrize(
    "args",
    [
        ("arus-kas", "--bulan", "2024-12"),
        ("arus-kas", "--dari", "01-12-2024", "--sampai", "31-01-2025"),
        ("phu", "--dari", "01-12-2024", "--sampai", "31-01-2025"),
        ("ekuitas", "--triwulan", "2024-Q4"),
        ("ekuitas", "--dari", "31-12-2024", "--sampai", "31-03-2025"),
        ("buku-besar", "Aset:Kas", "--bulan", "2024-12"),
        ("buku-besar", "Aset:Kas", "--dari", "01-12-2024", "--sampai", "31-01-2025"),
        ("bulanan", "2024-12", "-o", "bulanan.html"),
        ("desa", "2024-Q4", "-o", "desa.html"),
    ],
)
def test_a_period_that_starts_before_the_books_is_refused(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """Found by an adversarial review: a cash flow from 01-12-2024 showed the opening balances
    as the period's receipts ('Penerimaan: Cadangan') and opening cash Rp0."""
    _first_year_booked(cli, tmp_path)
    monkeypatch.chdir(tmp_path)
    refused(cli, "laporan", *args, says="sebelum buku koperasi dimulai (01-01-2025)")


def test_the_first_year_compares_its_flows_with_nothing_and_its_balances_with_the_opening(
    cli: Cli, tmp_path: Path
) -> None:
    _first_year_booked(cli, tmp_path)
    flow = json.loads(ok(cli, "laporan", "arus-kas", "--tahun", "2025", "-f", "json"))
    assert (flow["kas_awal"], flow["kas_akhir"]) == (12_500_000, 12_400_000)
    assert flow["tahun_lalu"] == {}  # 2024 is no book year: "—", not the opening as receipts
    assert all(row["nilai"][1] is None for row in flow["baris"])
    phu = json.loads(ok(cli, "laporan", "phu", "--tahun", "2025", "-f", "json"))
    assert all(row["nilai"][1] is None for row in phu["baris"])
    equity = json.loads(ok(cli, "laporan", "ekuitas", "--tahun", "2025", "-f", "json"))
    assert "2024" not in json.dumps(equity["baris"])
    # The balance sheet beside 31-12-2024 is the opening balance sheet, and it may be asked for.
    neraca = json.loads(ok(cli, "laporan", "neraca", "--tahun", "2025", "-f", "json"))
    cash = {
        r["akun"]: r["nilai"] for r in neraca["baris"] if r["akun"] in ("Aset:Kas", "Aset:Bank")
    }
    assert cash == {"Aset:Kas": [2_400_000, 2_500_000], "Aset:Bank": [10_000_000, 10_000_000]}
    opening = json.loads(ok(cli, "laporan", "neraca", "--bulan", "2024-12", "-f", "json"))
    assert {r["akun"]: r["nilai"][0] for r in opening["baris"] if r["akun"] == "Aset:Kas"} == {
        "Aset:Kas": 2_500_000
    }
    trial = json.loads(ok(cli, "laporan", "neraca-saldo", "--per", "31-12-2024", "-f", "json"))
    assert trial["baris"]
    # Its column of a year earlier (31-12-2023) is no day of the books: "—", as the neraca
    # shows it, not Rp0 (adversarial review, #14).
    assert all(row["nilai"][2] is None for row in trial["baris"])
    text = ok(cli, "laporan", "neraca-saldo", "--per", "31-12-2024")
    assert all(line.rstrip().endswith("— │") for line in text.splitlines() if "Aset:" in line)
    later = json.loads(ok(cli, "laporan", "neraca-saldo", "--per", "31-12-2025", "-f", "json"))
    assert {r["akun"]: r["nilai"][2] for r in later["baris"] if r["akun"] == "Aset:Kas"} == {
        "Aset:Kas": 2_500_000
    }
    said = refused(cli, "laporan", "neraca", "--bulan", "2024-11", says="sebelum buku koperasi")
    # The first balance is on the opening day, not the books' first day (review, #14).
    assert "saldo paling awal per 31-12-2024" in " ".join(said.split())


def test_a_relative_folder_path_records_the_opening(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a helper: `kkmp -k kop saldo-awal …` with a folder named relative to the
    working directory ended in a traceback (the writer's working copies were keyed by the
    folder's relative name and by the absolute name the ledger's entries carry). The folder
    is made absolute where it is chosen, so every file has one name."""
    monkeypatch.chdir(cli.root.parent)
    relative = Cli(Path(cli.root.name))
    _opening(relative, tmp_path)
    assert [t.meta["jenis"] for t in transactions(cli.root) if t.date == OPENING] == ["saldo-awal"]
    assert relative("periksa").exit_code == 0
