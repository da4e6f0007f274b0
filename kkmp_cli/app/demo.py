"""Building the example cooperative (`kkmp demo`): its folder, a year of operations recorded
through the writer, the year closed, the SHU distributed and the RAT book written."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

from beancount.core import data

from kkmp_cli import demo
from kkmp_cli.app.closing import close_year
from kkmp_cli.app.ratbook import build_rat_book
from kkmp_cli.app.recording import record
from kkmp_cli.core import config, coop, fsutil, officer, templating, writer
from kkmp_cli.errors import FolderSudahAda, TahunBukuBaru


def build_demo(root: Path, *, replace: bool = False) -> demo.Summary:
    """Build the example cooperative at `root` (deterministic: same files every run, whoever
    runs it: the demo's treasurer is named as the officer, not git's user)."""
    with officer.using(demo.PETUGAS), warnings.catch_warnings():
        # The script starts its second year by closing the first: its summary says what it built.
        warnings.simplefilter("ignore", TahunBukuBaru)
        return _build(root, replace=replace)


def _build(root: Path, *, replace: bool) -> demo.Summary:
    if root.exists() and any(root.iterdir()):
        if not replace:
            raise FolderSudahAda(
                f"Folder '{root}' sudah ada. Pakai --ganti untuk membuat ulang koperasi contoh."
            )
        if not (root / "koperasi.yaml").exists():
            raise FolderSudahAda(f"Folder '{root}' bukan koperasi kkmp; tidak dihapus.")
        shutil.rmtree(root)
    script = demo.script()
    paths = coop.init(root, demo.NAMA, demo.YEAR, config_text=script.config_text)
    config.write_rat(root, script.rat_inputs)
    count = 0
    with writer.session(paths) as session:
        for plan in script.plans:
            planned = plan(session.book)
            if planned:
                session.stage(planned)
                count += sum(isinstance(e, data.Transaction) for e in planned)
        session.flush()
    # The year end: close the year (seal it) and, after the RAT, distribute the SHU.
    close_year(paths, demo.YEAR, today=demo.RAT_DATE)
    book, posted = record(paths, script.distribution)
    count += sum(isinstance(e, data.Transaction) for e in posted)
    # The RAT book of the year, generated (not part of the books, so git-ignored).
    context, _ = build_rat_book(book, demo.YEAR)
    report = root / "laporan" / f"rat-{demo.YEAR}.html"
    fsutil.atomic_write(report, templating.render("rat.html.j2", context, root))
    return demo.summary(book, root, count, report)
