"""Named non-member customers (pelanggan: a warung, a clinic's BPJS, a school) who buy on
credit: one receivable sub-account each, the cooperative's credit limit, and their payments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, money, text
from kkmp_cli.accounts import cash as cash_accounts
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import CURRENCY, Book
from kkmp_cli.errors import JumlahTidakValid, KkmpError

JENIS_BAYAR = "gerai-terima-piutang"


class KreditMelebihiBatas(KkmpError):
    """A credit sale that would take a customer's receivable above the limit."""


def clean_name(name: str) -> str:
    return text.clean(name, field="nama pelanggan", max_len=80)


def account(name: str) -> str:
    """The customer's receivable: Aset:Piutang-Pelanggan:Warung-Bu-Sri."""
    return f"{chart.PIUTANG_PELANGGAN}:{chart.component(name)}"


def find(book: Book, name: str) -> str:
    """The customer's receivable as the books have it: the name in any case finds the open
    account ('bpjs kesehatan' is BPJS Kesehatan), else the account a first sale opens."""
    acc = account(name)
    same = [a for a in book.opens() if a.lower() == acc.lower()]
    return same[0] if same else acc


def opens(book: Book, name: str, seen: Iterable[str] = ()) -> list[data.Open]:
    """The customer's receivable account, when not yet open (nor in `seen`); gerai sales and
    jasa units share it, so each customer has one receivable and one limit."""
    acc = find(book, name)
    if acc in book.opens() or acc in set(seen):
        return []
    meta = {
        "kode": chart.CHART_BY_NAME[chart.PIUTANG_PELANGGAN].kode,
        "pelanggan": clean_name(name),
    }
    return [
        data.Open(
            data.new_metadata("<kkmp>", 0, meta), coop.books_start(book), acc, [CURRENCY], None
        )
    ]


def require_within_limit(book: Book, name: str, amount: Decimal) -> None:
    """What the customer owes with `amount` added may not exceed `batas_kredit_pelanggan`."""
    limit = book.config.batas_kredit_pelanggan
    owed = max(book.balance(find(book, name)), Decimal(0))
    if owed + amount <= limit:
        return
    if limit == 0:
        raise KreditMelebihiBatas(
            f"Penjualan kredit kepada {clean_name(name)} ditolak: koperasi belum menetapkan "
            "batas kredit pelanggan non-anggota (batas_kredit_pelanggan di koperasi.yaml)."
        )
    raise KreditMelebihiBatas(
        f"Penjualan kredit kepada {clean_name(name)} ditolak: piutangnya {money.fmt(owed)} "
        f"ditambah {money.fmt(amount)} melebihi batas kredit pelanggan {money.fmt(limit)} "
        "(batas_kredit_pelanggan di koperasi.yaml)."
    )


def collect(
    book: Book, name: str, amount: Decimal, date: dt.date, *, via: str = "kas"
) -> list[data.Directive]:
    """A named customer pays (part of) what they owe."""
    name = clean_name(name)
    acc = find(book, name)
    owed = book.balance(acc)
    if acc not in book.opens() or owed <= 0:
        raise KkmpError(f"Pelanggan '{name}' tidak punya piutang.")
    if amount > owed:
        raise JumlahTidakValid(
            f"Pembayaran {money.fmt(amount)} melebihi piutang {name} {money.fmt(owed)}."
        )
    cash = cash_accounts.via(book, via)
    shown = str(book.opens()[acc].meta.get("pelanggan", name))
    meta = {
        "id": book.next_id(cash.doc_in, date.year),
        "jenis": JENIS_BAYAR,
        "pelanggan": shown,
    }
    postings = [ledger.posting(cash.akun, amount), ledger.posting(acc, -amount)]
    return [
        ledger.transaction(date, "Pembayaran piutang pelanggan", postings, payee=shown, meta=meta)
    ]
