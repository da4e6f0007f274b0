"""Closing a book year (tutup buku): judged, staged and sealed under one lock."""

from __future__ import annotations

import datetime as dt

from beancount.core import data

from kkmp_cli.closing import audit, checklist, closing
from kkmp_cli.core import ledger, writer
from kkmp_cli.core.ledger import Book, Paths


def close_year(
    paths: Paths,
    year: int,
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
    waived: dict[str, str] | None = None,
) -> tuple[Book, list[data.Directive]]:
    """Close `year`: refuse unless the books check clean, every earlier year is closed and the
    year-end checklist has no open item that is not `waived` (item -> reason, kept on the seal).

    Everything is judged under the lock, so no command can slip an entry in between the check
    and the seal. Returns the book and the entries recorded (or, with `dry_run`, planned)."""
    closing.require_ended(year, today or dt.date.today())
    with writer.session(paths) as session:
        closing.require_closable(session.book, year)
        open_now = {i.kode for i in checklist.open_items(session.book, year)}
        closing.require_checklist(session.book, year, waived or {})
        findings = audit.check(paths)
        if findings:
            shown = "\n".join(str(f) for f in findings[:5])
            raise closing.TutupBukuDitolak(
                f"Buku belum bersih; tahun {year} tidak dapat ditutup:\n{shown}"
            )
        recorded = session.stage(closing.closing_entries(session.book, year))
        recorded += session.stage(closing.carried_balances(session.book, year))
        kept = {k: v for k, v in (waived or {}).items() if k in open_now}
        recorded += session.stage(closing.seals(session.book, year, kept))
        session.flush(dry_run=dry_run)
        return session.book, recorded


def reopen_year(
    paths: Paths, year: int, *, alasan: str, disetujui: str, today: dt.date | None = None
) -> tuple[Book, data.Custom]:
    """Reopen a sealed year (#11): the `buka-buku` event is recorded and the balances carried
    into the next year are taken out, in one commit; `close_year` seals it again."""
    with writer.session(paths) as session:
        event, carried = closing.reopen(
            session.book, year, today or dt.date.today(), alasan=alasan, disetujui=disetujui
        )
        session.retire(carried)
        recorded = session.stage([event])
        session.flush()
    book = ledger.load(paths, fresh=True)
    return book, next(e for e in recorded if isinstance(e, data.Custom))
