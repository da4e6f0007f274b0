"""`kkmp laporan bulanan` (the month's pack for the pengurus and pengawas meeting) and
`kkmp laporan desa` (the quarterly report to the kepala desa, Permendesa 10/2025 Pasal 9) (#14)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kkmp_cli import money
from tests.conftest import Cli, ok, refused, run, snapshot


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


# A facility in its grace period with a prepayment and a talangan the village was repaid
# (found by an adversarial review, #14, #11): 100jt drawn at 6 % a year, 6 months of grace,
# due on the 12th.
DRAWN = 100_000_000
PREPAID = 50_000_000
TALANGAN = 500_000


def _interest(principal: int) -> int:
    """One month's interest at 6 % a year (exact for the round amounts used here)."""
    return principal * 6 // 100 // 12


@pytest.fixture
def grace_prepaid(cli: Cli) -> Cli:
    """The village pays month 1 (12-08-2025), the cooperative month 2 and, with month 3 on
    12-10-2025, 50jt ahead of the schedule; the talangan is repaid to the village by a journal
    entry on 20-10-2025. Months 4 and 5 (12-11, 12-12) are not paid."""
    run(
        cli,
        "kas|masuk|hibah|60jt|--via|bank|--keterangan|Hibah|--tanggal|02-01-2025",
        "pembiayaan|tambah|BRI|--kreditur|BRI|--plafon|500jt|--bunga|6|--tenor|72"
        "|--masa-tenggang|6|--jatuh-tempo|12|--tanggal|12-07-2025",
        f"pembiayaan|cair|BRI|{DRAWN}|--tanggal|12-07-2025",
        f"pembiayaan|talangan|BRI|{TALANGAN}|--tanggal|12-08-2025|--dari|Pemerintah Desa Uji",
        f"pembiayaan|bayar|BRI|{_interest(DRAWN)}|--tanggal|12-09-2025",
        f"pembiayaan|bayar|BRI|{_interest(DRAWN) + PREPAID}|--tanggal|12-10-2025",
        f"jurnal|--posting|Kewajiban:Utang-Talangan:Pemerintah-Desa-Uji={TALANGAN}"
        f"|--posting|Aset:Bank=-{TALANGAN}|--keterangan|Pengembalian talangan Dana Desa"
        "|--tanggal|20-10-2025",
    )
    return cli


def _repayment_rows(cli: Cli, quarter: str, tmp_path: Path) -> tuple[dict[str, list[str]], str]:
    """The rows of the village report's repayment section (label: cells), and its text."""
    out = tmp_path / f"desa-{quarter}.md"
    ok(cli, "laporan", "desa", quarter, "-o", str(out), "-f", "md")
    text = out.read_text()
    section = text.split("## 3. Status pengembalian pinjaman", 1)[1].split("## 4.", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3:
            rows[cells[0]] = cells[1:]
    return rows, section


def test_village_report_keeps_a_prepayment_apart_from_principal_due(
    grace_prepaid: Cli, tmp_path: Path
) -> None:
    rows, _ = _repayment_rows(grace_prepaid, "2025-Q4", tmp_path)
    rp = money.fmt
    # Q4 holds months 3 (on 100jt), 4 and 5 (on the 50jt left after the prepayment of 12-10);
    # all in the grace period, so no principal falls due.
    assert rows["Angsuran pokok jatuh tempo"] == [rp(0), rp(0)]
    q4_interest = _interest(DRAWN) + 2 * _interest(DRAWN - PREPAID)
    assert rows["Bunga jatuh tempo"] == [rp(q4_interest), rp(2 * _interest(DRAWN) + q4_interest)]
    assert rows["Pokok angsuran dibayar"] == [rp(0), rp(0)]
    assert rows["Pelunasan dipercepat"] == [rp(PREPAID), rp(PREPAID)]
    # Paid in Q4: month 3's interest; to date also months 1 (the talangan) and 2.
    assert rows["Bunga dibayar"] == [rp(_interest(DRAWN)), rp(3 * _interest(DRAWN))]
    assert rows["Tunggakan pokok"] == ["—", rp(0)]
    assert rows["Tunggakan bunga"] == ["—", rp(2 * _interest(DRAWN - PREPAID))]
    assert rows["Sisa pokok pinjaman"] == ["—", rp(DRAWN - PREPAID)]
    # The rows reconcile with `pembiayaan daftar` on the quarter's last day.
    listing = json.loads(
        ok(grace_prepaid, "pembiayaan", "daftar", "--per", "31-12-2025", "-f", "json")
    )["pembiayaan"][0]
    assert rows["Sisa pokok pinjaman"][1] == rp(Decimal(listing["sisa_pokok"]))
    assert rows["Tunggakan pokok"][1] == rp(Decimal(listing["tunggakan_pokok"]))
    assert rows["Tunggakan bunga"][1] == rp(Decimal(listing["tunggakan_bunga"]))
    # Q3 has months 1 and 2 only: no principal due, none paid, nothing prepaid yet.
    q3, _ = _repayment_rows(grace_prepaid, "2025-Q3", tmp_path)
    assert q3["Angsuran pokok jatuh tempo"] == [rp(0), rp(0)]
    assert q3["Pokok angsuran dibayar"] == [rp(0), rp(0)]
    assert "Pelunasan dipercepat" not in q3
    assert q3["Sisa pokok pinjaman"] == ["—", rp(DRAWN)]


def test_village_report_reads_the_talangan_still_owed_from_the_balance(
    grace_prepaid: Cli, tmp_path: Path
) -> None:
    rp = money.fmt

    def talangan_on_neraca(quarter: str) -> int:
        neraca = json.loads(
            ok(grace_prepaid, "laporan", "neraca", "--triwulan", quarter, "--banding", "tidak",
               "-f", "json")
        )  # fmt: skip
        lines = [r for r in neraca["baris"] if r["akun"] == "Kewajiban:Utang-Talangan"]
        return sum(int(r["nilai"][0]) for r in lines)

    # 30-09-2025: the village's talangan of 12-08 is still owed.
    q3, text = _repayment_rows(grace_prepaid, "2025-Q3", tmp_path)
    assert q3["Angsuran dibayar desa (talangan)"] == [rp(TALANGAN), rp(TALANGAN)]
    assert q3["Sisa utang talangan kepada desa"] == ["—", rp(TALANGAN)]
    assert talangan_on_neraca("2025-Q3") == TALANGAN
    # 31-12-2025: repaid on 20-10 by a journal entry, nothing is owed, as on the neraca.
    q4, text = _repayment_rows(grace_prepaid, "2025-Q4", tmp_path)
    assert q4["Angsuran dibayar desa (talangan)"] == [rp(0), rp(TALANGAN)]
    assert q4["Sisa utang talangan kepada desa"] == ["—", rp(0)]
    assert talangan_on_neraca("2025-Q4") == 0
    assert f"{rp(TALANGAN)}, menjadi utang koperasi kepada desa" not in text  # the old misstatement


def test_village_report_splits_a_payment_into_its_instalment_and_the_prepayment(
    cli: Cli, tmp_path: Path
) -> None:
    """12jt pokok-tetap over 12 months at 6 %, no grace: 1jt principal a month. On 01-03-2025
    instalment 2 is paid with 3jt ahead; the 7jt left is spread over months 3-12 (700.000)."""
    run(
        cli,
        "pembiayaan|tambah|BRI|--kreditur|BRI|--plafon|12jt|--bunga|6|--tenor|12"
        "|--masa-tenggang|0|--metode|pokok-tetap|--tanggal|01-01-2025",
        "pembiayaan|cair|BRI|12jt|--tanggal|01-01-2025",
    )
    month1 = 1_000_000 + _interest(12_000_000)
    month2 = 1_000_000 + _interest(11_000_000)
    run(
        cli,
        f"pembiayaan|bayar|BRI|{month1}|--tanggal|01-02-2025",
        f"pembiayaan|bayar|BRI|{month2 + 3_000_000}|--tanggal|01-03-2025",
    )
    rp = money.fmt
    q1, _ = _repayment_rows(cli, "2025-Q1", tmp_path)
    interest = _interest(12_000_000) + _interest(11_000_000)
    assert q1["Angsuran pokok jatuh tempo"] == [rp(2_000_000), rp(2_000_000)]
    assert q1["Bunga jatuh tempo"] == [rp(interest), rp(interest)]
    assert q1["Pokok angsuran dibayar"] == [rp(2_000_000), rp(2_000_000)]
    assert q1["Pelunasan dipercepat"] == [rp(3_000_000), rp(3_000_000)]
    assert q1["Bunga dibayar"] == [rp(interest), rp(interest)]
    assert q1["Tunggakan pokok"] == ["—", rp(0)]
    assert q1["Sisa pokok pinjaman"] == ["—", rp(7_000_000)]
    # Q2: months 3-5 fall due on the 7jt left and nothing is paid.
    q2, _ = _repayment_rows(cli, "2025-Q2", tmp_path)
    interest2 = sum(_interest(7_000_000 - k * 700_000) for k in range(3))
    assert q2["Angsuran pokok jatuh tempo"] == [rp(2_100_000), rp(4_100_000)]
    assert q2["Bunga jatuh tempo"] == [rp(interest2), rp(interest + interest2)]
    assert q2["Pokok angsuran dibayar"] == [rp(0), rp(2_000_000)]
    assert q2["Pelunasan dipercepat"] == [rp(0), rp(3_000_000)]
    assert q2["Tunggakan pokok"] == ["—", rp(2_100_000)]
    assert q2["Tunggakan bunga"] == ["—", rp(interest2)]
    assert "Talangan angsuran (Dana Desa, Permendesa 10/2025)" not in q2
