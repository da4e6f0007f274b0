"""The example cooperative: a deterministic year of a Koperasi Desa Merah Putih, built with kkmp itself."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from beancount.core import data

from kkmp_cli import coop, deposits, members, money, writer
from kkmp_cli.errors import FolderSudahAda
from kkmp_cli.ledger import Book

NAMA = "KDMP Sukamaju"
YEAR = 2025
SEED = 2025
MEMBER_COUNT = 100
POKOK = Decimal(100_000)
WAJIB = Decimal(10_000)

FEMALE = [
    "Siti",
    "Sri",
    "Dewi",
    "Nur",
    "Ani",
    "Rina",
    "Wati",
    "Yuni",
    "Lestari",
    "Ratna",
    "Endang",
    "Sumarni",
    "Kartini",
    "Fitri",
    "Aisyah",
    "Nurhayati",
    "Rahayu",
    "Suryani",
    "Indah",
    "Puspita",
    "Mega",
    "Dian",
    "Eka",
    "Ayu",
    "Tuti",
]
MALE = [
    "Budi",
    "Agus",
    "Joko",
    "Slamet",
    "Bambang",
    "Hadi",
    "Ahmad",
    "Dedi",
    "Eko",
    "Rudi",
    "Wahyu",
    "Asep",
    "Ujang",
    "Iwan",
    "Teguh",
    "Supriyadi",
    "Hendra",
    "Yusuf",
    "Rahmat",
    "Sutrisno",
    "Andi",
    "Dodi",
    "Heru",
    "Imam",
    "Darto",
]
SECOND = [
    "Aminah",
    "Rahmawati",
    "Susanti",
    "Handayani",
    "Wulandari",
    "Purnamasari",
    "Kusuma",
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Nugroho",
    "Setiawan",
    "Kurniawan",
    "Pratama",
    "Gunawan",
    "Firmansyah",
    "Hermawan",
    "Sulistyo",
    "Rohman",
    "Maulana",
    "Mulyadi",
    "Suherman",
    "Permana",
    "Ramdani",
]


@dataclass(frozen=True)
class Summary:
    nama: str
    root: Path
    lines: list[tuple[str, str]]


Plan = Callable[[Book], list[data.Directive]]


def _events(rng: random.Random) -> list[tuple[dt.date, int, Plan]]:
    """Every demo operation as (date, order, plan); applied in date order."""
    events: list[tuple[dt.date, int, Plan]] = []
    seq = 0

    exit_nak, exit_on = "A0007", dt.date(YEAR, 10, 31)

    def add(date: dt.date, plan: Plan, nak: str | None = None) -> None:
        nonlocal seq
        if nak == exit_nak and date >= exit_on:
            return
        seq += 1
        events.append((date, seq, plan))

    for i in range(MEMBER_COUNT):
        nak = f"A{i + 1:04d}"
        female = rng.random() < 0.55
        first = rng.choice(FEMALE if female else MALE)
        name = f"{first} {rng.choice(SECOND)}"
        if i < 60:
            joined = dt.date(YEAR, 1, rng.randint(2, 15))
        else:
            joined = dt.date(YEAR, rng.randint(2, 9), rng.randint(1, 25))
        add(
            joined,
            partial(members.add, nama=name, date=joined, nak=nak, jenis_kelamin="PL"[not female]),
        )
        add(joined, partial(deposits.deposit, nak=nak, kind="pokok", amount=POKOK, date=joined))
        # About one member in eight falls behind on wajib; the rest pay every month.
        skips = rng.random() < 0.125
        for month in range(joined.month, 13):
            if skips and month > joined.month + 2 and rng.random() < 0.5:
                continue
            day = max(joined.day if month == joined.month else 1, rng.randint(5, 20))
            paid_on = dt.date(YEAR, month, min(day, 28))
            add(
                paid_on,
                partial(deposits.deposit, nak=nak, kind="wajib", amount=WAJIB, date=paid_on),
                nak,
            )
        if rng.random() < 0.35:
            for _ in range(rng.randint(1, 4)):
                month = rng.randint(joined.month, 12)
                date = dt.date(
                    YEAR, month, rng.randint(joined.day if month == joined.month else 1, 28)
                )
                amount = Decimal(rng.choice([50, 100, 150, 200, 250, 500, 1000]) * 1000)
                via = "bank" if amount >= 500_000 else "kas"
                add(
                    date,
                    partial(
                        deposits.deposit,
                        nak=nak,
                        kind="sukarela",
                        amount=amount,
                        date=date,
                        via=via,
                    ),
                    nak,
                )
            take_on = dt.date(YEAR, 12, rng.randint(10, 20))
            add(take_on, partial(_withdraw_some, nak=nak, date=take_on), nak)
    add(
        exit_on,
        partial(
            members.leave, nak=exit_nak, date=exit_on, alasan="Pindah domisili ke Kota Bandung"
        ),
    )
    return sorted(events, key=lambda e: (e[0], e[1]))


def _withdraw_some(book: Book, nak: str, date: dt.date) -> list[data.Directive]:
    """Half of the member's sukarela (in whole thousands), for the end-of-year needs."""
    balance = members.simpanan_balances(book, nak)["sukarela"]
    amount = (balance / 2 // 1000) * 1000
    if amount <= 0:
        return []
    return deposits.withdraw(book, nak, amount, date, keterangan="Kebutuhan akhir tahun")


def build(root: Path, *, replace: bool = False) -> Summary:
    """Build the example cooperative at `root` (deterministic: same files every run)."""
    if root.exists() and any(root.iterdir()):
        if not replace:
            raise FolderSudahAda(
                f"Folder '{root}' sudah ada. Pakai --ganti untuk membuat ulang koperasi contoh."
            )
        if not (root / "koperasi.yaml").exists():
            raise FolderSudahAda(f"Folder '{root}' bukan koperasi kkmp; tidak dihapus.")
        shutil.rmtree(root)
    paths = coop.init(root, NAMA, YEAR)
    rng = random.Random(SEED)
    count = 0
    with writer.session(paths) as session:
        for _, _, plan in _events(rng):
            planned = plan(session.book)
            if planned:
                session.stage(planned)
                count += sum(isinstance(e, data.Transaction) for e in planned)
        session.flush()
        book = session.book
    return Summary(NAMA, root, _summary_lines(book, count))


def _summary_lines(book: Book, count: int) -> list[tuple[str, str]]:
    end = dt.date(YEAR, 12, 31)
    rows = members.listing(book)
    recap = deposits.recap(book, end)
    late = [r for r in deposits.arrears(book, end) if r.tunggakan > 0]
    left = [r.member for r in rows if r.member.keluar]
    return [
        ("Tahun buku", str(YEAR)),
        ("Anggota", f"{len(rows)} terdaftar, {recap.anggota_aktif} aktif, {len(left)} keluar"),
        ("Transaksi", str(count)),
        ("Simpanan pokok", money.fmt(recap.saldo["pokok"])),
        ("Simpanan wajib", money.fmt(recap.saldo["wajib"])),
        ("Simpanan sukarela", money.fmt(recap.saldo["sukarela"])),
        ("Menunggak wajib", f"{len(late)} anggota, {money.fmt(sum(r.tunggakan for r in late))}"),
    ]
