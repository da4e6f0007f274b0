"""Opening balances (saldo awal) for a cooperative moving from older books; the opening balance
sheet must balance, or nothing is written."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data

from kkmp_cli import chart, config, coop, dates, ledger, members, money, outlet
from kkmp_cli.errors import KkmpError, KonfigurasiSalah
from kkmp_cli.ledger import Book
from kkmp_cli.loans import operations as loan_ops

EXAMPLE = """\
# Saldo awal koperasi (contoh). Jalankan: kkmp saldo-awal saldo-awal.yaml
# Anggota harus sudah terdaftar (kkmp anggota tambah ... --tanggal sebelum tanggal saldo awal).
tanggal: 01-01-2025
kas: 2.500.000
bank: 10.000.000
simpanan:
  - {nak: A0001, pokok: 100.000, wajib: 240.000, sukarela: 500.000}
pinjaman:            # sisa pinjaman berjalan: dicatat sebagai pinjaman baru untuk sisa tenornya
  - {nak: A0001, sisa_pokok: 1.500.000, sisa_tenor: 6, jasa: 1,5, metode: flat}
persediaan:
  - {barang: BERAS-5KG, jumlah: 10, harga: 60.000}
utang_usaha:
  - {pemasok: Toko Grosir Makmur, jumlah: 500.000}
cadangan: 1.000.000
hibah: 0
"""


class NeracaAwalTidakSeimbang(KkmpError):
    """The opening balance sheet does not balance."""


def _amount(value: Any, where: str) -> Decimal:
    if value in (None, 0, "0"):
        return Decimal(0)
    try:
        return money.parse(str(value))
    except KkmpError as exc:
        raise KonfigurasiSalah(f"{where}: {exc}") from exc


def plan(book: Book, source: Path) -> list[data.Directive]:
    raw = config.read_document(source)
    if not isinstance(raw, dict):
        raise KonfigurasiSalah(f"{source}: isinya harus berupa bagian-bagian saldo awal.")
    if next(book.transactions(), None) is not None:
        raise KkmpError("Saldo awal hanya dapat dicatat pada buku yang masih kosong.")
    date = dates.parse(str(raw.get("tanggal") or ""))
    postings: list[data.Posting] = []
    entries: list[data.Directive] = list(coop.missing_chart_opens(book))
    assets = liabilities_equity = Decimal(0)
    for key, account in (("kas", chart.KAS), ("bank", chart.BANK)):
        amount = _amount(raw.get(key), f"{source}: {key}")
        if amount:
            postings.append(ledger.posting(account, amount))
            assets += amount
    for i, row in enumerate(raw.get("simpanan") or [], 1):
        member = members.get(book, str(row.get("nak", "")))
        if member.masuk > date:
            raise KkmpError(
                f"{member.nak} baru masuk {member.masuk:%d-%m-%Y}, sesudah tanggal saldo awal."
            )
        for kind, parent in chart.SIMPANAN_ACCOUNTS.items():
            amount = _amount(row.get(kind), f"{source}: simpanan ke-{i}.{kind}")
            if amount:
                postings.append(ledger.posting(chart.member_account(parent, member.nak), -amount))
                liabilities_equity += amount
    for key, account in (("cadangan", chart.CADANGAN), ("hibah", chart.HIBAH)):
        amount = _amount(raw.get(key), f"{source}: {key}")
        if amount:
            postings.append(ledger.posting(account, -amount))
            liabilities_equity += amount
    for i, row in enumerate(raw.get("utang_usaha") or [], 1):
        name = str(row.get("pemasok", "")).strip()
        amount = _amount(row.get("jumlah"), f"{source}: utang_usaha ke-{i}")
        account = outlet.supplier_account(name)
        if account not in book.opens():
            entries.append(
                data.Open(
                    data.new_metadata("<kkmp>", 0, {"pemasok": name}),
                    date,
                    account,
                    [ledger.CURRENCY],
                    None,
                )
            )
        postings.append(ledger.posting(account, -amount))
        liabilities_equity += amount
    for i, row in enumerate(raw.get("persediaan") or [], 1):
        it = outlet.item(book, str(row.get("barang", "")))
        qty = outlet.parse_quantity(str(row.get("jumlah", "")))
        price = _amount(row.get("harga"), f"{source}: persediaan ke-{i}.harga")
        accounts = outlet.unit_of(book, it.unit)
        entries += [
            o
            for o in outlet.unit_opens(book, accounts, date)
            if o.account not in {e.account for e in entries if isinstance(e, data.Open)}
        ]
        postings.append(ledger.add_lot(accounts.persediaan, qty, it.kode, price))
        assets += qty * price
    loans = []
    for i, row in enumerate(raw.get("pinjaman") or [], 1):
        terms = loan_ops.check_terms(
            _amount(row.get("sisa_pokok"), f"{source}: pinjaman ke-{i}.sisa_pokok"),
            int(row.get("sisa_tenor") or 0),
            loan_ops.parse_rate(str(row.get("jasa", ""))),
            str(row.get("metode", "flat")),
        )
        loans.append((str(row.get("nak", "")), terms))
        assets += terms.pokok
    if assets != liabilities_equity:
        raise NeracaAwalTidakSeimbang(
            f"Neraca awal tidak seimbang: aset {money.fmt(assets)}, kewajiban + ekuitas "
            f"{money.fmt(liabilities_equity)}, selisih {money.fmt(assets - liabilities_equity)}. "
            "Lengkapi saldo (mis. cadangan atau SHU belum dibagi) sampai seimbang."
        )
    offset = sum((ledger.weight(p) for p in postings), Decimal(0))
    if offset:
        postings.append(ledger.posting(chart.SALDO_AWAL, -offset))
    meta = {"id": book.next_id("BM", date.year), "jenis": "saldo-awal"}
    entries.append(ledger.transaction(date, "Saldo awal dari pembukuan lama", postings, meta=meta))
    for nak, terms in loans:
        # The loan existed before: its counterpart is the opening equity, not cash, and the
        # SOP limits were the old books' business.
        entries += loan_ops.disburse(
            book, nak, terms, date, biaya_admin=Decimal(0), counterpart=chart.SALDO_AWAL
        )
    return entries
