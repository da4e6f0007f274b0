"""`kkmp anggota keluar`: the loans netted exactly as `pinjaman lunasi` settles them, the refund
owed to the member who left (`--via utang`) and its payment, and the interest of the months
before the exit (found by an adversarial review of the member exit, #23)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data

from kkmp_cli import chart
from kkmp_cli.closing import invariants
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.loans import operations as loan_ops
from tests.conftest import Cli, ok, refused, reload, run, set_simpanan, transactions

REFUND = chart.member_account(chart.UTANG_PENGEMBALIAN, "A0001")


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "koperasi.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _balances(root: Path) -> dict[str, Decimal]:
    return dict(ledger.load(Paths(root), fresh=True).balances())


def _exit_entry(root: Path) -> data.Transaction:
    (entry,) = [t for t in transactions(root) if t.meta.get("jenis") == "keluar-anggota"]
    return entry


def _loan_lines(postings: list[data.Posting]) -> list[tuple[str, Decimal]]:
    """The postings of a settlement that are neither cash nor the member's simpanan."""
    skip = ("Aset:Kas", *chart.MEMBER_PARENTS, chart.UTANG_PENGEMBALIAN)
    return sorted((p.account, ledger.number(p)) for p in postings if not p.account.startswith(skip))


@pytest.fixture
def borrower(cli: Cli) -> Cli:
    """Siti: pokok 100.000 and sukarela 5jt; PJ-2025-0001 3jt flat, 10 months, 2 % (jasa
    60.000 a month) from 01-02-2025."""
    run(
        cli,
        "kas|masuk|hibah|30jt|--keterangan|Hibah|--tanggal|02-01-2025",
        "anggota|tambah|Siti|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|sukarela|5jt|--tanggal|02-01-2025",
        "pinjaman|cair|A0001|3jt|--tenor|10|--jasa|2|--metode|flat|--tanggal|01-02-2025",
    )
    return cli


def _settles_like_payoff(cli: Cli, loan: str, date: dt.date) -> list[tuple[str, Decimal]]:
    """The exit's loan lines equal what `pinjaman lunasi` would book on the same books."""
    before = ledger.load(Paths(cli.root), fresh=True)
    (payoff,) = loan_ops.payoff(before, loan, date)
    assert isinstance(payoff, data.Transaction)
    ok(
        cli,
        "anggota",
        "keluar",
        "A0001",
        "--tanggal",
        f"{date:%d-%m-%Y}",
        "--alasan",
        "Pindah",
        "--kompensasi",
    )
    lines = _loan_lines(_exit_entry(cli.root).postings)
    assert lines == _loan_lines(payoff.postings)
    return lines


def test_exit_settles_accrued_jasa_like_a_payoff(borrower: Cli) -> None:
    _edit(borrower.root, "pengakuan_jasa: kas ", "pengakuan_jasa: akrual ")
    ok(borrower, "pinjaman", "akrual", "--bulan", "2025-03")
    lines = _settles_like_payoff(borrower, "PJ-2025-0001", dt.date(2025, 4, 5))
    # Instalment 1's jasa (due 01-03, accrued) settles the receivable; instalment 2's (due 01-04,
    # not accrued) and the running one's are income: 60.000 accrued + 120.000 in all.
    assert (chart.PIUTANG_JASA, Decimal(-60_000)) in lines
    assert (chart.JASA_PINJAMAN, Decimal(-120_000)) in lines
    bal = _balances(borrower.root)
    assert bal[chart.PIUTANG_JASA] == 0
    assert bal[chart.JASA_PINJAMAN] == -180_000
    assert bal["Aset:Piutang-Pinjaman:A0001"] == 0
    assert ok(borrower, "periksa").strip().startswith("Buku bersih")


def test_exit_dated_before_an_accrual_sets_it_right(borrower: Cli) -> None:
    """An exit dated 15-03, recorded after March's accrual (31-03) that holds instalment 1's
    jasa: it was refused (the receivable went below zero on 15-03); now that jasa is income on
    15-03, as `pinjaman lunasi` books it, and March's accrual of it is taken back (#13)."""
    _edit(borrower.root, "pengakuan_jasa: kas ", "pengakuan_jasa: akrual ")
    ok(borrower, "pinjaman", "akrual", "--bulan", "2025-03")
    before = ledger.load(Paths(borrower.root), fresh=True)
    payoff = loan_ops.payoff(before, "PJ-2025-0001", dt.date(2025, 3, 15))
    ok(borrower, "anggota", "keluar", "A0001", "--tanggal", "15-03-2025", "--kompensasi")
    assert _loan_lines(_exit_entry(borrower.root).postings) == _loan_lines(payoff[0].postings)
    (adjust,) = [
        t for t in transactions(borrower.root) if t.meta["jenis"] == "pinjaman-akrual-sesuai"
    ]
    assert adjust.date == dt.date(2025, 3, 31)
    assert _loan_lines(adjust.postings) == _loan_lines(payoff[1].postings)
    bal = _balances(borrower.root)
    assert bal[chart.PIUTANG_JASA] == 0
    assert bal[chart.JASA_PINJAMAN] == -payoff_jasa(payoff[0])
    assert ok(borrower, "periksa").strip().startswith("Buku bersih")


def payoff_jasa(entry: data.Directive) -> Decimal:
    assert isinstance(entry, data.Transaction)
    return -sum(
        (ledger.number(p) for p in entry.postings if p.account == chart.JASA_PINJAMAN), Decimal(0)
    )


def test_exit_recognises_the_jasa_a_restructuring_deferred(borrower: Cli) -> None:
    ok(
        borrower,
        *"pinjaman restrukturisasi PJ-2025-0001 --tenor 10 --jasa 1,5".split(),
        *("--alasan", "Gagal panen", "--tanggal", "01-06-2025", "--jasa-tertunggak", "pokok"),
    )
    deferred = -_balances(borrower.root)[chart.JASA_DITANGGUHKAN]
    assert deferred > 0
    lines = _settles_like_payoff(borrower, "PJ-2025-0002", dt.date(2025, 6, 15))
    assert (chart.JASA_DITANGGUHKAN, deferred) in lines
    bal = _balances(borrower.root)
    assert bal[chart.JASA_DITANGGUHKAN] == 0
    assert bal["Aset:Piutang-Pinjaman:A0001"] == 0
    assert ok(borrower, "periksa").strip().startswith("Buku bersih")


@pytest.fixture
def left_owed(cli: Cli) -> Cli:
    """Budi (pokok 100.000) left on 01-07-2025 with his refund owed (--via utang)."""
    run(
        cli,
        "kas|masuk|hibah|30jt|--keterangan|Hibah|--tanggal|02-01-2025",
        "anggota|tambah|Budi|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "anggota|keluar|A0001|--via|utang|--tanggal|01-07-2025|--alasan|Pindah",
    )
    return cli


def test_refund_owed_is_the_members_own_payable(left_owed: Cli) -> None:
    bal = _balances(left_owed.root)
    assert bal[REFUND] == -100_000
    assert chart.UTANG_PENGEMBALIAN not in bal
    entries, errors = reload(left_owed.root)
    assert errors == []
    assert REFUND not in {e.account for e in entries if isinstance(e, data.Close)}
    card = ok(left_owed, "anggota", "lihat", "A0001")
    assert "Pengembalian simpanan belum dibayar: Rp100.000" in card
    shown = json.loads(ok(left_owed, "anggota", "lihat", "A0001", "--format", "json"))
    assert shown["pengembalian_belum_dibayar"] == 100_000
    assert ok(left_owed, "periksa").strip().startswith("Buku bersih")


def test_refund_is_paid_by_its_command_never_beyond_what_is_owed(left_owed: Cli) -> None:
    pay = ("anggota", "bayar-pengembalian", "A0001")
    refused(
        left_owed,
        *("jurnal", "--posting", f"{REFUND}=500000", "--posting", "Aset:Kas=-500000"),
        *("--keterangan", "bayar", "--tanggal", "05-07-2025"),
        says="dikelola oleh perintahnya sendiri",
    )
    refused(left_owed, *pay, "500rb", "--tanggal", "05-07-2025", says="melebihi")
    refused(left_owed, *pay, "--tanggal", "01-07-2025", says="sesudah tanggal keluarnya")
    out = ok(left_owed, *pay, "40rb", "--tanggal", "05-07-2025")
    assert "BKK-2025-" in out and "Rp40.000" in out
    assert "Pengembalian simpanan belum dibayar: Rp60.000" in ok(
        left_owed, "anggota", "lihat", "A0001"
    )
    ok(left_owed, *pay, "--tanggal", "06-07-2025")
    refused(left_owed, *pay, "--tanggal", "07-07-2025", says="Tidak ada pengembalian simpanan")
    bal = _balances(left_owed.root)
    assert bal[REFUND] == 0 and bal["Aset:Kas"] == 30_000_000
    paid = [t for t in transactions(left_owed.root) if t.meta.get("jenis") == "pengembalian-bayar"]
    assert [t.meta["anggota"] for t in paid] == ["A0001", "A0001"]
    assert "Pengembalian simpanan belum dibayar" not in ok(left_owed, "anggota", "lihat", "A0001")
    assert ok(left_owed, "periksa").strip().startswith("Buku bersih")


OLD_POOLED_EXIT = """
    2025-01-01 open Kewajiban:Utang-Pengembalian-Simpanan IDR

    2025-01-02 custom "anggota" "masuk" "A0001" "Budi"

    2025-01-02 open Ekuitas:Simpanan-Pokok:A0001 IDR

    2025-01-02 * "Budi" "Setoran simpanan pokok"
      id: "BKM-2025-000001"
      Aset:Kas                                   100000 IDR
      Ekuitas:Simpanan-Pokok:A0001              -100000 IDR

    2025-07-01 * "Budi" "Pengembalian simpanan anggota keluar: Pindah"
      id: "BM-2025-000001"
      anggota: "A0001"
      jenis: "keluar-anggota"
      Ekuitas:Simpanan-Pokok:A0001               100000 IDR
      Kewajiban:Utang-Pengembalian-Simpanan     -100000 IDR

    2025-07-01 custom "anggota" "keluar" "A0001" "Pindah"

    2025-07-01 close Ekuitas:Simpanan-Pokok:A0001

    2025-07-05 * "pengembalian simpanan A0001"
      id: "BKK-2025-000001"
      Kewajiban:Utang-Pengembalian-Simpanan      {paid} IDR
      Aset:Kas                                   -{paid} IDR
    """


@pytest.mark.parametrize("paid", [100_000, 500_000])
def test_an_older_pooled_refund_passes_and_overpaying_it_is_a_finding(
    ledger_from_text, paid: int
) -> None:
    book = ledger_from_text(OLD_POOLED_EXIT.format(paid=paid))
    assert book.errors == []
    found = [f.message for f in invariants.findings(book)]
    if paid == 100_000:
        assert found == []
    else:
        overpaid = f"saldo {chart.UTANG_PENGEMBALIAN} menjadi -Rp400.000 pada 05-07-2025"
        assert f"{overpaid} (BKK-2025-000001)" in found


SAVES = (
    "kas|masuk|hibah|1jt|--keterangan|Hibah|--tanggal|02-01-2025",
    "anggota|tambah|Siti|--tanggal|02-01-2025",
    "simpanan|setor|A0001|sukarela|12jt|--tanggal|02-01-2025",
)


@pytest.fixture
def savers(cli: Cli) -> Cli:
    """6 % a year on sukarela; Siti holds 12jt from 02-01-2025."""
    _edit(cli.root, "jasa_sukarela_persen_tahun: 0 ", "jasa_sukarela_persen_tahun: 6 ")
    run(cli, *SAVES)
    return cli


def test_exit_waits_for_the_interest_of_the_months_before(savers: Cli) -> None:
    leave = ("anggota", "keluar", "A0001", "--tanggal", "03-03-2025", "--alasan", "Pindah")
    said = refused(savers, *leave, says="kkmp simpanan jasa --bulan 2025-02")
    assert said.count("Galat:") == 1 and "A0001" in said
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    ok(savers, *leave)
    (credit,) = [
        t
        for t in transactions(savers.root)
        if t.meta.get("bulan") == "2025-02" and t.meta.get("anggota") == "A0001"
    ]
    assert credit.meta["jasa"] == 60_000  # 12.000.000 x 6 % / 12
    assert ok(savers, "periksa").strip().startswith("Buku bersih")


def test_exit_waits_again_for_a_month_whose_interest_was_taken_back(savers: Cli) -> None:
    """February's jasa credited, then taken back by koreksi so it can be run again: the month
    has no interest booked, so the exit waits for it (found by an adversarial review: the
    reversed run still counted, and the member left without February's jasa)."""
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    (credit,) = [t for t in transactions(savers.root) if t.meta.get("bulan") == "2025-02"]
    ok(savers, "koreksi", credit.meta["id"], "--alasan", "dihitung ulang", "-t", "01-03-2025")
    leave = ("anggota", "keluar", "A0001", "--tanggal", "03-03-2025", "--alasan", "Pindah")
    refused(savers, *leave, says="kkmp simpanan jasa --bulan 2025-02")
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    ok(savers, *leave)
    assert ok(savers, "periksa").strip().startswith("Buku bersih")


def test_exit_on_a_months_last_day_waits_only_for_the_months_before(savers: Cli) -> None:
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    ok(savers, "anggota", "keluar", "A0001", "--tanggal", "31-03-2025", "--alasan", "Pindah")


def test_a_cooperative_without_interest_on_sukarela_is_not_held_up(cli: Cli) -> None:
    run(cli, *SAVES, "anggota|keluar|A0001|--tanggal|03-03-2025|--alasan|Pindah")


def test_exit_waits_for_the_months_at_the_rate_in_force_then(savers: Cli) -> None:
    """The Rapat Anggota stops paying jasa from April: February and March still earned 6 %,
    so the exit waits for March (reckoned at today's 0 %, nothing was due and the member left
    without it, #12); April, at 0 %, is neither asked for nor can it be run."""
    ok(savers, "simpanan", "jasa", "--bulan", "2025-02")
    stop = '[{mulai: 2025-04, persen: 0, dasar: "Keputusan RAT 2025"}]'
    set_simpanan(savers.root, "jasa_sukarela_berubah", stop)
    leave = ("anggota", "keluar", "A0001", "--tanggal", "02-05-2025", "--alasan", "Pindah")
    said = refused(savers, *leave, says="kkmp simpanan jasa --bulan 2025-03")
    assert "2025-04" not in said
    refused(savers, "simpanan", "jasa", "--bulan", "2025-04",
            says="tidak memberi jasa simpanan sukarela untuk bulan 2025-04")  # fmt: skip
    out = " ".join(ok(savers, "simpanan", "jasa", "--bulan", "2025-03").split())
    assert "1 anggota, jasa Rp60.300" in out  # 12.060.000 x 6 % / 12
    ok(savers, *leave)
    assert ok(savers, "periksa").strip().startswith("Buku bersih")
