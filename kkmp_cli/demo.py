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
from kkmp_cli.accounts import cash as cash_accounts
from kkmp_cli.assets import register as fixed_assets
from kkmp_cli.core import config
from kkmp_cli.core.ledger import Book
from kkmp_cli.counter import cashbook
from kkmp_cli.financing import facility
from kkmp_cli.financing import operations as financing
from kkmp_cli.journal import journal
from kkmp_cli.loans import accrual
from kkmp_cli.loans import operations as loan_ops
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.loans import schedule as sched
from kkmp_cli.members import deposits, exits, interest, term_deposits
from kkmp_cli.members import register as members
from kkmp_cli.outlet import customers, expiry, returns
from kkmp_cli.outlet import trade as outlet
from kkmp_cli.shu import shu
from kkmp_cli.tax import payroll, pphfinal
from kkmp_cli.units import jasa

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
# Who the demo says recorded its transactions (`petugas:`, #15), whoever builds it.
PETUGAS = "Bendahara KDMP Sukamaju"


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
        # The 20-odd days late one pays December's instalment in January: accrued at year end.
        delay = {1: 12, 2: 22}.get(k, 0)
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
        # the honorarium of the outlet's keeper is paid with the payroll (PAYROLL, `_taxes`)
        for akun, amount, what, nota in (
            # the electricity token's paper receipt, numbered by the seller (kas keluar --nota)
            ("listrik", 150_000, "Token listrik gerai", f"PLN-{YEAR}{month:02d}"),
        ):
            ev.add(
                end,
                partial(
                    journal.cash_out,
                    akun=akun,
                    amount=Decimal(amount),
                    date=end,
                    keterangan=f"{what} {dt.date(YEAR, month, 1):%m-%Y}",
                    nota=nota,
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


BPJS = "BPJS Kesehatan"
WARUNGS = ("Warung Bu Sri", "Toko Makmur Jaya")
# (unit, expense alias, monthly amount, description) of the service units' own costs (the
# clinic's nurse is paid with the payroll, PAYROLL: `kas keluar` withholds no PPh 21).
UNIT_COSTS = (
    ("klinik", "listrik", 250_000, "Listrik dan air klinik"),
    ("cold-storage", "listrik", 600_000, "Listrik mesin pendingin"),
    ("logistik", "transportasi", 350_000, "Solar dan perawatan mobil boks"),
    ("kantor", "atk", 100_000, "Alat tulis kantor"),
)


def _service_units(people: list[Person], ev: _Events) -> None:
    """A year of the jasa units (#10): klinik visits (members and others) and the BPJS
    capitation on credit, paid the next month; cold-storage rent; deliveries to warungs on
    credit, settled monthly; each unit's own costs booked with --unit. Its own random stream,
    so the rest of the example stays as it was."""
    rng = random.Random(SEED + 10)
    day = dt.date(YEAR, 1, 7)
    while day.year == YEAR:
        if day.weekday() in (0, 2, 4):  # klinik open Monday, Wednesday, Friday
            for _ in range(rng.randint(1, 3)):
                person = rng.choice(people)
                nak = person.nak if person.masuk <= day and rng.random() < 0.7 else None
                fee = Decimal(rng.choice((35_000, 50_000, 75_000)))
                plan = partial(
                    jasa.record,
                    unit="klinik",
                    amount=fee,
                    date=day,
                    layanan=rng.choice(("Periksa umum", "Cek tekanan darah", "Rawat luka")),
                    nak=nak,
                )
                ev.add(day, plan, nak)
        if day.weekday() in (1, 3):  # deliveries to warungs, on credit
            warung = rng.choice(WARUNGS)
            amount = Decimal(rng.randint(5, 15) * 10_000)
            ev.add(
                day,
                partial(
                    jasa.record,
                    unit="logistik",
                    amount=amount,
                    date=day,
                    layanan="Antar barang dari gudang kota",
                    pelanggan=warung,
                    kredit=True,
                ),
            )
        day += dt.timedelta(days=1)
    for month in range(1, 13):
        end = dates.month_end(YEAR, month)
        ev.add(
            end,
            partial(
                jasa.record,
                unit="klinik",
                amount=Decimal(2_700_000),
                date=end,
                layanan=f"Kapitasi BPJS {end:%m-%Y} (300 peserta x Rp9.000)",
                pelanggan=BPJS,
                kredit=True,
            ),
        )
        first = dt.date(YEAR, month, 3)
        for person in people[:3]:  # members renting cold-storage space
            if person.masuk > first:
                continue
            plan = partial(
                jasa.record,
                unit="cold-storage",
                amount=Decimal(300_000),
                date=first,
                layanan="Sewa ruang pendingin ikan/sayur satu bulan",
                nak=person.nak,
                kredit=month % 4 == 0,
            )
            ev.add(first, plan, person.nak)
        ev.add(
            first,
            partial(
                jasa.record,
                unit="cold-storage",
                amount=Decimal(450_000),
                date=first,
                layanan="Sewa ruang pendingin pedagang",
                pelanggan="UD Segar Bahari",
                via="bank",
            ),
        )
        if month > 1:
            paid = dt.date(YEAR, month, 15)
            for who in (BPJS, *WARUNGS):
                ev.add(paid, partial(_settle, pelanggan=who, date=paid))
        cost_day = dt.date(YEAR, month, 26)
        for unit, akun, monthly, what in UNIT_COSTS:
            ev.add(
                cost_day,
                partial(
                    journal.cash_out,
                    akun=akun,
                    amount=Decimal(monthly),
                    date=cost_day,
                    keterangan=f"{what} {cost_day:%m-%Y}",
                    unit=unit,
                ),
            )


def _settle(book: Book, *, pelanggan: str, date: dt.date) -> list[data.Directive]:
    """A customer pays everything owed at the end of the month before."""
    account = jasa.customer_account(book, pelanggan)
    if account not in book.opens():
        return []
    owed = book.balance_on(account, date.replace(day=1) - dt.timedelta(days=1))
    return jasa.collect(book, owed, date, pelanggan=pelanggan, via="bank") if owed > 0 else []


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


# The apotek desa (#10): medicines per batch and expiry, issued first-expiry-first-out.
# (code, name, unit of measure, cost price, selling price, member price, restock below, up to)
# fmt: off
APOTEK_ITEMS = [
    ("PCT-500", "Paracetamol 500 mg", "strip", 3_000, 5_000, 4_500, 30, 80),
    ("AMOX-500", "Amoksisilin 500 mg", "strip", 6_500, 9_500, 9_000, 20, 60),
    ("ORALIT", "Oralit 200 ml", "sachet", 1_200, 2_000, 1_800, 30, 60),
]
# fmt: on
APOTEK_START = dt.date(YEAR, 2, 3)
APOTEK_SUPPLIER = "PBF Sehat Sentosa"
POSYANDU = "Posyandu Melati"
# A short-dated batch of oralit bought cheaply when the apotek opened: what is left of it when
# it expires is destroyed and written off.
SHORT_BATCH, SHORT_EXPIRY, SHORT_QTY = "OR2502", dt.date(YEAR, 6, 30), 100


def _apotek(people: list[Person], ev: _Events) -> None:
    """A year of the apotek desa from February: batches bought monthly with their expiry,
    daily sales FEFO, the posyandu buying on credit and paying the next month, one sale
    returned, one purchase partly sent back, and the short-dated oralit written off."""
    rng = random.Random(SEED * 10 + 4)  # its own stream: the rest of the demo stays as it was
    for code, name, satuan, _, jual, anggota, _, _ in APOTEK_ITEMS:
        ev.add(
            APOTEK_START,
            partial(
                outlet.add_item,
                code=code,
                date=APOTEK_START,
                nama=name,
                satuan=satuan,
                harga_jual=Decimal(jual),
                harga_anggota=Decimal(anggota),
                unit="apotek",
            ),
        )
    day = APOTEK_START
    while day.year == YEAR:
        if day == SHORT_EXPIRY + dt.timedelta(days=1):
            ev.add(day, partial(_destroy_expired, date=day))
        if day.weekday() == 0:
            ev.add(day, partial(_apotek_restock, date=day))
        if day.month > 2 and day.day == 10:
            lines = (outlet.SaleLine("ORALIT", Decimal(10)), outlet.SaleLine("PCT-500", Decimal(5)))
            req = outlet.SaleRequest(day, lines, kredit=True, pelanggan=POSYANDU)
            ev.add(day, partial(outlet.sell, requests=[req]))
        if day.month > 3 and day.day == 5:
            ev.add(day, partial(_posyandu_pays, date=day))
        if day.weekday() < 6 and day > APOTEK_START:
            for _ in range(rng.randint(1, 2)):
                code = "ORALIT" if rng.random() < 0.1 else rng.choice(["PCT-500", "AMOX-500"])
                person = rng.choice(people[:60])
                buyer = person.nak if rng.random() < 0.5 and person.masuk <= day else None
                if buyer == EXIT_NAK and day >= EXIT_ON:
                    buyer = None
                line = outlet.SaleLine(code, Decimal(rng.randint(1, 3)))
                ev.add(
                    day, partial(outlet.sell, requests=[outlet.SaleRequest(day, (line,), buyer)])
                )
        day += dt.timedelta(days=1)
    returned_on = dt.date(YEAR, 3, 12)
    ev.add(returned_on, partial(_apotek_sale_return, date=returned_on))
    sent_back = dt.date(YEAR, 4, 8)
    ev.add(sent_back, partial(_apotek_purchase_return, date=sent_back))


def _apotek_restock(book: Book, *, date: dt.date) -> list[data.Directive]:
    """Mondays: each medicine below its reorder level is bought up to its level, a batch of
    its own, expiring 18 months on."""
    entries: list[data.Directive] = []
    on_hand = {r.item.kode: r.jumlah for r in outlet.stock(book)}
    for code, _, _, cost, _, _, below, upto in APOTEK_ITEMS:
        held = on_hand.get(code, Decimal(0))
        short = code == "ORALIT" and date == APOTEK_START
        if held >= below and not short:
            continue
        qty = Decimal(SHORT_QTY) if short else Decimal(upto) - held
        batch = SHORT_BATCH if short else f"{code[:2]}{date:%y%m%d}"
        expires = SHORT_EXPIRY if short else _months_on(date, 18)
        price = Decimal(cost - 200) if short else Decimal(cost)
        planned = outlet.purchase(
            book, code, qty, price, date, pemasok=APOTEK_SUPPLIER, batch=batch, kedaluwarsa=expires
        )
        opened = {e.account for e in entries if isinstance(e, data.Open)}
        entries += [e for e in planned if not (isinstance(e, data.Open) and e.account in opened)]
    return entries


def _months_on(date: dt.date, months: int) -> dt.date:
    month = date.month - 1 + months
    return dates.month_end(date.year + month // 12, month % 12 + 1)


def _posyandu_pays(book: Book, *, date: dt.date) -> list[data.Directive]:
    owed = book.balance(customers.account(POSYANDU))
    return customers.collect(book, POSYANDU, owed, date) if owed > 0 else []


def _destroy_expired(book: Book, *, date: dt.date) -> list[data.Directive]:
    """What is left of every batch expired by `date` is destroyed and written off at cost."""
    entries: list[data.Directive] = []
    for row in expiry.expiring(book, date, 0):
        if row.kedaluwarsa_sudah:
            entries += expiry.write_off(
                book,
                row.kode,
                row.jumlah,
                date,
                batch=row.batch,
                alasan="Kedaluwarsa, dimusnahkan dengan berita acara",
            )
    return entries


def _last_apotek(book: Book, jenis: str, before: dt.date) -> data.Transaction:
    return next(
        t
        for t in reversed(list(book.transactions(end=before)))
        if t.meta.get("jenis") == jenis
        and any(p.account == "Aset:Persediaan:Apotek" for p in t.postings)
    )


def _apotek_sale_return(book: Book, *, date: dt.date) -> list[data.Directive]:
    """A buyer brings back one unopened strip of the last apotek sale."""
    sale = _last_apotek(book, "gerai-jual", date)
    code = next(p.units.currency for p in sale.postings if p.cost and p.units)
    return returns.sale_return(
        book,
        str(sale.meta["id"]),
        date,
        items=[(code, Decimal(1))],
        keterangan="Obat belum dibuka, resep diganti dokter",
    )


def _apotek_purchase_return(book: Book, *, date: dt.date) -> list[data.Directive]:
    """Two strips of the month's amoxicillin arrived with torn packaging: sent back."""
    bought = next(
        t
        for t in reversed(list(book.transactions(end=date)))
        if t.meta.get("jenis") == "gerai-beli" and "Amoksisilin" in (t.narration or "")
    )
    return returns.purchase_return(
        book,
        str(bought.meta["id"]),
        date,
        items=[("AMOX-500", Decimal(2))],
        keterangan="Kemasan rusak saat diterima",
    )


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


# QRIS merchant discount rate for a regular (non-micro) merchant: 0,7% (Bank Indonesia, since
# 1 July 2023; usaha mikro 0,3% above Rp100.000). The merchant bears it: PBI 23/6/PBI/2021
# art. 52 forbids a surcharge on the buyer.
MDR_QRIS = Decimal("0.007")
BRI = ("bri", "Bank BRI Unit Sukamaju", "0271-01-000123-50-1")


def _banking(ev: _Events) -> None:
    """A second bank account (BRI), QRIS sales at the gerai settled monthly into BRI less
    the MDR, and the BRI account reconciled with its bank statement (#10); at the year end the
    main bank account too, on its own balance (BRI is opened under it)."""
    rng = random.Random(SEED + 10)
    opened = dt.date(YEAR, 7, 1)
    kode, nama, nomor = BRI
    ev.add(
        opened,
        partial(cash_accounts.add_rekening, kode=kode, nama=nama, jenis="bank", nomor=nomor),
    )
    ev.add(
        opened,
        partial(
            journal.transfer,
            dari="bank",
            ke=kode,
            amount=Decimal(5_000_000),
            date=opened,
            keterangan="Pembukaan rekening BRI untuk penyelesaian QRIS",
        ),
    )
    day = opened + dt.timedelta(days=(5 - opened.weekday()) % 7)  # Saturdays
    while day.year == YEAR:
        codes = rng.sample([i[0] for i in ITEMS], 2)
        lines = tuple(outlet.SaleLine(c, Decimal(rng.randint(1, 2))) for c in codes)
        req = outlet.SaleRequest(day, lines, None, via="qris", keterangan="Bayar dengan QRIS")
        ev.add(day, partial(outlet.sell, requests=[req]))
        day += dt.timedelta(days=7)
    for month in range(7, 13):
        end = dt.date(YEAR, month, 28)
        ev.add(end, partial(_settle_qris, date=end))
    for on in (dt.date(YEAR, 11, 30), dt.date(YEAR, 12, 31)):  # the year end on the checklist
        ev.add(on, partial(_reconcile, kode=kode, date=on))
    ev.add(dt.date(YEAR, 12, 31), partial(_reconcile, kode="bank", date=dt.date(YEAR, 12, 31)))


def _settle_qris(book: Book, *, date: dt.date) -> list[data.Directive]:
    """The acquirer pays the month's QRIS receipts into BRI, less its MDR."""
    owed = book.balance_on(chart.KLIRING_QRIS, date)
    if owed <= 0:
        return []
    fee = money.round_half_up(owed * MDR_QRIS)
    return journal.transfer(
        book,
        "qris",
        BRI[0],
        owed,
        date,
        biaya=fee,
        keterangan=f"Penyelesaian QRIS {date:%m-%Y} ke BRI (MDR 0,7%)",
    )


def _reconcile(book: Book, *, kode: str, date: dt.date) -> list[data.Directive]:
    """The bank statement agrees with the books: the balance is asserted."""
    statement = cash_accounts.compare(book, kode, Decimal(0), date).saldo_buku
    return cash_accounts.reconcile(book, kode, statement, date)


FACILITY = "BRI-KDMP"


def _own_money(ev: _Events) -> None:
    """The cooperative's own money (#11): a Rp500 juta Himbara facility under PMK 49/2025
    (6 % a year, 72 months, 6 months of grace, due on the 12th) drawn in two stages, Rp50 juta
    of it repaid ahead in December; a gerai building, a pick-up and a cold-storage machine (a
    grant in kind); one instalment paid by
    the village's Dana Desa (Permendesa 10/2025); and the year end through the checklist:
    depreciation through December, interest accrued, every item counted in December."""
    akad = dt.date(YEAR, 7, 12)
    ev.add(
        akad,
        partial(
            financing.add, kode=FACILITY, date=akad, kreditur="Bank Rakyat Indonesia",
            plafon=Decimal(500_000_000), bunga_persen=Decimal(6), tenor=72, masa_tenggang=6,
            jatuh_tempo=12,
        ),
    )  # fmt: skip
    for on, amount, use in (
        (dt.date(YEAR, 7, 12), 250_000_000, "Pembangunan gedung gerai"),
        (dt.date(YEAR, 10, 12), 250_000_000, "Kendaraan angkut dan modal kerja"),
    ):
        ev.add(
            on,
            partial(
                financing.draw, kode=FACILITY, amount=Decimal(amount), date=on, untuk=use,
                unit="sembako",
            ),
        )  # fmt: skip
    for name, kelompok, price, on, via, giver, unit in (
        ("Gedung gerai sembako", "bangunan", 200_000_000, dt.date(YEAR, 8, 1), "bank", None,
         "sembako"),
        ("Mobil pick-up", "kendaraan", 120_000_000, dt.date(YEAR, 10, 20), "bank", None,
         "logistik"),
        (
            "Mesin cold storage", "mesin", 60_000_000, dt.date(YEAR, 11, 3), "hibah",
            "Kementerian Koperasi", "cold-storage",
        ),
    ):  # fmt: skip
        ev.add(
            on,
            partial(
                fixed_assets.acquire, nama=name, kelompok=kelompok, harga=Decimal(price), date=on,
                unit=unit, via=via, pemberi=giver,
            ),
        )  # fmt: skip
    for month in (11, 12):  # what the new assets earn: deliveries and cold-storage rent
        on = dt.date(YEAR, month, 26)
        for unit, amount, what, who in (
            ("logistik", 6_000_000, "Jasa angkutan pick-up", "Toko Tani Makmur"),
            ("cold-storage", 7_500_000, "Sewa ruang cold storage", "Pedagang Ikan Pak Darto"),
        ):
            ev.add(
                on,
                partial(
                    jasa.record, unit=unit, amount=Decimal(amount), date=on,
                    layanan=f"{what} {on:%m-%Y}", pelanggan=who, via="bank",
                ),
            )  # fmt: skip
    for month in (8, 9, 10, 12):
        on = dt.date(YEAR, month, 12)
        ahead = PREPAID if month == 12 else Decimal(0)
        ev.add(on, partial(_pay_instalment, date=on, ahead=ahead))
    missed = dt.date(YEAR, 11, 14)  # the cooperative's account fell short in November
    ev.add(missed, partial(_bailout, date=missed))
    end = dt.date(YEAR, 12, 31)
    ev.add(end, partial(fixed_assets.depreciate, month=f"{YEAR}-12"))
    ev.add(end, partial(financing.accrue, month=f"{YEAR}-12"))
    ev.add(end, partial(_count_everything, date=end))


def _due(book: Book, date: dt.date) -> Decimal:
    """What the facility's instalment due on `date` asks for (with any arrears)."""
    f = facility.require(book, FACILITY)
    st = facility.state(book, f, date)
    row = next(r for r in facility.plan_of(book, f) if r.jatuh_tempo == date)
    return (
        st.tunggakan_pokok + st.tunggakan_bunga
        if st.tunggakan_pokok + st.tunggakan_bunga
        else row.angsuran
    )


# December: the sembako unit's surplus repays part of the facility ahead of the schedule
# (pelunasan dipercepat), the tenor kept and the instalments from 2026 lower (#11).
PREPAID = Decimal(50_000_000)


def _pay_instalment(book: Book, *, date: dt.date, ahead: Decimal) -> list[data.Directive]:
    return financing.pay(book, FACILITY, _due(book, date) + ahead, date, kurangi="angsuran")


def _bailout(book: Book, *, date: dt.date) -> list[data.Directive]:
    return financing.bailout(
        book,
        FACILITY,
        _due(book, date - dt.timedelta(days=2)),
        date,
        dari="Pemerintah Desa Sukamaju",
    )


def _count_everything(book: Book, *, date: dt.date) -> list[data.Directive]:
    """The December stock count of every item not counted yet: each found as booked."""
    done = outlet.last_counts(book)
    entries: list[data.Directive] = []
    for row in outlet.stock(book, date):
        last = done.get(row.item.kode)
        if row.jumlah and not (last and last.tanggal.month == 12 and last.tanggal.year == YEAR):
            entries += outlet.count(book, row.item.kode, row.jumlah, date)
    return entries


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
    _banking(ev)
    _service_units(people, ev)
    _own_money(ev)
    _apotek(people, ev)
    _lpg(people, ev)
    for month in (4, 7, 10, 12):
        paid_on = dt.date(YEAR, month, 20)
        ev.add(paid_on, partial(_pay_suppliers, date=paid_on))
    ev.add(dt.date(YEAR, 12, 31), partial(accrual.accrue, year=YEAR, month=12))
    _savings_products(ev)

    _counter(ev)
    _taxes(ev)  # last: a month's PPh final comes after the month's last sale
    return sorted(ev.items, key=lambda e: (e[0], e[1]))


# (name, jabatan, PTKP status or kind, monthly gross, unit, via, first month) of the payroll (#12).
PAYROLL: tuple[tuple[str, str, str, int, str | None, str, int], ...] = (
    ("Hendra Gunawan", "Manajer", "K/1", 3_000_000, "kantor", "bank", 7),
    ("Fitri Handayani", "Kasir gerai", "TK/0", 1_500_000, "sembako", "kas", 7),
    ("Rudi Setiawan", "Staf logistik", "TK/1", 1_500_000, "logistik", "bank", 7),
    ("Yusuf Hidayat", "Pengawas (honor)", payroll.NON_EMPLOYEE, 500_000, "kantor", "kas", 1),
    ("Dewi Lestari", "Pengelola gerai (honor)", payroll.NON_EMPLOYEE, 750_000, None, "kas", 1),
    (
        "Sari Wulandari",
        "Perawat klinik (honor)",
        payroll.NON_EMPLOYEE,
        2_000_000,
        "klinik",
        "kas",
        1,
    ),
)


def _tax_rules(text: str) -> str:
    """The cooperative, registered in 2025, pays PPh final 0,5 % (PP 55/2022) (#12)."""
    return text.replace("  pph_final: false ", "  pph_final: true  ", 1)


def _taxes(ev: _Events) -> None:
    """Taxes (#12): a manager and two staff paid on the 25th from July (when the financing
    lets the KDMP hire), the honoraria of a supervisor, the outlet's keeper and the clinic's
    nurse every month (PPh 21 on 50 % of gross), PPh
    final 0,5 % computed at every month end, and the month's PPh final and PPh 21 paid on the
    10th of the next month (December's stay payable into January)."""
    for month in range(1, 13):
        masa = pphfinal.Month(YEAR, month)
        payday = dt.date(YEAR, month, 25)
        for nama, jabatan, status, gross, unit, via, first in PAYROLL:
            if month < first:
                continue
            kind = payroll.NON_EMPLOYEE if status == payroll.NON_EMPLOYEE else payroll.EMPLOYEE
            ev.add(
                payday,
                partial(
                    payroll.plan_pay, nama=nama, amount=Decimal(gross), masa=masa, date=payday,
                    jabatan=jabatan, status_ptkp=None if kind != payroll.EMPLOYEE else status,
                    pegawai=kind, unit=unit, via=via,
                ),
            )  # fmt: skip
        ev.add(masa.end, partial(pphfinal.plan_compute, masa=masa))
        if month < 12:
            due = dt.date(YEAR, month + 1, 10)
            for jenis in ("pph-final-umkm", "pph-21"):
                ev.add(due, partial(_pay_tax, jenis=jenis, masa=masa, date=due))


def _pay_tax(
    book: Book, *, jenis: str, masa: pphfinal.Month, date: dt.date
) -> list[data.Directive]:
    """A tax payable of the month, in full, from the cash box (with its NTPN)."""
    account = pphfinal.tax_accounts(book)[jenis]
    owed = pphfinal.outstanding(book, account, masa.kode, date)
    if owed <= 0:
        return []
    ntpn = f"DEMO{jenis[4:].upper().replace('-', '')}{masa.year}{masa.month:02d}"[:16].ljust(
        16, "0"
    )
    return pphfinal.plan_pay(book, jenis, masa, owed, date, ntpn=ntpn, via="kas")


LPG = "LPG-3KG"
LPG_START = dt.date(YEAR, 3, 3)
LPG_AGENT = "PT Agen Gas Sukamaju"
# Pangkalan prices: bought from the agent, sold at the local HET (set by the regional government).
LPG_COST, LPG_PRICE, LPG_MEMBER = 16_000, 19_000, 18_500


def _agency_unit(text: str) -> str:
    """The KDMP also runs an LPG 3 kg pangkalan: an eighth unit, barang (#10)."""
    apotek = "  - {kode: apotek, nama: Apotek desa, jenis: barang, keluar: fefo}\n"
    assert apotek in text
    return text.replace(
        apotek, apotek + "  - {kode: lpg, nama: Pangkalan LPG 3 kg, jenis: barang}\n", 1
    )


def _lpg(people: list[Person], ev: _Events) -> None:
    """The pangkalan from March: a load from the agent every Monday (paid by bank), cylinders
    sold every day, members at their own price."""
    rng = random.Random(SEED * 10 + 8)
    ev.add(
        LPG_START,
        partial(
            outlet.add_item, code=LPG, date=LPG_START, nama="LPG 3 kg", satuan="tabung",
            harga_jual=Decimal(LPG_PRICE), harga_anggota=Decimal(LPG_MEMBER), unit="lpg",
        ),
    )  # fmt: skip
    day = LPG_START
    while day.year == YEAR:
        if day.weekday() == 0:
            ev.add(
                day,
                partial(
                    outlet.purchase, code=LPG, qty=Decimal(60), price=Decimal(LPG_COST), date=day,
                    pemasok=LPG_AGENT, via="bank",
                ),
            )  # fmt: skip
        elif day.weekday() < 6:
            person = rng.choice(people[:80])
            buyer = person.nak if rng.random() < 0.6 and person.masuk <= day else None
            if buyer == EXIT_NAK and day >= EXIT_ON:
                buyer = None
            line = outlet.SaleLine(LPG, Decimal(rng.randint(5, 9)))
            ev.add(day, partial(outlet.sell, requests=[outlet.SaleRequest(day, (line,), buyer)]))
        day += dt.timedelta(days=1)


def _kdmp_rules(text: str) -> str:
    """The rules a KDMP is held to (#13): the village's imbal jasa of at least 20 % of net
    profit (Permendesa 10/2025 Pasal 7) and loan jasa recognised as it accrues (SAK EP)."""
    text = text.replace("  kdmp: false ", "  kdmp: true  ", 1)
    text = text.replace(
        "    cadangan: 40\n",
        '    imbal_jasa_desa: {persen: 20, nama: "Imbal jasa Pemerintah Desa", dasar: shu_total}\n'
        "    cadangan: 40\n",
        1,
    )
    return text.replace("  pengakuan_jasa: kas ", "  pengakuan_jasa: akrual ", 1)


# Savings products (#12): jasa on sukarela every month, and three time deposits — one cashed
# at maturity with PPh final withheld (60.000.000 at 6 %: 300.000 a month, above Rp240.000),
# one cashed early with the penalty, one still running at the year end.
JASA_SUKARELA_PERSEN = 4
TERM_DEPOSITS = (
    # nak, amount, tenor, rate, opened, via, cashed (None: still running)
    ("A0003", 60_000_000, 6, "6", dt.date(YEAR, 3, 3), "bank", dt.date(YEAR, 9, 3)),
    ("A0010", 5_000_000, 6, "5.5", dt.date(YEAR, 5, 2), "kas", dt.date(YEAR, 8, 15)),
    ("A0005", 10_000_000, 12, "6", dt.date(YEAR, 4, 2), "kas", None),
)


def _savings_rules(text: str) -> str:
    """The example pays jasa on sukarela (a decision of its Rapat Anggota)."""
    return text.replace(
        "  jasa_sukarela_persen_tahun: 0 ",
        f"  jasa_sukarela_persen_tahun: {JASA_SUKARELA_PERSEN} ",
        1,
    )


def _month_interest(book: Book, *, month: int) -> list[data.Directive]:
    """The month's jasa on sukarela; nothing in a month without balances to pay it on."""
    if not interest.compute(book, YEAR, month):
        return []
    return interest.plan(book, YEAR, month, today=dates.month_end(YEAR, month))


def _savings_products(ev: _Events) -> None:
    for month in range(1, 13):
        ev.add(dates.month_end(YEAR, month), partial(_month_interest, month=month))
    for nak, amount, tenor, rate, opened, via, cashed in TERM_DEPOSITS:
        ev.add(
            opened,
            partial(
                term_deposits.open_deposit, nak=nak, amount=Decimal(amount), date=opened,
                tenor=tenor, rate=Decimal(rate), via=via,
            ),
        )  # fmt: skip
        if cashed is not None:
            ev.add(cashed, partial(_cash_deposit, nak=nak, opened=opened, date=cashed, via=via))
    # The deposit still running at the year end: its interest so far is a 2025 expense (SAK EP).
    ev.add(
        dt.date(YEAR, 12, 31), partial(term_deposits.accrue, year=YEAR, today=dt.date(YEAR, 12, 31))
    )


def _cash_deposit(
    book: Book, *, nak: str, opened: dt.date, date: dt.date, via: str
) -> list[data.Directive]:
    found = next(
        d for d in term_deposits.deposits_of(book).values() if d.nak == nak and d.tanggal == opened
    )
    return term_deposits.cash_out(book, found.id, date, via=via)


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
        kolektibilitas="bank-umum",
        organisasi=_organisasi(people),
        identitas=IDENTITAS,
    )
    return Script(
        _savings_rules(_tax_rules(_agency_unit(_kdmp_rules(text)))),
        {**_rat_inputs(people), **_rat_book_parts(), **_rat_meeting(people)},
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
        "rat": {
            "ke": 1,
            "tanggal": RAT_DATE.strftime("%d-%m-%Y"),
            "tempat": "Balai Desa Sukamaju",
            "pukul": "09.00 WIB",
        },
        "batas_pelaporan": f"30-04-{YEAR + 1}",
        "pengantar": (
            f"Puji syukur, tahun buku {YEAR} adalah tahun pertama {NAMA}. Koperasi membuka gerai "
            "sembako, apotek desa dan unit simpan pinjam bagi anggota. Buku ini memuat "
            "pertanggungjawaban pengurus atas pengelolaan koperasi selama tahun buku tersebut."
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
        "rapb": {
            "sembako": 12_000_000,
            "apotek": 2_500_000,
            "simpan-pinjam": 500_000,
            "klinik": 20_000_000,
            "cold-storage": 8_000_000,
            "logistik": 5_000_000,
            "lpg": 1_500_000,
        },
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


def _rat_meeting(people: list[Person]) -> dict[str, object]:
    """After the RAT (#18): who signed the attendance list (two of every three members with a
    vote), the chair and minute-taker, and the decisions taken."""
    voters = [p for p in people if p.nak != EXIT_NAK and p.masuk <= RAT_DATE]
    return {
        "kehadiran": {
            "hadir": [p.nak for i, p in enumerate(voters) if i % 3 != 2],
            "tamu": 4,
            "pimpinan_rapat": people[0].nama,
            "notulis": people[2].nama,
        },
        "keputusan": [
            f"Mengesahkan laporan pertanggungjawaban pengurus tahun buku {YEAR}.",
            f"Menetapkan pembagian SHU tahun buku {YEAR} sesuai usulan pengurus.",
            f"Mengesahkan rencana kerja dan RAPB tahun {YEAR + 1}.",
        ],
    }


def _rat_book_parts() -> dict[str, object]:
    """The pengawas' report in its parts, commitments and events after the reporting date (#18)."""
    return {
        "laporan_pengawas": {
            "ruang_lingkup": (
                "Pemeriksaan buku besar, kas harian, stok gerai dan apotek, berkas pinjaman "
                f"anggota serta pembiayaan bank selama tahun buku {YEAR}."
            ),
            "temuan": [
                "Pembukuan rapi; setiap angka laporan dapat ditelusuri ke bukti transaksinya.",
                "Satu pinjaman anggota macet dan beberapa anggota menunggak simpanan wajib.",
            ],
            "rekomendasi": [
                "Menagih pinjaman macet lebih aktif dan melaporkannya tiap bulan.",
                "Mengingatkan anggota yang menunggak simpanan wajib.",
            ],
            "tanggapan_pengurus": (
                "Pengurus menerima rekomendasi dan memasukkannya ke rencana kerja tahun depan."
            ),
            "tanggal": f"01-03-{YEAR + 1}",
            "kepala_desa": {
                "nama": "Hadi Prasetyo (contoh)",
                "peran": (
                    "Kepala Desa Sukamaju; menyetujui pembiayaan dan menerima laporan triwulan "
                    "koperasi (Permendesa 10/2025 Pasal 9)"
                ),
            },
        },
        "komitmen": [
            "Angsuran pembiayaan bank sesuai jadwal yang dihitung ulang sesudah pelunasan "
            "dipercepat Rp50.000.000 pada Desember (lihat catatan pinjaman yang diterima).",
        ],
        "peristiwa_setelah": [
            f"Tidak ada peristiwa penting setelah 31 Desember {YEAR} yang mengubah laporan ini.",
        ],
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
        *((chart.SIMPANAN_LABELS[k].capitalize(), money.fmt(v)) for k, v in recap.saldo.items()),
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
        (
            "Imbal jasa Pemerintah Desa",
            f"{money.fmt(sheet.lain.get('imbal_jasa_desa', Decimal(0)))} "
            "(20 % SHU, Permendesa 10/2025)",
        ),
    ]
