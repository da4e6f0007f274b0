"""kkmp's full load is beancount's `loader._load`, step for step, with equal values shared
after the parse (#16: periksa's peak memory below bean-check's). It must give exactly what
`_load` gives: the same entries, errors and options, numbers in their written form."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from beancount import loader
from beancount.core import data

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
