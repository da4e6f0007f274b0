"""Any sequence of kkmp operations, valid or refused, leaves books that beancount accepts."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from conftest import Cli, reload, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kkmp_cli import app
from kkmp_cli.closing import audit
from kkmp_cli.core import coop
from kkmp_cli.core.ledger import Paths
from kkmp_cli.errors import KkmpError
from kkmp_cli.members import deposits, exits
from kkmp_cli.members import register as members

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
            app.record(paths, lambda b, n=nak: members.add(b, f"Anggota {n}", dt.date(2025, 1, 2)))
        for op in sequence:
            before = snapshot(root)
            try:
                app.record(paths, _plan(op))
            except KkmpError:
                assert snapshot(root) == before, op
        entries, errors = reload(root)
        assert errors == []
        assert audit.check(Paths(root)) == []


# --- every writing command, random (back-)dates: periksa clean after each, or nothing changed ---

when = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 3, 31)).map(
    lambda d: d.strftime("%d-%m-%Y")
)
rupiah = st.integers(min_value=1, max_value=3_000).map(lambda k: f"{k * 1000}")
nak = st.sampled_from(["A0001", "A0002", "A0003"])
loan = st.integers(1, 3).map(lambda k: f"PJ-2025-{k:04d}")
doc = st.tuples(st.sampled_from(["BKM", "BKK", "BBM", "BBK", "BM"]), st.integers(1, 8)).map(
    lambda t: f"{t[0]}-2025-{t[1]:06d}"
)

commands = st.one_of(
    st.tuples(st.just("simpanan setor"), nak, st.sampled_from(deposits.KINDS), rupiah, when),
    st.tuples(st.just("simpanan tarik"), nak, rupiah, when),
    st.tuples(st.just("anggota keluar"), nak, when, st.sampled_from(["", "--kompensasi"])),
    st.tuples(st.just("kas keluar listrik"), rupiah, when, st.sampled_from(["kas", "bank"])),
    st.tuples(st.just("kas masuk hibah"), rupiah, when, st.sampled_from(["kas", "bank"])),
    st.tuples(st.just("kas pindah"), st.sampled_from(["kas bank", "bank kas"]), rupiah, when),
    st.tuples(st.just("pinjaman cair"), nak, rupiah, when),
    st.tuples(st.just("pinjaman angsur"), loan, rupiah, when),
    st.tuples(st.just("pinjaman lunasi"), loan, when),
    st.tuples(st.just("gerai beli"), st.integers(1, 20), when),
    st.tuples(st.just("gerai jual"), st.integers(1, 20), when, st.sampled_from(["", "A0001"])),
    st.tuples(st.just("koreksi"), doc, when),
    st.tuples(st.just("tutup-buku 2025")),
    st.tuples(st.just("shu bagikan"), st.sampled_from(["utang", "sukarela"])),
    st.tuples(st.just("shu bayar"), nak, when),
)


def _argv(command: tuple) -> list[str]:
    name, *rest = command
    argv = name.split()
    if name == "simpanan setor":
        who, kind, amount, date = rest
        return [*argv, who, kind, amount, "--tanggal", date]
    if name == "simpanan tarik":
        who, amount, date = rest
        return [*argv, who, amount, "--tanggal", date]
    if name == "anggota keluar":
        who, date, flag = rest
        return [*argv, who, "--tanggal", date, "--alasan", "uji", *([flag] if flag else [])]
    if name.startswith("kas keluar") or name.startswith("kas masuk"):
        amount, date, via = rest
        return [*argv, amount, "--keterangan", "uji", "--via", via, "--tanggal", date]
    if name == "kas pindah":
        pair, amount, date = rest
        return [*argv, *pair.split(), amount, "--tanggal", date]
    if name == "pinjaman cair":
        who, amount, date = rest
        return [*argv, who, amount, "--tenor", "6", "--jasa", "1", "--tanggal", date]
    if name == "pinjaman angsur":
        loan_id, amount, date = rest
        return [*argv, loan_id, amount, "--tanggal", date]
    if name == "pinjaman lunasi":
        loan_id, date = rest
        return [*argv, loan_id, "--tanggal", date]
    if name == "gerai beli":
        qty, date = rest
        return [
            *argv,
            "GULA",
            str(qty),
            "--harga",
            "10.000",
            "--pemasok",
            "Toko",
            "--tanggal",
            date,
        ]
    if name == "gerai jual":
        qty, date, buyer = rest
        return [
            *argv,
            "GULA",
            str(qty),
            "--tanggal",
            date,
            *(["--anggota", buyer] if buyer else []),
        ]
    if name == "koreksi":
        document, date = rest
        return [*argv, document, "--alasan", "uji", "--tanggal", date]
    if name == "shu bagikan":
        return [*argv, "2025", "--tanggal", "15-03-2026", "--ke", rest[0]]
    if name == "shu bayar":
        who, date = rest
        return [*argv, who, "--tanggal", date]
    return argv


@settings(
    max_examples=int(os.environ.get("KKMP_PROPERTY_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(commands, min_size=1, max_size=10))
def test_any_command_sequence_is_refused_or_leaves_clean_books(sequence: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "k"
        coop.init(root, "Uji Properti", 2025)
        cli = Cli(root)
        for setup in (
            "kas masuk hibah 20jt --keterangan Modal --tanggal 02-01-2025",
            "anggota tambah Satu --tanggal 02-01-2025",
            "anggota tambah Dua --tanggal 02-01-2025",
            "simpanan setor A0001 pokok 100rb --tanggal 02-01-2025",
            "simpanan setor A0002 sukarela 2jt --tanggal 02-01-2025",
            "gerai barang tambah GULA --nama Gula --satuan kg --harga-jual 12.000 --tanggal 02-01-2025",
        ):
            assert cli(*setup.split()).exit_code == 0, setup
        for command in sequence:
            argv = _argv(command)
            before = snapshot(root)
            r = cli(*argv)
            assert r.exception is None or isinstance(r.exception, SystemExit), (argv, r.output)
            if r.exit_code == 0:
                found = audit.check(Paths(root))
                assert found == [], (argv, [str(f) for f in found])
            else:
                assert "Galat:" in r.output, (argv, r.output)
                assert snapshot(root) == before, argv
