"""The example cooperative: a deterministic year of a Koperasi Desa Merah Putih, built with kkmp itself."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from beancount.core import data

from kkmp_cli import chart, dates, money
from kkmp_cli.core import config
from kkmp_cli.core.ledger import Book
from kkmp_cli.counter import cashbook
from kkmp_cli.journal import journal
from kkmp_cli.loans import operations as loan_ops
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.loans import schedule as sched
from kkmp_cli.members import deposits, exits
from kkmp_cli.members import register as members
from kkmp_cli.outlet import trade as outlet
from kkmp_cli.shu import shu

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
RAT_DATE = dt.date(YEAR + 1, 3, 15)
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
    for i, p in enumerate(people):
        ev.add(
            p.masuk,
            partial(
                members.add,
                nama=p.nama if i != 20 else p.nama[:-1],  # a typo, corrected in _mistakes
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


# (code, name, unit of measure, cost price, selling price, member price)
# fmt: off
ITEMS = [
    ("BERAS-5KG", "Beras medium 5 kg", "karung", 62_000, 68_000, 66_000),
    ("MINYAK-2L", "Minyak goreng 2 L", "botol", 34_000, 37_500, 36_500),
    ("GULA-1KG", "Gula pasir 1 kg", "kg", 16_500, 18_500, 18_000),
    ("TELUR-1KG", "Telur ayam 1 kg", "kg", 27_000, 30_000, 29_500),
    ("TEPUNG-1KG", "Tepung terigu 1 kg", "kg", 11_000, 13_000, 12_500),
]
# fmt: on
SUPPLIER = "CV Sumber Pangan Makmur"


def _outlet(rng: random.Random, people: list[Person], ev: _Events) -> None:
    """A year of the sembako outlet: a grant to start, weekly restocking, daily sales to members
    and non-members, monthly costs, and a stock opname at the year end."""
    start = dt.date(YEAR, 1, 6)
    ev.add(
        start,
        partial(
            journal.cash_in,
            akun="hibah",
            amount=Decimal(25_000_000),
            date=start,
            keterangan="Hibah modal awal gerai dari Pemerintah Kota",
        ),
    )
    for code, name, satuan, _, jual, anggota in ITEMS:
        ev.add(
            start,
            partial(
                outlet.add_item,
                code=code,
                date=start,
                nama=name,
                satuan=satuan,
                harga_jual=Decimal(jual),
                harga_anggota=Decimal(anggota),
            ),
        )
    day = start
    while day.year == YEAR:
        if day.weekday() == 0:  # Monday: restock to 40 of each item, partly on credit
            ev.add(day, partial(_restock, date=day, credit=day.month % 3 == 0))
        if day.weekday() != 6:
            for _ in range(rng.randint(3, 5)):
                lines = tuple(
                    outlet.SaleLine(code, Decimal(rng.randint(1, 3)))
                    for code in rng.sample([i[0] for i in ITEMS], rng.randint(1, 3))
                )
                person = rng.choice(people[:60])
                buyer = person.nak if rng.random() < 0.6 and person.masuk <= day else None
                if buyer == EXIT_NAK and day >= EXIT_ON:
                    buyer = None
                req = outlet.SaleRequest(day, lines, buyer)
                ev.add(day, partial(outlet.sell, requests=[req]))
        day += dt.timedelta(days=1)
    for month in range(1, 13):
        end = dt.date(YEAR, month, 25)
        for akun, amount, what in (
            ("gaji", 750_000, "Honor pengelola gerai"),
            ("listrik", 150_000, "Token listrik gerai"),
        ):
            ev.add(
                end,
                partial(
                    journal.cash_out,
                    akun=akun,
                    amount=Decimal(amount),
                    date=end,
                    keterangan=f"{what} {dt.date(YEAR, month, 1):%m-%Y}",
                ),
            )
    ev.add(
        dt.date(YEAR, 6, 30),
        partial(
            journal.transfer,
            dari="kas",
            ke="bank",
            amount=Decimal(10_000_000),
            date=dt.date(YEAR, 6, 30),
        ),
    )
    closing = dt.date(YEAR, 12, 31)
    ev.add(closing, partial(_shrink, code="TELUR-1KG", date=closing))


def _restock(book: Book, *, date: dt.date, credit: bool) -> list[data.Directive]:
    entries: list[data.Directive] = []
    on_hand = {r.item.kode: r.jumlah for r in outlet.stock(book)}
    for code, _, _, cost, _, _ in ITEMS:
        need = Decimal(40) - on_hand.get(code, Decimal(0))
        if need > 0:
            planned = outlet.purchase(
                book, code, need, Decimal(cost), date, pemasok=SUPPLIER, kredit=credit
            )
            opened = {e.account for e in entries if isinstance(e, data.Open)}
            entries += [
                e for e in planned if not (isinstance(e, data.Open) and e.account in opened)
            ]
    return entries


def _shrink(book: Book, *, code: str, date: dt.date) -> list[data.Directive]:
    """The year-end count finds two kilos fewer than the books (breakage)."""
    on_hand = next(r.jumlah for r in outlet.stock(book) if r.item.kode == code)
    return outlet.count(book, code, on_hand - 2, date)


def _pay_suppliers(book: Book, *, date: dt.date) -> list[data.Directive]:
    owed = -book.balance(outlet.supplier_account(SUPPLIER))
    return outlet.pay_supplier(book, SUPPLIER, owed, date) if owed > 0 else []


DUPLICATE_NOTE = "Setoran wajib (tercatat dua kali)"


def _correct_duplicate(book: Book, *, date: dt.date) -> list[data.Directive]:
    """The deposit recorded twice by mistake is reversed with a linked koreksi."""
    twice = next(t for t in book.transactions() if DUPLICATE_NOTE in (t.narration or ""))
    return journal.correct(book, str(twice.meta["id"]), date, alasan="Setoran tercatat dua kali")


def _mistakes(people: list[Person], ev: _Events) -> None:
    """What a treasurer gets wrong in a normal year, and puts right: a member's name typed
    wrong at registration (corrected with `anggota ubah`), a deposit recorded twice (`koreksi`)."""
    typo = people[20]
    ev.add(
        typo.masuk + dt.timedelta(days=14),
        partial(
            members.change, nak=typo.nak, date=typo.masuk + dt.timedelta(days=14), nama=typo.nama
        ),
    )
    twice, on = people[11], dt.date(YEAR, 5, 15)
    ev.add(
        on,
        partial(
            deposits.deposit,
            nak=twice.nak,
            kind="wajib",
            amount=WAJIB,
            date=on,
            keterangan=DUPLICATE_NOTE,
        ),
    )
    ev.add(on + dt.timedelta(days=1), partial(_correct_duplicate, date=on + dt.timedelta(days=1)))


def _count_cash(book: Book, *, date: dt.date, short: Decimal) -> list[data.Directive]:
    """The treasurer counts the cash box at the end of a quarter (#22): it matches, or a
    shortage is booked with its reason."""
    counted = book.balance_on(chart.KAS, date) - short
    reason = "Uang kembalian keliru di loket gerai" if short else None
    return cashbook.count(book, chart.KAS, date, counted, alasan=reason)


def _counter(ev: _Events) -> None:
    """Quarterly cash counts (kas opname); one finds Rp5.000 short."""
    for month, short in ((3, 0), (6, 5_000), (9, 0)):
        on = dates.month_end(YEAR, month)
        ev.add(on, partial(_count_cash, date=on, short=Decimal(short)))


def _events(rng: random.Random, people: list[Person]) -> list[tuple[dt.date, int, Plan]]:
    """Every demo operation as (date, order, plan); applied in date order."""
    ev = _Events()
    _membership(rng, people, ev)
    _mistakes(people, ev)
    _loans(rng, people, ev, ketua=people[0].nama)
    _outlet(rng, people, ev)
    for month in (4, 7, 10, 12):
        paid_on = dt.date(YEAR, month, 20)
        ev.add(paid_on, partial(_pay_suppliers, date=paid_on))
    _counter(ev)
    return sorted(ev.items, key=lambda e: (e[0], e[1]))


def _withdraw_some(book: Book, nak: str, date: dt.date) -> list[data.Directive]:
    """Half of the member's sukarela (in whole thousands), for the end-of-year needs."""
    balance = members.simpanan_balances(book, nak)["sukarela"]
    amount = (balance / 2 // 1000) * 1000
    if amount <= 0:
        return []
    return deposits.withdraw(book, nak, amount, date, keterangan="Kebutuhan akhir tahun")


def fava_hint(root: Path) -> str:
    """How to open the example in Fava, which only the `fava` (and `test`) extra installs."""
    import importlib.util

    command = f"fava {root / 'buku.beancount'}"
    if importlib.util.find_spec("fava") is not None:
        return f"Buka di Fava:  {command}"
    return (
        'Buka di Fava:  pasang dulu dengan pip install ".[fava]" (di folder kkmp) '
        f"atau pip install fava, lalu {command}"
    )


@dataclass(frozen=True)
class Script:
    """Everything the example cooperative is made of, planned and not yet written: its
    koperasi.yaml, its rat.yaml inputs, the year's operations in date order (each a planner
    over the books so far), and the SHU distribution the RAT decides."""

    config_text: str
    rat_inputs: dict[str, object]
    plans: list[Plan]
    distribution: Plan


def script() -> Script:
    """The example's script (deterministic: the same seed gives the same files every run)."""
    rng = random.Random(SEED)
    people = _people(rng)
    text = config.render_new(
        NAMA,
        YEAR,
        denda="0.1",
        kolektibilitas="bank",
        organisasi=_organisasi(people),
        identitas=IDENTITAS,
    )
    return Script(
        text,
        _rat_inputs(people),
        [plan for _, _, plan in _events(rng, people)],
        partial(shu.distribute, year=YEAR, date=RAT_DATE, ke="sukarela"),
    )


def summary(book: Book, root: Path, count: int, report: Path) -> Summary:
    """What `kkmp demo` shows once the example is built."""
    return Summary(NAMA, root, _summary_lines(book, count) + [("Buku RAT", str(report))])


IDENTITAS = {
    "nomor_badan_hukum": "AHU-0012345.AH.01.29.TAHUN 2025 (contoh)",
    "alamat": "Jl. Raya Sukamaju No. 1, Kecamatan Sukamaju",
    "kelurahan_desa": "Desa Sukamaju",
}


def _rat_inputs(people: list[Person]) -> dict[str, object]:
    """What the pengurus write for the RAT beyond the ledger (an example, clearly fictional)."""
    return {
        "rat": {"ke": 1, "tanggal": RAT_DATE.strftime("%d-%m-%Y"), "tempat": "Balai Desa Sukamaju"},
        "batas_pelaporan": f"30-04-{YEAR + 1}",
        "pengantar": (
            f"Puji syukur, tahun buku {YEAR} adalah tahun pertama {NAMA}. Koperasi membuka gerai "
            "sembako dan unit simpan pinjam bagi anggota. Buku ini memuat pertanggungjawaban "
            "pengurus atas pengelolaan koperasi selama tahun buku tersebut."
        ),
        "karyawan": [{"nama": people[10].nama, "jabatan": "Pengelola gerai"}],
        "rapat": [
            {"tanggal": f"06-01-{YEAR}", "jenis": "Rapat pengurus", "acara": "Pembukaan gerai"},
            {
                "tanggal": f"30-06-{YEAR}",
                "jenis": "Rapat pengurus dan pengawas",
                "acara": "Evaluasi semester I",
            },
            {
                "tanggal": f"15-12-{YEAR}",
                "jenis": "Rapat pengurus",
                "acara": "Persiapan tutup buku",
            },
        ],
        "rapb": {"sembako": 12_000_000, "simpan-pinjam": 500_000},
        "laporan_pengawas": (
            "Pengawas telah memeriksa buku besar, kas, stok dan berkas pinjaman. Pembukuan rapi dan "
            "setiap angka dapat ditelusuri. Satu pinjaman macet perlu ditagih lebih aktif."
        ),
        "rencana_kerja": [
            "Menambah jenis barang gerai (LPG 3 kg, obat murah).",
            "Menagih pinjaman macet dan menertibkan simpanan wajib.",
            "Pelatihan pembukuan bagi pengelola gerai.",
        ],
        "rapb_tahun_depan": {
            "Pendapatan penjualan": 200_000_000,
            "Beban usaha": 185_000_000,
            "SHU direncanakan": 15_000_000,
        },
        "rancangan_keputusan": [
            f"Mengesahkan laporan pertanggungjawaban pengurus tahun buku {YEAR}.",
            f"Menetapkan pembagian SHU tahun buku {YEAR} sesuai usulan.",
            f"Mengesahkan rencana kerja dan RAPB tahun {YEAR + 1}.",
        ],
        "audit_kap": False,
    }


def _summary_lines(book: Book, count: int) -> list[tuple[str, str]]:
    end = dt.date(YEAR, 12, 31)
    rows = members.listing(book)
    recap = deposits.recap(book, end)
    late = [r for r in deposits.arrears(book, end) if r.tunggakan > 0]
    left = [r.member for r in rows if r.member.keluar]
    port = pf.portfolio(book, end)
    sheet = shu.compute(book, YEAR)
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
        (
            "Nilai persediaan gerai",
            money.fmt(sum((r.nilai for r in outlet.stock(book)), Decimal(0))),
        ),
        (
            "SHU 2025",
            f"{money.fmt(sheet.shu)}; tahun buku ditutup dan disegel; "
            f"dibagikan {dates.fmt(RAT_DATE)} ke simpanan sukarela",
        ),
    ]
