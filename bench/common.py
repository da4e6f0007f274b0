"""Shared by the benchmark scripts: run a command and time it, stopping on failure."""

from __future__ import annotations

import subprocess
import time


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} gagal:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - start
