"""Which rows of an import sheet the books already hold: each imported transaction, and each
member added by an import, carries its rows' fingerprints in its `impor` metadata, so
importing the same sheet again adds nothing. Kept as a domain index (#16), so an import into
running books does not read every transaction to find them."""

from __future__ import annotations

from beancount.core import data

from kkmp_cli.core import ledger
from kkmp_cli.members.register import CUSTOM_TYPE

META_KEY = "impor"


class ImportMarks(ledger.Index):
    """The fingerprints of every row imported into the books (several per transaction, joined
    by `+`, when a sale's nota spans rows)."""

    def __init__(self) -> None:
        self.done: set[str] = set()

    def fold(self, entry: data.Directive) -> None:
        if isinstance(entry, data.Transaction) or (
            isinstance(entry, data.Custom) and entry.type == CUSTOM_TYPE
        ):
            marks = entry.meta.get(META_KEY)
            if marks is not None:
                self.done.update(str(marks).split("+"))
