"""`kkmp simpanan jasa --bulan`: the month's interest on sukarela, PPh final on interest
(PP 15/2009: 10 % of the gross when a member's interest in a month exceeds Rp240.000)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from kkmp_cli import chart
from kkmp_cli.core import config
from kkmp_cli.core.ledger import Paths, load
from kkmp_cli.errors import PeriodeDitutup
from kkmp_cli.members import interest
from kkmp_cli.units import registry
from tests.conftest import (
    Cli,
    ok,
    periksa_finds,
    refused,
    reload,
    run,
    set_simpanan,
    transactions,
)

USP_EXPENSE = chart.BEBAN_JASA_SIMPANAN
TAX = chart.UTANG_PPH_BUNGA


@pytest.fixture
def savers(cli: Cli) -> Cli:
    """6 % a year on the lowest balance; A0001 holds 12.000.000, A0002 60.000.000 from January."""
    set_simpanan(cli.root, "jasa_sukarela_persen_tahun", "6")
    run(
        cli,
        "anggota|tambah|Ani|--tanggal|02-01-2025",
        "anggota|tambah|Budi|--tanggal|02-01-2025",
        "simpanan|setor|A0001|sukarela|12jt|--tanggal|05-01-2025",
        "simpanan|setor|A0002|sukarela|60jt|--tanggal|05-01-2025",
    )
    return cli


def _jasa(root: Path, bulan: str) -> list:
    return [t for t in transactions(root) if t.meta.get("bulan") == bulan]


def _amount(entry, account: str) -> Decimal:
    return sum((p.units.number for p in entry.postings if p.account == account), Decimal(0))


def test_issue_example_12_and_60_million_at_6_percent(savers: Cli) -> None:
    out = ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    assert "Jasa simpanan sukarela 2025-02: 2 anggota, jasa Rp360.000, PPh final Rp30.000" in out
    assert "dikreditkan Rp330.000" in out
    by_member = {t.meta["anggota"]: t for t in _jasa(savers.root, "2025-02")}
    ani, budi = by_member["A0001"], by_member["A0002"]
    assert ani.date == dt.date(2025, 2, 28) and ani.meta["jenis"] == "jasa-simpanan"
    assert _amount(ani, USP_EXPENSE) == 60_000
    assert _amount(ani, "Kewajiban:Simpanan-Sukarela:A0001") == -60_000
    assert _amount(ani, TAX) == 0
    assert _amount(budi, USP_EXPENSE) == 300_000
    assert _amount(budi, TAX) == -30_000
    assert _amount(budi, "Kewajiban:Simpanan-Sukarela:A0002") == -270_000
    assert "dipotong PPh final Rp30.000 (PP 15/2009)" in budi.narration
    lihat = ok(savers, "anggota", "lihat", "A0002")
    assert "Saldo simpanan sukarela: Rp60.270.000" in lihat
    assert "Buku bersih" in ok(savers, "periksa")


def test_second_run_adds_nothing(savers: Cli) -> None:
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    refused(
        savers,
        "simpanan",
        "jasa",
        "--bulan",
        "2025-02",
        says="Jasa simpanan bulan 2025-02 sudah dicatat (2 anggota",
    )
    assert len(_jasa(savers.root, "2025-02")) == 2


def test_a_member_who_joins_later_gets_the_month_once(savers: Cli) -> None:
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    # Cika's deposit is back-dated into February after the month was credited: a second run
    # credits her alone, the others are not credited twice.
    run(
        savers,
        "anggota|tambah|Cika|--tanggal|01-02-2025",
        "simpanan|setor|A0003|sukarela|24jt|--tanggal|01-02-2025",
    )
    out = ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    assert "1 anggota, jasa Rp120.000, PPh final Rp0" in out
    assert sorted(t.meta["anggota"] for t in _jasa(savers.root, "2025-02")) == [
        "A0001",
        "A0002",
        "A0003",
    ]


def test_lowest_balance_of_the_month(savers: Cli) -> None:
    run(
        savers,
        "simpanan|tarik|A0001|2jt|--tanggal|20-02-2025",
        "simpanan|setor|A0001|sukarela|5jt|--tanggal|25-02-2025",
    )
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    ani = next(t for t in _jasa(savers.root, "2025-02") if t.meta["anggota"] == "A0001")
    assert _amount(ani, USP_EXPENSE) == 50_000  # lowest 10.000.000 × 6 % ÷ 12
    assert "saldo terendah Rp10.000.000" in ani.narration


def test_joining_in_the_month_earns_nothing_on_the_lowest_balance(cli: Cli) -> None:
    set_simpanan(cli.root, "jasa_sukarela_persen_tahun", "6")
    run(
        cli,
        "anggota|tambah|Ani|--tanggal|02-01-2025",
        "simpanan|setor|A0001|sukarela|12jt|--tanggal|05-01-2025",
    )
    refused(
        cli,
        "simpanan",
        "jasa",
        "--bulan",
        "2025-01",
        says="Tidak ada jasa simpanan untuk bulan 2025-01",
    )


def test_average_daily_balance(savers: Cli) -> None:
    set_simpanan(savers.root, "jasa_sukarela_saldo", "rata_rata_harian")
    # A0001: 12.000.000 for 14 days of February, then 26.000.000 for 14 days: mean 19.000.000.
    run(savers, "simpanan|setor|A0001|sukarela|14jt|--tanggal|15-02-2025")
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    ani = next(t for t in _jasa(savers.root, "2025-02") if t.meta["anggota"] == "A0001")
    assert _amount(ani, USP_EXPENSE) == 95_000  # 19.000.000 × 6 % ÷ 12
    assert "saldo rata-rata harian Rp19.000.000" in ani.narration


@pytest.mark.parametrize(
    ("gross", "tax"),
    [
        (Decimal(240_000), Decimal(0)),  # "sampai dengan Rp240.000": no tax
        (Decimal(240_001), Decimal(24_000)),  # above it: 10 % of all of it, rounded down
        (Decimal(300_000), Decimal(30_000)),
        (Decimal(245_009), Decimal(24_500)),
    ],
)
def test_withholding_threshold_pp_15_2009(gross: Decimal, tax: Decimal) -> None:
    assert interest.due(config.SimpananRules(), {"2025-02": gross}) == tax


def test_threshold_exactly_240_000_is_not_taxed(cli: Cli) -> None:
    set_simpanan(cli.root, "jasa_sukarela_persen_tahun", "6")
    run(
        cli,
        "anggota|tambah|Ani|--tanggal|02-01-2025",
        "anggota|tambah|Budi|--tanggal|02-01-2025",
        "simpanan|setor|A0001|sukarela|48jt|--tanggal|05-01-2025",
        "simpanan|setor|A0002|sukarela|49jt|--tanggal|05-01-2025",
    )
    out = ok(cli, "simpanan", "jasa", "--bulan", "2025-02")
    assert "jasa Rp485.000, PPh final Rp24.500" in out


def test_interest_is_an_expense_of_the_usp(savers: Cli) -> None:
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    book = load(Paths(savers.root))
    assert registry.roles(book)[USP_EXPENSE].unit == "simpan-pinjam"
    neraca = ok(savers, "laporan", "phu", "--tahun", "2025")
    assert "Rp360.000" in neraca


def test_no_rate_in_config_is_refused(cli: Cli) -> None:
    run(cli, "anggota|tambah|Ani|--tanggal|02-01-2025")
    refused(cli, "simpanan", "jasa", "--bulan", "2025-02", says="jasa_sukarela_persen_tahun: 0")


@pytest.mark.parametrize(
    ("bulan", "says"),
    [
        ("2025-13", "tidak dikenal"),
        ("maret", "tidak dikenal"),
        ("2025/02", "tidak dikenal"),
        ("1999-12", "tahunnya harus antara 2000 dan 2100"),
    ],
)
def test_bad_month_text(savers: Cli, bulan: str, says: str) -> None:
    refused(savers, "simpanan", "jasa", "--bulan", bulan, says=f"Bulan '{bulan}'")
    refused(savers, "simpanan", "jasa", "--bulan", bulan, says=says)


def test_a_month_not_over_yet_is_refused(savers: Cli) -> None:
    future = dt.date.today() + dt.timedelta(days=40)
    refused(savers, "simpanan", "jasa", "--bulan", f"{future:%Y-%m}", says="belum selesai")


def test_a_closed_year_is_refused(coop_dir: Path, ledger_from_text) -> None:
    set_simpanan(coop_dir, "jasa_sukarela_persen_tahun", "6")
    book = ledger_from_text(
        """
        2025-12-31 custom "tutup-buku" 2025 "x"
        """
    )
    with pytest.raises(PeriodeDitutup, match="Tahun buku 2025 sudah ditutup"):
        interest.plan(book, 2025, 3)


def test_unknown_balance_rule_in_config_is_refused(cli: Cli) -> None:
    set_simpanan(cli.root, "jasa_sukarela_saldo", "harian")
    r = cli("simpanan", "jasa", "--bulan", "2025-02")
    assert r.exit_code == 1
    assert "jasa_sukarela_saldo" in r.output and r.output.startswith("Galat:")


def test_periksa_finds_a_wrong_withholding(ledger_from_text) -> None:
    book = ledger_from_text(
        """
        2025-01-01 open Beban:Simpan-Pinjam:Jasa-Simpanan IDR
        2025-01-01 open Kewajiban:Simpanan-Sukarela:A0002 IDR

        2025-02-28 * "Budi" "Jasa simpanan sukarela bulan 2025-02"
          id: "BM-2025-000001"
          anggota: "A0002"
          jenis: "jasa-simpanan"
          bulan: "2025-02"
          Beban:Simpan-Pinjam:Jasa-Simpanan         300000 IDR
          Kewajiban:Simpanan-Sukarela:A0002        -300000 IDR
        """
    )
    messages = [f.message for f in interest.findings(book)]
    assert any("tidak sesuai PP 15/2009 (seharusnya Rp30.000)" in m for m in messages)


def test_a_member_who_has_left_is_skipped_after_the_months_before_are_credited(
    savers: Cli,
) -> None:
    leave = ("anggota", "keluar", "A0001", "--tanggal", "30-04-2025", "--alasan", "pindah")
    refused(savers, *leave, says="bulan 2025-02, 2025-03 belum dicatat untuk A0001")  # #23
    run(savers, "simpanan|jasa|--bulan|2025-02", "simpanan|jasa|--bulan|2025-03")
    ok(savers, *leave)
    out = ok(savers, "simpanan", "jasa", "--bulan", "2025-04")
    assert "Jasa simpanan sukarela 2025-04: 1 anggota" in out
    assert [t.meta["anggota"] for t in _jasa(savers.root, "2025-04")] == ["A0002"]


def test_a_sukarela_movement_back_dated_into_a_credited_month_is_refused(savers: Cli) -> None:
    """A withdrawal recorded late, dated in February after February's jasa was credited, left
    that jasa on the old balance while `periksa` said clean (found by an adversarial review,
    #12): refused, like a movement before a cash count."""
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    refused(savers, "simpanan", "tarik", "A0002", "50jt", "--tanggal", "10-02-2025",
            says="jasa simpanan sukarela A0002 bulan 2025-02 sudah dikreditkan")  # fmt: skip
    refused(savers, "simpanan", "setor", "A0002", "sukarela", "1jt", "--tanggal", "15-01-2025",
            says="catat dengan tanggal sesudah 28-02-2025")  # fmt: skip
    # the deposit of 05-01 corrected by a reversal dated in February: refused too
    refused(savers, "koreksi", "BKM-2025-000002", "--alasan", "salah", "--tanggal", "20-02-2025",
            says="sudah dikreditkan")  # fmt: skip
    # another member's February, or a later day, is no part of it
    ok(savers, "simpanan", "tarik", "A0002", "50jt", "--tanggal", "01-03-2025")
    ok(savers, "simpanan", "setor", "A0001", "sukarela", "1jt", "--tanggal", "01-03-2025")
    assert "Buku bersih" in ok(savers, "periksa")


def test_periksa_recomputes_each_credited_month(savers: Cli) -> None:
    """Books written by an older kkmp (or by hand) with a withdrawal inside a credited month:
    `periksa` recomputes the month's jasa from the books and reports the difference."""
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    year = savers.root / "jurnal" / "2025.beancount"
    year.write_text(
        year.read_text()
        + '\n2025-02-10 * "Budi" "Penarikan simpanan sukarela, dicatat tangan"\n'
        + '  id: "BKK-2025-900001"\n  anggota: "A0002"\n  jenis: "tarik-sukarela"\n'
        + "  Kewajiban:Simpanan-Sukarela:A0002   50000000 IDR\n"
        + "  Aset:Kas                           -50000000 IDR\n"
    )
    folded = periksa_finds(savers)
    assert (
        "jasa simpanan 2025-02 A0002 Rp300.000 tidak sesuai buku: saldo terendah "
        "Rp10.000.000 memberi Rp50.000" in folded
    ), folded
    assert "2025.beancount:" in folded and "?:0:" not in folded


def test_a_corrected_jasa_month_can_be_credited_again(savers: Cli) -> None:
    """`koreksi` of a jasa entry left the month 'already credited' for ever, and its reversed
    PPh, dated in March, was read as an over-payment of March (adversarial review, #12)."""
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    budi = next(t for t in _jasa(savers.root, "2025-02") if t.meta["anggota"] == "A0002")
    ok(savers, "koreksi", budi.meta["id"], "--alasan", "saldo Februari salah",
       "--tanggal", "10-03-2025")  # fmt: skip
    reversal = next(t for t in transactions(savers.root) if t.meta.get("koreksi"))
    assert reversal.meta["masa"] == "2025-02" and reversal.meta["bulan"] == "2025-02"
    assert "Buku bersih" in ok(savers, "periksa")
    # the withdrawal found in the drawer is now dated in an uncredited month of A0002's
    ok(savers, "simpanan", "tarik", "A0002", "50jt", "--tanggal", "10-02-2025")
    out = ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    assert "1 anggota, jasa Rp50.000, PPh final Rp0" in " ".join(out.split())
    live = [
        t
        for t in _jasa(savers.root, "2025-02")
        if t.meta.get("jenis") == "jasa-simpanan" and t.meta["anggota"] == "A0002"
    ]
    assert [_amount(t, USP_EXPENSE) for t in live] == [300_000, 50_000]
    assert _amount(live[1], TAX) == 0 and "dicatat ulang" in live[1].narration
    refused(savers, "simpanan", "jasa", "--bulan", "2025-02", says="sudah dicatat")
    assert "Buku bersih" in ok(savers, "periksa")
    entries, errors = reload(savers.root)
    assert errors == []
    tax_left = sum(
        (p.units.number for t in transactions(savers.root) for p in t.postings if p.account == TAX),
        Decimal(0),
    )
    assert tax_left == 0


def test_the_threshold_is_per_member_per_month_over_all_savings(savers: Cli) -> None:
    """PP 15/2009 Pasal 2: Rp240.000 a month of a member's interest, all savings together
    (sukarela jasa and time deposits), not per deposit (adversarial review, #12). A0001 earns
    200.000 a month on each of two deposits (Feb..Jul) and 60.000 jasa in June."""
    run(
        savers,
        "simpanan|berjangka|buka|A0001|40jt|--tenor|6|--bunga|6|--tanggal|02-01-2025",
        "simpanan|berjangka|buka|A0001|40jt|--tenor|6|--bunga|6|--tanggal|02-01-2025",
    )
    out = " ".join(ok(savers, "simpanan", "jasa", "--bulan", "2025-06").split())
    assert "2 anggota, jasa Rp360.000, PPh final Rp30.000" in out  # A0001's 60.000: none yet
    one = " ".join(ok(savers, "simpanan", "berjangka", "cair", "SB-2025-0001",
                      "--tanggal", "02-07-2025").split())  # fmt: skip
    # Feb..Jul 200.000 each: under; June 200.000 + 60.000 = 260.000: 10 % = 26.000
    assert "jasa Rp1.200.000, PPh final Rp26.000" in one
    two = " ".join(ok(savers, "simpanan", "berjangka", "cair", "SB-2025-0002",
                      "--tanggal", "02-07-2025").split())  # fmt: skip
    # now 400.000 a month (460.000 in June): 10 % of 2.460.000 = 246.000, less 26.000 withheld
    assert "jasa Rp1.200.000, PPh final Rp220.000" in two
    ani = [t for t in transactions(savers.root) if t.meta.get("anggota") == "A0001"]
    withheld = -sum((_amount(t, TAX) for t in ani), Decimal(0))
    assert withheld == 246_000
    assert "Buku bersih" in ok(savers, "periksa")


def test_a_later_jasa_takes_the_deposits_paid_before_into_account(savers: Cli) -> None:
    """The other order: the deposits are cashed first, June's jasa later catches up."""
    run(
        savers,
        "simpanan|berjangka|buka|A0001|40jt|--tenor|6|--bunga|6|--tanggal|02-01-2025",
        "simpanan|berjangka|cair|SB-2025-0001|--tanggal|02-07-2025",
    )
    out = " ".join(ok(savers, "simpanan", "jasa", "--bulan", "2025-06").split())
    # June: 200.000 (deposit) + 60.000 (jasa) = 260.000 > 240.000: 10 % = 26.000, all of it now
    assert "2 anggota, jasa Rp360.000, PPh final Rp56.000" in out
    ani = next(t for t in _jasa(savers.root, "2025-06") if t.meta["anggota"] == "A0001")
    assert _amount(ani, TAX) == -26_000
    assert "Buku bersih" in ok(savers, "periksa")


# --- Rates with a first month (#12): the sukarela rate and PP 15/2009's threshold and rate ---

RAT_2025 = '[{mulai: 2025-03, persen: 3, dasar: "Keputusan RAT 2025"}]'


def test_a_month_credited_again_after_koreksi_keeps_the_rate_of_its_month(savers: Cli) -> None:
    """The Rapat Anggota lowers the rate from 6 % to 3 % from March. February, taken back by
    koreksi and run again, is still reckoned at February's 6 %, not at today's 3 % (#12)."""
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    set_simpanan(savers.root, "jasa_sukarela_berubah", RAT_2025)
    budi = next(t for t in _jasa(savers.root, "2025-02") if t.meta["anggota"] == "A0002")
    ok(savers, "koreksi", budi.meta["id"], "--alasan", "dihitung ulang", "--tanggal", "10-03-2025")
    out = " ".join(ok(savers, "simpanan", "jasa", "--bulan", "2025-02").split())
    # 60.000.000 x 6 % / 12 = 300.000, above Rp240.000: 10 % withheld again
    assert "1 anggota, jasa Rp300.000, PPh final Rp30.000" in out
    again = [t for t in _jasa(savers.root, "2025-02") if t.meta.get("jenis") == "jasa-simpanan"]
    assert again[-1].meta["persen"] == 6 and "6% setahun" in again[-1].narration
    # March at 3 %: A0001 12.060.000 -> 30.150; A0002's lowest 60.270.000 -> 150.675
    out = " ".join(ok(savers, "simpanan", "jasa", "--bulan", "2025-03").split())
    assert "2 anggota, jasa Rp180.825, PPh final Rp0" in out
    march = _jasa(savers.root, "2025-03")
    assert {t.meta["persen"] for t in march} == {3}
    assert all("3% setahun" in t.narration for t in march)
    assert "Buku bersih" in ok(savers, "periksa")


def test_periksa_judges_each_credited_month_at_the_rate_in_force_then(savers: Cli) -> None:
    """A change of rate recorded with its first month leaves the months before it clean, also
    entries of an older kkmp that carry no `persen:` (they were judged at today's rate, #12);
    a rate changed in place, over months already credited, is named as such."""
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    year = savers.root / "jurnal" / "2025.beancount"
    older = "\n".join(
        line for line in year.read_text().split("\n") if not line.startswith("  persen:")
    )
    year.write_text(older)  # as kkmp wrote it before the entry carried its rate
    set_simpanan(savers.root, "jasa_sukarela_berubah", RAT_2025)
    assert "Buku bersih" in ok(savers, "periksa")
    ok(savers, "simpanan", "jasa", "--bulan", "2025-03")
    assert "Buku bersih" in ok(savers, "periksa")

    def findings(rate: str) -> str:
        """periksa with the rate changed in place, for every month (not as it should be)."""
        set_simpanan(savers.root, "jasa_sukarela_berubah", "[]")
        set_simpanan(savers.root, "jasa_sukarela_persen_tahun", rate)
        return periksa_finds(savers)

    older_at_3 = findings("3")  # February, of an older kkmp, at 3 % now
    assert (
        "jasa simpanan 2025-02 A0002 Rp300.000 tidak sesuai buku: saldo terendah "
        "Rp60.000.000 memberi Rp150.000 pada 3% setahun (koreksi jasa itu dan hitung lagi "
        "bulan itu, atau catat persen lain di simpanan.jasa_sukarela_berubah" in older_at_3
    ), older_at_3
    march_at_6 = findings("6")  # March, written at 3 %, at 6 % now
    assert "jasa simpanan 2025-03 A0002 Rp150.675 tidak sesuai buku" in march_at_6
    assert (
        "pada 6% setahun (jasa itu dicatat pada 3% setahun; persen yang diubah Rapat Anggota "
        "dicatat di simpanan.jasa_sukarela_berubah dengan bulan mulainya" in march_at_6
    ), march_at_6


def test_a_new_threshold_leaves_the_months_before_it_as_they_were(savers: Cli) -> None:
    """A new regulation (here made up: Rp400.000 and 15 % from March) applies from its month:
    February's withholding at Rp240.000 and 10 % stays right in periksa, March is judged by the
    new one (a threshold changed for all months flagged correct old entries, #12)."""
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    set_simpanan(savers.root, "pph_bunga_berubah",
         '[{mulai: 2025-03, persen: 15, batas_bulan: 400000, dasar: "PP (contoh)"}]')  # fmt: skip
    assert "Buku bersih" in ok(savers, "periksa")
    out = " ".join(ok(savers, "simpanan", "jasa", "--bulan", "2025-03").split())
    # A0002: 60.270.000 x 6 % / 12 = 301.350, under the new Rp400.000: no tax
    assert "2 anggota, jasa Rp361.650, PPh final Rp0" in out
    assert "Buku bersih" in ok(savers, "periksa")


def test_a_wrong_withholding_names_the_regulation_in_force(savers: Cli) -> None:
    """periksa named PP 15/2009 for a month a later regulation governs (adversarial review,
    #12); the jasa entry names the one it followed."""
    set_simpanan(savers.root, "pph_bunga_berubah",
         '[{mulai: 2025-02, persen: 20, batas_bulan: 100000, dasar: "PP (contoh) 2025"}]')  # fmt: skip
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    jasa = [t for t in transactions(savers.root) if t.meta.get("jenis") == interest.JASA]
    taxed = [t for t in jasa if "PPh final" in t.narration]
    assert taxed and all("(PP (contoh) 2025)" in t.narration for t in taxed)
    set_simpanan(savers.root, "pph_bunga_berubah",
         '[{mulai: 2025-02, persen: 10, batas_bulan: 100000, dasar: "PP (contoh) 2025"}]')  # fmt: skip
    said = periksa_finds(savers)
    assert "tidak sesuai PP (contoh) 2025 (seharusnya" in said and "PP 15/2009" not in said


def test_the_pph_of_months_under_different_rules() -> None:
    """Each month is judged by the threshold and rate in force in it; rounded down once."""
    rules = config.SimpananRules(
        pph_bunga_berubah=(
            config.PphBungaChange((2025, 3), Decimal(15), Decimal(400_000), "PP (contoh)"),
        )
    )
    months = {"2025-02": Decimal(300_000), "2025-03": Decimal(390_000), "2025-04": Decimal(401_007)}
    # February 10 % of 300.000; March under 400.000; April 15 % of 401.007 = 60.151,05
    assert interest.due(rules, months) == Decimal(90_151)
    assert rules.jasa_on(2025, 2) == 0 and rules.pph_bunga_on(2025, 2) == (10, 240_000)
    assert rules.pph_bunga_on(2025, 3) == (15, 400_000)


@pytest.mark.parametrize(
    ("key", "wrong", "said"),
    [
        ("jasa_sukarela_berubah", "[{mulai: 2025-07, persen: 5}, {mulai: 2025-03, persen: 4}]",
         "'simpanan.jasa_sukarela_berubah ke-2.mulai' harus sesudah bulan perubahan sebelumnya"),
        ("jasa_sukarela_berubah", "[{mulai: Juli, persen: 5}]", "Bulan 'Juli' tidak dikenal"),
        ("jasa_sukarela_berubah", "[{persen: 5}]",
         "'simpanan.jasa_sukarela_berubah ke-1.mulai' wajib diisi"),
        ("jasa_sukarela_berubah", "[{mulai: 2025-07}]",
         "'simpanan.jasa_sukarela_berubah ke-1.persen' wajib diisi"),
        ("jasa_sukarela_berubah", "[{mulai: 2025-07, persen: 150}]", "paling besar 100"),
        ("jasa_sukarela_berubah", "[{mulai: 2025-07, jumlah: 5}]",
         "kunci 'jumlah' tidak dikenal di 'simpanan.jasa_sukarela_berubah ke-1'"),
        ("jasa_sukarela_berubah", "5", "harus berupa daftar"),
        ("pph_bunga_berubah", "[{mulai: 2026-01, persen: 15}]",
         "'simpanan.pph_bunga_berubah ke-1.batas_bulan' wajib diisi"),
        ("pph_bunga_berubah", "[{mulai: 2026-01, persen: 15, batas_bulan: sejuta}]",
         "'simpanan.pph_bunga_berubah ke-1.batas_bulan'"),
        ("pph_bunga_berubah", "[{mulai: 2026-01, persen: 15, batas: 400000}]",
         "kunci 'batas' tidak dikenal"),
    ],
)  # fmt: skip
def test_a_wrong_change_of_rate_is_refused_by_name(
    savers: Cli, key: str, wrong: str, said: str
) -> None:
    set_simpanan(savers.root, key, wrong)
    out = refused(savers, "simpanan", "jasa", "--bulan", "2025-02", says=said)
    assert out.count("Galat:") == 1
