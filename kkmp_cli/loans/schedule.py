"""Instalment schedules (flat, menurun, anuitas), exact with Decimal and one rounding rule.

Rounding rule: each instalment's jasa is rounded to the rupiah (halves up); each instalment's
pokok is P/n rounded down to the rupiah (anuitas: the rounded instalment less its jasa) and the
last instalment takes whatever principal remains. So the pokok parts always sum to P exactly and
every instalment is its pokok plus its jasa: Σ instalments = P + Σ jasa, to the rupiah.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kkmp_cli import money
from kkmp_cli.errors import KkmpError

METHODS = ("flat", "menurun", "anuitas")
METHOD_LABELS = {
    "flat": "flat (jasa tetap dari pokok awal)",
    "menurun": "menurun/efektif (pokok tetap, jasa dari sisa pokok)",
    "anuitas": "anuitas (angsuran tetap)",
}


class MetodeTidakDikenal(KkmpError):
    """An unknown jasa method."""


@dataclass(frozen=True)
class Instalment:
    ke: int
    jatuh_tempo: dt.date
    pokok: Decimal
    jasa: Decimal
    sisa_pokok: Decimal  # outstanding principal after this instalment

    @property
    def angsuran(self) -> Decimal:
        return self.pokok + self.jasa


@dataclass(frozen=True)
class Schedule:
    pokok: Decimal
    tenor: int
    jasa_persen: Decimal
    metode: str
    mulai: dt.date
    angsuran: tuple[Instalment, ...]

    @property
    def total_jasa(self) -> Decimal:
        return sum((i.jasa for i in self.angsuran), Decimal(0))

    @property
    def total_angsuran(self) -> Decimal:
        return self.pokok + self.total_jasa


def add_months(date: dt.date, months: int) -> dt.date:
    """Same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month0 = date.month - 1 + months
    year, month = date.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def check_method(metode: str) -> str:
    m = metode.strip().lower()
    if m == "efektif":
        m = "menurun"
    if m not in METHODS:
        raise MetodeTidakDikenal(
            f"Metode jasa '{metode}' tidak dikenal; pilih flat, menurun (efektif) atau anuitas."
        )
    return m


def build(
    principal: Decimal, tenor: int, rate_pct: Decimal, metode: str, start: dt.date
) -> Schedule:
    """The schedule of a loan disbursed on `start`; instalment k falls due k months later."""
    metode = check_method(metode)
    r = rate_pct / 100
    n = tenor
    base = money.floor(principal / n)
    rows = []
    outstanding = principal
    # A rate so small that (1 + r)^-n rounds to 1 has no annuity: pay equal principal instead.
    discount = 1 - (1 + r) ** -n if r > 0 else Decimal(0)
    if metode == "anuitas" and discount:
        payment = money.round_half_up(principal * r / discount)
    for k in range(1, n + 1):
        if metode == "flat":
            jasa = money.round_half_up(principal * r)
            pokok = base
        elif metode == "menurun" or not discount:
            jasa = money.round_half_up(outstanding * r)
            pokok = base
        else:
            jasa = money.round_half_up(outstanding * r)
            pokok = payment - jasa
        if k == n:
            pokok = outstanding
        pokok = min(pokok, outstanding)
        outstanding -= pokok
        rows.append(Instalment(k, add_months(start, k), pokok, jasa, outstanding))
    return Schedule(principal, tenor, rate_pct, metode, start, tuple(rows))
