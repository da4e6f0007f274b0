"""Shared fixtures: a fresh cooperative, inline ledgers, and the real CLI."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest
from beancount import loader
from typer.testing import CliRunner

from kkmp_cli import coop, ledger, writer
from kkmp_cli.cli import app
from kkmp_cli.ledger import Paths


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
        header = "\n".join(writer.file_header("Jurnal uji")) + "\n"
        paths.year_file(2025).write_text(header + dedent(text).lstrip("\n"), encoding="utf-8")
        return ledger.load(paths)

    return make


class Cli:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.runner = CliRunner()

    def __call__(self, *args: str, koperasi: bool = True):
        argv = (["-k", str(self.root)] if koperasi else []) + list(args)
        return self.runner.invoke(app, argv, env={"COLUMNS": "200", "KKMP_KOPERASI": ""})


@pytest.fixture
def cli(coop_dir: Path) -> Cli:
    return Cli(coop_dir)


def snapshot(root: Path) -> dict[str, str]:
    """Digest of every ledger and config file, to prove a refused command changed nothing."""
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and (p.suffix in (".beancount", ".yaml") or p.name == ".gitignore")
    )
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def reload(root: Path):
    """Load the journal with beancount itself (no cache) and return entries and errors."""
    paths = Paths(root)
    paths.cache().unlink(missing_ok=True)
    entries, errors, options = loader.load_file(str(paths.main))
    return entries, errors


def transactions(root: Path):
    from beancount.core import data

    entries, errors = reload(root)
    assert errors == []
    return [e for e in entries if isinstance(e, data.Transaction)]
