"""The numbers of PPh Pasal 21: the monthly and daily TER tables (PP 58/2023, shipped as data
with their source), the PTKP (PMK 101/PMK.010/2016) and the Pasal 17 ayat (1) huruf a brackets (UU PPh as
amended by UU HPP 7/2021)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from functools import cache
from importlib import resources

from kkmp_cli.errors import KkmpError

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TER_FILE = "ter_bulanan.csv"
TER_DAILY_FILE = "ter_harian.csv"

# PMK 168/2023 Pasal 2 ayat (2): the TER category of each PTKP status.
CATEGORY = {
    "TK/0": "A",
    "TK/1": "A",
    "K/0": "A",
    "TK/2": "B",
    "TK/3": "B",
    "K/1": "B",
    "K/2": "B",
    "K/3": "C",
}
STATUSES = tuple(CATEGORY)

# PTKP a year (PMK 101/PMK.010/2016, unchanged by UU HPP): 54 juta for the taxpayer, 4,5 juta
# for being married, 4,5 juta for each dependant up to three.
PTKP_SELF = Decimal(54_000_000)
PTKP_STEP = Decimal(4_500_000)

# UU PPh Pasal 17 ayat (1) huruf a (UU HPP 7/2021): (upper bound of the layer, rate %).
PASAL_17: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal(60_000_000), Decimal(5)),
    (Decimal(250_000_000), Decimal(15)),
    (Decimal(500_000_000), Decimal(25)),
    (Decimal(5_000_000_000), Decimal(30)),
    (None, Decimal(35)),
)


class StatusPtkpTidakDikenal(KkmpError):
    """A PTKP status outside TK/0..TK/3, K/0..K/3."""


def status(text: str) -> str:
    """A PTKP status as written on a bukti potong (TK/0 … K/3), or a refusal naming them."""
    value = text.strip().upper().replace(" ", "")
    if value not in CATEGORY:
        raise StatusPtkpTidakDikenal(
            f"Status PTKP '{text}' tidak dikenal; pilih salah satu: {', '.join(STATUSES)}."
        )
    return value


def ptkp(status_: str) -> Decimal:
    """The yearly PTKP of a status, e.g. K/1 = 63.000.000."""
    married, _, dependants = status_.partition("/")
    return PTKP_SELF + (PTKP_STEP if married == "K" else ZERO) + PTKP_STEP * int(dependants)


def _rows(name: str) -> list[dict[str, str]]:
    """The rows of a rate table shipped in data/, its `#` source comment left out."""
    raw = resources.files("kkmp_cli.tax").joinpath("data", name).read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body)))


@cache
def ter_table() -> dict[str, tuple[tuple[Decimal | None, Decimal], ...]]:
    """The monthly TER layers per category: (upper bound or None, rate %), ascending."""
    table: dict[str, list[tuple[Decimal | None, Decimal]]] = {}
    for row in _rows(TER_FILE):
        upper = Decimal(row["batas_atas"]) if row["batas_atas"] else None
        table.setdefault(row["kategori"], []).append((upper, Decimal(row["tarif_persen"])))
    return {k: tuple(v) for k, v in table.items()}


def ter_rate(category: str, gross: Decimal) -> Decimal:
    """The TER rate (%) of a month's gross income in a category (PP 58/2023 Lampiran)."""
    for upper, rate in ter_table()[category]:
        if upper is None or gross <= upper:
            return rate
    raise AssertionError("the last TER layer has no upper bound")


@cache
def ter_daily_table() -> tuple[tuple[Decimal, Decimal], ...]:
    """The daily TER layers (PP 58/2023 Lampiran): (upper bound, rate %), ascending; a day's
    income above the last bound is taxed at the Pasal 17 rates on half of it instead."""
    return tuple(
        (Decimal(r["batas_atas"]), Decimal(r["tarif_persen"])) for r in _rows(TER_DAILY_FILE)
    )


def ter_daily_rate(daily: Decimal) -> Decimal | None:
    """The daily TER rate (%) of a day's (or average day's) gross income, or None above the
    table (more than Rp2.500.000 a day: Pasal 17 on 50 % of the gross, PMK 168/2023)."""
    for upper, rate in ter_daily_table():
        if daily <= upper:
            return rate
    return None


def pasal_17(taxable: Decimal) -> Decimal:
    """Tax on a yearly taxable income at the Pasal 17 ayat (1) huruf a rates (exact)."""
    tax, lower = ZERO, ZERO
    for upper, rate in PASAL_17:
        if taxable <= lower:
            break
        top = taxable if upper is None else min(taxable, upper)
        tax += (top - lower) * rate / HUNDRED
        if upper is None:
            break
        lower = upper
    return tax
