"""The benchmark scripts run (at a toy size), so the README's speed claims stay reproducible."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_bench_impor_runs_both_scenarios() -> None:
    out = _run("bench_impor.py", "--baris", "30", "--mapan", "3", "--mapan", "0", "--ulang", "1")
    assert "ke buku berjalan (3 anggota)" in out and "ke buku baru" in out
    assert out.count("rasio impor/bean-check") == 2
    # The floor (parse-back + booking + validation of the added text) is timed into new books
    # only: its process asserts that the text parses and books without error.
    assert out.count("lantai (parse-back + booking + validasi saja)") == 1
    assert out.count("perintah berikutnya (simpanan setor)") == 2


def test_bench_setor_runs() -> None:
    out = _run("bench_setor.py", "--anggota", "3", "--tahun", "2", "--ulang", "1", "--semua")
    assert "rasio simpanan setor/bean-check" in out
    assert "| pinjaman angsur |" in out and "| simpanan setor --help |" in out


def test_bench_setor_build_only_reports_linearity() -> None:
    out = _run("bench_setor.py", "--bangun-saja", "--anggota", "2", "--tahun", "2")
    rows = [line for line in out.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert [row.split("|")[1].strip() for row in rows] == ["2", "4", "8"]
    assert "cpu s / 1 000 tx" in out and "tutup-buku s" in out
