"""Journal text exactly as kkmp writes it: beancount's printer, amounts aligned like
`bean-format -c 70`, user strings escaped. The writer renders with it; `periksa` compares every
journal file with `canonical` so a git diff shows only real changes."""

from __future__ import annotations

import functools
import io
from collections import Counter
from collections.abc import Sequence
from typing import Any

import regex
from beancount.core import account as bean_account
from beancount.core import amount, data
from beancount.core import position as bean_position
from beancount.parser import printer

from kkmp_cli.core.ledger import CURRENCY_COLUMN, HEADER_OPTIONS


def render(entry: data.Directive) -> str:
    """One directive as journal text, amounts aligned at CURRENCY_COLUMN."""
    return render_many([entry])


def render_many(entries: Sequence[data.Directive]) -> str:
    """Directives as journal text, one blank line after each, amounts aligned."""
    return "".join(_format(e) + "\n" for e in entries)


_PRINTER = printer.EntryPrinter()


def _format(entry: data.Directive) -> str:
    """beancount's printer aligned like `bean-format -c CURRENCY_COLUMN`, with a quicker path
    for the transactions kkmp writes.

    For plain postings (no flag, no price) the quick path emits the same header, metadata and
    positions directly, already aligned. tests/test_writer.py checks both paths give the same
    text."""
    if isinstance(entry, data.Transaction) and all(
        p.flag is None and p.price is None for p in entry.postings
    ):
        out = io.StringIO()
        strings = []
        if entry.payee:
            strings.append(f'"{escape(entry.payee)}"')
        if entry.narration:
            strings.append(f'"{escape(entry.narration)}"')
        elif entry.payee:
            strings.append('""')
        strings += [f"#{t}" for t in sorted(entry.tags)]
        strings += [f"^{link}" for link in sorted(entry.links)]
        out.write(f"{entry.date} {entry.flag} {' '.join(strings)}\n")
        _PRINTER.write_metadata(entry.meta, out)
        for p in entry.postings:
            if isinstance(p.units, data.Amount):
                number, rest = bean_position.to_string(p, _PRINTER.dformat).split(" ", 1)
                prefix = f"  {p.account}"
                spaces = " " * (CURRENCY_COLUMN - len(prefix) - len(number) - 4)
                out.write(f"{prefix}{spaces}  {number} {rest}\n")
            else:
                out.write(f"  {p.account}\n")
            if p.meta:
                _PRINTER.write_metadata(p.meta, out, "    ")
        return out.getvalue()
    return align(printer.format_entry(_printable(entry)))


# bean-format's own patterns, compiled once: its align_beancount() looks each one up again for
# every line, which dominates a 10,000-row import. tests/test_writer.py proves the output equal.
# Compiled on first use: beancount.scripts.format imports click, which a command writing only
# plain transactions (the quick path above) does not need (#16).
@functools.cache
def _patterns() -> tuple[Any, Any]:
    from beancount.scripts import format as bean_format

    amount_line = regex.compile(
        rf'(^\d[^";]*?|\s+{bean_account.ACCOUNT_RE})\s+'
        rf"({bean_format.PARENTHESIZED_BINARY_OP_RE}|{bean_format.NUMBER_RE})\s+"
        rf"((?:{amount.CURRENCY_RE})\b.*)"
    )
    posting_line = regex.compile(rf"([ \t]+)({bean_account.ACCOUNT_RE}.*)")
    return amount_line, posting_line


def align(contents: str) -> str:
    """`bean-format -c CURRENCY_COLUMN`, exactly (see align_beancount), for text kkmp renders."""
    amount_line, posting_line = _patterns()
    pairs: list[tuple[str, str | None, str | None]] = []
    for line in contents.splitlines():
        m = amount_line.match(line)
        pairs.append((m.group(1), m.group(2), m.group(3)) if m else (line, None, None))
    indents = Counter(
        len(m.group(1)) for prefix, _, _ in pairs if (m := posting_line.match(prefix))
    )
    width = max(indents.items(), key=lambda kv: (kv[1], kv[0]))[0] if indents else 0
    out = []
    for prefix, number, rest in pairs:
        m = posting_line.match(prefix)
        if m is not None:
            prefix = " " * width + m.group(2)
        if number is None:
            out.append(prefix + "\n")
        else:
            spaces = " " * (CURRENCY_COLUMN - len(prefix) - len(number) - 4)
            out.append(f"{prefix}{spaces}  {number} {rest}\n")
    return "".join(out)


def _printable(entry: data.Directive) -> data.Directive:
    if isinstance(entry, data.Custom):
        # beancount's printer leaves quotes in custom string values unescaped.
        entry = entry._replace(
            values=[
                v._replace(value=escape(v.value)) if isinstance(v.value, str) else v
                for v in entry.values
            ]
        )
    return entry


def canonical(text: str) -> str:
    """The file text as our formatting (and `bean-format -c 70`) would write it: `align`, which
    is bean-format's alignment with its patterns compiled once (periksa reads every line of the
    books: beancount's own function took 5 of periksa's 20 s on 100 000 transactions, #16)."""
    return align(text)


def file_header(title: str) -> list[str]:
    """First lines of every journal file: a comment and the per-file root-name options."""
    return [f"; {title}", *HEADER_OPTIONS, ""]


# Beancount's earnings accounts and Fava's options for an Indonesian user, with kkmp's Fava
# extension (#14). Previous and current earnings are one account, the one tutup-buku empties
# into SHU belum dibagi, so Fava shows each closed year's income statement and 31 December
# balance sheet as `kkmp laporan phu` and `laporan neraca` do. Dated before any book year, so
# no year's seal covers them. Fava has no Indonesian translation: only the number format
# (locale) is Indonesian.
FAVA_DATE = "2000-01-01"
FAVA_LINES = (
    'option "account_previous_earnings" "SHU-Tahun-Berjalan"',
    'option "account_current_earnings" "SHU-Tahun-Berjalan"',
    f'{FAVA_DATE} custom "fava-option" "locale" "id_ID"',
    f'{FAVA_DATE} custom "fava-option" "default-page" "balance_sheet/"',
    f'{FAVA_DATE} custom "fava-option" "fiscal-year-end" "12-31"',
    f'{FAVA_DATE} custom "fava-option" "show-accounts-with-zero-balance" "false"',
    f'{FAVA_DATE} custom "fava-option" "show-accounts-with-zero-transactions" "false"',
    f'{FAVA_DATE} custom "fava-option" "invert-income-liabilities-equity" "true"',
    f'{FAVA_DATE} custom "fava-extension" "kkmp_cli.fava"',
)


def main_file_text(nama: str, include_files: list[str]) -> str:
    lines = [
        f"; Buku besar {nama}. Dikelola dengan kkmp: jangan diubah dengan tangan.",
        f'option "title" "{escape(nama)}"',
        *HEADER_OPTIONS,
        'option "operating_currency" "IDR"',
        'option "booking_method" "FIFO"',
        'plugin "beancount.plugins.noduplicates"',
        *FAVA_LINES,
        "",
        *[f'include "{name}"' for name in include_files],
    ]
    return "\n".join(lines) + "\n"


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
