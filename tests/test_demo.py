"""The example cooperative: valid for bean-check and Fava, canonical, deterministic, committed."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

from conftest import Cli, DemoBuild, reload

from kkmp_cli import demo
from kkmp_cli.core import printer
from kkmp_cli.core.ledger import Paths

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kdmp-sukamaju"
COMMITTED = [
    "koperasi.yaml",
    ".gitignore",
    "buku.beancount",
    "akun.beancount",
    "jurnal/2025.beancount",
    "jurnal/2026.beancount",
    "rat.yaml",
]


def test_demo_reports_what_it_built(demo_build: DemoBuild) -> None:
    assert "100 terdaftar, 99 aktif, 1 keluar" in demo_build.output


def test_demo_passes_bean_check(demo_root: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "beancount.scripts.check", str(demo_root / "buku.beancount")],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    entries, errors = reload(demo_root)
    assert errors == [] and len(entries) > 1000


def test_demo_loads_in_fava_without_errors(demo_root: Path) -> None:
    from fava.core import FavaLedger

    fava = FavaLedger(str(demo_root / "buku.beancount"))
    assert fava.errors == []
    assert fava.options["title"] == demo.NAMA


def test_demo_is_canonical_and_clean(demo_root: Path) -> None:
    for path in demo_root.rglob("*.beancount"):
        text = path.read_text()
        assert printer.canonical(text) == text, path
    assert Cli(demo_root)("periksa").exit_code == 0


def test_examples_folder_is_current(demo_root: Path) -> None:
    for name in COMMITTED:
        assert filecmp.cmp(demo_root / name, EXAMPLE / name, shallow=False), (
            f"examples/{EXAMPLE.name}/{name} is stale: run `kkmp demo examples/{EXAMPLE.name} --ganti`"
        )


def test_demo_refuses_existing_folder_without_ganti(demo_root: Path) -> None:
    r = Cli(demo_root)("demo", str(demo_root), koperasi=False)
    assert r.exit_code == 1 and "--ganti" in r.output


def test_demo_statistics(demo_root: Path) -> None:
    import json

    run = Cli(demo_root)
    recap = json.loads(run("simpanan", "rekap", "--per", "31-12-2025", "-f", "json").output)
    assert recap["cocok"] is True
    assert recap["anggota_aktif"] == 99
    late = json.loads(run("simpanan", "tunggakan", "--per", "31-12-2025", "-f", "json").output)
    assert late["total_tunggakan"] > 0
    reg = json.loads(run("anggota", "daftar", "-f", "json").output)["anggota"]
    assert len(reg) == 100 and sum(m["status"] == "keluar" for m in reg) == 1
    assert Paths(demo_root).year_file(2025).exists()
