"""The general journal: cash out (expenses), cash in (other income, grants), transfers, an
accountant's balanced entry, and corrections as linked reversals (never an edit in place)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from beancount.core import data

from kkmp_cli import chart, coop, ledger, money, outlet, text
from kkmp_cli.errors import JumlahTidakValid, KkmpError, TeksTidakValid
from kkmp_cli.ledger import Book

VIA = chart.CASH_ACCOUNTS

EXPENSE_ALIASES = {
    "listrik": "Beban:Listrik-Air",
    "air": "Beban:Listrik-Air",
    "telepon": "Beban:Listrik-Air",
    "gaji": "Beban:Gaji",
    "honor": "Beban:Gaji",
    "atk": "Beban:ATK",
    "sewa": "Beban:Sewa",
    "transportasi": "Beban:Transportasi",
    "transport": "Beban:Transportasi",
    "rapat": "Beban:Rapat",
    "rat": "Beban:Rapat",
    "bank": "Beban:Administrasi-Bank",
    "administrasi-bank": "Beban:Administrasi-Bank",
    "pajak": chart.BEBAN_PAJAK,
    "lain": "Beban:Lain-Lain",
    "lain-lain": "Beban:Lain-Lain",
}
INCOME_ALIASES = {
    "hibah": chart.HIBAH,
    "lain": chart.PENDAPATAN_LAIN,
    "lain-lain": chart.PENDAPATAN_LAIN,
    "pendapatan": chart.PENDAPATAN_LAIN,
}


# Accounts whose sub-ledger a kkmp module keeps (loan portfolio, member cards, stock, SHU):
# `jurnal` may not post to them, or the sub-ledger and the ledger would disagree.
KEPT_BY_COMMANDS = (
    (chart.PIUTANG_PINJAMAN, "kkmp pinjaman"),
    (chart.PENYISIHAN_PINJAMAN, "kkmp pinjaman cadangkan / hapus-buku"),
    (chart.POKOK, "kkmp simpanan"),
    (chart.WAJIB, "kkmp simpanan"),
    (chart.SUKARELA, "kkmp simpanan"),
    (chart.UTANG_SHU, "kkmp shu"),
    (chart.SHU_BELUM_DIBAGI, "kkmp tutup-buku / shu bagikan"),
    (chart.PIUTANG_DAGANG, "kkmp gerai"),
    ("Aset:Persediaan", "kkmp gerai"),
)


class KoreksiDitolak(KkmpError):
    """A correction of an unknown or already corrected entry."""


def resolve_account(book: Book, name: str, aliases: dict[str, str], roots: tuple[str, ...]) -> str:
    """An alias (listrik, hibah …) or a full open account name under one of `roots`."""
    key = name.strip()
    account = aliases.get(key.lower(), key)
    if not account.startswith(roots):
        choices = ", ".join(sorted(aliases))
        raise TeksTidakValid(
            f"Akun '{name}' tidak dapat dipakai di sini. Pakai salah satu nama ({choices}) "
            f"atau akun lengkap di bawah {' / '.join(r.rstrip(':') for r in roots)}."
        )
    known = account in book.opens() or account in chart.CHART_BY_NAME
    if not known or account in book.closes():
        raise TeksTidakValid(f"Akun {account} tidak ada (atau sudah ditutup) di bagan akun.")
    return account


def _via(via: str) -> str:
    if via not in VIA:
        raise TeksTidakValid("--via harus kas atau bank.")
    return via


def _cash(
    book: Book,
    account: str,
    amount: Decimal,
    date: dt.date,
    *,
    into_cash: bool,
    narration: str,
    via: str,
) -> list[data.Directive]:
    """Cash or bank against one account; `into_cash` is money coming in."""
    via = _via(via)
    sign = 1 if into_cash else -1
    doc = (chart.DOC_IN if into_cash else chart.DOC_OUT)[via]
    meta = {"id": book.next_id(doc, date.year), "jenis": "kas-masuk" if into_cash else "kas-keluar"}
    # The debit comes first: cash for money in, the expense for money out.
    postings = [ledger.posting(VIA[via], sign * amount), ledger.posting(account, -sign * amount)]
    if not into_cash:
        postings.reverse()
    # A chart account added by a newer kkmp (e.g. Beban:Pajak) is opened on first use.
    return [
        *coop.missing_chart_opens(book),
        ledger.transaction(date, narration, postings, meta=meta),
    ]


def cash_out(
    book: Book,
    akun: str,
    amount: Decimal,
    date: dt.date,
    *,
    keterangan: str | None,
    via: str = "kas",
) -> list[data.Directive]:
    """An expense paid from kas or bank."""
    account = resolve_account(book, akun, EXPENSE_ALIASES, ("Beban:",))
    narration = text.clean(keterangan or f"Pembayaran {account.split(':')[-1]}", field="keterangan")
    return _cash(book, account, amount, date, into_cash=False, narration=narration, via=via)


def cash_in(
    book: Book,
    akun: str,
    amount: Decimal,
    date: dt.date,
    *,
    keterangan: str | None,
    via: str = "kas",
) -> list[data.Directive]:
    """Other income or a grant received into kas or bank."""
    account = resolve_account(book, akun, INCOME_ALIASES, ("Pendapatan:", "Ekuitas:Hibah"))
    narration = text.clean(keterangan or f"Penerimaan {account.split(':')[-1]}", field="keterangan")
    return _cash(book, account, amount, date, into_cash=True, narration=narration, via=via)


def transfer(
    book: Book, dari: str, ke: str, amount: Decimal, date: dt.date, *, keterangan: str | None = None
) -> list[data.Directive]:
    dari, ke = _via(dari.lower()), _via(ke.lower())
    if dari == ke:
        raise TeksTidakValid("Asal dan tujuan pemindahan sama.")
    # Enough money on the day and on every later day: the writer's invariants judge that.
    narration = text.clean(keterangan or f"Pemindahan {dari} ke {ke}", field="keterangan")
    meta = {"id": book.next_id(chart.DOC_OUT[dari], date.year), "jenis": "kas-pindah"}
    postings = [ledger.posting(VIA[ke], amount), ledger.posting(VIA[dari], -amount)]
    return [ledger.transaction(date, narration, postings, meta=meta)]


def parse_posting(book: Book, spec: str) -> tuple[str, Decimal]:
    """`AKUN=JUMLAH`; debit positive, credit with a leading minus: Aset:Kas=-250.000."""
    account, sep, amount_text = spec.partition("=")
    if not sep:
        raise TeksTidakValid(
            f"Posting '{spec}' harus berbentuk AKUN=JUMLAH, mis. Beban:ATK=50.000."
        )
    account = account.strip()
    amount_text = amount_text.strip()
    negative = amount_text.startswith("-")
    amount = money.parse(amount_text.lstrip("-"))
    if account not in book.opens() or account in book.closes():
        raise TeksTidakValid(f"Akun {account} tidak ada (atau sudah ditutup) di bagan akun.")
    for prefix, command in KEPT_BY_COMMANDS:
        if account == prefix or account.startswith(prefix + ":"):
            raise TeksTidakValid(
                f"Akun {account} dikelola oleh perintahnya sendiri ({command}), supaya buku "
                "pembantunya tetap sama dengan buku besar; jurnal umum tidak boleh memakainya."
            )
    return account, -amount if negative else amount


def entry(
    book: Book, postings: list[tuple[str, Decimal]], date: dt.date, *, keterangan: str
) -> list[data.Directive]:
    """An accountant's journal entry; it must balance to the rupiah."""
    if len(postings) < 2:
        raise JumlahTidakValid("Jurnal memerlukan paling sedikit dua posting.")
    total = sum((a for _, a in postings), Decimal(0))
    if total != 0:
        raise JumlahTidakValid(
            f"Jurnal tidak seimbang: debit dan kredit berselisih {money.fmt(abs(total))}."
        )
    meta = {"id": book.next_id("BM", date.year), "jenis": "jurnal-umum"}
    narration = text.clean(keterangan, field="keterangan")
    return [
        ledger.transaction(date, narration, [ledger.posting(a, n) for a, n in postings], meta=meta)
    ]


def find(book: Book, doc: str) -> data.Transaction:
    doc = doc.strip().upper()
    for txn in book.transactions():
        if txn.meta.get("id") == doc:
            return txn
    raise KoreksiDitolak(f"Tidak ada transaksi dengan nomor bukti {doc}.")


def _reversed(p: data.Posting) -> data.Posting:
    units = p.units
    assert units is not None and isinstance(units.number, Decimal)
    cost = None
    if isinstance(p.cost, data.Cost):
        # Name the exact lot (cost and date) so the reversal touches the same lot.
        cost = data.CostSpec(p.cost.number, None, p.cost.currency, p.cost.date, None, False)
    return data.Posting(
        p.account, data.Amount(-units.number, units.currency), cost, None, None, None
    )


def correct(book: Book, doc: str, date: dt.date, *, alasan: str) -> list[data.Directive]:
    """A linked reversal of a posted transaction; the original stays as it was written."""
    original = find(book, doc)
    doc = str(original.meta["id"])
    for txn in book.transactions():
        if txn.meta.get("koreksi") == doc:
            raise KoreksiDitolak(f"{doc} sudah dikoreksi oleh {txn.meta.get('id')}.")
    if original.meta.get("koreksi"):
        raise KoreksiDitolak(f"{doc} sendiri adalah koreksi; koreksi transaksi aslinya bila perlu.")
    if date < original.date:
        raise KoreksiDitolak("Tanggal koreksi tidak boleh sebelum transaksi yang dikoreksi.")
    for p in original.postings:
        if p.cost is not None and p.units is not None:  # goods move back: not before a count
            outlet.require_after_count(book, p.units.currency, date)
    alasan = text.clean(alasan, field="alasan")
    meta: dict[str, Any] = {"id": book.next_id("BM", date.year), "jenis": "koreksi", "koreksi": doc}
    for key in ("anggota", "pinjaman", "unit"):
        if key in original.meta:
            meta[key] = original.meta[key]
    meta["alasan"] = alasan
    narration = f"Koreksi {doc}: {alasan}"
    postings = [_reversed(p) for p in original.postings]
    return [
        ledger.transaction(
            date, narration, postings, payee=original.payee, meta=meta, links=original.links
        )
    ]
