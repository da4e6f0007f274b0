"""Wages and honoraria (#12): PPh 21 by the monthly TER (PP 58/2023 Lampiran, PMK 168/2023), the
December true-up at the Pasal 17 rates, non-employees on 50 % of gross, BPJS shares, per unit,
and the year's list (the data of a bukti potong)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import Cli, ok, refused, transactions

from kkmp_cli import chart
from kkmp_cli.tax import rates

D = Decimal


def _balance(root: Path, account: str) -> Decimal:
    return sum(
        (p.units.number for e in transactions(root) for p in e.postings if p.account == account),
        D(0),
    )


def _bpjs(root: Path, pegawai: str, koperasi: str) -> None:
    cfg = root / "koperasi.yaml"
    text = re.sub(
        r"(?m)^  bpjs_pegawai_persen: \{\}", f"  bpjs_pegawai_persen: {pegawai}", cfg.read_text()
    )
    text = re.sub(r"(?m)^  bpjs_koperasi_persen: \{\}", f"  bpjs_koperasi_persen: {koperasi}", text)
    cfg.write_text(text)


@pytest.fixture
def funded(cli: Cli) -> Cli:
    ok(cli, "kas", "masuk", "hibah", "500jt", "--tanggal", "02-01-2025")
    return cli


# --- The data: TER tables as published, PTKP, Pasal 17 ---


def test_the_ter_tables_have_the_layers_of_the_regulation() -> None:
    table = rates.ter_table()
    assert {k: len(v) for k, v in table.items()} == {"A": 44, "B": 40, "C": 41}
    for layers in table.values():
        uppers = [u for u, _ in layers[:-1]]
        assert uppers == sorted(uppers) and layers[-1] == (None, D(34))
        assert [r for _, r in layers] == sorted(r for _, r in layers)
    # Edges of the first layers (0 % up to 5,4 / 6,2 / 6,6 juta) and a layer at its bound.
    assert rates.ter_rate("A", D(5_400_000)) == 0 and rates.ter_rate("A", D(5_400_001)) == D("0.25")
    assert rates.ter_rate("B", D(6_200_000)) == 0 and rates.ter_rate("B", D(6_200_001)) == D("0.25")
    assert rates.ter_rate("C", D(6_600_000)) == 0 and rates.ter_rate("C", D(6_600_001)) == D("0.25")
    assert rates.ter_rate("A", D(10_050_000)) == 2 and rates.ter_rate("A", D(10_050_001)) == D(
        "2.25"
    )
    assert rates.ter_rate("A", D(1_400_000_001)) == 34


def test_categories_ptkp_and_pasal_17() -> None:
    assert [rates.CATEGORY[s] for s in ("TK/0", "TK/1", "K/0")] == ["A"] * 3
    assert [rates.CATEGORY[s] for s in ("TK/2", "TK/3", "K/1", "K/2")] == ["B"] * 4
    assert rates.CATEGORY["K/3"] == "C"
    assert rates.ptkp("TK/0") == D(54_000_000) and rates.ptkp("K/3") == D(72_000_000)
    assert rates.ptkp("K/1") == D(63_000_000)
    assert rates.pasal_17(D(60_000_000)) == D(3_000_000)
    # 5 % of 60 juta + 15 % of 190 juta + 25 % of 50 juta
    assert rates.pasal_17(D(300_000_000)) == D(3_000_000 + 28_500_000 + 12_500_000)
    assert rates.pasal_17(D(0)) == 0


# --- Worked examples ---


def test_tk0_ten_million_a_month_withholds_3_million_a_year(funded: Cli) -> None:
    """The published TER example (PMK 168/2023): TK/0, Rp10.000.000 a month. January–November:
    TER A 2 % = 200.000 a month; December: gross 120.000.000 − biaya jabatan 6.000.000 − PTKP
    54.000.000 = PKP 60.000.000, at 5 % = 3.000.000 for the year, less 2.200.000 withheld = 800.000."""
    for m in range(1, 12):
        out = ok(funded, "gaji", "bayar", "Budi Santoso", "10jt", "--bulan", f"2025-{m:02d}",
                 "--jabatan", "Manajer", "--status-ptkp", "TK/0", "--tanggal", f"25-{m:02d}-2025")  # fmt: skip
        assert "PPh 21 Rp200.000 (TER A 2%)" in " ".join(out.split())
    out = ok(funded, "gaji", "bayar", "Budi Santoso", "10jt", "--bulan", "2025-12",
             "--tanggal", "24-12-2025")  # fmt: skip
    folded = " ".join(out.split())
    assert "PPh 21 Rp800.000 (Pasal 17 setahun (PKP Rp60.000.000))" in folded
    assert "dibayar bersih Rp9.200.000" in folded
    assert _balance(funded.root, chart.UTANG_PPH_21) == D(-3_000_000)
    assert _balance(funded.root, "Beban:Gaji") == D(120_000_000)
    data = json.loads(ok(funded, "gaji", "daftar", "--tahun", "2025", "--format", "json"))
    (row,) = data["penerima"]
    assert (row["bruto"], row["pph21"], row["neto"], row["bulan"]) == (
        120_000_000, 3_000_000, 117_000_000, 12
    )  # fmt: skip
    assert row["status_ptkp"] == "TK/0" and row["pegawai"] == "tetap"


def test_k1_with_bpjs_premiums_in_the_ter_base(funded: Cli) -> None:
    """K/1, gaji pokok 10.000.000 with the cooperative bearing JKK 0,24 %, JKM 0,3 % and BPJS
    Kesehatan 4 % (income for PPh 21, PMK 168/2023 Pasal 5): TER base 10.454.000, category B
    1,5 % → 156.810; the staff's JHT 2 %, JP 1 %, Kesehatan 1 % withheld → net 9.443.190."""
    _bpjs(funded.root, "{jht: 2, jp: 1, kesehatan: 1}",
          "{jkk: 0.24, jkm: 0.3, jht: 3.7, jp: 2, kesehatan: 4}")  # fmt: skip
    out = ok(funded, "gaji", "bayar", "Rina", "10jt", "--bulan", "2025-06", "--status-ptkp", "K/1",
             "--tanggal", "25-06-2025")  # fmt: skip
    folded = " ".join(out.split())
    assert "PPh 21 Rp156.810 (TER B 1,5%)" in folded and "bersih Rp9.443.190" in folded
    (entry,) = [e for e in transactions(funded.root) if e.meta.get("jenis") == "gaji-bayar"]
    amounts = {p.account: p.units.number for p in entry.postings}
    # Employer share: 0,24 + 0,3 + 3,7 + 2 + 4 = 10,24 % = 1.024.000 on top of the wage.
    assert amounts["Beban:Gaji"] == D(11_024_000)
    assert amounts[chart.UTANG_BPJS] == D(-(1_024_000 + 400_000))
    assert amounts[chart.UTANG_PPH_21] == D(-156_810)
    assert amounts["Aset:Kas"] == D(-9_443_190)
    assert entry.meta["premi"] == "454000" and entry.meta["iuran-pensiun"] == "300000"


def test_a_non_employee_pays_pasal_17_on_half_the_gross(funded: Cli) -> None:
    """Honorarium of a non-employee (PMK 168/2023): 50 % × 5.000.000 × 5 % = 125.000; a second
    one in the year is taxed on the cumulated half (still in the 5 % layer)."""
    out = ok(funded, "gaji", "bayar", "Sari", "5jt", "--bulan", "2025-03", "--pegawai",
             "bukan-pegawai", "--jabatan", "Pengawas", "--tanggal", "25-03-2025")  # fmt: skip
    assert "PPh 21 Rp125.000 (Pasal 17 atas 50% bruto)" in " ".join(out.split())
    out = ok(
        funded, "gaji", "bayar", "sari", "5jt", "--bulan", "2025-04", "--tanggal", "25-04-2025"
    )
    assert "PPh 21 Rp125.000" in " ".join(out.split())
    # 50 % of 200 juta cumulated crosses 60 juta: 5 % of 60 juta + 15 % of the rest.
    out = ok(funded, "gaji", "bayar", "Sari", "115jt", "--bulan", "2025-05",
             "--tanggal", "25-05-2025")  # fmt: skip
    # cumulated DPP 5 + 57,5 = 62,5 juta… before: 5 juta → tax(62,5) − tax(5) = 3.375.000 − 250.000
    assert "PPh 21 Rp3.125.000" in " ".join(out.split())


def test_wages_per_unit(funded: Cli) -> None:
    ok(funded, "gaji", "bayar", "Dewi", "4jt", "--bulan", "2025-02", "--status-ptkp", "K/0",
       "--unit", "klinik", "--tanggal", "25-02-2025")  # fmt: skip
    assert _balance(funded.root, "Beban:Gaji:Klinik") == D(4_000_000)
    assert "tidak ada temuan" in ok(funded, "periksa")


def test_bad_input_changes_nothing(funded: Cli) -> None:
    base = ("--bulan", "2025-03", "--tanggal", "25-03-2025")
    refused(funded, "gaji", "bayar", "X", "1jt", *base, "--status-ptkp", "K/9", says="K/9")
    refused(funded, "gaji", "bayar", "X", "1jt", *base, says="Status PTKP X belum pernah dicatat")
    refused(funded, "gaji", "bayar", "X", "1jt", *base, "--status-ptkp", "TK/0",
            "--pegawai", "honorer", says="tidak dikenal")  # fmt: skip
    refused(funded, "gaji", "bayar", "X", "0", *base, "--status-ptkp", "TK/0", says="Galat:")
    refused(funded, "gaji", "bayar", "X", "1jt", "--bulan", "2025-3x", "--status-ptkp", "TK/0",
            says="TAHUN-BULAN")  # fmt: skip
    refused(funded, "gaji", "bayar", "X", "1jt", *base, "--status-ptkp", "TK/0", "--unit",
            "salon", says="salon")  # fmt: skip


def test_the_year_list_as_xlsx(funded: Cli, tmp_path: Path) -> None:
    ok(funded, "gaji", "bayar", "Budi", "10jt", "--bulan", "2025-01", "--status-ptkp", "TK/0",
       "--tanggal", "25-01-2025")  # fmt: skip
    ok(funded, "gaji", "bayar", "Ani", "2jt", "--bulan", "2025-01", "--pegawai", "bukan-pegawai",
       "--tanggal", "25-01-2025")  # fmt: skip
    target = tmp_path / "gaji.xlsx"
    ok(funded, "gaji", "daftar", "--tahun", "2025", "--format", "xlsx", "-o", str(target))
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0] == "Nama" and [r[0] for r in rows[1:]] == ["Ani", "Budi", "Jumlah"]
    assert rows[-1][8] == 50_000 + 200_000  # PPh 21: 50 % × 2 juta × 5 %, and TER A 2 %
    text = ok(funded, "gaji", "daftar", "--tahun", "2026")
    assert "Belum ada gaji" in text


def test_a_month_after_the_december_true_up_is_refused_and_a_refund_is_clean(
    funded: Cli,
) -> None:
    """December reckons the year under Pasal 17: a November wage recorded after it is refused
    (the year was under-withheld); a December that refunds PPh 21 leaves `periksa` clean (it
    reported an over-payment). Both found by an adversarial review, #16."""
    pay = ("gaji", "bayar", "Budi Santoso", "--status-ptkp", "TK/0", "--jabatan", "Manajer")
    for m in range(1, 11):
        ok(
            funded,
            *pay[:3],
            "6jt",
            *pay[3:],
            "--bulan",
            f"2025-{m:02d}",
            "--tanggal",
            f"25-{m:02d}-2025",
        )
    out = ok(funded, *pay[:3], "1jt", *pay[3:], "--bulan", "2025-12", "--tanggal", "20-12-2025")
    assert "PPh 21 -Rp252.500" in " ".join(out.split()), out  # a refund to the person
    assert "Buku bersih" in ok(funded, "periksa")
    refused(funded, *pay[:3], "6jt", *pay[3:], "--bulan", "2025-11", "--tanggal", "22-12-2025",
            says="sudah dihitung setahun pada gaji Desember")  # fmt: skip


def test_a_duplicate_wage_taken_back_after_its_pph21_was_paid_is_an_overpayment(
    funded: Cli,
) -> None:
    """A February wage recorded twice, the month's PPh 21 of both paid, then the duplicate
    reversed: February paid beyond its tax; the excess is its lebih bayar, set against March's
    PPh 21 (PMK 168/2023 Pasal 21 ayat (3)–(4)) (adversarial review aset #2)."""
    pay = ("gaji", "bayar", "Hendra", "8jt", "--bulan", "2025-02", "--jabatan", "Manajer",
           "--status-ptkp", "K/1", "--tanggal", "25-02-2025")  # fmt: skip
    ok(funded, *pay)
    twice = ok(funded, *pay)
    owed = -_balance(funded.root, chart.UTANG_PPH_21)
    ok(funded, "pajak", "setor", "pph-21", str(owed), "--masa", "2025-02",
       "--tanggal", "10-03-2025", "--via", "kas")  # fmt: skip
    duplicate = next(w for w in twice.split() if w.startswith("BKK-"))
    ok(funded, "koreksi", duplicate, "--alasan", "tercatat dua kali", "--tanggal", "12-03-2025")
    first_tax = D(80_000)  # 8jt at TER B 1 %
    over = owed - first_tax
    assert _balance(funded.root, chart.UTANG_PPH_21) == 0
    assert _balance(funded.root, "Aset:Lebih-Bayar-Pajak:PPh-21") == over
    assert "tidak ada temuan" in ok(funded, "periksa")
    ok(funded, "gaji", "bayar", "Hendra", "8jt", "--bulan", "2025-03", "--tanggal", "25-03-2025")
    offset = ("pajak", "kompensasi", "pph-21", "--dari", "2025-02", "--masa", "2025-03",
              "--tanggal", "10-04-2025")  # fmt: skip
    refused(funded, *offset[:3], "80.001", *offset[3:], says="melebihi")
    refused(funded, "pajak", "kompensasi", "pph-21", "1", "--dari", "2025-02", "--masa",
            "2025-02", "--tanggal", "10-04-2025", says="masa sesudahnya")  # fmt: skip
    ok(funded, *offset[:3], "80rb", *offset[3:])
    (kompensasi,) = [
        e for e in transactions(funded.root) if e.meta.get("jenis") == "pajak-kompensasi"
    ]
    assert kompensasi.narration == "Kompensasi lebih bayar PPh 21 masa 2025-02 ke masa 2025-03"
    assert _balance(funded.root, chart.UTANG_PPH_21) == 0
    assert _balance(funded.root, "Aset:Lebih-Bayar-Pajak:PPh-21") == over - first_tax
    assert "tidak ada temuan" in ok(funded, "periksa")
    report = json.loads(ok(funded, "laporan", "pajak", "--tahun", "2025", "--format", "json"))
    assert report["bulan"][1]["pajak"]["pph-21"] == {"dipotong": 80_000, "disetor": int(owed)}
    assert report["bulan"][2]["pajak"]["pph-21"] == {"dipotong": 80_000, "disetor": 80_000}
    assert report["lebih_bayar_akhir_tahun"] == {"pph-21": over - first_tax}


@pytest.mark.parametrize(
    "akun", ["gaji", "honor", "upah", "Upah", "Beban:Gaji", "Beban:Gaji:Klinik"]
)
def test_kas_keluar_refuses_a_wage_and_points_to_gaji_bayar(funded: Cli, akun: str) -> None:
    """A wage or honorarium paid with `kas keluar` withheld no PPh 21 and stayed out of `gaji
    daftar` and `laporan pajak` (adversarial review aset #8): one sentence points to `gaji
    bayar`; the same honorarium through it withholds and is listed."""
    said = refused(funded, "kas", "keluar", akun, "2.000.000", "--unit", "klinik",
                   "--keterangan", "Honor perawat", "--tanggal", "26-02-2025",
                   says="kkmp gaji bayar")  # fmt: skip
    assert "PPh 21" in said
    out = ok(funded, "gaji", "bayar", "Perawat", "2.000.000", "--bulan", "2025-02",
             "--pegawai", "bukan-pegawai", "--unit", "klinik", "--tanggal", "26-02-2025")  # fmt: skip
    assert "PPh 21 Rp50.000" in out
    listed = json.loads(ok(funded, "gaji", "daftar", "--tahun", "2025", "-f", "json"))
    assert "Perawat" in json.dumps(listed)


# --- Daily and piece-rate workers (pegawai tidak tetap, PMK 168/2023) ---

# Published worked examples of the daily TER (PP 58/2023 Lampiran, PMK 168/2023):
DANU = (
    "https://kompasiana.com/ninakarinazai9988/6732d78b34777c50b1109f82/"
    "mekanisme-pemajakan-pekerjaan-tetap-dan-pekerjaan-tidak-tetap?page=8&page_images=2"
)  # Danu, tenaga kerja lepas, Rp700.000 a day for 12 days: 0,5 % × 700.000 = Rp3.500 a day
BUDI = "https://enforcea.com/Blog/bagaimana-penghitungan-pph-21-karyawan-harian"
# Budi, buruh harian, Rp500.000: 0,5 % × 500.000 = Rp2.500; the table 0–450.000 0 %,
# > 450.000–2.500.000 0,5 %; above 2.500.000 a day Pasal 17 on 50 % of the gross.
TAXINDO = (
    "https://www.taxindo.co.id/en/smesubz-new-dynamics-of-freelance-tax-a-guide-to-pph-21-for-"
    "non-permanent-employees"
)  # no monthly cumulation since 2024; weekly, unit and piece-rate wages by their average day;
# Mr. L (piece rate Rp4.500.000 for 10 days), Mr. K (20 days at Rp500.000), Mr. M (Rp3.000.000 a
# day); paid monthly: the monthly TER of the PTKP category.


def _pph21_of(root: Path, doc: str) -> Decimal:
    (entry,) = [e for e in transactions(root) if e.meta.get("id") == doc]
    return -sum((p.units.number for p in entry.postings if p.account == chart.UTANG_PPH_21), D(0))


def test_the_daily_ter_table_of_the_regulation() -> None:
    """PP 58/2023 Lampiran, tarif efektif harian (see BUDI): 0 % up to Rp450.000 a day,
    0,5 % above it up to Rp2.500.000; above that no daily rate (Pasal 17 on 50 %)."""
    assert rates.ter_daily_table() == ((D(450_000), D(0)), (D(2_500_000), D("0.5")))
    assert rates.ter_daily_rate(D(450_000)) == 0
    assert rates.ter_daily_rate(D(450_001)) == D("0.5")
    assert rates.ter_daily_rate(D(2_500_000)) == D("0.5")
    assert rates.ter_daily_rate(D(2_500_001)) is None


def test_a_day_labourer_is_taxed_at_the_daily_ter(funded: Cli) -> None:
    """The worked example of DANU: Rp700.000 a day for 12 days, 0,5 % = Rp3.500 a day, so
    Rp42.000 withheld from Rp8.400.000; and BUDI's one day at Rp500.000: Rp2.500. The entry:
    the unit's wage expense, PPh 21 payable, cash paid net; listed for the bukti potong."""
    out = ok(funded, "gaji", "bayar", "Danu", "8,4jt", "--harian", "12", "--bulan", "2025-07",
             "--jabatan", "Buruh gudang", "--unit", "klinik", "--tanggal", "31-07-2025")  # fmt: skip
    folded = " ".join(out.split())
    assert "PPh 21 Rp42.000 (TER harian 0,5%, rata-rata sehari Rp700.000)" in folded, folded
    assert "dibayar bersih Rp8.358.000" in folded
    doc = next(w for w in out.split() if w.startswith("BKK-"))
    assert _pph21_of(funded.root, doc) == 12 * D(3_500)
    (entry,) = [e for e in transactions(funded.root) if e.meta.get("id") == doc]
    assert {p.account: p.units.number for p in entry.postings} == {
        "Beban:Gaji:Klinik": D(8_400_000),
        chart.UTANG_PPH_21: D(-42_000),
        "Aset:Kas": D(-8_358_000),
    }
    assert entry.meta["pegawai"] == "tidak-tetap" and entry.meta["hari"] == "12"
    assert entry.narration == "Upah 2025-07 - Danu (Buruh gudang), 12 hari"
    out = ok(funded, "gaji", "bayar", "Budi", "500rb", "--harian", "1", "--bulan", "2025-07",
             "--tanggal", "31-07-2025")  # fmt: skip
    assert "PPh 21 Rp2.500 (TER harian 0,5%" in " ".join(out.split())
    assert "tidak ada temuan" in ok(funded, "periksa")
    data = json.loads(ok(funded, "gaji", "daftar", "--tahun", "2025", "--format", "json"))
    danu = next(r for r in data["penerima"] if r["nama"] == "Danu")
    assert (danu["pegawai"], danu["hari"], danu["bruto"], danu["pph21"], danu["neto"]) == (
        "tidak-tetap", 12, 8_400_000, 42_000, 8_358_000
    )  # fmt: skip
    report = json.loads(ok(funded, "laporan", "pajak", "--tahun", "2025", "--format", "json"))
    assert report["bulan"][6]["pajak"]["pph-21"]["dipotong"] == 42_000 + 2_500


def test_piece_rates_go_by_the_average_day_without_monthly_cumulation(funded: Cli) -> None:
    """TAXINDO's cases: Mr. L, Rp4.500.000 for 10 days of piece work, averages Rp450.000 a day:
    0 %. Mr. K, 20 days at Rp500.000: 0,5 % of Rp10.000.000 = Rp50.000, and a second payment in
    the same month is taxed alone (no monthly cumulation). Mr. M, Rp3.000.000 in one day:
    Pasal 17 on 50 % = 5 % × 1.500.000 = Rp75.000."""
    pay = ("gaji", "bayar")
    when = ("--bulan", "2025-09", "--tanggal", "30-09-2025")
    out = ok(funded, *pay, "Pak L", "4,5jt", "--harian", "10", *when)
    assert "PPh 21 Rp0 (TER harian 0%, rata-rata sehari Rp450.000)" in " ".join(out.split())
    # One rupiah more is above the 0 % layer; the average shows its fraction.
    out = ok(funded, *pay, "Pak L", "4.500.001", "--harian", "10", *when)
    assert "PPh 21 Rp22.500 (TER harian 0,5%, rata-rata sehari Rp450.000,10)" in " ".join(
        out.split()
    )
    out = ok(funded, *pay, "Pak K", "10jt", "--harian", "20", *when)
    assert "PPh 21 Rp50.000 (TER harian 0,5%" in " ".join(out.split())
    out = ok(funded, *pay, "Pak K", "5jt", "--harian", "10", *when)
    assert "PPh 21 Rp25.000 (TER harian 0,5%" in " ".join(out.split())
    out = ok(funded, *pay, "Pak M", "3jt", "--harian", "1", *when)
    folded = " ".join(out.split())
    assert "PPh 21 Rp75.000 (Pasal 17 atas 50% bruto, rata-rata sehari Rp3.000.000)" in folded
    assert _balance(funded.root, chart.UTANG_PPH_21) == D(-(22_500 + 50_000 + 25_000 + 75_000))
    assert "tidak ada temuan" in ok(funded, "periksa")


def test_a_casual_worker_paid_monthly_takes_the_monthly_ter_in_december_too(funded: Cli) -> None:
    """Paid monthly (TAXINDO's Mr. N), a pegawai tidak tetap is withheld at the monthly TER of
    the PTKP category, December included: the December Pasal 17 true-up is for permanent
    staff. TK/0, Rp10.000.000 a month: TER A 2 % = Rp200.000 both months."""
    for month in (11, 12):
        out = ok(funded, "gaji", "bayar", "Tono", "10jt", "--pegawai", "tidak-tetap",
                 "--status-ptkp", "TK/0", "--bulan", f"2025-{month}",
                 "--tanggal", f"20-{month}-2025")  # fmt: skip
        assert "PPh 21 Rp200.000 (TER A 2%)" in " ".join(out.split())
    assert _balance(funded.root, chart.UTANG_PPH_21) == D(-400_000)


def test_a_daily_wage_refuses_what_it_cannot_tax(funded: Cli) -> None:
    base = ("--bulan", "2025-02", "--tanggal", "25-02-2025")
    refused(funded, "gaji", "bayar", "Udin", "1jt", "--harian", "0", *base,
            says="jumlah hari kerja harus 1 sampai 28")  # fmt: skip
    refused(funded, "gaji", "bayar", "Udin", "1jt", "--harian", "29", *base,
            says="jumlah hari kerja harus 1 sampai 28")  # fmt: skip
    refused(funded, "gaji", "bayar", "Udin", "1jt", "--harian", "2", "--pegawai", "tetap",
            *base, says="--harian hanya untuk pegawai tidak tetap")  # fmt: skip
    refused(funded, "gaji", "bayar", "Udin", "1jt", "--pegawai", "tidak-tetap", *base,
            says="Status PTKP Udin belum pernah dicatat")  # fmt: skip
    ok(funded, "gaji", "bayar", "Udin", "1jt", "--harian", "5", *base)
    # The next wage must say how it is paid: by the days, or monthly.
    refused(funded, "gaji", "bayar", "Udin", "1jt", *base, says="beri --harian HARI")
