"""Jasa simpanan: the month's interest on sukarela, credited to each member less the final PPh
on interest (PP 15/2009), once per month; the withholding rule shared with time deposits.

PP 15/2009 Pasal 2 judges a member's interest per month over all their savings (#12): the
month's sukarela jasa and the time deposits' interest of that month (each whole month a deposit
is held belongs to the calendar month it completes in). A payment withholds 10 % of the
member's interest in the months above Rp240.000 so far, rounded down to the rupiah, less what
earlier payments withheld: a later payment catches up on an earlier one of the same month.

The sukarela rate, and the PPh's rate and threshold, are those in force in the month reckoned
(`SimpananRules.jasa_on`, `SimpananRules.pph_bunga_on`): a month credited again, rechecked by
periksa or waited for by an exit keeps the rules of its month, whatever koperasi.yaml says
for later months (#12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, dates, money, text
from kkmp_cli.core import config, ledger
from kkmp_cli.core.config import SimpananRules
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding, KkmpError, PeriodeDitutup, TanggalTidakValid
from kkmp_cli.loans.schedule import add_months
from kkmp_cli.members import register as members

ZERO = Decimal(0)
JASA = "jasa-simpanan"
# members.term_deposits.OPEN and CASH, spelled here (that module imports this one)
DEPOSIT_OPENED, DEPOSIT_CASHED = "berjangka-buka", "berjangka-cair"
# A deposit of the older books (saldo awal) is entered on the opening day; its own opening day,
# from which its months run, is in this metadata (#22).
DEPOSIT_SINCE = "dibuka"
BASES = {"saldo_terendah": "saldo terendah", "rata_rata_harian": "saldo rata-rata harian"}


class JasaRuns(ledger.Index):
    """Every jasa simpanan entry (document → member and month) and every one a koreksi
    reversed: which months of which member are credited (#12)."""

    version = 1  # raised whenever `fold` changes: a kept copy of another version is not used

    def __init__(self) -> None:
        self.runs: dict[str, tuple[str, str]] = {}
        self.taken_back: set[str] = set()  # jasa documents a koreksi reversed

    def fold(self, entry: data.Directive) -> None:
        if not isinstance(entry, data.Transaction):
            return
        meta = entry.meta
        if meta.get("jenis") == JASA:
            doc = str(meta.get("id") or f"#{len(self.runs)}")
            self.runs[doc] = (str(meta.get("anggota")), str(meta.get("bulan")))
        elif meta.get("jenis_asal") == JASA and "koreksi" in meta:
            self.taken_back.add(str(meta["koreksi"]))


def live_runs(book: Book) -> dict[tuple[str, str], str]:
    """(member, month) → the document of its jasa simpanan, for the runs no koreksi reversed."""
    index = book.index(JasaRuns)
    return {run: doc for doc, run in index.runs.items() if doc not in index.taken_back}


class JasaSimpananDitolak(KkmpError):
    """Interest for a month that cannot get it: no rate, a future or closed month, done twice."""


def due(rules: SimpananRules, months: dict[str, Decimal]) -> Decimal:
    """The final PPh on a member's interest by month (YYYY-MM, PP 15/2009 Pasal 2): nothing for
    a month whose interest is at most the threshold in force in it (Rp240.000), else the rate
    in force in it (10 %) of the month's gross interest; the sum rounded down once to the
    rupiah."""
    owed = ZERO
    for label, gross in months.items():
        rate, threshold = rules.pph_bunga_on(*parse_month(label))
        if gross > threshold:
            owed += gross * rate / 100
    return money.floor(owed)


def basis(rules: SimpananRules, months: Iterable[str]) -> str:
    """The regulations the PPh on the interest of `months` (YYYY-MM) follows, in order: PP
    15/2009, or a later one from its month (`pph_bunga_berubah`; adversarial review, #12)."""
    return " dan ".join(
        dict.fromkeys(rules.pph_bunga_basis(*parse_month(m)) for m in sorted(months))
    )


@dataclass
class Paid:
    """A member's savings interest paid so far: gross by month (YYYY-MM), PPh withheld, and
    the latest entry (where a finding points)."""

    bulan: dict[str, Decimal]
    withheld: Decimal = ZERO
    last: data.Transaction | None = None


def deposit_months(
    opened: dt.date, pokok: Decimal, bunga: Decimal, months: int, jasa: Decimal, paid_on: dt.date
) -> dict[str, Decimal]:
    """A time deposit's interest by the calendar month each whole month held completes in:
    month k holds what k months earn (principal × rate × k ÷ 12, rounded down) less what k-1
    earn, so the months add up to the interest paid, to the rupiah."""
    shares: dict[str, Decimal] = {}
    before = ZERO
    for k in range(1, months + 1):
        upto = jasa if k == months else min(money.floor(pokok * bunga * k / 1200), jasa)
        label = f"{add_months(opened, k):%Y-%m}"
        shares[label] = shares.get(label, ZERO) + upto - before
        before = upto
    if jasa > before:  # none held whole months (a hand-written entry): the month it is paid
        label = f"{paid_on:%Y-%m}"
        shares[label] = shares.get(label, ZERO) + jasa - before
    return shares


def _interest_of(t: data.Transaction, opens: dict[str, data.Transaction]) -> dict[str, Decimal]:
    if t.meta.get("jenis") == JASA:
        gross = sum(
            (ledger.number(p) for p in t.postings if p.account == chart.BEBAN_JASA_SIMPANAN), ZERO
        )
        return {str(t.meta.get("bulan")): gross}
    jasa = Decimal(str(t.meta.get("jasa", 0)))
    opened = opens.get(str(t.meta.get("berjangka")))
    if opened is None:
        return {f"{t.date:%Y-%m}": jasa}
    m = opened.meta
    months = int(Decimal(str(t.meta.get("bulan_jasa", 0))))
    return deposit_months(
        deposit_opened_on(opened),
        Decimal(str(m["pokok"])),
        Decimal(str(m["bunga"])),
        months,
        jasa,
        t.date,
    )


def deposit_opened_on(entry: data.Transaction) -> dt.date:
    """The day a time deposit was opened: its entry's, or the older books' one it carries."""
    since = entry.meta.get(DEPOSIT_SINCE)
    return since if isinstance(since, dt.date) else entry.date


def paid(book: Book) -> dict[str, Paid]:
    """Every member's savings interest paid (sukarela jasa and time-deposit cashings that no
    koreksi reversed)."""

    def build() -> dict[str, Paid]:
        gone: set[str] = set()
        opens: dict[str, data.Transaction] = {}
        rows: list[data.Transaction] = []
        for t in book.transactions():
            jenis = t.meta.get("jenis")
            if "koreksi" in t.meta:
                gone.add(str(t.meta["koreksi"]))
            elif jenis == DEPOSIT_OPENED:
                opens[str(t.meta.get("berjangka"))] = t
            elif jenis in (JASA, DEPOSIT_CASHED):
                rows.append(t)
        found: dict[str, Paid] = {}
        for t in rows:
            if str(t.meta.get("id")) in gone:
                continue
            member = found.setdefault(str(t.meta.get("anggota")), Paid({}))
            for label, amount in _interest_of(t, opens).items():
                member.bulan[label] = member.bulan.get(label, ZERO) + amount
            member.withheld -= sum(
                (ledger.number(p) for p in t.postings if p.account == chart.UTANG_PPH_BUNGA), ZERO
            )
            member.last = t
        return found

    return book.memo(("savings-interest",), build)  # type: ignore[no-any-return]


def withholding_for(book: Book, nak: str, added: dict[str, Decimal]) -> Decimal:
    """The PPh a new interest payment to `nak` withholds: what the member's interest by month,
    with `added`, owes, less what was withheld before (never below nothing)."""
    before = paid(book).get(nak, Paid({}))
    months = dict(before.bulan)
    for label, amount in added.items():
        months[label] = months.get(label, ZERO) + amount
    return max(due(book.config.simpanan, months) - before.withheld, ZERO)


def parse_month(text: str) -> tuple[int, int]:
    """'2025-03' -> (2025, 3)."""
    try:
        return dates.parse_month(text)
    except TanggalTidakValid as exc:
        raise JasaSimpananDitolak(str(exc)) from exc


def _own(entry: data.Transaction, skip: frozenset[str]) -> bool:
    return entry.meta.get("id") in skip or entry.meta.get("koreksi") in skip


def daily_balances(
    book: Book, account: str, start: dt.date, end: dt.date, skip: frozenset[str] = frozenset()
) -> list[Decimal]:
    """The account's credit balance at the end of every day from `start` to `end`, without the
    entries `skip` names (and their koreksi)."""
    balance = -book.balance_on(account, start - dt.timedelta(days=1))
    by_day: dict[dt.date, Decimal] = {}
    for m in book.movements(account):
        if start <= m.date <= end and not _own(m.entry, skip):
            by_day[m.date] = by_day.get(m.date, ZERO) - m.amount
    result = []
    day = start
    while day <= end:
        balance += by_day.get(day, ZERO)
        result.append(balance)
        day += dt.timedelta(days=1)
    return result


def base_balance(
    book: Book, account: str, year: int, month: int, how: str, skip: frozenset[str] = frozenset()
) -> Decimal:
    """The balance the month's interest is paid on: the lowest end-of-day balance of the month
    (saldo_terendah), or the mean of the end-of-day balances over its calendar days
    (rata_rata_harian); never below zero. The month's own jasa entries (`skip`) are left out."""
    start, end = dt.date(year, month, 1), dates.month_end(year, month)
    days = daily_balances(book, account, start, end, skip)
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
    """Members whose interest for month `label` is booked (and not reversed by a koreksi),
    with the document of each."""
    return {nak: doc for (nak, month), doc in live_runs(book).items() if month == label}


def runs(book: Book, nak: str, label: str) -> frozenset[str]:
    """The documents of every jasa entry of the member's month, reversed ones too."""

    def build() -> dict[tuple[str, str], frozenset[str]]:
        found: dict[tuple[str, str], set[str]] = {}
        for doc, run in book.index(JasaRuns).runs.items():
            found.setdefault(run, set()).add(doc)
        return {run: frozenset(docs) for run, docs in found.items()}

    grouped = book.memo(("jasa-runs",), build)
    return grouped.get((nak, label), frozenset())  # type: ignore[no-any-return]


def month_jasa(book: Book, nak: str, year: int, month: int, how: str) -> tuple[Decimal, Decimal]:
    """A member's sukarela jasa of a month on the base `how`, at the rate in force in the month
    (percent a year): (base, jasa). Jasa = base × rate ÷ 12 (each month a twelfth of the year,
    whatever its days), rounded down to the rupiah; the month's own jasa entries are left out
    of the base. The one reckoning of the run, of periksa's recheck and of the exit's wait."""
    account = chart.member_account(chart.SUKARELA, nak)
    skip = runs(book, nak, f"{year:04d}-{month:02d}")
    saldo = base_balance(book, account, year, month, how, skip)
    rate = book.config.simpanan.jasa_on(year, month)
    return saldo, money.floor(saldo * rate / 100 / 12)


def compute(book: Book, year: int, month: int) -> list[Credit]:
    """Every active member's interest for the month not booked yet (members with none left out).

    Monthly interest = base × rate ÷ 12 (each month is a twelfth of the year, whatever its
    days), rounded down to the rupiah; the PPh is judged on the member's interest of that month
    over all their savings (see the module's docstring)."""
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
        saldo, jasa = month_jasa(book, member.nak, year, month, rules.jasa_sukarela_saldo)
        if jasa > 0:
            pph = withholding_for(book, member.nak, {label: jasa})
            result.append(Credit(member.nak, member.nama, money.floor(saldo), jasa, pph))
    return result


def plan(book: Book, year: int, month: int, today: dt.date | None = None) -> list[data.Directive]:
    """The month's interest entries, one per member, dated the month's last day."""
    rules = book.config.simpanan
    label = f"{year:04d}-{month:02d}"
    rate = rules.jasa_on(year, month)
    if rate <= 0:
        raise JasaSimpananDitolak(_no_rate(rules, year, month))
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
            narration += f", dipotong PPh final {money.fmt(c.pph)} ({basis(rules, [label])})"
        narration += text.recorded_again(len(runs(book, c.nak, label)))
        meta = {
            "id": book.next_id("BM", year),
            "anggota": c.nak,
            "jenis": JASA,
            "bulan": label,
            "jasa": c.jasa,
            "pph": c.pph,
            "persen": rate,
            "dasar": rules.jasa_sukarela_saldo,
        }
        entries.append(ledger.transaction(end, narration, postings, payee=c.nama, meta=meta))
    return entries


def _no_rate(rules: SimpananRules, year: int, month: int) -> str:
    label = f"{year:04d}-{month:02d}"
    change = config.in_force(rules.jasa_sukarela_berubah, year, month)
    if change is None:
        return (
            f"koperasi.yaml tidak memberi jasa simpanan sukarela untuk bulan {label} (simpanan."
            "jasa_sukarela_persen_tahun: 0); isi persennya menurut keputusan Rapat Anggota."
        )
    since = "{:04d}-{:02d}".format(*change.mulai)
    why = f", {change.dasar}" if change.dasar else ""
    return (
        f"koperasi.yaml tidak memberi jasa simpanan sukarela untuk bulan {label} (simpanan."
        f"jasa_sukarela_berubah: persen 0 mulai {since}{why})."
    )


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


def _recheck(book: Book, t: data.Transaction, expense: Decimal) -> str | None:
    """What is wrong with a jasa entry on the books as they are now, at the rate in force in
    its month (an entry's own `persen` is what it was written with, not the rule); None when
    it is right."""
    rules = book.config.simpanan
    nak, label = str(t.meta.get("anggota")), str(t.meta.get("bulan"))
    how = str(t.meta.get("dasar", rules.jasa_sukarela_saldo))
    year, month = parse_month(label)
    saldo, jasa = month_jasa(book, nak, year, month, how)
    if jasa == expense:
        return None
    rate = rules.jasa_on(year, month)
    changed = "simpanan.jasa_sukarela_berubah dengan bulan mulainya"
    if "persen" not in t.meta:  # written by an older kkmp: its rate is not known
        fix = f"koreksi jasa itu dan hitung lagi bulan itu, atau catat persen lain di {changed}"
    elif Decimal(str(t.meta["persen"])) == rate:
        fix = "koreksi jasa itu dan hitung lagi bulan itu"
    else:
        fix = (
            f"jasa itu dicatat pada {money.fmt_pct(Decimal(str(t.meta['persen'])))} setahun; "
            f"persen yang diubah Rapat Anggota dicatat di {changed}, bukan dengan mengubah "
            "persen bulan-bulan yang sudah lewat"
        )
    return (
        f"jasa simpanan {label} {nak} {money.fmt(expense)} tidak sesuai buku: "
        f"{BASES.get(how, how)} {money.fmt(money.floor(saldo))} memberi {money.fmt(jasa)} "
        f"pada {money.fmt_pct(rate)} setahun ({fix})"
    )


def findings(book: Book) -> list[Finding]:
    """One live jasa entry per member and month, worked out from the books as they are (a
    movement recorded into a credited month by an older kkmp makes it wrong, #12); each
    member's PPh on interest is what PP 15/2009 asks of their months."""
    found = []
    live = set(live_runs(book).values())
    seen: set[tuple[str, str]] = set()
    for t in book.transactions():
        if t.meta.get("jenis") != JASA or str(t.meta.get("id")) not in live:
            continue
        where = (str(t.meta.get("filename", "?")), int(t.meta.get("lineno", 0) or 0))
        key = (str(t.meta.get("anggota")), str(t.meta.get("bulan")))
        if key in seen:
            found.append(Finding(*where, f"jasa simpanan {key[1]} untuk {key[0]} dicatat dua kali"))
        seen.add(key)
        expense = sum(
            (ledger.number(p) for p in t.postings if p.account == chart.BEBAN_JASA_SIMPANAN), ZERO
        )
        wrong = _recheck(book, t, expense)
        if wrong is not None:
            found.append(Finding(*where, wrong))
    rules = book.config.simpanan
    for nak, member in sorted(paid(book).items()):
        owed = due(rules, member.bulan)
        if owed != member.withheld and member.last is not None:
            found.append(
                Finding(
                    str(member.last.meta.get("filename", "?")),
                    int(member.last.meta.get("lineno", 0) or 0),
                    f"PPh final bunga simpanan {nak} dipotong {money.fmt(member.withheld)}, "
                    f"tidak sesuai {basis(rules, member.bulan)} (seharusnya {money.fmt(owed)})",
                )
            )
    return found


def uncredited(book: Book, year: int) -> list[tuple[str, list[Credit]]]:
    """The months of `year` whose jasa is not credited to every member who would get it, with
    what each is owed: what the year-end checklist asks for, since a closed year's month can
    no longer be credited (adversarial review, #12). Months before the cooperative's first run
    are not asked for, as `months_due` does not (it may have started paying jasa later)."""
    rules = book.config.simpanan
    ever = {month for (_, month) in book.index(JasaRuns).runs.values()}
    first = parse_month(min(ever)) if ever else (year, 1)
    result = []
    for month in range(1, 13):
        if (year, month) < first or rules.jasa_on(year, month) <= 0:
            continue
        owed = compute(book, year, month)
        if owed:
            result.append((f"{year:04d}-{month:02d}", owed))
    return result


def months_due(book: Book, nak: str, before: dt.date) -> list[str]:
    """The finished months before `before`, in open years, for which the member would get
    interest and has none booked: the run leaves out a member who has left, so the exit waits
    for them (#23). None for a month whose rate is 0 (the cooperative pays no interest on
    sukarela then); months before its first run are not asked for (it may have started paying
    interest later)."""
    rules = book.config.simpanan
    account = chart.member_account(chart.SUKARELA, nak)
    if account not in book.opens():
        return []
    # A run a koreksi took back is not interest booked (found by an adversarial review, #23);
    # the cooperative's first run, reversed or not, says since when it pays interest.
    done = {month for (member, month) in live_runs(book) if member == nak}
    ever = {month for (_, month) in book.index(JasaRuns).runs.values()}
    joined = members.get(book, nak).masuk
    year, month = max((joined.year, joined.month), parse_month(min(ever)) if ever else (0, 0))
    closed, today = book.closed_years(), dt.date.today()
    result = []
    while (end := dates.month_end(year, month)) < before and end <= today:
        label = f"{year:04d}-{month:02d}"
        if year not in closed and label not in done and rules.jasa_on(year, month) > 0:
            if month_jasa(book, nak, year, month, rules.jasa_sukarela_saldo)[1] > 0:
                result.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result
