"""Rupiah amounts: parse what treasurers type, format as `Rp1.250.000`; always Decimal."""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from kkmp_cli.errors import JumlahTidakValid

ACCEPTED_FORMS = "10000, 10.000, Rp10.000, Rp 1.500.000,00, 250rb, 1,5jt"
# No cooperative moves a quadrillion rupiah in one entry; a bigger number is a typing slip
# (and beyond 28 digits Decimal arithmetic would no longer be exact).
CEILING = Decimal(10**15)

_MULTIPLIERS = {
    "rb": Decimal(1_000),
    "ribu": Decimal(1_000),
    "k": Decimal(1_000),
    "jt": Decimal(1_000_000),
    "juta": Decimal(1_000_000),
    "m": Decimal(1_000_000_000),
    "miliar": Decimal(1_000_000_000),
    "milyar": Decimal(1_000_000_000),
}
_SUFFIX_RE = re.compile(r"^(?P<num>\d+(?:,\d+)?)(?P<suffix>rb|ribu|k|jt|juta|m|miliar|milyar)$")
_PLAIN_RE = re.compile(r"^(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d{1,2}))?$")


def _invalid(text: str, why: str) -> JumlahTidakValid:
    return JumlahTidakValid(
        f"Jumlah '{text}' tidak dapat dipakai: {why}. Bentuk yang diterima: {ACCEPTED_FORMS}."
    )


def parse(text: str) -> Decimal:
    """Parse a positive whole-rupiah amount as written in Indonesia; refuse anything ambiguous."""
    raw = str(text)
    s = raw.strip().lower().replace(" ", "").replace("\u00a0", "")
    if s.startswith("-") or s.startswith("−"):
        raise _invalid(raw, "jumlah tidak boleh negatif")
    if s.startswith("rp"):
        s = s[2:]
    if s.endswith(".-") or s.endswith(",-"):
        s = s[:-2]
    if not s:
        raise _invalid(raw, "kosong")
    m = _SUFFIX_RE.match(s)
    if m:
        value = Decimal(m["num"].replace(",", ".")) * _MULTIPLIERS[m["suffix"]]
    else:
        m = _PLAIN_RE.match(s)
        if not m:
            if re.fullmatch(r"\d+[.,]\d+", s):
                raise _invalid(
                    raw,
                    "tanda titik/koma ini ambigu (titik memisahkan ribuan, koma menandai desimal)",
                )
            raise _invalid(raw, "bukan angka rupiah")
        try:
            value = Decimal(m["int"].replace(".", ""))
        except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
            raise _invalid(raw, "bukan angka rupiah") from exc
        if m["frac"] and int(m["frac"]) != 0:
            raise _invalid(raw, "rupiah dicatat tanpa sen")
    if value > CEILING:
        raise _invalid(raw, f"melebihi batas {fmt(CEILING)}")
    if value != value.to_integral_value():
        raise _invalid(raw, "hasilnya bukan rupiah utuh")
    if value <= 0:
        raise _invalid(raw, "jumlah harus lebih dari nol")
    return value.quantize(Decimal(1))


def fmt(amount: Decimal | int, *, sign: bool = True) -> str:
    """Format whole rupiah as `Rp1.250.000` (negative as `-Rp1.250.000`)."""
    value = Decimal(amount)
    if value != value.to_integral_value():
        value = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    negative = value < 0
    digits = f"{abs(int(value)):,}".replace(",", ".")
    return f"{'-' if negative and sign else ''}Rp{digits}"


def fmt_report(amount: Decimal | int | None) -> str:
    """Format for printed statements, as accountants expect: negatives in parentheses
    (`(Rp320.659)`), and an em dash where there is no figure (a comparative year with no books)."""
    if amount is None:
        return "—"
    value = Decimal(amount)
    text = fmt(value, sign=False)
    return f"({text})" if value.quantize(Decimal(1), rounding=ROUND_HALF_UP) < 0 else text


def floor(amount: Decimal) -> Decimal:
    """Round down to the whole rupiah."""
    return amount.quantize(Decimal(1), rounding=ROUND_FLOOR)


def round_half_up(amount: Decimal) -> Decimal:
    """Round to the nearest rupiah, halves up (the usual commercial rule)."""
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def fmt_pct(value: Decimal) -> str:
    """A percentage the Indonesian way: 2,2%."""
    text = format(value.normalize(), "f") if value == value.normalize() else str(value)
    return text.replace(".", ",") + "%"
