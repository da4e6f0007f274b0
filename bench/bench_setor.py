"""Benchmark: `kkmp simpanan setor` on a ~20,000-transaction cooperative against `bean-check`.

Builds the cooperative with kkmp's own domain functions and writer (one session), then times,
in the same run and on the same ledger, alternating rounds of:
  - `kkmp simpanan setor` (a real recording: lock, load, validate, atomic write, cache refresh),
  - `bean-check --no-cache` (beancount's full check: parse, book, validate),
  - `bean-check` (default: may answer from the pickle cache that kkmp keeps current).
Prints medians and the ratios. Usage: python bench/bench_setor.py [--anggota 1000] [--ulang 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from common import timed

from kkmp_cli.core import coop, writer
from kkmp_cli.members import deposits
from kkmp_cli.members import register as members


def build(root: Path, n_members: int) -> int:
    paths = coop.init(root, "KKMP Benchmark", 2025)
    rng = random.Random(7)
    events = []
    for i in range(n_members):
        nak = f"A{i + 1:04d}"
        joined = dt.date(2025, 1, rng.randint(2, 28))
        events.append(
            (joined, 0, lambda b, k=nak, d=joined: members.add(b, f"Anggota {k}", d, nak=k))
        )
        events.append(
            (
                joined,
                1,
                lambda b, k=nak, d=joined: deposits.deposit(b, k, "pokok", Decimal(100_000), d),
            )
        )
        for month in range(1, 13):
            d = dt.date(2025, month, max(joined.day if month == 1 else 1, rng.randint(1, 28)))
            events.append(
                (d, 2, lambda b, k=nak, d=d: deposits.deposit(b, k, "wajib", Decimal(10_000), d))
            )
        for j in range(7):
            d = dt.date(2025, rng.randint(2, 12), rng.randint(1, 28))
            amount = Decimal(rng.randint(1, 50) * 10_000)
            events.append(
                (
                    d,
                    3,
                    lambda b, k=nak, d=d, a=amount, j_=j + 1: deposits.deposit(
                        b,
                        k,
                        "sukarela",
                        a,
                        d,
                        keterangan=f"setoran ke-{j_}",
                    ),
                )
            )
    events.sort(key=lambda e: (e[0], e[1]))
    count = 0
    with writer.session(paths) as s:
        for _, _, plan in events:
            planned = plan(s.book)
            s.stage(planned)
            count += sum(isinstance(e, data.Transaction) for e in planned)
        s.flush()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anggota", type=int, default=1000)
    parser.add_argument("--ulang", type=int, default=5)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    kkmp, bean_check = str(bin_dir / "kkmp"), str(bin_dir / "bean-check")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bench"
        t0 = time.perf_counter()
        count = build(root, args.anggota)
        print(
            f"Ledger: {count} transaksi, {args.anggota} anggota, dibangun dalam {time.perf_counter() - t0:.1f} s"
        )
        main_file = str(root / "buku.beancount")
        copy = Path(tmp) / "salinan"
        rec, full, cached = [], [], []
        for i in range(args.ulang):
            day = f"{10 + i:02d}-12-2025"
            cmd = [kkmp, "-k", str(root), "simpanan", "setor", "A0001", "sukarela", "10rb"]
            rec.append(timed([*cmd, "--tanggal", day, "--keterangan", f"bench {i}"]))
            # The same ledger, copied so that --no-cache (which deletes the cache) leaves kkmp's alone.
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(root, copy)
            full.append(timed([bean_check, "--no-cache", str(copy / "buku.beancount")]))
            cached.append(timed([bean_check, main_file]))
        m_rec, m_full, m_cached = (statistics.median(x) for x in (rec, full, cached))
        print(f"kkmp simpanan setor        median {m_rec:.3f} s")
        print(
            f"bean-check --no-cache      median {m_full:.3f} s   rasio setor/bean-check = {m_rec / m_full:.2f}x"
        )
        print(
            f"bean-check (cache pickle)  median {m_cached:.3f} s   rasio setor/bean-check = {m_rec / m_cached:.2f}x"
        )


if __name__ == "__main__":
    main()
