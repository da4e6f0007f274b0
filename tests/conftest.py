"""Shared fixtures: a fresh cooperative, inline ledgers, and the real CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from textwrap import dedent

import pytest
from beancount import loader
from filelock import FileLock
from typer.testing import CliRunner

# Rich reads the width once, when the CLI's consoles are made at import: a wide one, so output
# checks never depend on where a line wraps (in a terminal, in CI or in an xdist worker).
os.environ["COLUMNS"] = "200"

from kkmp_cli import dates  # noqa: E402
from kkmp_cli.cli import app  # noqa: E402
from kkmp_cli.core import coop, ledger, printer
from kkmp_cli.core.ledger import Paths


@pytest.fixture
def coop_dir(tmp_path: Path) -> Path:
    """An empty cooperative (book year 2025) with no members yet."""
    root = tmp_path / "ledgers" / "uji"
    coop.init(root, "KKMP Uji Coba", 2025)
    return root


@pytest.fixture
def ledger_from_text(coop_dir: Path) -> Callable[[str], ledger.Book]:
    """Write journal text (dedented) into the 2025 file of a fresh cooperative and load it."""

    def make(text: str) -> ledger.Book:
        paths = Paths(coop_dir)
        header = "\n".join(printer.file_header("Jurnal uji")) + "\n"
        paths.year_file(2025).write_text(header + dedent(text).lstrip("\n"), encoding="utf-8")
        return ledger.load(paths)

    return make


class Cli:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.runner = CliRunner()

    def __call__(self, *args: str, koperasi: bool = True):
        argv = (["-k", str(self.root)] if koperasi else []) + list(args)
        return self.runner.invoke(
            app, argv, env={"COLUMNS": "200", "KKMP_KOPERASI": "", "KKMP_PETUGAS": ""}
        )


@pytest.fixture
def cli(coop_dir: Path) -> Cli:
    return Cli(coop_dir)


def copy_of(base: Path, tmp_path: Path) -> Cli:
    """The CLI on this test's own copy of a cooperative a module fixture built once."""
    root = tmp_path / "kop"
    shutil.copytree(base, root)
    return Cli(root)


@pytest.fixture
def kdmp(cli: Cli) -> Cli:
    """The issue's base: A0001/A0002 with pokok 100.000 and sukarela 10jt on 02-01-2025, and
    PJ-2025-0001: 1.200.000 flat, 12 months, jasa 1% (instalment 112.000) on 01-02-2025."""
    for name in ("Ani", "Budi"):
        assert cli("anggota", "tambah", name, "--tanggal", "02-01-2025").exit_code == 0
    for nak in ("A0001", "A0002"):
        for kind, amount in (("pokok", "100.000"), ("sukarela", "10jt")):
            r = cli("simpanan", "setor", nak, kind, amount, "--tanggal", "02-01-2025")
            assert r.exit_code == 0, r.output
    r = cli(
        "pinjaman",
        "cair",
        "A0001",
        "1.200.000",
        "--tenor",
        "12",
        "--jasa",
        "1",
        "--metode",
        "flat",
        "--tanggal",
        "01-02-2025",
    )
    assert r.exit_code == 0, r.output
    return cli


def with_accruing_loan(cli: Cli) -> Cli:
    """The `accruing` cooperative on a fresh one."""
    cfg = cli.root / "koperasi.yaml"
    cfg.write_text(cfg.read_text().replace("pengakuan_jasa: kas ", "pengakuan_jasa: akrual "))
    run(
        cli,
        "anggota|tambah|Ani|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|sukarela|2jt|--tanggal|02-01-2025",
        "kas|masuk|hibah|10jt|--keterangan|Modal USP|--tanggal|02-01-2025",
        "pinjaman|cair|A0001|6jt|--tenor|12|--jasa|2|--tanggal|02-01-2025",
    )
    return cli


@pytest.fixture
def accruing(cli: Cli, request: pytest.FixtureRequest) -> Iterator[Cli]:
    """6.000.000 over 12 months at 2 % flat (jasa 120.000 a month) from 02-01-2025, akrual.
    Whatever the test then records, each loan's receivable is, at the end of every day, what
    accruing and paying in date order gives (periksa's replay, #13), unless the test writes
    wrong lines by hand (`hand_made`)."""
    yield with_accruing_loan(cli)
    if request.node.get_closest_marker("hand_made") is None:
        from kkmp_cli.loans import accrual

        assert accrual.departures(ledger.load(Paths(cli.root), fresh=True)) == []


def snapshot(root: Path) -> dict[str, str]:
    """Digest of every ledger and config file, to prove a refused command changed nothing."""
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and (p.suffix in (".beancount", ".yaml") or p.name == ".gitignore")
    )
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def run(cli: Cli, *commands: str) -> None:
    """Each command (kkmp's words joined by `|`) must succeed."""
    for command in commands:
        r = cli(*command.split("|"))
        assert r.exit_code == 0, (command, r.output)


def ok(cli: Cli, *args: str) -> str:
    """Run a command that must succeed; its output."""
    r = cli(*args)
    assert r.exit_code == 0, (args, r.output)
    return r.output


def refused(cli: Cli, *args: str, says: str = "") -> str:
    """Run a command that must fail with one `Galat:` sentence (containing `says`) and change
    nothing; its output with white space folded (rich wraps long lines)."""
    before = snapshot(cli.root)
    r = cli(*args)
    assert r.exit_code == 1, r.output
    assert r.output.lstrip().startswith("Galat: ") and "Traceback" not in r.output, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert snapshot(cli.root) == before
    folded = " ".join(r.output.split())
    assert says in r.output or says in folded, (says, r.output)
    return folded


def periksa_finds(cli: Cli) -> str:
    """Run `periksa`, which must report findings; its output with white space folded."""
    r = cli("periksa")
    assert r.exit_code != 0, r.output
    return " ".join(r.output.split())


def set_setting(root: Path, section: str, key: str, value: str) -> None:
    """Set one key of a koperasi.yaml section (added to it, or the section to the file, when
    missing)."""
    path = root / "koperasi.yaml"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    if f"{section}:" not in lines:
        lines.append(f"{section}:")
    start = lines.index(f"{section}:") + 1
    end = next(
        (i for i in range(start, len(lines)) if lines[i][:1] not in ("", " ", "#")), len(lines)
    )
    found = [i for i in range(start, end) if lines[i].startswith(f"  {key}:")]
    if not found:
        found = [start]
        lines.insert(start, "")
    lines[found[0]] = f"  {key}: {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def set_simpanan(root: Path, key: str, value: str) -> None:
    """Set one key of koperasi.yaml's simpanan section (added to it when missing)."""
    set_setting(root, "simpanan", key, value)


def today_is(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """kkmp's today (`dates.today`) fixed for a test whose dates must not depend on the day
    it runs: the limit on dates typed ahead (`loket.maju_hari_maks`) counts from it."""
    monkeypatch.setattr(dates, "today", lambda: dates.Today(day.year, day.month, day.day))


def reload(root: Path):
    """Load the journal with beancount itself (no cache) and return entries and errors."""
    paths = Paths(root)
    paths.cache().unlink(missing_ok=True)
    entries, errors, options = loader.load_file(str(paths.main))
    return entries, errors


def latihan_shu() -> Decimal:
    """The SHU 2025 the workshop's exercises end with (the last exercise's `shu`), as its file
    states it: the tests check that the key, the closing entry and the reports agree with it."""
    from kkmp_cli.workshop import exercises

    last = exercises.load(None).daftar[-1]
    return next(e.nilai for e in last.harapan if e.ukuran == "shu")


def transactions(root: Path):
    from beancount.core import data

    entries, errors = reload(root)
    assert errors == []
    return [e for e in entries if isinstance(e, data.Transaction)]


@dataclass(frozen=True)
class DemoBuild:
    root: Path
    output: str


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    """`kkmp demo`, run once per test run: the slowest fixture, shared by every module and, under
    pytest-xdist, by every worker of the same run (the first builds it under a lock)."""
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run_id is None:
        return _build_demo(tmp_path_factory.mktemp("demo") / "contoh")
    shared = tmp_path_factory.getbasetemp().parent / f"demo-{run_id}"
    shared.mkdir(exist_ok=True)
    with FileLock(str(shared / "bangun.lock")):
        said = shared / "keluaran.txt"
        if said.exists():
            return DemoBuild(shared / "contoh", said.read_text(encoding="utf-8"))
        build = _build_demo(shared / "contoh")
        said.write_text(build.output, encoding="utf-8")
        return build


def _build_demo(root: Path) -> DemoBuild:
    r = Cli(root)("demo", str(root), koperasi=False)
    assert r.exit_code == 0, r.output
    return DemoBuild(root, r.output)


@pytest.fixture
def demo_root(demo_build: DemoBuild) -> Iterator[Path]:
    """The shared demo cooperative, for tests that only read it: one that writes to its books
    fails here (it must take `demo_copy`)."""
    before = snapshot(demo_build.root)
    yield demo_build.root
    assert snapshot(demo_build.root) == before, "a test wrote to the shared demo: use demo_copy"


@pytest.fixture
def demo_copy(demo_build: DemoBuild, tmp_path: Path) -> Path:
    """A private copy of the demo cooperative in this test's tmp_path, free to write to."""
    root = tmp_path / "salinan"
    shutil.copytree(demo_build.root, root)
    return root


# --- the cache tests (#16): books with a closed year, compared on the cache and without ---


def coop_with_stock_and_a_loan(root: Path, nama: str, *, stock: str = "40") -> Cli:
    """Two members with pokok and 10jt sukarela, an item bought into stock and a flat loan to
    A0001, all early in 2025: what the cache tests build on and then close."""
    coop.init(root, nama, 2025)
    cli = Cli(root)
    for name in ("Ani", "Budi"):
        ok(cli, "anggota", "tambah", name, "--tanggal", "02-01-2025")
    for nak in ("A0001", "A0002"):
        ok(cli, "simpanan", "setor", nak, "pokok", "100.000", "--tanggal", "02-01-2025")
        ok(cli, "simpanan", "setor", nak, "sukarela", "10jt", "--tanggal", "02-01-2025")
    ok(cli, "gerai", "barang", "tambah", "BERAS-5KG", "--nama", "Beras", "--satuan", "karung",
       "--harga-jual", "65.000", "--tanggal", "03-01-2025")  # fmt: skip
    ok(cli, "gerai", "beli", "BERAS-5KG", stock, "--harga", "60.000", "--pemasok", "Grosir",
       "--tanggal", "03-01-2025")  # fmt: skip
    ok(cli, "pinjaman", "cair", "A0001", "1.200.000", "--tenor", "12", "--jasa", "1",
       "--metode", "flat", "--tanggal", "01-02-2025")  # fmt: skip
    return cli


def close_2025(cli: Cli) -> None:
    ok(cli, "tutup-buku", "2025", "--abaikan", "opname", "--abaikan", "penyisihan",
       "--abaikan", "rekonsiliasi-bank", "--alasan", "uji")  # fmt: skip


def journal_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.beancount"))}


def drop_caches(root: Path) -> None:
    for f in root.glob(".*picklecache"):
        f.unlink()


def same_on_cache_and_without(fast: Path, full: Path, args: list[str]) -> None:
    """Run one command on two copies of the same books — `fast` on its cache, `full` with its
    cache thrown away first (a full parse): the same exit code, output and journal bytes."""
    drop_caches(full)
    said = [Cli(folder)(*args) for folder in (fast, full)]
    assert said[0].exit_code == said[1].exit_code, (args, said[0].output, said[1].output)
    assert said[0].output == said[1].output, args
    assert journal_bytes(fast) == journal_bytes(full), args
