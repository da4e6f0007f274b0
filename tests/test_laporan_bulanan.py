"""`kkmp laporan bulanan` (the month's pack for the pengurus and pengawas meeting) and
`kkmp laporan desa` (the quarterly report to the kepala desa, Permendesa 10/2025 Pasal 9) (#14)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kkmp_cli import money
from tests.conftest import Cli, ok, refused, snapshot


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_monthly_pack_of_the_demo(demo_root: Path, tmp_path: Path, fmt: str) -> None:
    cli = Cli(demo_root)
    out = tmp_path / f"september.{fmt}"
    before = snapshot(demo_root)
    r = cli("laporan", "bulanan", "2025-09", "-o", str(out), "--format", fmt)
    assert r.exit_code == 0, r.output
    assert snapshot(demo_root) == before
    text = out.read_text()
    assert "{{" not in text and "{%" not in text
    for heading in (
        "Laporan Bulanan September 2025",
        "Neraca",
        "PHU bulan ini",
        "PHU sejak awal tahun",
        "Arus kas",
        "Simpanan",
        "Pinjaman",
        "NPL",
        "Persediaan",
        "Pembiayaan",
    ):
        assert heading in text, heading
    # The pack's neraca is the month's statement.
    neraca = json.loads(ok(cli, "laporan", "neraca", "--bulan", "2025-09", "-f", "json"))
    total = f"{neraca['total_aset']:,}".replace(",", ".")
    assert f"Rp{total}" in text


def test_monthly_pack_xlsx(demo_root: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "juni.xlsx"
    ok(Cli(demo_root), "laporan", "bulanan", "2025-06", "-o", str(out), "-f", "xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:4] == ["Neraca", "PHU bulan ini", "PHU sejak awal tahun", "Arus kas"]
    assert "Simpanan" in book.sheetnames and "Pinjaman" in book.sheetnames
    neraca = json.loads(ok(Cli(demo_root), "laporan", "neraca", "--bulan", "2025-06", "-f", "json"))
    values = [row for row in book["Neraca"].iter_rows(values_only=True)]
    assert any(r[1] == "Jumlah aset" and r[2] == neraca["total_aset"] for r in values)


def test_monthly_pack_lists_taxes_when_the_accounts_exist(kdmp: Cli, tmp_path: Path) -> None:
    out = tmp_path / "feb.md"
    ok(kdmp, "laporan", "bulanan", "2025-02", "-o", str(out), "-f", "md")
    text = out.read_text()
    assert "Status pajak" not in text and "Pembiayaan bank" not in text
    assert "Portofolio pinjaman anggota" in text and "NPL" in text
    ok(
        kdmp,
        "akun",
        "tambah",
        "Kewajiban:Utang-Pajak:PPh-Final",
        "--kode",
        "2591",
        "--golongan",
        "kewajiban-pendek",
        "--nama",
        "Utang PPh final",
        "--tanggal",
        "01-01-2025",
    )
    ok(kdmp, "laporan", "bulanan", "2025-02", "-o", str(out), "-f", "md")
    text = out.read_text()
    assert "Status pajak" in text and "Utang PPh final" in text


def test_village_report_without_financing(kdmp: Cli, tmp_path: Path) -> None:
    out = tmp_path / "desa.md"
    r = kdmp("laporan", "desa", "2025-Q1", "-o", str(out), "-f", "md")
    assert r.exit_code == 0, r.output
    text = out.read_text()
    assert "Permendesa 10/2025" in text and "Pasal 9" in text
    assert "Triwulan I 2025" in text and "Kepala Desa" in text
    assert "Penggunaan dana" in text and "Pendapatan dan biaya per unit" in text
    assert "belum menerima pembiayaan bank" in text
    assert "(Rp1.200.000)" not in text  # uses of funds are listed as positive amounts
    assert "Rp1.200.000" in text  # the loan disbursed to a member is a use of funds
    # Without --format the file's suffix chooses: .xlsx is a workbook, anything else html.
    ok(kdmp, "laporan", "desa", "2025-Q1", "-o", str(tmp_path / "desa.xlsx"))
    assert (tmp_path / "desa.xlsx").read_bytes()[:2] == b"PK"
    ok(kdmp, "laporan", "desa", "2025-Q1", "-o", str(tmp_path / "desa.txt"))
    assert (tmp_path / "desa.txt").read_text().startswith("<!DOCTYPE html>")


def test_village_report_with_financing(demo_root: Path, tmp_path: Path) -> None:
    cli = Cli(demo_root)
    out = tmp_path / "desa.html"
    ok(cli, "laporan", "desa", "2025-Q3", "-o", str(out))
    text = out.read_text()
    assert "Status pengembalian pinjaman" in text and "Sisa pokok pinjaman" in text
    assert "Pembiayaan bank" in text and "Tunggakan pokok" in text
    assert "Kepada Yth. Kepala Desa Sukamaju" in text
    units = json.loads(
        ok(cli, "laporan", "phu", "--triwulan", "2025-Q3", "--banding", "tidak", "-f", "json")
    )
    assert money.fmt_report(Decimal(units["shu"])) in text  # a loss prints in parentheses


def test_pack_bad_input(kdmp: Cli, tmp_path: Path) -> None:
    refused(kdmp, "laporan", "bulanan", "2025-13", "-o", str(tmp_path / "x.md"), says="2025-13")
    refused(kdmp, "laporan", "bulanan", "2024-12", "-o", str(tmp_path / "x.md"), says="sebelum")
    refused(kdmp, "laporan", "desa", "2025-Q5", "-o", str(tmp_path / "x.md"), says="Q1 sampai Q4")
    refused(kdmp, "laporan", "desa", "2025-Q1", "-o", str(tmp_path), says="folder")
    refused(
        kdmp, "laporan", "desa", "2025-Q1", "-o", str(tmp_path / "no" / "x.md"), says="tidak ada"
    )
    assert not (tmp_path / "x.md").exists()
