"""kkmp's cache of the parsed ledger is keyed by the files' content (#17.4): a copied folder, a
journal put back with the same size and file time, or a foreign cache is never trusted."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path
from typing import IO

import pytest
from conftest import Cli, transactions

from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Paths


def _setup(cli: Cli) -> None:
    for args in (
        ("anggota", "tambah", "Siti", "--tanggal", "02-01-2025"),
        ("simpanan", "setor", "A0001", "sukarela", "100rb", "--tanggal", "03-01-2025"),
    ):
        r = cli(*args)
        assert r.exit_code == 0, r.output


def _deposit_500(cli: Cli) -> None:
    r = cli("simpanan", "setor", "A0001", "sukarela", "500rb", "--tanggal", "04-01-2025")
    assert r.exit_code == 0, r.output


def test_copied_folder_with_an_older_journal_uses_its_own_files(cli: Cli, tmp_path: Path) -> None:
    _setup(cli)
    year = Paths(cli.root).year_file(2025)
    older = year.read_text()
    _deposit_500(cli)
    assert (cli.root / ledger.CACHE_FILE).exists()
    # cp -a, then `git checkout` of the older journal in the copy.
    copy = tmp_path / "salinan"
    shutil.copytree(cli.root, copy, symlinks=True)
    (copy / "jurnal" / "2025.beancount").write_text(older)
    r = Cli(copy)("simpanan", "tarik", "A0001", "300rb", "--tanggal", "05-01-2025")
    assert r.exit_code == 1
    assert r.output.startswith("Galat: ") and "100.000" in r.output, r.output
    assert len(transactions(copy)) == 1
    # The original still reads its own (cached) balance.
    book = ledger.load(Paths(cli.root))
    assert book.balance("Kewajiban:Simpanan-Sukarela:A0001") == -600_000


def test_copied_folder_reads_the_cache_with_its_own_file_names(cli: Cli, tmp_path: Path) -> None:
    _setup(cli)
    _deposit_500(cli)
    copy = tmp_path / "salinan"
    shutil.copytree(cli.root, copy, symlinks=True)
    book = ledger.load(Paths(copy))
    names = {e.meta["filename"] for e in book.entries}
    assert names and all(n.startswith(str(copy) + os.sep) for n in names), names
    assert all(f.startswith(str(copy) + os.sep) for f in book.options["include"])
    r = Cli(copy)("simpanan", "setor", "A0001", "sukarela", "1rb", "--tanggal", "06-01-2025")
    assert r.exit_code == 0, r.output
    assert len(transactions(copy)) == 3 and len(transactions(cli.root)) == 2


def test_same_size_and_time_but_other_content_is_not_trusted(cli: Cli) -> None:
    _setup(cli)
    _deposit_500(cli)
    year = Paths(cli.root).year_file(2025)
    text = year.read_text()
    st = year.stat()
    # Another amount of the same width, written back with the old file time.
    year.write_text(text.replace("500000 IDR", "900000 IDR").replace("-500000 IDR", "-900000 IDR"))
    os.utime(year, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert year.stat().st_size == st.st_size
    book = ledger.load(Paths(cli.root))
    assert book.balance("Kewajiban:Simpanan-Sukarela:A0001") == -1_000_000


def test_damaged_or_foreign_cache_is_ignored(cli: Cli) -> None:
    _setup(cli)
    cache = cli.root / ledger.CACHE_FILE
    for junk in (b"", b"not a pickle", cache.read_bytes()[:50]):
        cache.write_bytes(junk)
        book = ledger.load(Paths(cli.root))
        assert book.balance("Kewajiban:Simpanan-Sukarela:A0001") == -100_000


def test_cache_is_used_when_content_matches(cli: Cli, monkeypatch) -> None:
    _setup(cli)
    _deposit_500(cli)
    # A fresh load must not be needed: fail loudly if kkmp parses the text.
    monkeypatch.setattr(ledger, "_parse", lambda main: (_ for _ in ()).throw(AssertionError))
    book = ledger.load(Paths(cli.root))
    assert book.balance("Kewajiban:Simpanan-Sukarela:A0001") == -600_000


def test_a_file_a_glob_include_comes_to_match_is_never_missed(cli: Cli) -> None:
    """An `include` with a pattern (`jurnal/*.beancount`): a journal that comes to match it (a
    second laptop's, a backup put back) changes no file the cache lists, so the books are
    cached by nobody — neither kkmp's cache nor beancount's for Fava (found by trying, #16)."""
    _setup(cli)
    main = Paths(cli.root).main
    text = main.read_text()
    assert 'include "jurnal/2025.beancount"' in text
    main.write_text(text.replace('include "jurnal/2025.beancount"', 'include "jurnal/*.beancount"'))
    _deposit_500(cli)  # a writer runs on the globbed books
    assert not (cli.root / ledger.CACHE_FILE).exists()
    assert not Paths(cli.root).cache().exists()
    options = "".join(
        line
        for line in Paths(cli.root).year_file(2025).read_text().splitlines(True)
        if line.startswith("option")
    )
    (cli.root / "jurnal" / "2025-laptop2.beancount").write_text(
        options
        + '\n2025-01-05 * "Siti" "Penarikan simpanan sukarela"\n'
        + '  id: "BKK-2025-900001"\n'
        + "  Kewajiban:Simpanan-Sukarela:A0001   600000 IDR\n"
        + "  Aset:Kas                           -600000 IDR\n"
    )
    assert ledger.load(Paths(cli.root)).balance("Kewajiban:Simpanan-Sukarela:A0001") == 0
    r = cli("simpanan", "tarik", "A0001", "600rb", "--tanggal", "06-01-2025")
    assert r.exit_code == 1 and "Galat: " in r.output, r.output
    r = cli("periksa")
    assert "cache kkmp" not in r.output, r.output


def test_a_cache_part_that_fails_while_written_leaves_no_temporary_file(tmp_path: Path) -> None:
    """The settled entries are pickled straight into the cache file (#16): a pickle that fails
    half-way raises as before, and leaves no temporary file beside the cache."""

    def broken(fh: IO[bytes]) -> None:
        fh.write(b"half")
        raise pickle.PicklingError("cannot")

    target = tmp_path / ".kkmp.picklecache"
    with pytest.raises(pickle.PicklingError):
        ledger.write_bytes(target, b"head\n", broken)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert ledger.write_bytes(target, b"head\n", lambda fh: fh.write(b"body"))
    assert target.read_bytes() == b"head\nbody"


def test_a_summary_folded_without_movements_is_the_same_summary(demo_root: Path) -> None:
    """The cache's summaries are folded without the movements and the entries by date that
    `summarised` drops (#16): the same summary, byte for byte, as a full fold made into one."""
    entries = ledger.load(Paths(demo_root), fresh=True).entries
    assert len(entries) > 100
    full = ledger._Views()
    full.fold(entries)
    assert full.postings and full.by_date
    lean = ledger._Views()
    lean.fold(entries, summary=True)
    assert not lean.postings and not lean.by_date
    assert lean.balances == full.balances
    assert pickle.dumps(lean.summarised()) == pickle.dumps(full.summarised())
