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
import compileall
import datetime as dt
import random
import re
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from common import Run, median, run

import kkmp_cli
from kkmp_cli.app import closing
from kkmp_cli.core import config, coop, writer
from kkmp_cli.core.ledger import Paths
from kkmp_cli.errors import TahunBukuBaru
from kkmp_cli.members import deposits
from kkmp_cli.members import register as members

FIRST_YEAR = 2025
# Its books start one year after another on purpose: the writer need not say so each time.
warnings.simplefilter("ignore", TahunBukuBaru)


def _year_events(rng: random.Random, n_members: int, year: int, first: bool) -> list[Any]:
    """One book year of simpanan: joins and pokok in the first year, then every year twelve
    wajib and seven sukarela deposits per member (events sorted by date: pure appends)."""
    events: list[Any] = []
    for i in range(n_members):
        nak = f"A{i + 1:04d}"
        joined = dt.date(year, 1, rng.randint(2, 28)) if first else dt.date(year, 1, 1)
        if first:
            events.append(
                (
                    joined,
                    0,
                    lambda b, k=nak, d=joined: members.add(b, f"Anggota {k}", d, nak=k),
                    nak,
                    True,
                )
            )
            events.append(
                (
                    joined,
                    1,
                    lambda b, k=nak, d=joined: deposits.deposit(b, k, "pokok", Decimal(100_000), d),
                    nak,
                    False,
                )
            )
        for month in range(1, 13):
            low = joined.day if month == 1 and first else 2
            d = dt.date(year, month, max(low, rng.randint(2, 28)))
            events.append(
                (
                    d,
                    2,
                    lambda b, k=nak, d=d: deposits.deposit(b, k, "wajib", Decimal(10_000), d),
                    nak,
                    False,
                )
            )
        for j in range(7):
            d = dt.date(year, rng.randint(2, 12), rng.randint(2, 28))
            amount = Decimal(rng.randint(1, 50) * 10_000)
            events.append(
                (
                    d,
                    3,
                    lambda b, k=nak, d=d, a=amount, j_=j + 1: deposits.deposit(
                        b, k, "sukarela", a, d, keterangan=f"setoran ke-{j_}"
                    ),
                    nak,
                    False,
                )
            )
    events.sort(key=lambda e: (e[0], e[1]))
    return events


def found(root: Path, nama: str) -> Paths:
    """A benchmark cooperative from FIRST_YEAR: its books run years ahead of today on purpose
    (`--tahun 5` reaches 2029), so its koperasi.yaml sets no limit on dates ahead."""
    text = config.render_new(nama, FIRST_YEAR)
    text, n = re.subn(r"(?m)^(  maju_hari_maks:) *\d+", r"\1 0", text)
    assert n == 1, "koperasi.yaml has no loket.maju_hari_maks to turn off"
    return coop.init(root, nama, FIRST_YEAR, config_text=text)


def build(
    root: Path, n_members: int, years: int = 1, timing: dict[str, float] | None = None
) -> int:
    """The benchmark cooperative: `years` book years of simpanan, every year but the last
    closed with `tutup-buku` (so the last one is the open year). Returns the transactions.

    Each year is planned against the session's Book in batches and staged a batch at a time
    (one parse-back and one booking per batch, as an import does); a batch is staged early
    only when an event needs a member the batch itself adds. `timing`, if given, gets the CPU
    seconds spent recording ("catat") and closing ("tutup")."""
    paths = found(root, "KKMP Benchmark")
    rng = random.Random(7)
    count = 0
    spent = timing if timing is not None else {}
    for n in range(years):
        year = FIRST_YEAR + n
        c0 = time.process_time()
        with writer.session(paths) as s:
            pending: list[data.Directive] = []
            adding: set[str] = set()
            for _, _, plan, nak, joins in _year_events(rng, n_members, year, n == 0):
                if len(pending) >= BUILD_BATCH or (not joins and nak in adding):
                    count += _stage(s, pending)
                    pending, adding = [], set()
                if joins:
                    adding.add(nak)
                pending += plan(s.book)
            count += _stage(s, pending)
            s.flush()
        spent["catat"] = spent.get("catat", 0.0) + time.process_time() - c0
        if n < years - 1:
            c0 = time.process_time()
            _, closed = closing.close_year(paths, year, today=dt.date(year + 1, 1, 2))
            count += sum(isinstance(e, data.Transaction) for e in closed)
            spent["tutup"] = spent.get("tutup", 0.0) + time.process_time() - c0
    return count


BUILD_BATCH = 2000  # planned entries staged at once


def _stage(s: writer.Session, planned: list[data.Directive]) -> int:
    if not planned:
        return 0
    s.stage(planned)
    return sum(isinstance(e, data.Transaction) for e in planned)


def prepare(root: Path, kkmp: str) -> str:
    """What the other timed commands need, recorded once after the last entry (untimed): an
    item in stock and a loan. Returns the day the timed commands use."""
    last = max(
        dt.date.fromisoformat(line[:10])
        for f in (root / "jurnal").glob("*.beancount")
        for line in f.read_text(encoding="utf-8").splitlines()
        if line[:4].isdigit()
    )
    setup, day = last + dt.timedelta(days=1), last + dt.timedelta(days=2)
    k, on = [kkmp, "-k", str(root)], ["--tanggal", setup.strftime("%d-%m-%Y")]
    run(
        [
            *k,
            "gerai",
            "barang",
            "tambah",
            "BERAS-5KG",
            "--nama",
            "Beras 5 kg",
            "--satuan",
            "karung",
            "--harga-jual",
            "65.000",
            *on,
        ]
    )
    run(
        [
            *k,
            "gerai",
            "beli",
            "BERAS-5KG",
            "500",
            "--harga",
            "60.000",
            "--pemasok",
            "Grosir",
            "--kredit",
            *on,
        ]
    )
    run([*k, "gerai", "jual", "BERAS-5KG", "100", *on])  # a surplus, so there is an SHU
    run([*k, "pinjaman", "cair", "A0001", "500rb", "--tenor", "10", "--jasa", "2", *on])
    return day.strftime("%d-%m-%Y")


def _loan_id(root: Path) -> str:
    text = "".join(f.read_text(encoding="utf-8") for f in (root / "jurnal").glob("*.beancount"))
    return sorted(set(re.findall(r"PJ-\d{4}-\d{4}", text)))[-1]


COMMANDS: dict[str, Callable[[str, int, str], list[str]]] = {
    "simpanan setor": lambda day, i, loan: [
        "simpanan",
        "setor",
        "A0001",
        "sukarela",
        "10rb",
        "--tanggal",
        day,
        "--keterangan",
        f"bench {i}",
    ],
    "gerai jual": lambda day, i, loan: ["gerai", "jual", "BERAS-5KG", "1", "--tanggal", day],
    "pinjaman angsur": lambda day, i, loan: [
        "pinjaman",
        "angsur",
        loan,
        f"{1000 + i}",
        "--tanggal",
        day,
    ],
    "kas keluar": lambda day, i, loan: [
        "kas",
        "keluar",
        "Listrik",
        f"{25_000 + i}",
        "--keterangan",
        f"Token {i}",
        "--tanggal",
        day,
    ],
    "laporan neraca": lambda day, i, loan: ["laporan", "neraca", "--tahun", day[-4:]],
    "laporan phu": lambda day, i, loan: ["laporan", "phu", "--tahun", day[-4:]],
    "shu hitung": lambda day, i, loan: ["shu", "hitung", day[-4:]],
    "anggota lihat": lambda day, i, loan: ["anggota", "lihat", "A0001"],
    "simpanan tarik": lambda day, i, loan: [
        "simpanan",
        "tarik",
        "A0001",
        f"{1000 + i}",
        "--tanggal",
        day,
    ],
    # The RAT book of the running year (a one-year cooperative has no closed year to show).
    "rat buku": lambda day, i, loan: [
        "rat",
        day[-4:],
        "-o",
        str(Path(tempfile.gettempdir()) / f"kkmp-bench-rat-{i}.html"),
    ],
    # The full check: parses every file from scratch on purpose (and compares the cache).
    "periksa": lambda day, i, loan: ["periksa"],
    "--help": lambda day, i, loan: ["--help"],
    "simpanan setor --help": lambda day, i, loan: ["simpanan", "setor", "--help"],
}


def measure(root: Path, tmp: Path, rounds: int, names: list[str]) -> dict[str, Run]:
    """Median of `rounds` alternating rounds of each command and of bean-check on a copy."""
    bin_dir = Path(sys.executable).parent
    kkmp, bean_check = str(bin_dir / "kkmp"), str(bin_dir / "bean-check")
    # As an installed kkmp runs: its modules compiled once (pip does it on install; a machine
    # with PYTHONDONTWRITEBYTECODE would otherwise compile them again in every command).
    compileall.compile_dir(str(Path(kkmp_cli.__file__).parent), quiet=1)
    day = prepare(root, kkmp)
    loan = _loan_id(root)
    # The books as a treasurer has them: the last kkmp command left the cache warm.
    run([kkmp, "-k", str(root), "anggota", "daftar", "-f", "json"])
    runs: dict[str, list[Run]] = {name: [] for name in [*names, "bean-check --no-cache"]}
    copy = tmp / "salinan"
    for i in range(rounds):
        for name in names:
            runs[name].append(run([kkmp, "-k", str(root), *COMMANDS[name](day, i, loan)]))
        # The same ledger, copied so that --no-cache (which deletes the cache) leaves kkmp's alone.
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(root, copy)
        runs["bean-check --no-cache"].append(
            run([bean_check, "--no-cache", str(copy / "buku.beancount")])
        )
    return {name: median(r) for name, r in runs.items()}


def obtain(root: Path, n_members: int, years: int, reuse: Path | None) -> str:
    """Build the ledger (or copy a kept one), saying how long the build took."""
    if reuse is not None and (reuse / "buku.beancount").exists():
        shutil.copytree(reuse, root, symlinks=True)
        return f"disalin dari {reuse}"
    t0, c0 = time.perf_counter(), time.process_time()
    count = build(root, n_members, years)
    took = f"{count} transaksi dibangun dalam {time.perf_counter() - t0:.1f} s (cpu {time.process_time() - c0:.1f} s)"
    if reuse is not None:
        shutil.copytree(root, reuse, symlinks=True)
    return took


def linearity(n_members: int, years: int, factors: tuple[int, ...] = (1, 2, 4)) -> None:
    """Build the cooperative at each size and print the CPU time per 1 000 transactions,
    recording and closing apart: flat figures mean a build linear in its size."""
    print(
        "| anggota | tahun | transaksi | cpu s | cpu s / 1 000 tx | mencatat s | tutup-buku s "
        "| wall s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for factor in factors:
        with tempfile.TemporaryDirectory() as tmp_name:
            spent: dict[str, float] = {}
            t0, c0 = time.perf_counter(), time.process_time()
            count = build(Path(tmp_name) / "bench", n_members * factor, years, spent)
            cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        print(
            f"| {n_members * factor} | {years} | {count} | {cpu:.1f} | {cpu / count * 1000:.2f} "
            f"| {spent.get('catat', 0.0):.1f} | {spent.get('tutup', 0.0):.1f} | {wall:.1f} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anggota", type=int, default=1000)
    parser.add_argument("--tahun", type=int, default=1, help="book years, all but the last closed")
    parser.add_argument("--ulang", type=int, default=5, help="rounds (median reported)")
    parser.add_argument(
        "--pembanding",
        type=int,
        default=0,
        metavar="ANGGOTA",
        help="also time the same commands on a one-year cooperative of this many members",
    )
    parser.add_argument(
        "--simpan",
        type=Path,
        help="keep the built ledger here, or reuse it if it is already there",
    )
    parser.add_argument(
        "--perintah",
        action="append",
        choices=list(COMMANDS),
        help="commands to time (repeatable; default: simpanan setor)",
    )
    parser.add_argument("--semua", action="store_true", help="time every command listed")
    parser.add_argument(
        "--bangun-saja",
        action="store_true",
        help="only build the ledger at 1x, 2x and 4x --anggota and print the CPU seconds per "
        "1 000 transactions (the build should be linear in its size)",
    )
    args = parser.parse_args()
    if args.bangun_saja:
        linearity(args.anggota, args.tahun)
        return
    names = list(COMMANDS) if args.semua else args.perintah or ["simpanan setor"]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "bench"
        said = obtain(root, args.anggota, args.tahun, args.simpan)
        print(f"Ledger: {args.anggota} anggota, {args.tahun} tahun buku; {said}", flush=True)
        results = measure(root, tmp, args.ulang, names)
        small = None
        if args.pembanding:
            little = tmp / "kecil"
            build(little, args.pembanding, 1)
            small = measure(little, tmp, args.ulang, names)
        check = results["bean-check --no-cache"]
        print(
            "| perintah | wall s | cpu s | rasio cpu / bean-check | puncak MiB | rasio memori"
            + (" | cpu di koperasi kecil | rasio besar/kecil |" if small else " |")
        )
        print("|---|---|---|---|---|---|" + ("---|---|" if small else ""))
        for name, r in results.items():
            row = (
                f"| {name} | {r.wall:.3f} | {r.cpu:.3f} | {r.cpu / check.cpu:.2f}x "
                f"| {r.peak_mib:.0f} | {r.peak_mib / check.peak_mib:.2f}x |"
            )
            if small:
                row += f" {small[name].cpu:.3f} | {r.cpu / small[name].cpu:.2f}x |"
            print(row, flush=True)
        first = results[names[0]]
        print(f"rasio {names[0]}/bean-check = {first.cpu / check.cpu:.2f}x (cpu)")


if __name__ == "__main__":
    main()
