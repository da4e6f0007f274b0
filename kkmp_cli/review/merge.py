"""Merging one journal file changed on two laptops (#22): git's merge driver for kkmp journals.

Git's line merge (and its `union` mode) aligns the lines two transactions have in common, so
two entries written at the same place on two laptops can come out interleaved into one broken
entry. kkmp merges by whole directives instead: every directive either side added is kept
once, in date order, and what one side removed (an open rewritten with new metadata) is
removed. Two different opens of one account, or one document number written differently on
each side, are a conflict for a person to settle, never a silent choice."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

DIRECTIVE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s")
OPEN = re.compile(r"^\d{4}-\d{2}-\d{2}\s+open\s+(\S+)")
DOC_ID = re.compile(r'^\s+id:\s+"([^"]+)"', re.MULTILINE)


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: tuple[str, ...]


def _split(text: str) -> tuple[list[str], list[str]]:
    """The header lines (before the first dated directive) and each directive's text, with
    its trailing blank lines dropped."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header: list[str] = []
    blocks: list[list[str]] = []
    for line in lines:
        if DIRECTIVE.match(line):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
        else:
            header.append(line)
    result = []
    for block in blocks:
        while block and block[-1].strip() == "":
            block.pop()
        result.append("\n".join(block))
    return header, result


def _date(block: str) -> str:
    m = DIRECTIVE.match(block)
    return m[1] if m else ""


def merge(base: str, ours: str, theirs: str) -> Merged:
    """Our file with the directives their side added (and without those their side removed)."""
    _, base_blocks = _split(base)
    header, result = _split(ours)
    _, their_blocks = _split(theirs)
    b, o, t = Counter(base_blocks), Counter(result), Counter(their_blocks)
    for block, n in (b - t).items():  # removed (or rewritten) on their side
        for _ in range(min(n, o[block])):
            result.remove(block)
    added = (t - b) - (o - b)  # theirs new, not also added here
    for block in their_blocks:
        if added[block] <= 0:
            continue
        added[block] -= 1
        day = _date(block)
        at = next((i for i, r in enumerate(result) if _date(r) > day), len(result))
        result.insert(at, block)
    conflicts: list[str] = []
    opens = Counter(m[1] for r in result if (m := OPEN.match(r)))
    conflicts += [f"akun {a} dibuka dua kali dengan isi berbeda" for a, n in opens.items() if n > 1]
    ids = Counter(i for r in result for i in DOC_ID.findall(r))
    conflicts += [f"nomor bukti {i} ditulis berbeda di dua laptop" for i, n in ids.items() if n > 1]
    body = "".join(f"{r}\n\n" for r in result)
    text = "\n".join(header) + ("\n" if header else "") + body
    return Merged(text, tuple(sorted(conflicts)))
