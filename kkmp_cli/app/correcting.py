"""`koreksi`: the linked reversal of a document, in one commit with what it reopens."""

from __future__ import annotations

import datetime as dt

from beancount.core import data

from kkmp_cli.core import writer
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.journal import journal


def correct(
    paths: Paths, doc: str, date: dt.date, *, alasan: str, dry_run: bool = False
) -> tuple[Book, list[data.Directive]]:
    """Plan the koreksi of `doc` against the locked books and commit it. The koreksi of a
    member's exit also takes the closes of the member's accounts out of the journal in the same
    commit (beancount cannot reopen a closed account, #17). Returns the books after it and the
    entries as beancount booked them."""
    with writer.session(paths) as session:
        entries = journal.correct(session.book, doc, date, alasan=alasan)
        if any(e.meta.get("jenis_asal") == journal.MEMBER_EXIT for e in entries):
            from kkmp_cli.members import exits  # only the koreksi of an exit needs it

            session.retire(exits.reopened(session.book, entries))
        booked = session.stage(entries)
        if not dry_run:
            session.flush()
        return session.book, booked
