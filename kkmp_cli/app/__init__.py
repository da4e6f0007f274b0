"""The application layer: one function per use case.

Each use case opens the writer's session (the cooperative's lock and its loaded books), calls
the pure planners of the domain, stages anything else that must change with the journal
(private data) into the same commit, and commits. The CLI calls these functions and renders
what they return; nothing below the CLI imports this package.
"""

from __future__ import annotations

from kkmp_cli.app import auditing
from kkmp_cli.app.closing import close_year, reopen_year
from kkmp_cli.app.demo import build_demo
from kkmp_cli.app.founding import found_cooperative
from kkmp_cli.app.importing import import_file, record_opening, write_template
from kkmp_cli.app.members import cancel_member, correct_member, register_member, sell
from kkmp_cli.app.papers import print_receipt
from kkmp_cli.app.ratbook import build_rat_book, build_rat_paper
from kkmp_cli.app.recording import record

__all__ = [
    "auditing",
    "build_demo",
    "build_rat_book",
    "build_rat_paper",
    "cancel_member",
    "close_year",
    "correct_member",
    "found_cooperative",
    "import_file",
    "record_opening",
    "print_receipt",
    "record",
    "register_member",
    "reopen_year",
    "sell",
    "write_template",
]
