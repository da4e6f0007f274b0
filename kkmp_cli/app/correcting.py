"""`koreksi`: the linked reversal of a document, in one commit with what it reopens."""

from __future__ import annotations

import datetime as dt

from beancount.core import data

from kkmp_cli.app.recording import Plan
from kkmp_cli.core import writer
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.journal import journal


def correct(
    paths: Paths, doc: str, date: dt.date, *, alasan: str, dry_run: bool = False
) -> tuple[Book, list[data.Directive]]:
    """`koreksi DOC`: the linked reversal of the document (of a member's exit: the exit
    taken back, see `undo`)."""
    return undo(paths, lambda b: journal.correct(b, doc, date, alasan=alasan), dry_run=dry_run)


def undo(paths: Paths, plan: Plan, *, dry_run: bool = False) -> tuple[Book, list[data.Directive]]:
    """Plan a koreksi against the locked books and commit it. When it takes a member's exit
    back, the closes of the member's accounts leave the journal in the same commit (beancount
    cannot reopen a closed account, #17). Returns the books after it and the entries as
    beancount booked them."""
    with writer.session(paths) as session:
        entries = plan(session.book)
        if any(isinstance(e, data.Custom) for e in entries):
            from kkmp_cli.members import exits  # only taking an exit back needs it

            if closes := exits.reopened(session.book, entries):
                session.retire(closes)
        booked = session.stage(entries)
        if not dry_run:
            session.flush()
        return session.book, booked
