"""Any sequence of kkmp operations, valid or refused, leaves books that beancount accepts."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from conftest import reload, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kkmp_cli import audit, coop, deposits, exits, members, writer
from kkmp_cli.errors import KkmpError
from kkmp_cli.ledger import Paths

dates = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2025, 12, 31))
amounts = st.integers(min_value=1, max_value=5_000_000).map(Decimal)
names = st.text(min_size=1, max_size=30)

ops = st.one_of(
    st.tuples(st.just("tambah"), names, dates),
    st.tuples(st.just("setor"), st.integers(1, 3), st.sampled_from(deposits.KINDS), amounts, dates),
    st.tuples(
        st.just("setor"), st.integers(1, 2), st.sampled_from(["wajib", "sukarela"]), amounts, dates
    ),
    st.tuples(st.just("tarik"), st.integers(1, 3), amounts, dates),
    st.tuples(st.just("keluar"), st.integers(1, 3), dates),
)


def _plan(op: tuple):
    kind = op[0]
    if kind == "tambah":
        return lambda b: members.add(b, op[1], op[2])
    nak = f"A{op[1]:04d}"
    if kind == "setor":
        return lambda b: deposits.deposit(b, nak, op[2], op[3], op[4])
    if kind == "tarik":
        return lambda b: deposits.withdraw(b, nak, op[2], op[3])
    return lambda b: exits.leave(b, nak, op[2], alasan="uji")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ops, min_size=1, max_size=12))
def test_any_sequence_keeps_the_books_valid(sequence: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "k"
        paths = coop.init(root, "Uji Properti", 2025)
        # Two members from the start, so random operations mostly find someone to act on.
        for nak in ("A0001", "A0002"):
            writer.record(
                paths, lambda b, n=nak: members.add(b, f"Anggota {n}", dt.date(2025, 1, 2))
            )
        for op in sequence:
            before = snapshot(root)
            try:
                writer.record(paths, _plan(op))
            except KkmpError:
                assert snapshot(root) == before, op
        entries, errors = reload(root)
        assert errors == []
        assert audit.check(Paths(root)) == []
