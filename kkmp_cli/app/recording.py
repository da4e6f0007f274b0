"""Recording: plan entries against the locked books, validate, commit (every writing command)."""

from __future__ import annotations

from collections.abc import Callable

from beancount.core import data

from kkmp_cli.core import writer
from kkmp_cli.core.ledger import Book, Paths

Plan = Callable[[Book], list[data.Directive]]
Also = Callable[[writer.Session, list[data.Directive]], None]


def record(
    paths: Paths,
    plan: Plan,
    *,
    dry_run: bool = False,
    also: Also | None = None,
    opening: bool = False,
) -> tuple[Book, list[data.Directive]]:
    """Lock and load the books, plan with `plan(book)`, stage and (unless `dry_run`) commit.

    `also(session, booked)` may stage other files (private data) into the same commit;
    `opening`: entries of the opening balances, dated before the books start, so the accounts
    they use are opened on their day in the same commit (#22). Returns the books after the
    entries and the entries as beancount booked them."""
    with writer.session(paths) as session:
        entries = plan(session.book)
        if opening:
            from kkmp_cli.journal import opening as openings  # only opening balances need it

            session.amend(openings.early_opens(session.book, entries), redate=True)
        booked = session.stage(entries)
        if also is not None:  # staged only: a dry run refuses what the real one would
            also(session, booked)
        session.flush(dry_run=dry_run)
        return session.book, booked
