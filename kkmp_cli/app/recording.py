"""Recording: plan entries against the locked books, validate, commit (every writing command)."""

from __future__ import annotations

from collections.abc import Callable

from beancount.core import data

from kkmp_cli.core import writer
from kkmp_cli.core.ledger import Book, Paths

Plan = Callable[[Book], list[data.Directive]]
Also = Callable[[writer.Session, list[data.Directive]], None]


def record(
    paths: Paths, plan: Plan, *, dry_run: bool = False, also: Also | None = None
) -> tuple[Book, list[data.Directive]]:
    """Lock and load the books, plan with `plan(book)`, stage and (unless `dry_run`) commit.

    `also(session, booked)` may stage other files (private data) into the same commit. Returns
    the books after the entries and the entries as beancount booked them."""
    with writer.session(paths) as session:
        booked = session.stage(plan(session.book))
        if not dry_run:
            if also is not None:
                also(session, booked)
            session.flush()
        return session.book, booked
