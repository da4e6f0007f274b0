"""Benchmark: `kkmp impor` of 10,000 sale rows against `bean-check` on the resulting ledger.

Builds a small cooperative (members, items, stock) with kkmp, writes an XLSX of 10,000 sale
rows, times the real `kkmp impor … --jenis penjualan`, then times `bean-check --no-cache` on
the ledger it produced, in the same run (median of --ulang rounds, each on a fresh copy; CPU time is the figure to
read on a shared machine).
By default it imports into the running books of bench_setor's cooperative (1000 members, a
year of simpanan) and then into new books.
Usage: python bench/bench_impor.py [--baris 10000] [--mapan 1000 --mapan 0] [--ulang 3]

Into new books it also times the floor the issue's rules set (#16): a process that only does what
no import may skip — start Python with beancount and kkmp's ledger, load the books as they were
(from kkmp's cache), parse back the text the import added, book it with beancount and run the
validations the writer runs — on the same text, in the same run. What the import costs above
that floor is kkmp's own work: reading the sheet, planning the sales, rendering, comparing each
parsed entry with its plan, kkmp's invariants, writing the files and the cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import bench_setor
from common import Run, median, run

from kkmp_cli.core import writer, xlsx
from kkmp_cli.core.ledger import Paths
from kkmp_cli.members import register as members
from kkmp_cli.outlet import trade as outlet

ITEMS = [("BERAS-5KG", 62_000, 68_000), ("MINYAK-2L", 34_000, 37_500), ("GULA-1KG", 16_500, 18_500)]


def build(root: Path, rows: int, established: int = 0) -> Path:
    """A cooperative with items and stock; with `established` members it first gets a year
    of simpanan (bench_setor's ledger), like a cooperative importing into running books."""
    if established:
        bench_setor.build(root, established)
        paths = Paths(root)
    else:
        paths = bench_setor.found(root, "KKMP Benchmark Impor")
    with writer.session(paths) as s:
        for i in range(0 if established else 50):
            s.stage(members.add(s.book, f"Anggota {i + 1}", dt.date(2025, 1, 2)))
        for code, cost, price in ITEMS:
            s.stage(
                outlet.add_item(
                    s.book,
                    code,
                    dt.date(2025, 1, 2),
                    nama=code.title(),
                    satuan="buah",
                    harga_jual=Decimal(price),
                )
            )
            s.stage(
                outlet.purchase(
                    s.book,
                    code,
                    Decimal(rows * 3),
                    Decimal(cost),
                    dt.date(2025, 1, 3),
                    pemasok="Grosir",
                    kredit=True,  # bought on credit: the benchmark's cash starts empty
                )
            )
        s.flush()
    rng = random.Random(11)
    table = []
    for n in range(rows):
        day = dt.date(2025, 2, 1) + dt.timedelta(days=n * 320 // rows)
        code, _, price = rng.choice(ITEMS)
        member = f"A{rng.randint(1, min(established or 50, 50)):04d}" if rng.random() < 0.6 else ""
        table.append(
            [
                day.strftime("%d-%m-%Y"),
                code,
                rng.randint(1, 3),
                f"{price:,}".replace(",", "."),
                f"N{n + 1:05d}",
                member,
            ]
        )
    source = root.parent / "penjualan.xlsx"
    xlsx.write(source, ["tanggal", "barang", "jumlah", "harga", "nota", "anggota"], table)
    return source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baris", type=int, default=10_000)
    parser.add_argument(
        "--mapan",
        type=int,
        action="append",
        metavar="ANGGOTA",
        help="books to import into: a year of simpanan for this many members first (0: new "
        "books); repeatable. Default: 1000 (bench_setor's cooperative), then 0",
    )
    parser.add_argument("--ulang", type=int, default=3, help="rounds (median reported)")
    args = parser.parse_args()
    for established in args.mapan or [1000, 0]:
        scenario(args.baris, established, args.ulang)


def scenario(rows: int, established: int, rounds: int) -> None:
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "dasar"
        source = build(base, rows, established)
        imports, checks, floors, nexts = [], [], [], []
        for i in range(rounds):
            # Each round imports into a fresh copy of the same books.
            root = Path(tmp) / f"putaran-{i}"
            shutil.copytree(base, root)
            # The books as a treasurer has them: the last kkmp command left the cache warm.
            run([str(bin_dir / "kkmp"), "-k", str(root), "periksa"])
            run([str(bin_dir / "kkmp"), "-k", str(root), "anggota", "daftar", "-f", "json"])
            cmd = [str(bin_dir / "kkmp"), "-k", str(root), "impor", str(source)]
            imports.append(run([*cmd, "--jenis", "penjualan"]))
            copy = Path(tmp) / f"salinan-{i}"
            shutil.copytree(root, copy)
            checks.append(
                run([str(bin_dir / "bean-check"), "--no-cache", str(copy / "buku.beancount")])
            )
            if not established:
                floors.append(floor(base, root, Path(tmp) / f"lantai-{i}"))
            # The treasurer's next command after the import: from the cache the import left.
            setor = bench_setor.COMMANDS["simpanan setor"]("31-12-2025", 0, "")
            nexts.append(run([str(bin_dir / "kkmp"), "-k", str(root), *setor]))
        t_import, t_check = median(imports), median(checks)
        where = f"ke buku berjalan ({established} anggota)" if established else "ke buku baru"
        print(
            f"impor {rows} baris penjualan {where}   median {t_import.wall:.2f} s "
            f"(cpu {t_import.cpu:.2f} s, puncak {t_import.peak_mib:.0f} MiB)"
        )
        print(
            f"bean-check --no-cache hasilnya               median {t_check.wall:.2f} s "
            f"(cpu {t_check.cpu:.2f} s, puncak {t_check.peak_mib:.0f} MiB)"
        )
        print(
            f"rasio impor/bean-check = {t_import.cpu / t_check.cpu:.2f}x (cpu), "
            f"{t_import.wall / t_check.wall:.2f}x (wall)",
            flush=True,
        )
        t_next = median(nexts)
        print(
            f"perintah berikutnya (simpanan setor)          median {t_next.wall:.2f} s "
            f"(cpu {t_next.cpu:.2f} s, puncak {t_next.peak_mib:.0f} MiB)",
            flush=True,
        )
        if floors:
            t_floor = median(floors)
            print(
                f"lantai (parse-back + booking + validasi saja)  median {t_floor.wall:.2f} s "
                f"(cpu {t_floor.cpu:.2f} s, puncak {t_floor.peak_mib:.0f} MiB) = "
                f"{t_floor.cpu / t_check.cpu:.2f}x bean-check (cpu), "
                f"{t_floor.peak_mib / t_check.peak_mib:.2f}x (memori)",
                flush=True,
            )


# The floor's process: the books before the import from kkmp's cache, then the added text
# parsed, booked and validated exactly as the writer does it (`writer.Session._validate`).
_FLOOR = """
import json, sys
from pathlib import Path
from beancount.core import data
from kkmp_cli.core import ledger, writer
root, blocks = sys.argv[1], json.loads(Path(sys.argv[2]).read_text())
book = ledger.load(ledger.Paths(Path(root)))
shared = ledger.Shared()
parsed = []
for filename, firstline, text in blocks:
    entries, errors = writer._parse_block(text, filename, firstline)
    assert not errors, errors
    ledger.share_values(entries, shared)
    parsed += sorted(entries, key=lambda e: e.meta["lineno"])
assert parsed, "no text added"
keys = {p.account for e in parsed if isinstance(e, data.Transaction) for p in e.postings}
booked, errors = ledger.book_entries(book, parsed, consume=True)
ledger.share_values(booked, shared, booked=True)
keys |= {e.account for e in booked if isinstance(e, data.Open | data.Close)}
checked = sorted([*book.account_directives(keys), *booked], key=data.entry_sortkey)
for check in writer._INCREMENTAL_VALIDATIONS:
    errors.extend(check(checked, book.options))
assert not errors, errors[:3]
"""


def floor(base: Path, imported: Path, where: Path) -> Run:
    """Time the floor on a warm copy of `base`, with the text the import added to each
    journal file of `imported` (one block per file: the new books' sales follow every entry)."""
    shutil.copytree(base, where)
    bin_dir = Path(sys.executable).parent
    run([str(bin_dir / "kkmp"), "-k", str(where), "periksa"])
    run([str(bin_dir / "kkmp"), "-k", str(where), "anggota", "daftar", "-f", "json"])
    blocks = []
    for after in sorted(imported.rglob("*.beancount")):
        before = where / after.relative_to(imported)
        old = before.read_text(encoding="utf-8").splitlines() if before.exists() else []
        new = after.read_text(encoding="utf-8").splitlines()
        head = 0
        while head < min(len(old), len(new)) and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        added = new[head : len(new) - tail]
        if any(line.strip() for line in added):
            blocks.append([str(before.resolve()), head + 1, "\n".join(added)])
    spec = where / "blok.json"
    spec.write_text(json.dumps(blocks), encoding="utf-8")
    script = where / "lantai.py"
    script.write_text(_FLOOR, encoding="utf-8")
    return run([sys.executable, str(script), str(where), str(spec)])


if __name__ == "__main__":
    main()
