"""Terminal tables that fit (#18 part 7): secondary columns dropped until the table fits the
terminal (or `--lebar`), names wrapped, IDs and amounts never cut."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from kkmp_cli.cli.common import console
from kkmp_cli.errors import KkmpError

LebarOpt = Annotated[
    int | None,
    typer.Option(
        "--lebar",
        help="Lebar tabel dalam huruf (bawaan: lebar terminal); kolom tambahan disembunyikan "
        "bila tidak muat.",
    ),
]


@dataclass(frozen=True)
class Col:
    """A terminal-table column: `drop` 0 = always shown, else dropped (highest first) when the
    table cannot fit; only `fold` columns (names, labels) wrap, so an ID or an amount is never
    cut."""

    name: str
    justify: Literal["left", "right"] = "left"
    drop: int = 0
    fold: bool = False


def console_of(lebar: int | None) -> Console:
    """The console to print on: the terminal's, or one exactly `lebar` characters wide."""
    if lebar is None:
        return console
    if not 40 <= lebar <= 400:
        raise KkmpError(f"--lebar {lebar} tidak dapat dipakai; pilih 40 sampai 400 huruf.")
    return Console(width=lebar, highlight=False, markup=False, emoji=False)


def fitted(
    out: Console, title: str | None, cols: list[Col], rows: list[list[str]]
) -> tuple[Table, list[str]]:
    """The widest table that fits the console: secondary columns are dropped (highest `drop`
    first) until the table fits by rich's own measure of its cells; names wrap, IDs and
    amounts never do. Returns the table and the names of the dropped columns."""
    shown = list(range(len(cols)))
    order = sorted((i for i, c in enumerate(cols) if c.drop), key=lambda i: -cols[i].drop)
    while True:
        table = Table(title=title, title_justify="left")
        for i in shown:
            c = cols[i]
            table.add_column(
                c.name,
                justify=c.justify,
                no_wrap=not c.fold,
                overflow="fold" if c.fold else "ellipsis",
            )
        for row in rows:
            table.add_row(*(row[i] for i in shown))
        spans = _spans(out, table)
        if not order:  # nothing left to drop: names may break inside a word (fold)
            spans = [
                (lo if c.no_wrap else min(lo, 6), hi)
                for c, (lo, hi) in zip(table.columns, spans, strict=True)
            ]
        least = 1 + sum(lo + 3 for lo, _ in spans)
        if least <= out.width or not order:
            _share(table, spans, out.width - least)
            return table, [c.name for i, c in enumerate(cols) if i not in shown]
        shown.remove(order.pop(0))


def _spans(out: Console, table: Table) -> list[tuple[int, int]]:
    """Each column's narrowest and widest width by rich's own measure of its cells: an
    unwrapped column is as wide as its widest cell; a wrapping one can narrow to its longest
    word (header included)."""
    spans = []
    for column in table.columns:
        cells = [Measurement.get(out, out.options, c) for c in [column.header, *column.cells]]
        widest = max(m.maximum for m in cells)
        spans.append((widest if column.no_wrap else max(m.minimum for m in cells), widest))
    return spans


def _share(table: Table, spans: list[tuple[int, int]], room: int) -> None:
    """Give each wrapping column its width: the narrowest, plus the room left, in column order
    (the name first), so rich never has to squeeze a column itself."""
    for column, (lo, hi) in zip(table.columns, spans, strict=True):
        if column.no_wrap:
            continue
        extra = max(0, min(hi - lo, room))
        column.width = lo + extra
        room -= extra


def dropped_note(out: Console, dropped: list[str]) -> None:
    if dropped:
        out.print(
            f"Kolom {', '.join(dropped)} disembunyikan agar muat {out.width} huruf; "
            "pakai --lebar 160 atau --format json untuk semuanya."
        )


def show(out: Console, title: str | None, cols: list[Col], rows: list[list[str]]) -> None:
    """Print the widest table that fits (`fitted`) and name the columns it left out."""
    table, dropped = fitted(out, title, cols, rows)
    out.print(table)
    dropped_note(out, dropped)
