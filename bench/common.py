"""Shared by the benchmark scripts: run a command and measure it (wall-clock and CPU time, peak
memory), stopping on failure."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the command itself
    peak_mib: float  # its peak resident memory


def run(cmd: list[str]) -> Run:
    """Run `cmd` and measure it; a failure stops the benchmark with the command's output.

    The command is started by a small helper (this file run as a script): a process started
    straight from the benchmark would count the benchmark's own peak memory (the ledger it
    built) as its own, since Linux carries it over through fork and exec."""
    with tempfile.TemporaryFile() as out:
        done = subprocess.run(
            [sys.executable, __file__, *cmd], stdout=subprocess.PIPE, stderr=out, check=False
        )
        if done.returncode != 0:
            out.seek(0)
            raise SystemExit(f"{' '.join(cmd)} gagal:\n{out.read().decode()}")
    wall, cpu, peak = (float(x) for x in done.stdout.split())
    return Run(wall, cpu, peak)


def _measure(cmd: list[str]) -> None:
    """The helper: run `cmd` (its output to stderr), print wall, CPU and peak MiB."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.dup2(2, 1)
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
    raise SystemExit(os.waitstatus_to_exitcode(status))


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


if __name__ == "__main__":
    _measure(sys.argv[1:])
