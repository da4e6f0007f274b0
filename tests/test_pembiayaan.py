"""`kkmp pembiayaan` (#11): the cooperative's own bank financing under PMK 49/2025."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from conftest import Cli, ok, refused, run, transactions
from hypothesis import given, settings
from hypothesis import strategies as st

from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.financing import facility as fac

BIG = "pembiayaan|tambah|BRI-1|--kreditur|BRI|--plafon|3M|--bunga|6|--tenor|72|--masa-tenggang|6|--tanggal|10-01-2025"


@pytest.fixture
def funded(cli: Cli) -> Cli:
    """The issue's facility: 3.000.000.000 at 6 %, 72 months, 6 of grace, drawn in full."""
    run(cli, BIG, "pembiayaan|cair|BRI-1|3M|--tanggal|10-01-2025|--untuk|Gedung dan modal kerja")
    return cli


def _payload(cli: Cli, *args: str) -> dict:
    return json.loads(ok(cli, *args, "--format", "json"))


def test_the_issue_schedule_to_the_rupiah(funded: Cli) -> None:
    rows = _payload(funded, "pembiayaan", "jadwal", "BRI-1")["angsuran"]
    assert len(rows) == 72
    assert all(r["bunga"] == 15_000_000 and r["pokok"] == 0 for r in rows[:6])
    assert all(r["angsuran"] == 53_478_818 for r in rows[6:71])
    assert rows[6]["pokok"] == 38_478_818 and rows[6]["jatuh_tempo"] == "2025-08-10"
    assert sum(r["pokok"] for r in rows) == 3_000_000_000
    assert rows[-1]["sisa_pokok"] == 0 and rows[-1]["angsuran"] != 53_478_818
    text = ok(funded, "pembiayaan", "jadwal", "BRI-1")
    assert "Rp53.478.818" in text and "Rp15.000.000" in text


def test_drawdown_payment_accrual_and_talangan_in_the_ledger(funded: Cli) -> None:
    out = ok(funded, "pembiayaan", "bayar", "BRI-1", "15jt", "--tanggal", "10-02-2025")
    assert "Beban:Bunga-Pinjaman" in out
    # March is not paid: accrual makes it a payable; a second run adds nothing.
    ok(funded, "pembiayaan", "akrual", "--bulan", "2025-03")
    again = ok(funded, "pembiayaan", "akrual", "--bulan", "2025-03")
    assert "Tidak ada bunga" in again
    # The village pays the missed instalment (Permendesa 10/2025): the payable falls.
    ok(
        funded, "pembiayaan", "talangan", "BRI-1", "15jt", "--tanggal", "14-03-2025",
        "--dari", "Pemerintah Desa",
    )  # fmt: skip
    txns = {t.meta["jenis"]: t for t in transactions(funded.root) if "jenis" in t.meta}
    draw = txns["pembiayaan-cair"]
    assert {p.account: p.units.number for p in draw.postings} == {
        "Aset:Bank": Decimal(3_000_000_000),
        "Kewajiban:Utang-Bank:BRI-1": Decimal(-3_000_000_000),
    }
    assert draw.meta["untuk"] == "Gedung dan modal kerja"
    accrual = txns["pembiayaan-akrual"]
    assert {p.account: p.units.number for p in accrual.postings} == {
        "Beban:Bunga-Pinjaman": Decimal(15_000_000),
        "Kewajiban:Utang-Bunga:BRI-1": Decimal(-15_000_000),
    }
    bailout = txns["pembiayaan-talangan"]
    assert {p.account: p.units.number for p in bailout.postings} == {
        "Kewajiban:Utang-Bunga:BRI-1": Decimal(15_000_000),
        "Kewajiban:Utang-Talangan:Pemerintah-Desa": Decimal(-15_000_000),
    }
    # From month 7 a payment splits interest first, then principal.
    for month in range(4, 9):
        ok(funded, "pembiayaan", "bayar", "BRI-1", "53.478.818" if month == 8 else "15jt",
           "--tanggal", f"10-{month:02d}-2025")  # fmt: skip
    last = [t for t in transactions(funded.root) if t.meta.get("jenis") == "pembiayaan-bayar"][-1]
    assert last.meta["bunga"] == Decimal(15_000_000) and last.meta["pokok"] == Decimal(38_478_818)
    listing = _payload(funded, "pembiayaan", "daftar", "--per", "31-08-2025")["pembiayaan"][0]
    assert listing["sisa_pokok"] == 3_000_000_000 - 38_478_818
    assert listing["tunggakan_pokok"] == 0 and listing["tunggakan_bunga"] == 0
    assert listing["jatuh_tempo_berikut"] == "2025-09-10"
    assert ok(funded, "periksa").strip().startswith("Buku bersih")


def test_current_portion_is_the_schedule_principal_of_the_next_twelve_months(funded: Cli) -> None:
    book = ledger.load(Paths(funded.root))
    f = fac.require(book, "BRI-1")
    rows = fac.plan_of(book, f)
    end = dt.date(2025, 12, 31)
    expected = sum(r.pokok for r in rows if end < r.jatuh_tempo <= dt.date(2026, 12, 31))
    # Nothing was paid: August to December 2025 are in arrears, and current too.
    arrears = sum(r.pokok for r in rows if r.jatuh_tempo <= end)
    current = fac.current_portion(book, end)
    assert current == expected + arrears
    assert current == fac.current_portion(book, end, "BRI-1")
    assert 3_000_000_000 - current > 0  # the rest is long-term
    listing = _payload(funded, "pembiayaan", "daftar", "--per", "31-12-2025")["pembiayaan"][0]
    assert listing["jangka_pendek"] == current
    assert listing["tunggakan_pokok"] == arrears


def test_bad_input_is_refused_and_changes_nothing(funded: Cli) -> None:
    refused(
        funded,
        "pembiayaan",
        "cair",
        "BRI-1",
        "1",
        "--tanggal",
        "10-02-2025",
        says="melebihi plafon",
    )
    refused(
        funded,
        "pembiayaan",
        "bayar",
        "BNI-9",
        "1jt",
        "--tanggal",
        "10-02-2025",
        says="tidak dikenal",
    )
    refused(
        funded, "pembiayaan", "tambah", "BRI-2", "--kreditur", "BRI", "--plafon", "4M", "--bunga", "6",
        "--tenor", "72", "--tanggal", "10-01-2025", says="PMK 49/2025",
    )  # fmt: skip
    refused(
        funded, "pembiayaan", "tambah", "BRI-1", "--kreditur", "BRI", "--plafon", "1M", "--bunga", "6",
        "--tenor", "72", "--tanggal", "10-01-2025", says="sudah tercatat",
    )  # fmt: skip
    refused(
        funded, "pembiayaan", "tambah", "BRI-3", "--kreditur", "BRI", "--plafon", "1M", "--bunga", "6",
        "--tenor", "72", "--masa-tenggang", "9", "--tanggal", "10-01-2025", says="Masa tenggang",
    )  # fmt: skip
    refused(
        funded,
        "pembiayaan",
        "bayar",
        "BRI-1",
        "4M",
        "--tanggal",
        "10-02-2025",
        says="melebihi utang",
    )
    refused(funded, "pembiayaan", "akrual", "--bulan", "2025-13", says="Bulan")


def test_drawdown_before_the_facility_or_above_the_operating_share(cli: Cli) -> None:
    run(cli, BIG)
    refused(
        cli,
        "pembiayaan",
        "cair",
        "BRI-1",
        "1jt",
        "--tanggal",
        "09-01-2025",
        says="sebelum pembiayaan",
    )
    refused(
        cli, "pembiayaan", "cair", "BRI-1", "1jt", "--tanggal", "11-07-2025", says="masa tenggang"
    )
    run(cli, "pembiayaan|cair|BRI-1|400jt|--tanggal|10-01-2025|--operasional|--unit|sembako")
    refused(
        cli, "pembiayaan", "cair", "BRI-1", "150jt", "--tanggal", "10-02-2025", "--operasional",
        says="belanja operasional",
    )  # fmt: skip
    draw = next(t for t in transactions(cli.root) if t.meta.get("jenis") == "pembiayaan-cair")
    assert draw.meta["unit"] == "sembako" and draw.meta["operasional"] == "ya"


def test_periksa_catches_a_facility_paid_above_its_debt(funded: Cli) -> None:
    path = Paths(funded.root).year_file(2025)
    path.write_text(
        path.read_text()
        + '\n2025-03-01 * "Bayar lebih (diedit tangan)"\n  id: "BBK-2025-000099"\n'
        + '  jenis: "pembiayaan-bayar"\n  pembiayaan: "BRI-1"\n  pokok: 3100000000\n  bunga: 0\n'
        + "  Kewajiban:Utang-Bank:BRI-1  3100000000 IDR\n  Aset:Bank  -3100000000 IDR\n"
    )
    r = funded("periksa")
    assert r.exit_code != 0
    assert "Kewajiban:Utang-Bank:BRI-1" in r.output and "melebihi yang dicairkan" in r.output


def test_principal_ahead_of_the_schedule_is_refused(funded: Cli) -> None:
    """A prepayment left the schedule, and the interest `akrual` books, following the
    drawdowns: interest on money already repaid (found by an adversarial review, #16). The
    grace period's interest is accepted as scheduled; principal ahead of it is refused."""
    bunga = "15.000.000"  # 3M at 6 % a year, one month of the grace period
    refused(funded, "pembiayaan", "bayar", "BRI-1", "20jt", "--tanggal", "10-02-2025",
            says="pelunasan dipercepat")  # fmt: skip
    ok(funded, "pembiayaan", "bayar", "BRI-1", bunga, "--tanggal", "10-02-2025")
    # a bank's rounding of its debit (up to Rp1.000 of principal) is let through
    ok(funded, "pembiayaan", "bayar", "BRI-1", "15.000.500", "--tanggal", "10-03-2025")
    assert "Buku bersih" in ok(funded, "periksa")


@settings(max_examples=60, deadline=None)
@given(
    plafon=st.integers(1_000_000, 3_000_000_000),
    tenor=st.integers(2, 72),
    grace=st.integers(0, 8),
    rate=st.sampled_from(["6", "5.5", "3", "0.25"]),
    metode=st.sampled_from(fac.METHODS),
)
def test_schedule_principal_always_sums_to_what_was_drawn(
    plafon: int, tenor: int, grace: int, rate: str, metode: str
) -> None:
    grace = min(grace, tenor - 1)
    start = dt.date(2025, 1, 31)
    f = fac.Facility("X", "Bank", start, Decimal(plafon), Decimal(rate), tenor, grace, metode, None)
    rows = fac.schedule(f, [(start, Decimal(plafon))])
    assert len(rows) == tenor
    assert sum(r.pokok for r in rows) == plafon and rows[-1].sisa_pokok == 0
    assert all(r.pokok == 0 for r in rows[:grace]) and all(r.pokok >= 0 for r in rows)
    if metode == "anuitas" and tenor - grace > 1:
        assert len({r.angsuran for r in rows[grace:-1]}) == 1


def test_the_neraca_splits_the_facility_into_current_and_long_term(funded: Cli) -> None:
    """Laporan posisi keuangan at 31-12: the principal due within 12 months (by the schedule,
    with arrears) is a current liability, the rest long-term, to the rupiah (#11)."""
    book = ledger.load(Paths(funded.root))
    current = fac.current_portion(book, dt.date(2025, 12, 31))
    neraca = _payload(funded, "laporan", "neraca", "--tahun", "2025")
    assert current > 0
    assert neraca["total_kewajiban_panjang"] == 3_000_000_000 - current
    [line] = [r for r in neraca["baris"] if "jatuh tempo dalam 12 bulan" in r["label"]]
    assert line["nilai"][0] == current
    assert (
        neraca["total_kewajiban"]
        == neraca["total_kewajiban_pendek"] + neraca["total_kewajiban_panjang"]
    )
