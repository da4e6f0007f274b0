"""Amounts in Indonesian words (terbilang) as a receipt writes them, and back again."""

from __future__ import annotations

from decimal import Decimal

from kkmp_cli.errors import JumlahTidakValid

_ONES = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu"))
LIMIT = 10**15


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_ONES[hundreds], "ratus"]
    if rest < 12:
        if rest:
            words.append(_ONES[rest])
    elif rest < 20:
        words += [_ONES[rest - 10], "belas"]
    else:
        tens, ones = divmod(rest, 10)
        words += [_ONES[tens], "puluh"]
        if ones:
            words.append(_ONES[ones])
    return words


def words(n: int) -> str:
    """A whole number in words: 125000 → 'seratus dua puluh lima ribu', 1000 → 'seribu'."""
    if n < 0 or n >= LIMIT:
        raise JumlahTidakValid(f"Jumlah {n} di luar jangkauan terbilang.")
    if n == 0:
        return "nol"
    out: list[str] = []
    for scale, name in _SCALES:
        count, n = divmod(n, scale)
        if not count:
            continue
        if count == 1 and scale == 1000:
            out.append("seribu")
        else:
            out += [*_below_thousand(count), name]
    out += _below_thousand(n)
    return " ".join(out)


def rupiah(amount: Decimal | int) -> str:
    """A rupiah amount as a receipt writes it: 'seratus dua puluh lima ribu rupiah'
    (sen, when there are any, follow: 'sepuluh rupiah lima puluh sen')."""
    value = Decimal(amount)
    sign = "minus " if value < 0 else ""
    value = abs(value)
    whole = int(value)
    sen = int(((value - whole) * 100).to_integral_value())
    text = f"{sign}{words(whole)} rupiah"
    if sen:
        text += f" {words(sen)} sen"
    return text


_UNIT = {w: i for i, w in enumerate(_ONES) if w}
_SCALE_WORDS = {name: scale for scale, name in _SCALES}


def _group(tokens: list[str]) -> int:
    """The value of the words of one group below a thousand."""
    total, i = 0, 0
    while i < len(tokens):
        word = tokens[i]
        if word == "seratus":
            total += 100
        elif word == "sepuluh":
            total += 10
        elif word == "sebelas":
            total += 11
        elif word in _UNIT and i + 1 < len(tokens) and tokens[i + 1] in ("ratus", "puluh", "belas"):
            factor = {"ratus": 100, "puluh": 10, "belas": 1}[tokens[i + 1]]
            total += _UNIT[word] * factor + (10 if factor == 1 else 0)
            i += 1
        elif word in _UNIT:
            total += _UNIT[word]
        else:
            raise JumlahTidakValid(f"Kata '{word}' bukan bagian bilangan.")
        i += 1
    return total


def parse(text: str) -> int:
    """The number that words name (the reverse of `words`): 'seribu dua ratus' → 1200."""
    tokens = text.lower().replace(" rupiah", "").split()
    if tokens == ["nol"]:
        return 0
    total, group = 0, list[str]()
    for token in tokens:
        if token == "seribu":
            total += _group(group) + 1000
            group = []
        elif token in _SCALE_WORDS:
            total += _group(group) * _SCALE_WORDS[token]
            group = []
        else:
            group.append(token)
    return total + _group(group)
