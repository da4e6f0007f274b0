"""Shared by the benchmark scripts: run a command and measure it (wall-clock and CPU time, peak
memory), stopping on failure."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the command itself
    peak_mib: float  # its peak resident memory


def run(cmd: list[str]) -> Run:
    """Run `cmd` and measure it; a failure stops the benchmark with the command's output."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            raise SystemExit(f"{' '.join(cmd)} gagal:\n{out.read().decode()}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def timed(cmd: list[str]) -> float:
    """Wall-clock seconds of `cmd`."""
    return run(cmd).wall


def median(runs: list[Run]) -> Run:
    """Median wall and CPU time; the highest peak memory."""
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_mib for r in runs),
    )
