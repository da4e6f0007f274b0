"""Importing a CSV/XLSX sheet: every row or none, in one commit; and writing its template."""

from __future__ import annotations

from pathlib import Path

from beancount.core import data

from kkmp_cli.app import members as members_app
from kkmp_cli.app.recording import record
from kkmp_cli.core import writer, xlsx
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.journal import imports, opening
from kkmp_cli.members import register as members


def import_file(
    paths: Paths,
    source: Path,
    jenis: str,
    *,
    dry_run: bool = False,
    progress: imports.Progress | None = None,
) -> imports.ImportResult:
    """Read, check and record every row, or none of them (rows imported before are skipped)."""
    keyed = imports.read(source, jenis)
    with writer.session(paths) as session:
        result = imports.stage_rows(session, jenis, keyed, progress)
        registered = members.registered_in(result.transaksi)
        if registered or result.pribadi:
            # Members in bulk: their private fields go to the private file, same commit (staged
            # in a dry run too, so that it refuses what the real import would).
            members_app.stage_registered(session, registered, dict(result.pribadi))
        session.flush(dry_run=dry_run)
    return result


def write_template(jenis: str, path: Path) -> None:
    """An empty sheet with the right columns; in XLSX an example row on a second sheet."""
    columns, example = imports.template_sheet(jenis)
    xlsx.write(path, columns, [], example=example)


def record_opening(
    paths: Paths, source: Path, *, dry_run: bool = False
) -> tuple[Book, list[data.Directive]]:
    """Record the opening balances (saldo awal) of `source`; dated the day before the books
    start, the accounts they use are opened that day in the same commit (#22)."""
    return record(paths, lambda book: opening.plan(book, source), dry_run=dry_run, opening=True)
