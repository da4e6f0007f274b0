"""The desk's everyday rough edges through the real `kkmp` command (issues #17 and #23)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import Cli, snapshot, transactions


@pytest.fixture
def member(cli: Cli) -> Cli:
    assert cli("anggota", "tambah", "Siti Aminah", "--tanggal", "02-01-2025").exit_code == 0
    return cli


def _refused(cli: Cli, *args: str, message: str) -> None:
    before = snapshot(cli.root)
    r = cli(*args)
    assert r.exit_code == 1, r.output
    assert "Galat:" in r.output and message in r.output, r.output
    assert "Traceback" not in r.output
    assert snapshot(cli.root) == before


# --- amounts (#17 item 6) ---


@pytest.mark.parametrize(
    "amount", ["10000000000000000000000000000", "1.000.000.000.000.001", "2000000000jt"]
)
def test_amount_above_the_ceiling_is_refused(member: Cli, amount: str) -> None:
    _refused(
        member,
        *("simpanan", "setor", "A0001", "pokok", amount, "--tanggal", "02-01-2025"),
        message="melebihi batas Rp1.000.000.000.000.000",
    )


def test_amount_at_the_ceiling_is_recorded(member: Cli) -> None:
    r = member("kas", "masuk", "hibah", "1.000.000.000.000.000", "--tanggal", "03-01-2025")
    assert r.exit_code == 0, r.output
    (txn,) = transactions(member.root)
    assert txn.postings[0].units.number == Decimal(10**15)


def test_import_amount_above_the_ceiling_names_the_row(member: Cli, tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    src.write_text(
        "tanggal,nak,jenis,jumlah\n02-01-2025,A0001,wajib,10000000000000000000000000000\n"
    )
    _refused(member, "impor", str(src), "--jenis", "simpanan", message="baris 2: Jumlah")


# --- CSV encodings (#17 item 6) ---


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_csv_in_common_encodings_is_read(member: Cli, tmp_path: Path, encoding: str) -> None:
    src = tmp_path / "s.csv"
    src.write_bytes(
        "tanggal;nak;jenis;jumlah;keterangan\n02-01-2025;A0001;wajib;10.000;Iuran café\n".encode(
            encoding
        )
    )
    r = member("impor", str(src), "--jenis", "simpanan")
    assert r.exit_code == 0, r.output
    (txn,) = transactions(member.root)
    assert "Iuran café" in txn.narration


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 4,
        "tanggal,nak\n".encode("utf-16"),
        b"\x81\x8d\x8f\x90\x9d not cp1252 either",
    ],
)
def test_binary_csv_is_one_sentence(member: Cli, tmp_path: Path, content: bytes) -> None:
    src = tmp_path / "rusak.csv"
    src.write_bytes(content)
    _refused(member, "impor", str(src), "--jenis", "simpanan", message="bukan teks CSV")


# --- import rough edges (#17 item 10) ---


def test_identical_rows_are_named_as_duplicates(member: Cli, tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    src.write_text(
        "tanggal,nak,jenis,jumlah,bukti\n"
        "02-01-2025,A0001,pokok,100.000,K0\n"
        "03-01-2025,A0001,wajib,10.000,K1\n"
        "04-01-2025,A0001,wajib,10.000,K2\n"
        "03-01-2025,A0001,wajib,10.000,K1\n"
    )
    before = snapshot(member.root)
    r = member("impor", str(src), "--jenis", "simpanan")
    assert r.exit_code == 1, r.output
    assert "baris 5: baris 3 dan 5 sama persis (baris ganda)" in r.output, r.output
    assert "sudah tercatat" not in r.output
    assert snapshot(member.root) == before


def test_untouched_template_books_nothing(member: Cli, tmp_path: Path) -> None:
    target = tmp_path / "templat-simpanan.xlsx"
    r = member("impor", "templat", "simpanan", "-o", str(target), koperasi=False)
    assert r.exit_code == 0, r.output
    assert "lembar 'contoh'" in r.output
    workbook = openpyxl.load_workbook(target)
    assert [c.value for c in workbook.worksheets[0][1]][:4] == ["tanggal", "nak", "jenis", "jumlah"]
    assert workbook.worksheets[0].max_row == 1
    assert workbook["contoh"]["B2"].value == "A0001"
    r = member("impor", str(target), "--jenis", "simpanan")
    assert r.exit_code == 0, r.output
    assert "0 baris dibaca: 0 transaksi dicatat" in r.output
    assert transactions(member.root) == []
