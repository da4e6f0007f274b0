"""Importing a CSV/XLSX sheet: every row or none, in one commit; and writing its template."""

from __future__ import annotations

from pathlib import Path

from kkmp_cli.core import config, writer, xlsx
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
            if result.pribadi:
                # Members in bulk: their private fields go to the private file, same commit.
                records = config.load_private(paths.root)
                for nak, fields in result.pribadi.items():
                    records[nak] = {**records.get(nak, {}), **fields}
                config.save_private(paths.root, records, write=session.stage_file)
            session.flush()
    return result


def write_template(jenis: str, path: Path) -> None:
    """An empty sheet with the right columns; in XLSX an example row on a second sheet."""
    columns, example = imports.template_sheet(jenis)
    xlsx.write(path, columns, [], example=example)
