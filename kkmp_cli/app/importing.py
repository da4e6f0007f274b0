"""Importing a CSV/XLSX sheet: every row or none, in one commit; and writing its template."""

from __future__ import annotations

from pathlib import Path

from kkmp_cli.core import writer, xlsx
from kkmp_cli.core.ledger import Paths
from kkmp_cli.journal import imports


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
        if not dry_run:
            session.flush()
    return result


def write_template(jenis: str, path: Path) -> None:
    """An empty sheet with the right columns; in XLSX an example row on a second sheet."""
    columns, example = imports.template_sheet(jenis)
    xlsx.write(path, columns, [], example=example)
