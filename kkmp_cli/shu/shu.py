"""SHU (UU 25/1992 Pasal 45): the year's result split into pools by the AD/ART percentages, and
the member pools shared by each member's simpanan and business with the cooperative.

Arithmetic is exact (Fraction); the rounding rule is stated once: every fund pool and every
member's jasa modal and jasa usaha are rounded down to the rupiah; what rounding leaves, and any
pool with nobody to share it, goes to cadangan as `sisa_pembulatan`. The sheet reconciles:
Σ members + cadangan + funds + sisa_pembulatan = SHU, to the rupiah.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from beancount.core import data

from kkmp_cli import accounts, chart, dates, money
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError
from kkmp_cli.members import register as members
from kkmp_cli.reports import statements
from kkmp_cli.units import registry

ZERO = Decimal(0)
FUND_ACCOUNTS = {
    "pengurus": chart.DANA_PENGURUS,
    "karyawan": chart.DANA_KARYAWAN,
    "pendidikan": chart.DANA_PENDIDIKAN,
    "sosial": chart.DANA_SOSIAL,
}
DISTRIBUTION = "shu-bagi"


class TidakAdaSHU(KkmpError):
    """A loss (or zero): nothing to distribute."""


class SHUDitolak(KkmpError):
    """Distribution before closing, or a second time."""


@dataclass(frozen=True)
class MemberShare:
    nak: str
    nama: str
    jasa_modal: Decimal
    jasa_usaha: dict[str, Decimal]
    dasar_modal: Decimal
    dasar_usaha: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return self.jasa_modal + sum(self.jasa_usaha.values(), ZERO)


@dataclass(frozen=True)
class Sheet:
    tahun: int
    status: str  # "final" after tutup-buku, else "sementara"
    shu: Decimal
    shu_anggota: Decimal
    shu_non_anggota: Decimal
    cadangan: Decimal  # before sisa_pembulatan
    jasa_modal: Decimal
    jasa_usaha: dict[str, Decimal]
    dana: dict[str, Decimal]
    anggota: list[MemberShare]
    sisa_pembulatan: Decimal
    dasar_total: dict[str, Decimal]
    persen: dict[str, object]

    @property
    def total_anggota(self) -> Decimal:
        return sum((m.total for m in self.anggota), ZERO)

    def reconciles(self) -> bool:
        return (
            self.total_anggota
            + self.cadangan
            + sum(self.dana.values(), ZERO)
            + self.sisa_pembulatan
            == self.shu
        )


def _floor(value: Fraction) -> Decimal:
    return Decimal(value.numerator // value.denominator)


def _bases(book: Book, year: int) -> dict[str, dict[str, Decimal]]:
    """Per service line, each member's transactions with the cooperative in `year`."""
    rules = book.config.shu
    start, end = statements.year_bounds(year)
    # Business with members: gerai sales and jasa services (#10).
    member_revenue = registry.member_revenue(book)
    sales: dict[str, Decimal] = defaultdict(Decimal)
    jasa: dict[str, Decimal] = defaultdict(Decimal)
    lent: dict[str, Decimal] = defaultdict(Decimal)
    # A disbursement reversed by koreksi never happened for the member; a loan brought over
    # from older books (saldo awal) was not lent this year.
    undone = {
        t.meta.get("koreksi") for t in book.transactions() if t.meta.get("jenis") == "koreksi"
    }
    for entry in book.transactions(start, end):
        nak = entry.meta.get("anggota")
        if not isinstance(nak, str):
            continue
        for p in entry.postings:
            if p.account in member_revenue:
                sales[nak] -= ledger.number(p)
            elif p.account == chart.JASA_PINJAMAN:
                jasa[nak] -= ledger.number(p)
        if (
            entry.meta.get("jenis") == "pinjaman-cair"
            and entry.meta.get("saldo_awal") != "ya"
            and entry.meta.get("id") not in undone
        ):
            lent[nak] += Decimal(entry.meta["pokok"])
    loans = jasa if rules.dasar_jasa_pinjaman == "jasa" else lent
    bases = {"penjualan": dict(sales), "pinjaman": dict(loans)}
    if "usaha" in rules.jasa_usaha:
        combined: dict[str, Decimal] = defaultdict(Decimal)
        for line in ("penjualan", "pinjaman"):
            for nak, value in bases[line].items():
                combined[nak] += value
        bases["usaha"] = dict(combined)
    return bases


def _capital(book: Book, nak: str, year: int, kinds: tuple[str, ...], when: str) -> Decimal:
    """The member's simpanan for jasa modal: the 31 December balance, or (rata_rata) the
    average of the twelve month-end balances, so money held all year weighs more."""

    def at(date: dt.date) -> Decimal:
        balances = members.simpanan_balances(book, nak, date)
        return sum((balances[k] for k in kinds), ZERO)

    if when == "rata_rata":
        month_ends = [dates.month_end(year, m) for m in range(1, 13)]
        return sum((at(d) for d in month_ends), ZERO) / 12
    return at(dt.date(year, 12, 31))


def compute(book: Book, year: int) -> Sheet:
    """The SHU sheet of `year` (sementara before tutup-buku, final after)."""
    statements.check_year(book, year)
    rules = book.config.shu
    result = statements.results(book, year)
    if result.shu <= 0:
        word = "rugi" if result.shu < 0 else "tanpa sisa hasil usaha"
        raise TidakAdaSHU(
            f"Tahun {year} {word} ({money.fmt(result.shu)}); tidak ada SHU untuk dibagi."
        )
    shu_member, shu_non = statements.member_share(book, result)
    base_member = Fraction(shu_member)
    jm_pool = _floor(base_member * Fraction(rules.jasa_modal) / 100)
    ju_pools = {
        line: _floor(base_member * Fraction(pct) / 100) for line, pct in rules.jasa_usaha.items()
    }
    funds = {k: _floor(base_member * Fraction(pct) / 100) for k, pct in rules.dana.items()}
    cadangan = result.shu - jm_pool - sum(ju_pools.values(), ZERO) - sum(funds.values(), ZERO)

    end = dt.date(year, 12, 31)
    register = members.register(book)
    modal = {}
    for nak, registered in register.items():
        if registered.masuk > end:
            continue
        modal[nak] = _capital(book, nak, year, rules.jasa_modal_dari, rules.jasa_modal_waktu)
    bases = _bases(book, year)
    totals = {"jasa_modal": sum((v for v in modal.values() if v > 0), ZERO)}
    for line in ju_pools:
        totals[line] = sum((v for v in bases[line].values() if v > 0), ZERO)

    shares = []
    for nak in sorted(set(modal) | {n for line in ju_pools for n in bases[line]}):
        person = register.get(nak)
        if person is None:
            continue
        s = max(modal.get(nak, ZERO), ZERO)
        jm = (
            _floor(Fraction(s) / Fraction(totals["jasa_modal"]) * Fraction(jm_pool))
            if totals["jasa_modal"]
            else ZERO
        )
        ju = {}
        usaha_base = {}
        for line, pool in ju_pools.items():
            v = max(bases[line].get(nak, ZERO), ZERO)
            usaha_base[line] = v
            ju[line] = (
                _floor(Fraction(v) / Fraction(totals[line]) * Fraction(pool))
                if totals[line]
                else ZERO
            )
        share = MemberShare(nak, person.nama, jm, ju, s, usaha_base)
        if share.total > 0 or person.active_on(end):
            shares.append(share)
    distributed = sum((s.total for s in shares), ZERO)
    residual = jm_pool + sum(ju_pools.values(), ZERO) - distributed
    status = "final" if year in book.closed_years() else "sementara"
    persen: dict[str, object] = {
        "cadangan": rules.cadangan,
        "jasa_modal": rules.jasa_modal,
        "jasa_usaha": dict(rules.jasa_usaha),
        **rules.dana,
    }
    sheet = Sheet(
        year,
        status,
        result.shu,
        shu_member,
        shu_non,
        cadangan,
        jm_pool,
        ju_pools,
        funds,
        shares,
        residual,
        totals,
        persen,
    )
    assert sheet.reconciles()
    return sheet


def distributed_years(book: Book) -> dict[int, data.Transaction]:
    return {
        int(str(t.meta["tahun"])): t
        for t in book.transactions()
        if t.meta.get("jenis") == DISTRIBUTION
    }


def distribute(
    book: Book, year: int, date: dt.date, *, ke: str = "sukarela"
) -> list[data.Directive]:
    """Post the SHU after the RAT decides: pools to cadangan and the funds, members' shares to
    their simpanan sukarela, to a payable per member, or paid out in cash."""
    if ke not in ("kas", "sukarela", "utang"):
        raise SHUDitolak("--ke harus kas, sukarela atau utang.")
    if year not in book.closed_years():
        raise SHUDitolak(
            f"Tahun buku {year} belum ditutup; jalankan dulu 'kkmp tutup-buku {year}'."
        )
    if year in distributed_years(book):
        doc = distributed_years(book)[year].meta.get("id")
        raise SHUDitolak(f"SHU {year} sudah dibagikan ({doc}); tidak dibagikan dua kali.")
    if date <= dt.date(year, 12, 31):
        raise SHUDitolak(f"Pembagian SHU {year} dicatat sesudah tahun buku itu berakhir.")
    sheet = compute(book, year)
    source = f"{chart.SHU_BELUM_DIBAGI}:{year}"
    if -book.balance(source) != sheet.shu:
        raise SHUDitolak(
            f"Saldo {source} ({money.fmt(-book.balance(source))}) tidak sama dengan SHU {money.fmt(sheet.shu)}."
        )
    entries: list[data.Directive] = []
    postings = [
        ledger.posting(source, sheet.shu),
        ledger.posting(chart.CADANGAN, -(sheet.cadangan + sheet.sisa_pembulatan)),
    ]
    opened = set(book.opens())
    closed = set(book.closes())
    for key, amount in sheet.dana.items():
        if amount:
            postings.append(ledger.posting(FUND_ACCOUNTS[key], -amount))
    for share in sheet.anggota:
        if share.total <= 0:
            continue
        member = members.get(book, share.nak)
        if ke == "kas":
            # One cash line per member, so the payout stays traceable to each member.
            postings.append(
                data.Posting(
                    chart.KAS,
                    data.Amount(-share.total, ledger.CURRENCY),
                    None,
                    None,
                    None,
                    {"anggota": share.nak},
                )
            )
            continue
        account = chart.member_account(chart.SUKARELA, share.nak)
        if ke == "utang" or account in closed or not member.active_on(date):
            account = chart.member_account(chart.UTANG_SHU, share.nak)
        if account not in opened:
            opened.add(account)
            parent = account.rsplit(":", 1)[0]
            entries.append(members.open_subaccount(book, parent, member))
        postings.append(ledger.posting(account, -share.total))

    prefix = "BKK" if ke == "kas" else "BM"
    meta = {
        "id": book.next_id(prefix, date.year),
        "jenis": DISTRIBUTION,
        "tahun": str(year),
        "ke": ke,
    }
    narration = f"Pembagian SHU tahun buku {year} menurut keputusan RAT"
    entries.append(ledger.transaction(date, narration, postings, meta=meta))
    return [*coop.missing_chart_opens(book), *entries]


def pay(book: Book, nak: str, date: dt.date, *, via: str = "kas") -> list[data.Directive]:
    """Pay out a member's SHU held as a payable: what was owed on `date` and is still owed
    after every payment recorded (also those dated later)."""
    member = members.get(book, nak)
    account = chart.member_account(chart.UTANG_SHU, member.nak)
    owed_now = -book.balance(account)
    if owed_now <= 0:
        raise SHUDitolak(f"Tidak ada SHU yang belum dibayar kepada {member.nak} ({member.nama}).")
    owed = min(owed_now, -book.balance_on(account, date))
    if owed <= 0:
        first = next(m for m in book.movements(account) if m.amount < 0 and m.date > date)
        raise SHUDitolak(
            f"SHU {member.nak} ({member.nama}) baru dibagikan pada {first.date:%d-%m-%Y}; "
            f"pembayarannya tidak dapat bertanggal {date:%d-%m-%Y}."
        )
    cash = accounts.via(book, via)
    meta = {
        "id": book.next_id(cash.doc_out, date.year),
        "anggota": member.nak,
        "jenis": "shu-bayar",
    }
    postings = [ledger.posting(account, owed), ledger.posting(cash.akun, -owed)]
    return [
        ledger.transaction(date, "Pembayaran SHU anggota", postings, payee=member.nama, meta=meta)
    ]


def member_history(book: Book, nak: str) -> list[tuple[int, Decimal, str]]:
    """(year, amount, where it went) for every SHU distribution that reached the member."""
    result = []
    for year, txn in sorted(distributed_years(book).items()):
        for p in txn.postings:
            if p.account.rsplit(":", 1)[-1] == nak or (p.meta or {}).get("anggota") == nak:
                result.append((year, -ledger.number(p), str(txn.meta.get("ke", ""))))
    return result
