"""`kkmp periksa` rules of the tax entries (#12): a wage payment agrees with its own figures,
and no tax payable of a month is paid beyond what it owes."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding, KkmpError
from kkmp_cli.tax import payroll, pphfinal

ZERO = Decimal(0)


def _where(entry: data.Directive) -> tuple[str, int]:
    return str(entry.meta.get("filename", "?")), int(entry.meta.get("lineno", 0) or 0)


def _wage_findings(entry: data.Transaction) -> list[Finding]:
    m = entry.meta
    try:
        gross, pph, net = (Decimal(str(m[k])) for k in ("bruto", "pph21", "neto"))
        withheld = Decimal(str(m.get("bpjs-pegawai", 0)))
    except (KeyError, ArithmeticError):
        return [Finding(*_where(entry), f"gaji {m.get('id')}: metadata bruto/pph21/neto rusak")]
    moved: dict[str, Decimal] = defaultdict(Decimal)
    for p in entry.postings:
        moved[p.account] += ledger.number(p)
    found = []
    if gross - pph - withheld != net:
        found.append(Finding(*_where(entry), f"gaji {m.get('id')}: bruto - PPh 21 - BPJS ≠ bersih"))
    if -moved.get(chart.UTANG_PPH_21, ZERO) != pph:
        found.append(
            Finding(*_where(entry), f"gaji {m.get('id')}: posting PPh 21 ≠ pph21 di metadata")
        )
    return found


def findings(book: Book) -> list[Finding]:
    found: list[Finding] = []
    owed: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    tax_accounts = set(pphfinal.tax_accounts(book).values())
    for entry in book.transactions():
        if entry.meta.get("jenis") == payroll.PAY:
            found += _wage_findings(entry)
        masa = pphfinal.masa_of(entry)
        for p in entry.postings:
            if p.account not in tax_accounts:
                continue
            owed[(p.account, masa)] -= ledger.number(p)
            # A December true-up may refund PPh 21 to the person (the wage entry debits the
            # payable): not a payment beyond what is owed (found by an adversarial review, #16).
            if owed[(p.account, masa)] < 0 and entry.meta.get("jenis") != payroll.PAY:
                found.append(
                    Finding(
                        *_where(entry),
                        f"{p.account} masa {masa} dibayar melebihi yang terutang",
                    )
                )
    return found


class KoreksiPajakDitolak(KkmpError):
    """A koreksi that would leave a tax month paid beyond what it owes."""


def require_correctable(book: Book, original: data.Transaction) -> None:
    """A tax owed (a PPh withheld from wages, a month's PPh final) is not taken back once its
    month was paid: the payment would then be above what the month owes (found by trying,
    #16). The payment's koreksi comes first."""
    tax_accounts = set(pphfinal.tax_accounts(book).values())
    owed_here = {
        (p.account, pphfinal.masa_of(original)): -ledger.number(p)
        for p in original.postings
        if p.account in tax_accounts and ledger.number(p) < 0
    }
    for (account, masa), amount in owed_here.items():
        if pphfinal.outstanding(book, account, masa) - amount < 0:
            raise KoreksiPajakDitolak(
                f"{original.meta.get('id')} tidak dapat dikoreksi: {account} masa {masa} sudah "
                "disetor, dan tanpa transaksi ini setorannya melebihi yang terutang. Koreksi "
                "dulu setoran pajak masa itu."
            )
