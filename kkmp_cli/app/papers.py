"""Printing a receipt (#22): the document's data and how often it has been printed before."""

from __future__ import annotations

import datetime as dt

from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.counter import papers


def print_receipt(paths: Paths, doc_id: str) -> tuple[Book, papers.Receipt, int]:
    """The receipt of `doc_id` and which printing this is (1 = the original, more = a reprint)."""
    book = ledger.load(paths)
    receipt = papers.receipt(book, doc_id)
    count = coop.note_printed(paths, receipt.nomor, dt.datetime.now())
    return book, receipt, count
