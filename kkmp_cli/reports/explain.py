"""The double entry behind a recorded transaction, in words a trainee treasurer can follow."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart

_ROOT_NAMES = {v: k for k, v in chart.ROOTS.items()}
_KIND = {
    "name_assets": ("aset", True),
    "name_liabilities": ("kewajiban", False),
    "name_equity": ("ekuitas", False),
    "name_income": ("pendapatan", False),
    "name_expenses": ("beban", True),
}


def _kind(account: str) -> tuple[str, bool]:
    """(what the account is, whether it grows on the debit side)."""
    root = account.split(":", 1)[0]
    return _KIND.get(_ROOT_NAMES.get(root, ""), ("akun", True))


def debit_normal(account: str) -> bool:
    """Aset and Beban grow on the debit side; Kewajiban, Ekuitas and Pendapatan on the credit."""
    return _kind(account)[1]


@dataclass(frozen=True)
class Line:
    sisi: str  # "Debit" or "Kredit"
    akun: str
    jumlah: Decimal
    arti: str  # e.g. "aset bertambah"


def lines(entry: data.Transaction) -> list[Line]:
    """Debit lines first, then credit lines, each with what it means for the account."""
    result = []
    for posting in entry.postings:
        if not isinstance(posting.units, data.Amount):
            continue  # an amount beancount has not interpolated yet
        number = posting.units.number
        if not isinstance(number, Decimal):
            continue
        cost = posting.cost
        if isinstance(cost, data.Cost):
            number = number * cost.number
        debit = number > 0
        kind, grows_on_debit = _kind(posting.account)
        grows = debit == grows_on_debit
        result.append(
            Line(
                "Debit" if debit else "Kredit",
                posting.account,
                abs(number),
                f"{kind} {'bertambah' if grows else 'berkurang'}",
            )
        )
    return sorted(result, key=lambda line: line.sisi != "Debit")
