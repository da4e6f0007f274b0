"""kkmp's full load is beancount's `loader._load`, step for step, with equal values shared
after the parse (#16: periksa's peak memory below bean-check's). It must give exactly what
`_load` gives: the same entries, errors and options, numbers in their written form."""

from __future__ import annotations

import copy
from pathlib import Path
from textwrap import dedent

import pytest
from beancount import loader
from beancount.core import data
from beancount.core.interpolate import AUTOMATIC_TOLERANCES
from beancount.parser import booking

from kkmp_cli.core import config as configmod
from kkmp_cli.core import ledger, printer
from kkmp_cli.core.ledger import Paths


def _both(main: Path) -> tuple[tuple, tuple]:
    ours = ledger._parse(main)
    theirs = loader._load([(str(main), True)], None, None, None)
    return ours, theirs


def _same_load(main: Path) -> tuple:
    (entries, errors, options), (b_entries, b_errors, b_options) = _both(main)
    assert entries == list(b_entries)
    assert [(type(e), e.source, e.message) for e in errors] == [
        (type(e), e.source, e.message) for e in b_errors
    ]
    # The display context (precisions seen) has no equality of its own: compared as shown.
    shown = {**options, "dcontext": str(options["dcontext"])}
    assert shown == {**b_options, "dcontext": str(b_options["dcontext"])}
    return entries, errors, options


def test_the_demo_loads_as_beancount_loads_it(demo_root: Path) -> None:
    entries, errors, _ = _same_load(Paths(demo_root).main)
    assert not errors
    transactions = [e for e in entries if isinstance(e, data.Transaction)]
    assert len(transactions) > 100
    # The point of it: equal amounts are one object (the memory a parse otherwise spends).
    units = [p.units for t in transactions for p in t.postings if p.units is not None]
    assert len({id(u) for u in units}) < len(units) // 2
    narrations = [t.narration for t in transactions]
    assert len({id(n) for n in narrations}) == len(set(narrations))


def test_errors_and_written_forms_are_kept(coop_dir: Path) -> None:
    """A ledger with beancount errors (unbalanced, unknown account) and the same number written
    two ways: the same errors, and each number keeps the form it was written in."""
    paths = Paths(coop_dir)
    header = "\n".join(printer.file_header("Jurnal uji")) + "\n"
    body = dedent(
        """
        2025-01-05 * "Setor" "dua bentuk angka yang sama"
          Aset:Lancar:Kas                         10000.00 IDR
          Pendapatan:Lain                        -10000 IDR

        2025-01-06 * "Setor" "dua bentuk angka yang sama"
          Aset:Lancar:Kas                         10000 IDR
          Pendapatan:Lain                        -10000.00 IDR

        2025-01-07 * "Tidak seimbang"
          Aset:Lancar:Kas                         5 IDR
          Aset:Tidak:Ada                         -4 IDR
        """
    )
    paths.year_file(2025).write_text(header + body, encoding="utf-8")
    entries, errors, _ = _same_load(paths.main)
    assert len(errors) >= 2
    shown = [
        [str(p.units.number) for p in e.postings]
        for e in entries
        if isinstance(e, data.Transaction) and e.narration == "dua bentuk angka yang sama"
    ]
    assert shown == [["10000.00", "-10000"], ["10000", "-10000.00"]]


def test_booking_taken_over_in_pieces_is_beancount_booking(
    demo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer books what it staged a few hundred entries at a time, letting each go once
    booked (#16): the same entries and errors as beancount's booking of the whole list."""
    main = Paths(demo_root).main
    entries, _, options = loader._parse_recursive([(str(main), True)], None, None)
    entries.sort(key=data.entry_sortkey)
    theirs, their_errors = booking.book(list(entries), options)
    assert len(entries) > 100
    book = ledger.Book(Paths(demo_root), configmod.load(demo_root), [], [], options)
    monkeypatch.setattr(ledger, "BOOKING_CHUNK", 7)
    pending = list(entries)
    ours, our_errors = ledger.book_entries(book, pending, consume=True)
    assert pending == []
    assert ours == list(theirs)
    assert [(type(e), e.message) for e in our_errors] == [
        (type(e), e.message) for e in their_errors
    ]
    # Not taken over: the list stays, and the booking is the same.
    kept = list(entries)
    again, _ = ledger.book_entries(book, kept)
    assert kept == entries and again == list(theirs)


def test_equal_tolerances_are_one_object_after_sharing(demo_root: Path) -> None:
    """beancount's booking gives each transaction tolerances of its own, nearly always the same
    empty ones: sharing makes equal ones one object (#16, a tenth of an import's memory), and
    no entry changes."""
    entries, _, _ = ledger._parse(Paths(demo_root).main)
    before = copy.deepcopy(entries)
    ledger.share_values(entries)
    assert entries == before
    held = [e.meta[AUTOMATIC_TOLERANCES] for e in entries if AUTOMATIC_TOLERANCES in e.meta]
    assert len(held) > 100
    distinct = {(tuple(sorted(t.items())), t.default) for t in held}
    assert len({id(t) for t in held}) == len(distinct)


def _distinct_objects(entries: list[data.Directive]) -> dict[str, tuple[int, int]]:
    """For each kind of shared value: (objects, distinct values) over the transactions."""
    txns = [e for e in entries if isinstance(e, data.Transaction)]
    units = [p.units for t in txns for p in t.postings if isinstance(p.units, data.Amount)]
    tolerances = [t.meta[AUTOMATIC_TOLERANCES] for t in txns]
    texts = [v for t in txns for v in (t.narration, t.payee, *t.meta.values()) if type(v) is str]
    return {
        "units": (len({id(u) for u in units}), len({(str(u.number), u.currency) for u in units})),
        "tolerances": (
            len({id(t) for t in tolerances}),
            len({(tuple(sorted(t.items())), t.default) for t in tolerances}),
        ),
        "texts": (len({id(v) for v in texts}), len(set(texts))),
        "dates": (len({id(t.date) for t in txns}), len({t.date for t in txns})),
    }


def test_sharing_in_blocks_then_the_booked_entries_is_sharing_the_whole(
    demo_root: Path,
) -> None:
    """The writer shares each block it parses back into one `Shared`, then only what booking
    made new (#16: an import's entries were walked whole twice); the cache's settled part then
    shares other entries into it and leaves the booked ones as they are. The same entries as
    sharing the whole list after booking, and each value one object."""
    main = Paths(demo_root).main
    entries, _, options = loader._parse_recursive([(str(main), True)], None, None)
    entries.sort(key=data.entry_sortkey)
    plain, _ = booking.book(copy.deepcopy(entries), options)
    plain = list(plain)

    shared = ledger.Shared()
    parsed: list[data.Directive] = []
    for start in range(0, len(entries), 37):
        block = entries[start : start + 37]
        ledger.share_values(block, shared)
        parsed += block
    booked, _ = booking.book(parsed, options)
    booked = list(booked)
    ledger.share_values(booked, shared, booked=True)
    assert booked == plain
    for kind, (objects, values) in _distinct_objects(booked).items():
        assert objects == values, kind

    # Later: the same entries, with others parsed on their own (a settled part's), shared into
    # `shared`: the booked ones are left as they are, the others take their values.
    others, _, _ = ledger._parse(main)
    kept = [*others, *booked]
    before = list(booked)
    ledger.share_values(kept, shared)
    assert all(a is b for a, b in zip(kept[len(others) :], before, strict=True))
    assert kept[: len(others)] == plain
    for kind, (objects, values) in _distinct_objects(kept).items():
        assert objects == values, kind
