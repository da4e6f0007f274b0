"""The application layer: one function per use case.

Each use case opens the writer's session (the cooperative's lock and its loaded books), calls
the pure planners of the domain, stages anything else that must change with the journal
(private data) into the same commit, and commits. The CLI calls these functions and renders
what they return; nothing below the CLI imports this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kkmp_cli.app import auditing
    from kkmp_cli.app.closing import close_year, reopen_year
    from kkmp_cli.app.correcting import correct, undo
    from kkmp_cli.app.demo import build_demo
    from kkmp_cli.app.founding import found_cooperative
    from kkmp_cli.app.importing import import_file, record_opening, write_template
    from kkmp_cli.app.members import cancel_member, correct_member, register_member, sell
    from kkmp_cli.app.papers import print_receipt
    from kkmp_cli.app.ratbook import build_rat_book, build_rat_paper
    from kkmp_cli.app.recording import record

# Each use case is imported when first used (#16): recording does not pay for the audit,
# the RAT book or the demo. A new use case: one line here and its name in __all__.
_WHERE = {
    "auditing": "kkmp_cli.app.auditing",
    "build_demo": "kkmp_cli.app.demo",
    "build_rat_book": "kkmp_cli.app.ratbook",
    "build_rat_paper": "kkmp_cli.app.ratbook",
    "cancel_member": "kkmp_cli.app.members",
    "close_year": "kkmp_cli.app.closing",
    "correct": "kkmp_cli.app.correcting",
    "correct_member": "kkmp_cli.app.members",
    "found_cooperative": "kkmp_cli.app.founding",
    "import_file": "kkmp_cli.app.importing",
    "print_receipt": "kkmp_cli.app.papers",
    "record": "kkmp_cli.app.recording",
    "record_opening": "kkmp_cli.app.importing",
    "register_member": "kkmp_cli.app.members",
    "reopen_year": "kkmp_cli.app.closing",
    "sell": "kkmp_cli.app.members",
    "undo": "kkmp_cli.app.correcting",
    "write_template": "kkmp_cli.app.importing",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'kkmp_cli.app' has no attribute {name!r}")
    module = importlib.import_module(where)
    found = module if where.endswith("." + name) else getattr(module, name)
    globals()[name] = found
    return found


__all__ = [
    "auditing",
    "build_demo",
    "build_rat_book",
    "build_rat_paper",
    "cancel_member",
    "close_year",
    "correct",
    "correct_member",
    "found_cooperative",
    "import_file",
    "record_opening",
    "print_receipt",
    "record",
    "register_member",
    "reopen_year",
    "sell",
    "undo",
    "write_template",
]
