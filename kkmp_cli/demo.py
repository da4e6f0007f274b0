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

from kkmp_cli import config, coop, deposits, exits, members, money, writer
from kkmp_cli.errors import FolderSudahAda
from kkmp_cli.ledger import Book
from kkmp_cli.loans import operations as loan_ops
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.loans import schedule as sched

NAMA = "KDMP Sukamaju"
YEAR = 2025
SEED = 2025
MEMBER_COUNT = 100
POKOK = Decimal(100_000)
WAJIB = Decimal(10_000)

# fmt: off
FEMALE = [
    "Siti", "Sri", "Dewi", "Nur", "Ani", "Rina", "Wati", "Yuni", "Lestari", "Ratna",
    "Endang", "Sumarni", "Kartini", "Fitri", "Aisyah", "Nurhayati", "Rahayu", "Suryani",
    "Indah", "Puspita", "Mega", "Dian", "Eka", "Ayu", "Tuti",
]
MALE = [
    "Budi", "Agus", "Joko", "Slamet", "Bambang", "Hadi", "Ahmad", "Dedi", "Eko", "Rudi",
    "Wahyu", "Asep", "Ujang", "Iwan", "Teguh", "Supriyadi", "Hendra", "Yusuf", "Rahmat",
    "Sutrisno", "Andi", "Dodi", "Heru", "Imam", "Darto",
]
SECOND = [
    "Aminah", "Rahmawati", "Susanti", "Handayani", "Wulandari", "Purnamasari", "Kusuma",
    "Santoso", "Wijaya", "Saputra", "Hidayat", "Nugroho", "Setiawan", "Kurniawan",
    "Pratama", "Gunawan", "Firmansyah", "Hermawan", "Sulistyo", "Rohman", "Maulana",
    "Mulyadi", "Suherman", "Permana", "Ramdani",
]
# fmt: on


@dataclass(frozen=True)
class Summary:
    nama: str
    root: Path
    lines: list[tuple[str, str]]


Plan = Callable[[Book], list[data.Directive]]
EXIT_NAK, EXIT_ON = "A0007", dt.date(YEAR, 10, 31)
JABATAN_PENGURUS = ("Ketua", "Sekretaris", "Bendahara")
JABATAN_PENGAWAS = ("Ketua Pengawas", "Anggota Pengawas")


@dataclass(frozen=True)
class Person:
    nak: str
    nama: str
    female: bool
    masuk: dt.date


def _people(rng: random.Random) -> list[Person]:
    people = []
    for i in range(MEMBER_COUNT):
        female = rng.random() < 0.55
        name = f"{rng.choice(FEMALE if female else MALE)} {rng.choice(SECOND)}"
        if i < 60:
            joined = dt.date(YEAR, 1, rng.randint(2, 15))
        else:
            joined = dt.date(YEAR, rng.randint(2, 9), rng.randint(1, 25))
        people.append(Person(f"A{i + 1:04d}", name, female, joined))
    return people


def _organisasi(people: list[Person]) -> dict[str, list[dict[str, str]]]:
    """The first members founded the cooperative: three pengurus, two pengawas."""
    pengurus = [
        {"jabatan": j, "nama": p.nama, "nak": p.nak}
        for j, p in zip(JABATAN_PENGURUS, people[:3], strict=True)
    ]
    pengawas = [
        {"jabatan": j, "nama": p.nama, "nak": p.nak}
        for j, p in zip(JABATAN_PENGAWAS, people[3:5], strict=True)
    ]
    return {"pengurus": pengurus, "pengawas": pengawas}


class _Events:
    def __init__(self) -> None:
        self.items: list[tuple[dt.date, int, Plan]] = []

    def add(self, date: dt.date, plan: Plan, nak: str | None = None) -> None:
        if nak == EXIT_NAK and date >= EXIT_ON:
            return
        self.items.append((date, len(self.items), plan))


def _membership(rng: random.Random, people: list[Person], ev: _Events) -> None:
    for p in people:
        ev.add(
            p.masuk,
            partial(
                members.add,
                nama=p.nama,
                date=p.masuk,
                nak=p.nak,
                jenis_kelamin="P" if p.female else "L",
            ),
        )
        ev.add(
            p.masuk, partial(deposits.deposit, nak=p.nak, kind="pokok", amount=POKOK, date=p.masuk)
        )
        # About one member in eight falls behind on wajib; the rest pay every month.
        skips = rng.random() < 0.125
        for month in range(p.masuk.month, 13):
            if skips and month > p.masuk.month + 2 and rng.random() < 0.5:
                continue
            day = max(p.masuk.day if month == p.masuk.month else 1, rng.randint(5, 20))
            paid_on = dt.date(YEAR, month, min(day, 28))
            ev.add(
                paid_on,
                partial(deposits.deposit, nak=p.nak, kind="wajib", amount=WAJIB, date=paid_on),
                p.nak,
            )
        if rng.random() < 0.35:
            for _ in range(rng.randint(1, 4)):
                month = rng.randint(p.masuk.month, 12)
                date = dt.date(
                    YEAR, month, rng.randint(p.masuk.day if month == p.masuk.month else 1, 28)
                )
                amount = Decimal(rng.choice([50, 100, 150, 200, 250, 500, 1000]) * 1000)
                via = "bank" if amount >= 500_000 else "kas"
                ev.add(
                    date,
                    partial(
                        deposits.deposit,
                        nak=p.nak,
                        kind="sukarela",
                        amount=amount,
                        date=date,
                        via=via,
                    ),
                    p.nak,
                )
            take_on = dt.date(YEAR, 12, rng.randint(10, 20))
            ev.add(take_on, partial(_withdraw_some, nak=p.nak, date=take_on), p.nak)
    ev.add(
        EXIT_ON,
        partial(exits.leave, nak=EXIT_NAK, date=EXIT_ON, alasan="Pindah domisili ke Kota Bandung"),
    )


def _loans(rng: random.Random, people: list[Person], ev: _Events, ketua: str) -> None:
    """Twelve loans: most paid on time, two late (denda), one macet, one paid off early,
    one above the plafon with a recorded exception."""
    candidates = [p for p in people[8:60] if p.nak != EXIT_NAK]
    borrowers = rng.sample(candidates, 12)
    methods = ("flat", "menurun", "anuitas")
    for k, p in enumerate(borrowers):
        start = dt.date(YEAR, 2 + k // 2, 10)
        target = Decimal(rng.choice([5, 10, 15, 20, 30]) * 100_000)
        rate = Decimal(rng.choice(["1.5", "1.75", "2"]))
        ev.add(
            start,
            partial(
                _disburse,
                nak=p.nak,
                date=start,
                target=target,
                exception=(ketua if k == 4 else None),
                tenor=10,
                rate=rate,
                metode=methods[k % 3],
            ),
        )
        if k == 0:
            continue  # macet: never pays
        delay = {1: 12, 2: 20}.get(k, 0)
        paid = 3 if k == 3 else 10
        for i in range(1, paid + 1):
            on = sched.add_months(start, i) + dt.timedelta(days=delay)
            if on.year == YEAR:
                ev.add(on, partial(_pay_next, nak=p.nak, date=on))
        if k == 3:
            on = sched.add_months(start, 4) - dt.timedelta(days=5)
            ev.add(on, partial(_payoff, nak=p.nak, date=on))
    ev.add(dt.date(YEAR, 12, 31), partial(loan_ops.provision, per=dt.date(YEAR, 12, 31)))


def _disburse(
    book: Book,
    *,
    nak: str,
    date: dt.date,
    target: Decimal,
    tenor: int,
    rate: Decimal,
    metode: str,
    exception: str | None,
) -> list[data.Directive]:
    """Lend what the plafon allows (in Rp50.000 steps), or more with the Ketua's approval."""
    rules = book.config.pinjaman
    saldo = members.simpanan_balances(book, nak, date)
    plafon = sum((saldo[k] for k in rules.plafon_dari), Decimal(0)) * rules.plafon_kali_simpanan
    amount = min(target, plafon // 50_000 * 50_000)
    if exception:
        amount = plafon // 50_000 * 50_000 + Decimal(1_000_000)
    if amount < 300_000:
        return []
    terms = loan_ops.check_terms(amount, tenor, rate, metode)
    return loan_ops.disburse(
        book,
        nak,
        terms,
        date,
        pengecualian="Modal usaha warung sembako" if exception else None,
        disetujui=exception,
    )


def _open_loan(book: Book, nak: str, date: dt.date) -> pf.LoanState | None:
    return next((s for s in pf.member_loans(book, nak, date) if s.berjalan), None)


def _pay_next(book: Book, *, nak: str, date: dt.date) -> list[data.Directive]:
    """Pay the next instalment (and the denda the SOP asks for)."""
    st = _open_loan(book, nak, date)
    if st is None:
        return []
    owed = loan_ops.due(book, st, date)
    amount = owed.denda + sum((a for _, a in owed.urutan[:2]), Decimal(0))
    return loan_ops.pay(book, st.loan.id, amount, date)


def _payoff(book: Book, *, nak: str, date: dt.date) -> list[data.Directive]:
    st = _open_loan(book, nak, date)
    return loan_ops.payoff(book, st.loan.id, date) if st else []


def _events(rng: random.Random, people: list[Person]) -> list[tuple[dt.date, int, Plan]]:
    """Every demo operation as (date, order, plan); applied in date order."""
    ev = _Events()
    _membership(rng, people, ev)
    _loans(rng, people, ev, ketua=people[0].nama)
    return sorted(ev.items, key=lambda e: (e[0], e[1]))


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
    rng = random.Random(SEED)
    people = _people(rng)
    text = config.render_new(
        NAMA, YEAR, denda="0.1", kolektibilitas="bank", organisasi=_organisasi(people)
    )
    paths = coop.init(root, NAMA, YEAR, config_text=text)
    count = 0
    with writer.session(paths) as session:
        for _, _, plan in _events(rng, people):
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
    port = pf.portfolio(book, end)
    golongan = ", ".join(
        f"{v['jumlah']} {pf.CLASS_LABELS[k].lower()}" for k, v in port.per_golongan().items()
    )
    return [
        ("Tahun buku", str(YEAR)),
        ("Anggota", f"{len(rows)} terdaftar, {recap.anggota_aktif} aktif, {len(left)} keluar"),
        ("Transaksi", str(count)),
        ("Simpanan pokok", money.fmt(recap.saldo["pokok"])),
        ("Simpanan wajib", money.fmt(recap.saldo["wajib"])),
        ("Simpanan sukarela", money.fmt(recap.saldo["sukarela"])),
        ("Menunggak wajib", f"{len(late)} anggota, {money.fmt(sum(r.tunggakan for r in late))}"),
        ("Pinjaman", f"{len(port.pinjaman)} dicairkan, {len(port.berjalan)} berjalan ({golongan})"),
        (
            "Sisa pokok pinjaman",
            f"{money.fmt(port.total_sisa_pokok)}, NPL {money.fmt_pct(port.npl)}",
        ),
    ]
