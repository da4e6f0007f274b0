"""The RAT book: read rat.yaml, take the books' provenance (digest and git commit), build."""

from __future__ import annotations

import hashlib
from typing import Any

from kkmp_cli.core import config, git, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.rat import meeting, rat


def build_rat_book(book: Book, year: int) -> tuple[dict[str, Any], list[rat.Gap]]:
    """The RAT book's content for `year` and what is still missing from rat.yaml/koperasi.yaml."""
    inputs = config.load_rat(book.paths.root)
    return rat.build(book, year, inputs, provenance(book))


def build_rat_paper(book: Book, year: int, paper: str) -> dict[str, Any]:
    """A paper of the RAT meeting (#18): 'undangan', 'hadir' or 'berita-acara', from rat.yaml
    and the member register."""
    inputs = config.load_rat(book.paths.root)
    make = {
        "undangan": meeting.invitation,
        "hadir": meeting.attendance_list,
        "berita-acara": meeting.minutes,
    }[paper]
    return {**make(book, year, inputs), "jejak": provenance(book)}


def provenance(book: Book) -> dict[str, str]:
    """The ledger digest (journal files, koperasi.yaml, rat.yaml) and, in git, the commit."""
    root = book.paths.root
    files = [
        book.paths.main,
        book.paths.chart,
        *sorted((root / ledger.JOURNAL_DIR).glob("*.beancount")),
    ]
    files += [root / config.CONFIG_NAME, root / config.RAT_NAME]
    h = hashlib.sha256()
    for f in files:
        if f.exists():
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    commit = git.exported_revision(root) or git.head_commit(root)
    return {"digest": h.hexdigest(), "commit": commit}
