"""Jasa simpanan: the month's interest on sukarela, credited to each member less the final PPh
on interest (PP 15/2009), once per month; the withholding rule shared with time deposits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, dates, money
from kkmp_cli.core import ledger
from kkmp_cli.core.config import SimpananRules
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding, KkmpError, PeriodeDitutup
from kkmp_cli.members import register as members

ZERO = Decimal(0)
JASA = "jasa-simpanan"
BASES = {"saldo_terendah": "saldo terendah", "rata_rata_harian": "saldo rata-rata harian"}


class JasaSimpananDitolak(KkmpError):
    """Interest for a month that cannot get it: no rate, a future or closed month, done twice."""


def withholding(rules: SimpananRules, gross: Decimal, monthly: Decimal | None = None) -> Decimal:
    """Final PPh on interest (PP 15/2009 Pasal 2): nothing when the member's interest in a month
    is at most the threshold (Rp240.000), else the rate (10 %) of the gross interest, rounded
    down to the rupiah. `monthly` is the interest per month when `gross` covers several."""
    per_month = gross if monthly is None else monthly
    if per_month <= rules.pph_bunga_batas_bulan:
        return ZERO
    return money.floor(gross * rules.pph_bunga_persen / 100)


def parse_month(text: str) -> tuple[int, int]:
    """'2025-03' -> (2025, 3)."""
    try:
        year_text, month_text = text.strip().split("-")
        year, month = int(year_text), int(month_text)
    except ValueError as exc:
        raise JasaSimpananDitolak(
            f"Bulan '{text}' tidak dikenal; tulis YYYY-MM, mis. 2025-03."
        ) from exc
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise JasaSimpananDitolak(f"Bulan '{text}' tidak dikenal; tulis YYYY-MM, mis. 2025-03.")
    return year, month


def daily_balances(book: Book, account: str, start: dt.date, end: dt.date) -> list[Decimal]:
    """The account's credit balance at the end of every day from `start` to `end`."""
    balance = -book.balance_on(account, start - dt.timedelta(days=1))
    by_day: dict[dt.date, Decimal] = {}
    for m in book.movements(account):
        if start <= m.date <= end:
            by_day[m.date] = by_day.get(m.date, ZERO) - m.amount
    result = []
    day = start
    while day <= end:
        balance += by_day.get(day, ZERO)
        result.append(balance)
        day += dt.timedelta(days=1)
    return result


def base_balance(book: Book, account: str, year: int, month: int, how: str) -> Decimal:
    """The balance the month's interest is paid on: the lowest end-of-day balance of the month
    (saldo_terendah), or the mean of the end-of-day balances over its calendar days
    (rata_rata_harian); never below zero."""
    start, end = dt.date(year, month, 1), dates.month_end(year, month)
    days = daily_balances(book, account, start, end)
    value = min(days) if how == "saldo_terendah" else sum(days, ZERO) / len(days)
    return max(value, ZERO)


@dataclass(frozen=True)
class Credit:
    """One member's interest for the month."""

    nak: str
    nama: str
    saldo: Decimal  # the base balance
    jasa: Decimal  # gross interest
    pph: Decimal  # final PPh withheld
    id: str = ""

    @property
    def bersih(self) -> Decimal:
        return self.jasa - self.pph


def credited(book: Book, label: str) -> dict[str, str]:
    """Members whose interest for month `label` is booked, with the document of each."""
    return {
        str(t.meta.get("anggota")): str(t.meta.get("id", ""))
        for t in book.transactions()
        if t.meta.get("jenis") == JASA and str(t.meta.get("bulan")) == label
    }


def compute(book: Book, year: int, month: int) -> list[Credit]:
    """Every active member's interest for the month not booked yet (members with none left out).

    Monthly interest = base × rate ÷ 12 (each month is a twelfth of the year, whatever its
    days), rounded down to the rupiah; the PPh is judged on that month's interest alone."""
    rules = book.config.simpanan
    label = f"{year:04d}-{month:02d}"
    end = dates.month_end(year, month)
    done = credited(book, label)
    result = []
    for member in sorted(members.register(book).values(), key=lambda m: m.nak):
        # A member who has left is settled: nothing may be added for them, even back-dated
        # (the exit paid out the balance), so jasa for the months before is run before the exit.
        if not member.active_on(end) or member.keluar is not None or member.nak in done:
            continue
        account = chart.member_account(chart.SUKARELA, member.nak)
        if account not in book.opens():
            continue
        saldo = base_balance(book, account, year, month, rules.jasa_sukarela_saldo)
        jasa = money.floor(saldo * rules.jasa_sukarela_persen_tahun / 100 / 12)
        if jasa > 0:
            pph = withholding(rules, jasa)
            result.append(Credit(member.nak, member.nama, money.floor(saldo), jasa, pph))
    return result


def plan(book: Book, year: int, month: int, today: dt.date | None = None) -> list[data.Directive]:
    """The month's interest entries, one per member, dated the month's last day."""
    rules = book.config.simpanan
    label = f"{year:04d}-{month:02d}"
    rate = rules.jasa_sukarela_persen_tahun
    if rate <= 0:
        raise JasaSimpananDitolak(
            "koperasi.yaml tidak memberi jasa simpanan sukarela (simpanan."
            "jasa_sukarela_persen_tahun: 0); isi persennya menurut keputusan Rapat Anggota."
        )
    if year in book.closed_years():
        raise PeriodeDitutup(f"Tahun buku {year} sudah ditutup; jasa simpanan {label} ditolak.")
    end = dates.month_end(year, month)
    if end > (today or dt.date.today()):
        raise JasaSimpananDitolak(
            f"Bulan {label} belum selesai (berakhir {end:%d-%m-%Y}); jasa simpanan dihitung "
            "sesudah akhir bulan."
        )
    credits = compute(book, year, month)
    if not credits:
        done = credited(book, label)
        if done:
            raise JasaSimpananDitolak(
                f"Jasa simpanan bulan {label} sudah dicatat ({len(done)} anggota, "
                f"{min(done.values())} dst.); tidak ada yang ditambahkan."
            )
        raise JasaSimpananDitolak(
            f"Tidak ada jasa simpanan untuk bulan {label}: tidak ada saldo simpanan sukarela."
        )
    entries: list[data.Directive] = []
    for c in credits:
        account = chart.member_account(chart.SUKARELA, c.nak)
        postings = [
            ledger.posting(chart.BEBAN_JASA_SIMPANAN, c.jasa),
            ledger.posting(account, -c.bersih),
        ]
        narration = (
            f"Jasa simpanan sukarela bulan {label}: {money.fmt_pct(rate)} setahun atas "
            f"{BASES[rules.jasa_sukarela_saldo]} {money.fmt(c.saldo)}"
        )
        if c.pph:
            postings.append(ledger.posting(chart.UTANG_PPH_BUNGA, -c.pph))
            narration += f", dipotong PPh final {money.fmt(c.pph)} (PP 15/2009)"
        meta = {
            "id": book.next_id("BM", year),
            "anggota": c.nak,
            "jenis": JASA,
            "bulan": label,
            "jasa": c.jasa,
            "pph": c.pph,
        }
        entries.append(ledger.transaction(end, narration, postings, payee=c.nama, meta=meta))
    return entries


def credits_of(entries: list[data.Directive]) -> list[Credit]:
    """What planned (or booked) interest entries credited, for the CLI's summary."""
    result = []
    for e in entries:
        if isinstance(e, data.Transaction) and e.meta.get("jenis") == JASA:
            jasa, pph = Decimal(e.meta["jasa"]), Decimal(e.meta["pph"])
            result.append(
                Credit(str(e.meta["anggota"]), e.payee or "", ZERO, jasa, pph, e.meta["id"])
            )
    return result


def findings(book: Book) -> list[Finding]:
    """Each interest entry must withhold exactly what PP 15/2009 asks and balance its parts;
    one entry per member and month."""
    rules = book.config.simpanan
    found = []
    seen: set[tuple[str, str]] = set()
    for t in book.transactions():
        if t.meta.get("jenis") != JASA:
            continue
        where = (str(t.meta.get("filename", "?")), int(t.meta.get("lineno", 0) or 0))
        key = (str(t.meta.get("anggota")), str(t.meta.get("bulan")))
        if key in seen:
            found.append(Finding(*where, f"jasa simpanan {key[1]} untuk {key[0]} dicatat dua kali"))
        seen.add(key)
        expense = sum(
            (ledger.number(p) for p in t.postings if p.account == chart.BEBAN_JASA_SIMPANAN), ZERO
        )
        tax = -sum(
            (ledger.number(p) for p in t.postings if p.account == chart.UTANG_PPH_BUNGA), ZERO
        )
        if tax != withholding(rules, expense):
            found.append(
                Finding(
                    *where,
                    f"PPh final bunga {money.fmt(tax)} atas jasa {money.fmt(expense)} tidak "
                    f"sesuai PP 15/2009 (seharusnya {money.fmt(withholding(rules, expense))})",
                )
            )
    return found


def months_due(book: Book, nak: str, before: dt.date) -> list[str]:
    """The finished months before `before`, in open years, for which the member would get
    interest and has none booked: the run leaves out a member who has left, so the exit waits
    for them (#23). None when the cooperative pays no interest on sukarela; months before its
    first run are not asked for (it may have started paying interest later)."""
    rules = book.config.simpanan
    account = chart.member_account(chart.SUKARELA, nak)
    if rules.jasa_sukarela_persen_tahun <= 0 or account not in book.opens():
        return []
    done = _months_run(book, account)
    runs = _months_run(book, chart.BEBAN_JASA_SIMPANAN)
    joined = members.get(book, nak).masuk
    year, month = max((joined.year, joined.month), parse_month(min(runs)) if runs else (0, 0))
    closed, today = book.closed_years(), dt.date.today()
    result = []
    while (end := dates.month_end(year, month)) < before and end <= today:
        label = f"{year:04d}-{month:02d}"
        if year not in closed and label not in done:
            saldo = base_balance(book, account, year, month, rules.jasa_sukarela_saldo)
            if money.floor(saldo * rules.jasa_sukarela_persen_tahun / 100 / 12) > 0:
                result.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def _months_run(book: Book, account: str) -> set[str]:
    """The months of the interest entries that post to `account`."""
    return {
        str(m.entry.meta.get("bulan"))
        for m in book.movements(account)
        if m.entry.meta.get("jenis") == JASA
    }
