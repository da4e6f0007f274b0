"""Auditors' use cases over git: the books at a revision, what changed, commits and hooks."""

from __future__ import annotations

import datetime as dt

from kkmp_cli.core import git, ledger
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.review import diff

WORKING_TREE = "folder kerja"


def book_at(paths: Paths, revisi: str) -> Book:
    """The ledger as committed at `revisi`, loaded from a temporary copy (the working tree is
    not touched); reports built on it name the revision."""
    rev = git.resolve(paths.root, revisi)
    return ledger.load(Paths(git.export(paths.root, rev)))


def compare(paths: Paths, dari: str | None = None, ke: str | None = None) -> diff.Selisih:
    """What changed from revision `dari` (default HEAD) to `ke` (default the working tree)."""
    git.require(paths.root)
    old, old_side = _side(paths, dari or "HEAD")
    new, new_side = _side(paths, ke)
    return diff.compare(old, new, old_side, new_side)


def _side(paths: Paths, revisi: str | None) -> tuple[Book, diff.Sisi]:
    if revisi is None:
        return ledger.load(paths), diff.Sisi(WORKING_TREE, "", dt.date.today())
    rev = git.resolve(paths.root, revisi)
    book = ledger.load(Paths(git.export(paths.root, rev)))
    return book, diff.Sisi(revisi, rev.commit[:12], rev.tanggal)
