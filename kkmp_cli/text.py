"""User-typed text made safe for the journal: one line, printable, length-limited."""

from __future__ import annotations

import re
import unicodedata

from kkmp_cli.errors import TeksTidakValid


def clean(text: str, *, field: str = "teks", max_len: int = 200, required: bool = True) -> str:
    """Normalise whitespace (newlines and tabs become one space) and refuse control characters.

    Quotes and backslashes are kept: the writer escapes them and proves it by parsing back.
    """
    s = unicodedata.normalize("NFC", str(text))
    s = re.sub(r"\s+", " ", s).strip()
    if any(unicodedata.category(ch) == "Cc" for ch in s):
        raise TeksTidakValid(f"{field.capitalize()} berisi karakter kendali yang tidak boleh.")
    if required and not s:
        raise TeksTidakValid(f"{field.capitalize()} tidak boleh kosong.")
    if len(s) > max_len:
        raise TeksTidakValid(f"{field.capitalize()} terlalu panjang (maksimal {max_len} karakter).")
    return s


def recorded_again(taken_back: int) -> str:
    """What a narration adds for an entry recorded again after `koreksi` took back
    `taken_back` of its kind (for one month, document or masa): without it the new entry
    would be the twin of the one taken back, which beancount's noduplicates refuses."""
    if not taken_back:
        return ""
    return " dicatat ulang" + (f" ({taken_back + 1})" if taken_back > 1 else "")
