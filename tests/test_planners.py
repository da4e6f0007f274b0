"""Domain planners on ledgers written inline (beancount's own style): no folder, no CLI, no writer.

Each test states the books it starts from as text, calls one pure planner and checks the entries
it returns, or the sentence it refuses with. They run in milliseconds, beside the CLI contract
tests that drive the same rules end to end (#19).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data

from kkmp_cli import chart
from kkmp_cli.core.config import Config
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.errors import KkmpError
from kkmp_cli.journal import journal
from kkmp_cli.loans import schedule
from kkmp_cli.members import deposits

HEADER = """\
option "name_assets" "Aset"
option "name_liabilities" "Kewajiban"
option "name_equity" "Ekuitas"
option "name_income" "Pendapatan"
option "name_expenses" "Beban"
option "operating_currency" "IDR"
2025-01-01 open Aset:Kas IDR
2025-01-01 open Aset:Bank IDR
2025-01-01 open Ekuitas:Hibah IDR
2025-01-01 open Beban:Listrik-Air IDR
"""

MEMBER = """\
2025-01-02 custom "anggota" "masuk" "A0001" "Siti Aminah"
2025-01-02 open Ekuitas:Simpanan-Pokok:A0001 IDR
  anggota: "A0001"
2025-01-02 open Ekuitas:Simpanan-Wajib:A0001 IDR
  anggota: "A0001"
2025-01-02 open Kewajiban:Simpanan-Sukarela:A0001 IDR
  anggota: "A0001"
"""


def book_of(text: str, tmp_path: Path) -> Book:
    entries, errors, options = loader.load_string(HEADER + text)
    assert not errors, errors
    return Book(Paths(tmp_path), Config(nama="Koperasi Uji", tahun_buku=2025), entries, [], options)


def amounts(entry: data.Directive) -> dict[str, Decimal]:
    assert isinstance(entry, data.Transaction)
    return {p.account: p.units.number for p in entry.postings if p.units is not None}


def test_a_deposit_debits_cash_and_credits_the_members_own_account(tmp_path: Path) -> None:
    book = book_of(MEMBER, tmp_path)
    [entry] = deposits.deposit(book, "A0001", "wajib", Decimal(10_000), dt.date(2025, 2, 1))
    assert amounts(entry) == {
        chart.KAS: Decimal(10_000),
        "Ekuitas:Simpanan-Wajib:A0001": Decimal(-10_000),
    }
    assert entry.meta["id"] == "BKM-2025-000001"
    assert entry.meta["anggota"] == "A0001"


def test_the_next_document_number_follows_the_last_one_of_the_year(tmp_path: Path) -> None:
    book = book_of(
        MEMBER
        + textwrap.dedent(
            """\
        2025-01-03 * "Siti Aminah" "Setoran simpanan pokok"
          id: "BKM-2025-000007"
          Aset:Kas  100000 IDR
          Ekuitas:Simpanan-Pokok:A0001  -100000 IDR
        """
        ),
        tmp_path,
    )
    [entry] = deposits.deposit(book, "A0001", "sukarela", Decimal(5_000), dt.date(2025, 2, 1))
    assert entry.meta["id"] == "BKM-2025-000008"


def test_a_withdrawal_above_the_sukarela_balance_is_refused(tmp_path: Path) -> None:
    book = book_of(
        MEMBER
        + textwrap.dedent(
            """\
        2025-01-03 * "Siti Aminah" "Setoran simpanan sukarela"
          id: "BKM-2025-000001"
          Aset:Kas  50000 IDR
          Kewajiban:Simpanan-Sukarela:A0001  -50000 IDR
        """
        ),
        tmp_path,
    )
    with pytest.raises(KkmpError, match="Rp50.000"):
        deposits.withdraw(book, "A0001", Decimal(60_000), dt.date(2025, 2, 1))


def test_a_deposit_for_an_unknown_member_is_refused(tmp_path: Path) -> None:
    book = book_of(MEMBER, tmp_path)
    with pytest.raises(KkmpError, match="A0099"):
        deposits.deposit(book, "A0099", "wajib", Decimal(10_000), dt.date(2025, 2, 1))


def test_an_expense_paid_from_cash(tmp_path: Path) -> None:
    book = book_of(
        textwrap.dedent(
            """\
        2025-01-02 * "Hibah desa"
          Aset:Kas  1000000 IDR
          Ekuitas:Hibah  -1000000 IDR
        """
        ),
        tmp_path,
    )
    *_opens, entry = journal.cash_out(
        book, "listrik", Decimal(250_000), dt.date(2025, 1, 31), keterangan="Listrik Januari"
    )
    assert amounts(entry) == {"Beban:Listrik-Air": Decimal(250_000), chart.KAS: Decimal(-250_000)}
    assert entry.meta["id"].startswith("BKK-2025-")


def test_a_flat_loan_schedule_repays_the_principal_to_the_rupiah() -> None:
    plan = schedule.build(Decimal(1_000_000), 7, Decimal("1.5"), "flat", dt.date(2025, 1, 3))
    rows = plan.angsuran
    assert len(rows) == 7
    assert sum(r.pokok for r in rows) == Decimal(1_000_000)
    assert all(r.jasa == Decimal(15_000) for r in rows)
    assert rows[0].jatuh_tempo == dt.date(2025, 2, 3)
    assert rows[-1].sisa_pokok == 0
