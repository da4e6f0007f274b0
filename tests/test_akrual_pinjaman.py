"""Accrued loan jasa when entries come out of date order (#13): a payment recorded after the
month's accrual but dated before it, a payment dated before a non-accrual reversal, a koreksi of
such a payment, and `periksa` judging each loan's receivable day by day."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from conftest import (
    Cli,
    close_2025,
    ok,
    periksa_finds,
    refused,
    run,
    snapshot,
    transactions,
    with_accruing_loan,
)

from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.loans import accrual

D = Decimal
RECEIVABLE = "Aset:Piutang-Jasa-Pinjaman"
INCOME = "Pendapatan:Simpan-Pinjam:Jasa"
LOAN = "PJ-2025-0001"
INSTALMENT = "620.000"  # 500.000 pokok + 120.000 jasa a month, due on the 2nd


def _daily(root: Path) -> dict[str, dict[dt.date, Decimal]]:
    """Each loan's jasa receivable at the end of every day it moves, from beancount's reload."""
    moves: dict[str, dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for t in transactions(root):
        for p in t.postings:
            if p.account == RECEIVABLE:
                owner = str((p.meta or {}).get("pinjaman", t.meta.get("pinjaman")))
                moves[owner][t.date] += p.units.number
    running: dict[str, dict[dt.date, Decimal]] = {}
    for owner, by_day in moves.items():
        total = D(0)
        running[owner] = {}
        for day in sorted(by_day):
            total += by_day[day]
            running[owner][day] = total
    return running


def _never_negative(root: Path) -> dict[str, Decimal]:
    """Assert no loan's receivable is below zero at the end of any day; the final balances."""
    final = {}
    for owner, days in _daily(root).items():
        low = min(days.values())
        assert low >= 0, (owner, {d: v for d, v in days.items() if v < 0})
        final[owner] = days[max(days)]
    return final


def _jasa_income(cli: Cli, *period: str) -> Decimal:
    out = json.loads(ok(cli, "laporan", "phu", *period, "-f", "json"))
    rows = [r for r in out["baris"] if r["akun"] == INCOME]
    return D(rows[0]["nilai"][0]) if rows else D(0)


def _schedule(cli: Cli, loan: str = LOAN) -> list[dict]:
    return json.loads(ok(cli, "pinjaman", "jadwal", loan, "-f", "json"))["angsuran"]


def _earned(cli: Cli, first: dt.date, last: dt.date, loan: str = LOAN) -> Decimal:
    """Jasa of the instalments that fell due between `first` and `last`: under accrual each is
    income of its period, whether paid then or accrued."""
    return sum(
        (
            D(row["jasa"])
            for row in _schedule(cli, loan)
            if first <= dt.date.fromisoformat(row["jatuh_tempo"]) <= last
        ),
        D(0),
    )


def _adjustments(root: Path) -> list[data.Transaction]:
    return [t for t in transactions(root) if t.meta.get("jenis") == "pinjaman-akrual-sesuai"]


def test_payment_dated_before_the_months_accrual(accruing: Cli) -> None:
    """Instalment due 02-03, March accrued on 31-03, then a receipt of 25-03 recorded late: it
    was refused with a negative receivable; now it is income on 25-03 and March's accrual of
    that jasa is taken back on 31-03."""
    run(accruing, f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|02-02-2025")
    ok(accruing, "pinjaman", "akrual", "--bulan", "2025-03")
    out = ok(accruing, "pinjaman", "angsur", LOAN, INSTALMENT, "--tanggal", "25-03-2025")
    assert "Penyesuaian akrual jasa" in " ".join(out.split())
    assert _never_negative(accruing.root) == {LOAN: 0}
    (adj,) = _adjustments(accruing.root)
    assert adj.date == dt.date(2025, 3, 31) and LOAN in adj.links
    paid = _schedule(accruing)
    assert [r["jasa_dibayar"] for r in paid[:3]] == [paid[0]["jasa"], paid[1]["jasa"], 0]
    year = _earned(accruing, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert _jasa_income(accruing, "--tahun", "2025") == year
    assert _jasa_income(accruing, "--bulan", "2025-03") == D(paid[1]["jasa"])
    ok(accruing, "periksa")


def test_late_payment_reaches_later_accruals_and_payments(accruing: Cli) -> None:
    """A receipt of 25-03 recorded after 05-04's payment and April's accrual: instalment 2 is
    paid on 25-03, 05-04 pays instalment 3 before April's accrual, nothing stays accrued."""
    run(
        accruing,
        f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|02-02-2025",
        "pinjaman|akrual|--bulan|2025-03",
        f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|05-04-2025",
        "pinjaman|akrual|--bulan|2025-04",
    )
    ok(accruing, "pinjaman", "angsur", LOAN, INSTALMENT, "--tanggal", "25-03-2025")
    assert _never_negative(accruing.root) == {LOAN: 0}
    assert {t.date for t in _adjustments(accruing.root)} == {
        dt.date(2025, 3, 31),
        dt.date(2025, 4, 5),
        dt.date(2025, 4, 30),
    }
    earned = _earned(accruing, dt.date(2025, 1, 1), dt.date(2025, 4, 30))
    assert _jasa_income(accruing, "--tahun", "2025") == earned
    assert all(r["lunas"] for r in _schedule(accruing)[:3])
    ok(accruing, "periksa")


def test_month_accrued_after_the_next_months_payment(accruing: Cli) -> None:
    """The usual order: March is accrued on 08-04, after the receipt of 05-04 for instalment 2
    (due 02-03) was recorded as income. The accrual holds that jasa on 31-03, so the receipt
    settles it: before, the receivable stayed and the jasa was income twice."""
    run(
        accruing,
        f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|02-02-2025",
        f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|05-04-2025",
    )
    out = " ".join(ok(accruing, "pinjaman", "akrual", "--bulan", "2025-03").split())
    jasa_2 = D(_schedule(accruing)[1]["jasa"])
    assert f"Akrual jasa bulan 2025-03: Rp{jasa_2:,.0f}.".replace(",", ".") in out
    assert _never_negative(accruing.root) == {LOAN: 0}
    (adj,) = _adjustments(accruing.root)
    assert adj.date == dt.date(2025, 4, 5)
    assert _jasa_income(accruing, "--bulan", "2025-03") == jasa_2
    assert _jasa_income(accruing, "--bulan", "2025-04") == 0
    earned = _earned(accruing, dt.date(2025, 1, 1), dt.date(2025, 4, 30))
    assert _jasa_income(accruing, "--tahun", "2025") == earned - D(_schedule(accruing)[2]["jasa"])
    ok(accruing, "periksa")


def test_payoff_dated_before_the_months_accrual(accruing: Cli) -> None:
    run(accruing, "pinjaman|akrual|--bulan|2025-02", "pinjaman|akrual|--bulan|2025-03")
    ok(accruing, "pinjaman", "lunasi", LOAN, "--tanggal", "20-03-2025")
    assert _never_negative(accruing.root) == {LOAN: 0}
    st = json.loads(ok(accruing, "pinjaman", "jadwal", LOAN, "-f", "json"))
    assert st["status"] == "lunas"
    assert _jasa_income(accruing, "--tahun", "2025") == D(st["jasa_dibayar"])
    ok(accruing, "periksa")


def test_write_off_dated_before_the_months_accrual(accruing: Cli) -> None:
    """Written off on 10-03 after March was accrued: it reverses what was accrued by 10-03, and
    March's accrual of a loan that was no longer running is taken back."""
    run(accruing, "pinjaman|akrual|--bulan|2025-02", "pinjaman|akrual|--bulan|2025-03")
    run(accruing, f"pinjaman|hapus-buku|{LOAN}|--alasan|Meninggal|--tanggal|10-03-2025")
    assert _never_negative(accruing.root) == {LOAN: 0}
    assert [t.date for t in _adjustments(accruing.root)] == [dt.date(2025, 3, 31)]
    assert _jasa_income(accruing, "--tahun", "2025") == 0
    ok(accruing, "periksa")


def test_payment_dated_before_a_non_accrual_reversal(accruing: Cli) -> None:
    """Instalments 1-8 paid on time, October to December accrued, January 2026 reversed
    (kurang lancar); then a receipt of instalment 9's jasa dated 20-12-2025 is recorded. It
    settles the receivable it had on its day, so 2025 holds each jasa due in 2025 once (it
    held that jasa twice: in October's accrual and as cash) and the reversal takes back only
    what is still unpaid."""
    for month in range(2, 10):
        run(accruing, f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|02-{month:02d}-2025")
    for month in ("2025-10", "2025-11", "2025-12"):
        run(accruing, f"pinjaman|akrual|--bulan|{month}")
    out = ok(accruing, "pinjaman", "akrual", "--bulan", "2026-01")
    assert "pembalikan non-akrual" in " ".join(out.split())
    jasa_9 = _schedule(accruing)[8]["jasa"]
    ok(accruing, "pinjaman", "angsur", LOAN, f"{jasa_9}", "--tanggal", "20-12-2025")
    assert _never_negative(accruing.root) == {LOAN: 0}
    due_2025 = _earned(accruing, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert _jasa_income(accruing, "--tahun", "2025") == due_2025
    paid = sum((D(r["jasa_dibayar"]) for r in _schedule(accruing)), D(0))
    assert _jasa_income(accruing, "--tahun", "2026") == paid - due_2025
    st = json.loads(ok(accruing, "pinjaman", "daftar", "--per", "31-01-2026", "-f", "json"))
    assert st["pinjaman"][0]["kolektibilitas"] == "kurang_lancar"
    ok(accruing, "periksa")


def test_koreksi_of_a_late_payment_accrues_its_jasa_again(accruing: Cli) -> None:
    run(accruing, f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|02-02-2025")
    ok(accruing, "pinjaman", "akrual", "--bulan", "2025-03")
    ok(accruing, "pinjaman", "angsur", LOAN, INSTALMENT, "--tanggal", "25-03-2025")
    txns = transactions(accruing.root)
    accrued = next(t.meta["id"] for t in txns if t.meta.get("jenis") == "pinjaman-akrual")
    (adj,) = _adjustments(accruing.root)
    late = next(t.meta["id"] for t in txns if t.date == dt.date(2025, 3, 25))
    refused(accruing, "koreksi", accrued, "--alasan", "x", says="tidak dapat dikoreksi")
    refused(accruing, "koreksi", adj.meta["id"], "--alasan", "x", says="tidak dapat dikoreksi")
    refused(accruing, "pinjaman", "akrual", "--bulan", "2025-03", says="sudah diakrualkan")
    ok(accruing, "koreksi", late, "--alasan", "salah catat", "--tanggal", "26-03-2025")
    # The receipt never was: instalment 2's jasa is unpaid again, so accrued on 31-03.
    assert _never_negative(accruing.root) == {LOAN: D(_schedule(accruing)[1]["jasa"])}
    assert [r["jasa_dibayar"] for r in _schedule(accruing)[:2]] == [D(120_000), 0]
    year = _earned(accruing, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert _jasa_income(accruing, "--tahun", "2025") == year
    ok(accruing, "periksa")


@pytest.mark.hand_made
def test_periksa_finds_a_receivable_negative_on_one_day(accruing: Cli) -> None:
    """Two loans whose receivables swap for ten days by hand: the account never goes below
    zero and each loan ends right, but PJ-2025-0001 was negative from 10-03 to 19-03."""
    run(
        accruing,
        "anggota|tambah|Budi|--tanggal|02-01-2025",
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|sukarela|2jt|--tanggal|02-01-2025",
        "pinjaman|cair|A0002|1jt|--tenor|10|--jasa|1|--tanggal|02-01-2025",
        "pinjaman|akrual|--bulan|2025-03",
    )
    ok(accruing, "periksa")
    year = Paths(accruing.root).year_file(2025)
    swap = (
        '\n{day} * "Pindah piutang jasa"\n  id: "BM-2025-{n}"\n'
        '  {acct}  -50000 IDR\n    pinjaman: "{a}"\n  {acct}  50000 IDR\n    pinjaman: "{b}"\n'
    )
    year.write_text(
        year.read_text()
        + swap.format(day="2025-03-10", n="900001", acct=RECEIVABLE, a=LOAN, b="PJ-2025-0002")
        + swap.format(day="2025-03-20", n="900002", acct=RECEIVABLE, a="PJ-2025-0002", b=LOAN)
    )
    r = accruing("periksa")
    folded = " ".join(r.output.split())
    assert r.exit_code != 0
    assert f"piutang jasa pinjaman {LOAN} negatif" in folded and "10-03-2025" in folded


BUDI = (
    "anggota|tambah|Budi|--tanggal|02-01-2025",
    "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
    "simpanan|setor|A0002|sukarela|2jt|--tanggal|02-01-2025",
)


def _second_loan(cli: Cli) -> None:
    """Budi's 1.000.000 over 10 months at 1 % from 02-01-2025 (jasa 10.000 due on the 2nd),
    recorded after March was accrued for the first loan only."""
    run(
        cli,
        *BUDI,
        "pinjaman|akrual|--bulan|2025-03",
        "pinjaman|cair|A0002|1jt|--tenor|10|--jasa|1|--tanggal|02-01-2025",
    )


def test_loan_disbursed_before_a_month_already_accrued(accruing: Cli) -> None:
    """A disbursement of 02-01 recorded after March was accrued: its instalment due 02-03 is
    accrued on 31-03 by an adjustment (it was never accrued, and akrual refuses the month)."""
    _second_loan(accruing)
    other = "PJ-2025-0002"
    march = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    (adj,) = _adjustments(accruing.root)
    assert adj.date == march[1] and adj.meta["pinjaman"] == other
    assert _never_negative(accruing.root) == {
        LOAN: _earned(accruing, *march),
        other: _earned(accruing, *march, loan=other),
    }
    refused(accruing, "pinjaman", "akrual", "--bulan", "2025-03", says="sudah diakrualkan")
    both = _earned(accruing, *march) + _earned(accruing, *march, loan=other)
    assert _jasa_income(accruing, "--bulan", "2025-03") == both
    ok(accruing, "periksa")


def test_koreksi_of_a_back_dated_disbursement_takes_back_its_accrued_jasa(accruing: Cli) -> None:
    """The loan disbursed 02-01 after March was accrued, then cancelled by a koreksi: the jasa
    its adjustment accrued on 31-03 is taken back with it, not left on a cancelled loan (#13)."""
    _second_loan(accruing)
    other = "PJ-2025-0002"
    (adj,) = _adjustments(accruing.root)
    disbursed = next(
        t.meta["id"]
        for t in transactions(accruing.root)
        if t.meta.get("jenis") == "pinjaman-cair" and t.meta.get("pinjaman") == other
    )
    ok(accruing, "koreksi", disbursed, "--alasan", "salah anggota", "--tanggal", "05-04-2025")
    _, back = _adjustments(accruing.root)
    assert back.date == dt.date(2025, 4, 5) and back.meta["pinjaman"] == other
    march = _earned(accruing, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert _never_negative(accruing.root) == {LOAN: march, other: D(0)}
    assert _jasa_income(accruing, "--tahun", "2025") == march
    ok(accruing, "periksa")


def test_restructuring_dated_before_months_already_accrued(accruing: Cli) -> None:
    """A restructuring of 15-03 recorded after March and April were accrued: it printed a
    traceback after writing; the new loan's first jasa (due 15-04) was never accrued, and the
    old loan's accruals after 15-03 are taken back."""
    run(
        accruing,
        f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|02-02-2025",
        "pinjaman|akrual|--bulan|2025-03",
        "pinjaman|akrual|--bulan|2025-04",
    )
    out = " ".join(
        ok(
            accruing,
            *("pinjaman", "restrukturisasi", LOAN, "--tenor", "6", "--jasa", "1,5"),
            *("--alasan", "Gagal panen", "--tanggal", "15-03-2025", "--jasa-tertunggak", "hapus"),
        ).split()
    )
    new = "PJ-2025-0002"
    assert f"Pinjaman baru: {new}" in out and "Traceback" not in out
    april = (dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    new_jasa = _earned(accruing, *april, loan=new)
    assert new_jasa > 0
    assert _never_negative(accruing.root) == {LOAN: 0, new: new_jasa}
    assert any(
        t.meta["pinjaman"] == new and t.date == april[1] for t in _adjustments(accruing.root)
    )
    first = D(_schedule(accruing)[0]["jasa_dibayar"])
    assert _jasa_income(accruing, "--tahun", "2025") == first + new_jasa
    refused(accruing, "pinjaman", "akrual", "--bulan", "2025-04", says="sudah diakrualkan")
    ok(accruing, "periksa")


# --- periksa replays each loan's receivable from its first day (#13); `akrual --sesuaikan`
# books what it finds ---

SESUAIKAN = ("pinjaman", "akrual", "--sesuaikan")


def _without_adjustments(root: Path) -> None:
    """The journal as an older kkmp wrote it: the same entries, no "Penyesuaian akrual jasa"
    (taken out by hand)."""
    year = Paths(root).year_file(2025)
    entries = year.read_text().split("\n\n")
    kept = [e for e in entries if 'jenis: "pinjaman-akrual-sesuai"' not in e]
    assert len(kept) == len(entries) - 1
    year.write_text("\n\n".join(kept))


def _rp(amount: Decimal) -> str:
    return f"Rp{amount:,.0f}".replace(",", ".")


def _held(root: Path) -> tuple[dict[str, Decimal], Decimal]:
    """Each loan's receivable and the jasa income, from a fresh load."""
    book = ledger.load(Paths(root), fresh=True)
    return accrual.receivables(book), book.balance(INCOME)


def _older_books(cli: Cli) -> tuple[dict[str, Decimal], Decimal]:
    """Take out the adjustment kkmp wrote (books an older kkmp left); what kkmp's own books,
    which agree with the replay, held."""
    replayed = _held(cli.root)
    _without_adjustments(cli.root)
    assert _held(cli.root) != replayed
    return replayed


def _set_right(cli: Cli, replayed: tuple[dict[str, Decimal], Decimal], loan: str) -> None:
    """`akrual --sesuaikan` books the adjustment periksa asked for: periksa is clean, the
    receivables and the jasa income are the replay's, and nothing is left to adjust."""
    out = " ".join(ok(cli, *SESUAIKAN).split())
    assert "Penyesuaian akrual jasa" in out and "1 transaksi" in out
    (adj,) = _adjustments(cli.root)
    assert adj.date == dt.date(2025, 3, 31) and adj.meta["pinjaman"] == loan and loan in adj.links
    assert ok(cli, "periksa").strip().startswith("Buku bersih")
    assert _held(cli.root) == replayed
    refused(cli, *SESUAIKAN, says="Tidak ada piutang jasa pinjaman yang perlu disesuaikan")


@pytest.mark.hand_made
def test_periksa_finds_a_payment_an_older_kkmp_left_beside_the_accrual(accruing: Cli) -> None:
    """An older kkmp booked a receipt of 25-03 recorded after March's accrual as income and
    left March's accrual of the same jasa standing: the receivable never goes below zero and
    periksa said "Buku bersih"; the replay in date order holds nothing on 31-03."""
    run(
        accruing,
        f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|02-02-2025",
        "pinjaman|akrual|--bulan|2025-03",
        f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|25-03-2025",
    )
    replayed = _older_books(accruing)
    accrued = D(_schedule(accruing)[1]["jasa"])
    said = periksa_finds(accruing)
    assert (
        f"piutang jasa pinjaman {LOAN} pada akhir 31-03-2025 tercatat {_rp(accrued)}, "
        "padahal akrual tiap bulan dan pembayaran menurut urutan tanggal memberi Rp0"
    ) in said
    assert "jalankan 'kkmp pinjaman akrual --sesuaikan'" in said
    assert f"mengurangi piutang jasa pinjaman ini sebesar {_rp(accrued)}" in said
    assert "1 temuan" in said
    _set_right(accruing, replayed, LOAN)


@pytest.mark.hand_made
def test_periksa_finds_a_back_dated_loan_an_older_kkmp_never_accrued(accruing: Cli) -> None:
    """A loan of 02-01 recorded after March was accrued: an older kkmp accrued none of its
    jasa due 02-03 (it wrote no adjustment). periksa names the loan, 31-03 and the jasa the
    replay accrues."""
    _second_loan(accruing)
    replayed = _older_books(accruing)
    other = "PJ-2025-0002"
    due = _earned(accruing, dt.date(2025, 3, 1), dt.date(2025, 3, 31), loan=other)
    assert due > 0
    said = periksa_finds(accruing)
    assert (
        f"piutang jasa pinjaman {other} pada akhir 31-03-2025 tercatat Rp0, padahal akrual "
        f"tiap bulan dan pembayaran menurut urutan tanggal memberi {_rp(due)}"
    ) in said
    assert f"menambah piutang jasa pinjaman ini sebesar {_rp(due)}" in said
    assert "1 temuan" in said
    _set_right(accruing, replayed, other)


@pytest.mark.hand_made
def test_sesuaikan_coba_writes_nothing(accruing: Cli) -> None:
    """--coba shows the adjustment and writes nothing: periksa still finds the loan."""
    _second_loan(accruing)
    _older_books(accruing)
    before = snapshot(accruing.root)
    out = " ".join(ok(accruing, *SESUAIKAN, "--coba").split())
    assert "tidak ditulis" in out and "PJ-2025-0002" in out and "1 transaksi" in out
    assert snapshot(accruing.root) == before
    assert "1 temuan" in periksa_finds(accruing)


def test_sesuaikan_refuses_books_that_agree_and_a_choice_of_both(accruing: Cli) -> None:
    """Nothing to adjust is one Galat sentence; --bulan with --sesuaikan, or neither, too."""
    ok(accruing, "pinjaman", "akrual", "--bulan", "2025-02")
    refused(accruing, *SESUAIKAN, says="Tidak ada piutang jasa pinjaman yang perlu disesuaikan")
    refused(accruing, *SESUAIKAN, "--bulan", "2025-03", says="Pilih salah satu")
    refused(accruing, "pinjaman", "akrual", says="Sebutkan --bulan")


@pytest.mark.hand_made
def test_sesuaikan_refuses_an_adjustment_in_a_closed_year(accruing: Cli) -> None:
    """The adjustment's day is in a closed year: refused, saying how to reopen it."""
    _second_loan(accruing)
    close_2025(accruing)
    _older_books(accruing)
    said = refused(accruing, *SESUAIKAN, says="sudah ditutup")
    assert "kkmp tutup-buku 2025 --buka" in said and "31-03-2025" in said


# Two loans' disbursement, payments and six months' accruals (May on is non-accrual for the
# first loan), in date order.
EVENTS = (
    "pinjaman|cair|A0002|1jt|--tenor|10|--jasa|1|--tanggal|02-01-2025",
    f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|02-02-2025",
    "pinjaman|akrual|--bulan|2025-02",
    "pinjaman|angsur|PJ-2025-0002|110.000|--tanggal|05-03-2025",
    f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|25-03-2025",
    "pinjaman|akrual|--bulan|2025-03",
    f"pinjaman|angsur|{LOAN}|{INSTALMENT}|--tanggal|05-04-2025",
    "pinjaman|akrual|--bulan|2025-04",
    "pinjaman|akrual|--bulan|2025-05",
    "pinjaman|akrual|--bulan|2025-06",
)
SHUFFLED = (  # positions in EVENTS: the same events recorded out of date order
    (0, 6, 8, 2, 7, 5, 3, 4, 1, 9),
    (7, 8, 6, 9, 5, 0, 2, 1, 3, 4),
)


def _recorded(root: Path, order: tuple[int, ...]) -> tuple[dict[str, Decimal], Decimal]:
    coop.init(root, "KKMP Uji Urutan", 2025)
    cli = with_accruing_loan(Cli(root))
    run(cli, *BUDI, *(EVENTS[i] for i in order))
    assert ok(cli, "periksa").strip().startswith("Buku bersih")
    book = ledger.load(Paths(root), fresh=True)
    assert accrual.departures(book) == []
    return accrual.receivables(book), book.balance(INCOME)


def test_periksa_is_clean_whatever_order_commands_were_recorded_in(tmp_path: Path) -> None:
    """No false finding: the same events recorded in date order and out of it leave books the
    replay agrees with, and the same receivables and jasa income."""
    in_order = _recorded(tmp_path / "urut", tuple(range(len(EVENTS))))
    assert sum(in_order[0].values(), D(0)) > 0 and in_order[1] < 0
    for n, order in enumerate(SHUFFLED):
        assert _recorded(tmp_path / f"acak{n}", order) == in_order


def test_the_demo_agrees_with_the_replay(demo_root: Path) -> None:
    """The example cooperative accrues its loans' jasa: periksa's replay finds nothing there."""
    book = ledger.load(Paths(demo_root), fresh=True)
    assert accrual.accrued_months(book) and accrual.receivables(book)
    assert accrual.departures(book) == []
