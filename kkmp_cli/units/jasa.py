"""Jasa units (klinik, cold storage, logistik, PPOB, sewa): a service booked as the unit's
revenue, members and non-members apart, paid at once or owed by the member (Piutang-Dagang,
the member's trade receivable) or by a named customer (Piutang-Pelanggan), and the receivable
collected later (#10)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from beancount.core import data

from kkmp_cli import chart, money, text
from kkmp_cli.accounts import cash as cash_accounts
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import JumlahTidakValid, KkmpError, TeksTidakValid
from kkmp_cli.members import register as members
from kkmp_cli.outlet import customers
from kkmp_cli.units import registry

JENIS_CATAT = "jasa-catat"
JENIS_TERIMA = "jasa-terima-piutang"


class PiutangTidakAda(KkmpError):
    """A payment from someone who owes nothing, or more than they owe."""


def customer_account(book: Book, name: str) -> str:
    """A named non-member customer's receivable (Aset:Piutang-Pelanggan:BPJS-Kesehatan), the
    same account the gerai sells to on credit."""
    return customers.find(book, name)


def _revenue_open(
    book: Book, unit: str, pihak: str, date: dt.date
) -> tuple[str, list[data.Directive]]:
    account = registry.jasa_revenue(unit)[pihak]
    nama = book.config.unit(unit)
    i = registry.jasa_index(book, unit)
    side = "anggota" if pihak == registry.ANGGOTA else "non-anggota"
    meta: dict[str, Any] = {
        "kode": f"43{i}{1 if pihak == registry.ANGGOTA else 2}",
        "keterangan": f"Pendapatan jasa unit {nama.nama if nama else unit} dari {side}",
        "golongan": "pendapatan",
        chart.ARUS_KAS_KEY: "operasi",
        "unit": unit,
        "pihak": pihak,
    }
    return account, registry.open_account(book, account, date, meta)


def _who(nak: str | None, pelanggan: str | None) -> tuple[str | None, str | None]:
    if nak and pelanggan:
        raise TeksTidakValid(
            "Pilih salah satu: --anggota NAK atau --pelanggan NAMA, bukan keduanya."
        )
    name = text.clean(pelanggan, field="pelanggan", max_len=80) if pelanggan else None
    return (nak.strip().upper() if nak else None), name


def record(
    book: Book,
    unit: str,
    amount: Decimal,
    date: dt.date,
    *,
    layanan: str,
    nak: str | None = None,
    pelanggan: str | None = None,
    kredit: bool = False,
    via: str | None = None,
) -> list[data.Directive]:
    """Plan one service: the unit's revenue (member or non-member) against cash, bank, or the
    member's or customer's receivable."""
    found = registry.require(book, unit, "jasa")
    if amount <= 0:
        raise JumlahTidakValid("Jumlah jasa harus lebih dari nol.")
    nak, pelanggan = _who(nak, pelanggan)
    layanan = text.clean(layanan, field="layanan", max_len=120)
    member = members.require_active(book, nak, date) if nak else None
    pihak = registry.ANGGOTA if member else registry.NON_ANGGOTA
    revenue, entries = _revenue_open(book, found.kode, pihak, date)
    cash = cash_accounts.paid_through(book, via, kredit=kredit)
    if cash is not None:
        debit, doc = cash.akun, book.next_id(cash.doc_in, date.year)
    elif member is not None:
        debit = chart.member_account(chart.PIUTANG_DAGANG, member.nak)
        if debit not in book.opens():
            entries.append(members.open_subaccount(book, chart.PIUTANG_DAGANG, member))
        doc = book.next_id("BM", date.year)
    elif pelanggan:
        debit = customer_account(book, pelanggan)
        entries += customers.opens(book, pelanggan)
        doc = book.next_id("BM", date.year)
    else:
        raise TeksTidakValid(
            "Jasa secara kredit harus atas nama anggota (--anggota NAK) atau pelanggan "
            "(--pelanggan NAMA), supaya piutangnya dapat ditagih."
        )
    meta: dict[str, Any] = {"id": doc, "jenis": JENIS_CATAT, "unit": found.kode, "layanan": layanan}
    if member is not None:
        meta["anggota"] = member.nak
    if pelanggan:
        meta["pelanggan"] = pelanggan
    # The document number is in the narration: two patients may well get the same service on
    # the same day, and beancount's noduplicates compares transactions without their metadata.
    narration = f"Jasa {found.nama} nota {doc}: {layanan}" + (" (kredit)" if kredit else "")
    payee = member.nama if member else (pelanggan or "Non-anggota")
    postings = [ledger.posting(debit, amount), ledger.posting(revenue, -amount)]
    entries.append(ledger.transaction(date, narration, postings, payee=payee, meta=meta))
    return entries


def collect(
    book: Book,
    amount: Decimal,
    date: dt.date,
    *,
    nak: str | None = None,
    pelanggan: str | None = None,
    via: str = "kas",
) -> list[data.Directive]:
    """A member or a named customer pays (part of) what they owe."""
    nak, pelanggan = _who(nak, pelanggan)
    if amount <= 0:
        raise JumlahTidakValid("Jumlah pembayaran harus lebih dari nol.")
    meta: dict[str, Any] = {"jenis": JENIS_TERIMA}
    if nak:
        member = members.get(book, nak)
        account = chart.member_account(chart.PIUTANG_DAGANG, member.nak)
        who, payee = f"{member.nak} ({member.nama})", member.nama
        meta["anggota"] = member.nak
    elif pelanggan:
        account = customer_account(book, pelanggan)
        opened = book.opens().get(account)
        payee = str(opened.meta.get("pelanggan", pelanggan)) if opened else pelanggan
        who = f"Pelanggan {payee}"
        meta["pelanggan"] = payee
    else:
        raise TeksTidakValid("Sebutkan siapa yang membayar: NAK anggota atau --pelanggan NAMA.")
    owed = book.balance_on(account, date) if account in book.opens() else Decimal(0)
    if owed <= 0:
        raise PiutangTidakAda(f"{who} tidak punya piutang per {date:%d-%m-%Y}.")
    if amount > owed:
        raise PiutangTidakAda(
            f"Pembayaran {money.fmt(amount)} melebihi piutang {who} sebesar {money.fmt(owed)}."
        )
    cash = cash_accounts.via(book, via)
    meta = {"id": book.next_id(cash.doc_in, date.year), **meta}
    postings = [ledger.posting(cash.akun, amount), ledger.posting(account, -amount)]
    return [ledger.transaction(date, "Pembayaran piutang jasa", postings, payee=payee, meta=meta)]
