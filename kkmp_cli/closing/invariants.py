"""kkmp's own rules over the whole timeline of the books, beyond what beancount checks.

Beancount accepts a ledger in which cash goes below zero on some day, a member's receivable is
paid twice, or an account is closed while it still holds money. kkmp's books must never be like
that, whatever the order in which entries were recorded (a back-dated entry is judged against
every later day, not only against its own date). The same rules serve twice:

- `require(book, staged)`: the writer calls it on the staged result before it writes anything,
  for the accounts and members the new entries touch (quick: one pass per touched account);
- `findings(book)`: `kkmp periksa` runs it over every account, so a path that slipped past the
  writer (an older kkmp, a hand edit) is still reported.

This module reads only the ledger (no domain module), so the writer can call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, money
from kkmp_cli.core.ledger import Book, Movement
from kkmp_cli.errors import Finding, KkmpError

ZERO = Decimal(0)
MEMBER_REGISTER = "anggota"  # members.CUSTOM_TYPE; read here without importing the domain
UNDO_EXIT = "batal-keluar"  # members.UNDO_EXIT: a mistaken exit taken back by its koreksi
CASH_COUNT = "kas-opname"  # counter.cashbook.COUNT_TYPE, likewise
RECONCILIATION = "rekonsiliasi"  # accounts.cash.RECONCILIATION, likewise
REKENING_KEY = "rekening"  # accounts.cash.REKENING_KEY, likewise
JASA_SIMPANAN = "jasa-simpanan"  # members.interest.JASA, likewise


class BukuAkanSalah(KkmpError):
    """The planned entries would break one of kkmp's rules on some day of the timeline."""


@dataclass(frozen=True)
class Breach:
    """One rule broken: where (the entry that made it so), on which day, and why."""

    entry: data.Directive | None
    message: str

    def finding(self) -> Finding:
        meta = self.entry.meta if self.entry is not None else {}
        return Finding(
            str(meta.get("filename", "?")), int(meta.get("lineno", 0) or 0), self.message
        )


def _is_cash(book: Book, account: str) -> bool:
    """A cash, bank or e-wallet account, or the QRIS clearing account: what its open directive
    (or the chart, or its parent) classes as arus-kas `kas` (#10)."""
    opens = book.opens()
    metas = {a: opens[a].meta for a in (account, *_parents(account)) if a in opens}
    return chart.describe(account, metas).arus_kas == "kas"


def _parents(account: str) -> list[str]:
    parts = account.split(":")
    return [":".join(parts[:i]) for i in range(1, len(parts))]


def _is_receivable(account: str) -> bool:
    return account.startswith("Aset:Piutang-")


def _is_member_liability(account: str) -> bool:
    """Member simpanan and SHU payable: credit balances that may never turn debit."""
    parts = chart.split_member_account(account)
    return parts is not None and parts[0] in (*chart.MEMBER_PARENTS, chart.UTANG_SHU)


# Credit balances that may never turn debit: bank debt and accumulated depreciation (#11: a
# facility paid above its debt, depreciation reversed beyond what was booked), a member's time
# deposits and what is owed to a supplier (#16: a deposit's opening corrected after it was
# cashed, a credit purchase corrected after it was paid), and the simpanan owed to a member who
# left (#23: the member's own payable, or the one account older books owed them all on), and a
# facility's accrued interest (#11: an instalment dated before the accrual it settled).
NEVER_DEBIT = (
    chart.UTANG_BANK,
    chart.UTANG_BUNGA,
    chart.AKUMULASI_PENYUSUTAN,
    chart.BERJANGKA,
    chart.UTANG_USAHA,
    chart.UTANG_PENGEMBALIAN,
)


def _is_contra_credit(account: str) -> bool:
    return account == chart.UTANG_PENGEMBALIAN or account.startswith(
        tuple(f"{parent}:" for parent in NEVER_DEBIT)
    )


def _overdraft_allowed(book: Book) -> set[str]:
    return set(getattr(book.config, "kas_boleh_minus", ()) or ())


def _doc(entry: data.Directive | None) -> str:
    if entry is None:
        return ""
    doc = entry.meta.get("id")
    return f" ({doc})" if isinstance(doc, str) else ""


def _first_negative_day(
    moves: Sequence[Movement], sign: int, opening: Decimal = ZERO
) -> tuple[Movement, Decimal] | None:
    """The last movement of the first day whose closing balance (times `sign`) is below zero.

    Same-day entries have no order a treasurer controls, so each day is judged at its end."""
    balance = opening
    for i, move in enumerate(moves):
        balance += move.amount
        end_of_day = i + 1 == len(moves) or moves[i + 1].date != move.date
        if end_of_day and balance * sign < 0:
            return move, balance
    return None


def _label(account: str) -> str:
    if _is_receivable(account):
        return f"piutang {account}"
    return f"saldo {account}"


def _account_breaches(
    book: Book, account: str, allowed: set[str], since: dt.date | None = None
) -> list[Breach]:
    """The first day the account's balance has the wrong sign (from `since` on, when only
    entries dated `since` or later changed: earlier days are as they were)."""
    if _is_cash(book, account):
        if account in allowed:
            return []
        sign = 1
    elif _is_receivable(account):
        sign = 1
    elif _is_member_liability(account) or _is_contra_credit(account):
        sign = -1
    else:
        return []
    if since is None:
        opening, moves = ZERO, book.movements(account)
    else:
        opening, moves = book.movements_since(account, since)
    found = _first_negative_day(moves, sign, opening)
    if found is None:
        return []
    move, balance = found
    return [
        Breach(
            move.entry,
            f"{_label(account)} menjadi {money.fmt(balance * sign)} pada "
            f"{move.date:%d-%m-%Y}{_doc(move.entry)}",
        )
    ]


def _close_breaches(book: Book, closes: Iterable[data.Close]) -> list[Breach]:
    """An account may be closed only when it holds nothing on its closing day."""
    found = []
    for close in closes:
        balance = book.balance_on(close.account, close.date)
        if chart.is_nominal(close.account):  # earlier years are closed into SHU (#14)
            balance -= book.balance_on(close.account, dt.date(close.date.year - 1, 12, 31))
        later = book.movements_since(close.account, close.date + dt.timedelta(days=1))[1]
        if balance:
            found.append(
                Breach(
                    close,
                    f"{close.account} ditutup pada {close.date:%d-%m-%Y} padahal saldonya "
                    f"{money.fmt(balance)}",
                )
            )
        elif later:
            found.append(
                Breach(
                    later[0].entry,
                    f"{close.account} sudah ditutup pada {close.date:%d-%m-%Y} tetapi masih "
                    f"dipakai pada {later[0].date:%d-%m-%Y}{_doc(later[0].entry)}",
                )
            )
    return found


def exits(book: Book) -> dict[str, data.Custom]:
    """NAK → the register line of the member's exit."""
    return book.folded(("exits",), MEMBER_REGISTER, _fold_exits)


def _fold_exits(
    before: dict[str, data.Custom] | None, customs: Sequence[data.Custom]
) -> dict[str, data.Custom]:
    found = dict(before or {})
    for c in customs:
        if len(c.values) > 1 and c.values[0].value == "keluar":
            found[str(c.values[1].value)] = c
        elif len(c.values) > 1 and c.values[0].value == UNDO_EXIT:
            found.pop(str(c.values[1].value), None)
    return found


def _members_of(entry: data.Directive) -> set[str]:
    naks = set()
    nak = entry.meta.get("anggota")
    if isinstance(nak, str):
        naks.add(nak)
    if isinstance(entry, data.Transaction):
        for p in entry.postings:
            parts = chart.split_member_account(p.account)
            if parts:
                naks.add(parts[1])
    elif isinstance(entry, data.Open | data.Close):
        parts = chart.split_member_account(entry.account)
        if parts:
            naks.add(parts[1])
    return naks


def _exit_breaches(book: Book, staged: Sequence[data.Directive]) -> list[Breach]:
    """After a member leaves, nothing may change what the exit settled: no entry for the member
    dated on or before the exit (it would change what was paid out), and none afterwards on the
    accounts the exit closed. What the cooperative owes the former member later (the SHU of
    the year they left, decided by the RAT) goes to a payable opened after the exit."""
    left = exits(book)
    # The exit itself, and the koreksi that takes a mistaken exit back (with its register
    # line), touch the member's accounts on purpose.
    leaving_now = {
        str(e.values[1].value)
        for e in staged
        if isinstance(e, data.Custom)
        and e.type == MEMBER_REGISTER
        and e.values[0].value in ("keluar", UNDO_EXIT)
    }
    if not left:
        return []
    found = []
    for entry in staged:
        if isinstance(entry, data.Custom):
            continue
        for nak in sorted(_members_of(entry) - leaving_now):
            exit_line = left.get(nak)
            if exit_line is None:
                continue
            if isinstance(entry, data.Transaction):
                touched = {p.account for p in entry.postings}
            elif isinstance(entry, data.Open | data.Close):
                touched = {entry.account}
            else:
                touched = set()
            if entry.date > exit_line.date and not touched & book.closes().keys():
                continue
            settlement = next(
                (
                    t
                    for t in book.on_date(exit_line.date)
                    if isinstance(t, data.Transaction)
                    and t.meta.get("jenis") == "keluar-anggota"
                    and t.meta.get("anggota") == nak
                ),
                None,
            )
            doc = f" ({settlement.meta.get('id')})" if settlement is not None else ""
            found.append(
                Breach(
                    entry,
                    f"anggota {nak} sudah keluar pada {exit_line.date:%d-%m-%Y}{doc}; catatan "
                    "baru untuknya tidak dapat ditambahkan, juga yang bertanggal sebelum itu, "
                    "karena akan mengubah apa yang sudah dibayarkan saat keluar",
                )
            )
    return found


def _counts(book: Book) -> dict[str, list[data.Custom]]:
    """Cash account → its counts (kas opname), in date order."""
    found: dict[str, list[data.Custom]] = {}
    for c in book.customs(CASH_COUNT):
        if c.values:
            found.setdefault(str(c.values[0].value), []).append(c)
    return found


def _count_breaches(book: Book, staged: Sequence[data.Directive]) -> list[Breach]:
    """A count is what the box held at the end of its day: nothing else moves a counted cash
    account on that day or before it (found by an adversarial review, #16: the count still
    said it matched). The count's own difference entry is dated on its day."""
    since: dict[str, dt.date] = {}
    for e in staged:
        if isinstance(e, data.Transaction) and e.meta.get("jenis") != CASH_COUNT:
            for p in e.postings:
                since[p.account] = min(since.get(p.account, e.date), e.date)
    counts = _counts(book)
    found = []
    for account, first in since.items():
        last = counts.get(account, [])
        if last and first <= last[-1].date:
            found.append(
                Breach(
                    last[-1],
                    f"kas {account} sudah dihitung (opname) pada akhir {last[-1].date:%d-%m-%Y}; "
                    f"mutasi bertanggal {first:%d-%m-%Y} akan membuat hasil hitung itu salah "
                    "(catat dengan tanggal sesudahnya)",
                )
            )
    return found


def _count_findings(book: Book) -> list[Breach]:
    """Every day's last count against the books at the end of that day (`periksa`): a count
    made again on its day stands for that day."""
    found = []
    for account, counts in _counts(book).items():
        last_of_day = {c.date: c for c in counts}
        for c in last_of_day.values():
            counted = Decimal(c.values[1].value) if len(c.values) > 1 else None
            booked = book.balance_on(account, c.date)
            if counted is not None and booked != counted:
                found.append(
                    Breach(
                        c,
                        f"kas opname {account} {c.date:%d-%m-%Y} menghitung {money.fmt(counted)}, "
                        f"tetapi buku pada hari itu {money.fmt(booked)}",
                    )
                )
    return found


def _reconciliations(book: Book) -> dict[str, list[data.Custom]]:
    """Account → its reconciliations (`kas rekonsiliasi` of an account with sub-accounts)."""
    found: dict[str, list[data.Custom]] = {}
    for c in book.customs(RECONCILIATION):
        if len(c.values) > 1:
            found.setdefault(str(c.values[0].value), []).append(c)
    return found


def _disagreement(book: Book, c: data.Custom) -> Breach | None:
    """A reconciliation the account's own postings do not agree with (checked at the start of
    its day, as a `balance`)."""
    account, per = str(c.values[0].value), c.date - dt.timedelta(days=1)
    stated, booked = Decimal(c.values[1].value), book.balance_on(account, per)
    if booked == stated:
        return None
    return Breach(
        c,
        f"rekonsiliasi {account} per {per:%d-%m-%Y} menegaskan {money.fmt(stated)}, tetapi "
        f"saldo buku {money.fmt(booked)}",
    )


def _reconciliation_breaches(book: Book, since: dict[str, dt.date]) -> list[Breach]:
    """An account reconciled with its bank statement keeps that balance: nothing recorded on
    or before the statement's day may change it (beancount's `balance` keeps this for a leaf
    account; kkmp for one with sub-accounts, which `balance` would count, #10)."""
    found = []
    reconciled = _reconciliations(book)
    for account, first in since.items():
        for c in reconciled.get(account, []):
            if first < c.date and _disagreement(book, c) is not None:
                found.append(
                    Breach(
                        c,
                        f"{account} sudah direkonsiliasi per "
                        f"{c.date - dt.timedelta(days=1):%d-%m-%Y} (saldo rekening koran "
                        f"{money.fmt(Decimal(c.values[1].value))}); mutasi bertanggal "
                        f"{first:%d-%m-%Y} akan membuat rekonsiliasi itu salah (catat dengan "
                        "tanggal sesudahnya)",
                    )
                )
    return found


def _sukarela_of(entry: data.Transaction) -> set[str]:
    """The members whose sukarela the entry moves."""
    return {
        parts[1]
        for p in entry.postings
        if (parts := chart.split_member_account(p.account)) and parts[0] == chart.SUKARELA
    }


def _jasa_breaches(book: Book, staged: Sequence[data.Directive]) -> list[Breach]:
    """A member's jasa simpanan of a month is worked out from the sukarela balance of its days:
    nothing else moves that member's sukarela on a day of a credited month or before it, as
    nothing moves a counted cash box (found by an adversarial review, #12). The month's own
    jasa entries, and their koreksi, are not movements of the balance it is paid on. A jasa is
    dated its month's last day, so only the account's entries from the staged day on are read."""
    found = []
    for e in staged:
        if not isinstance(e, data.Transaction):
            continue
        jasa = JASA_SIMPANAN in (e.meta.get("jenis"), e.meta.get("jenis_asal"))
        own = str(e.meta.get("bulan")) if jasa else ""
        for nak in sorted(_sukarela_of(e)):
            later = book.movements_since(chart.member_account(chart.SUKARELA, nak), e.date)[1]
            gone = {str(m.entry.meta.get("koreksi")) for m in later}
            credited = [
                m.entry
                for m in later
                if m.entry.meta.get("jenis") == JASA_SIMPANAN
                and str(m.entry.meta.get("id")) not in gone
                and str(m.entry.meta.get("bulan")) > own
            ]
            if credited:
                run = credited[-1]
                found.append(
                    Breach(
                        e,
                        f"jasa simpanan sukarela {nak} bulan {run.meta.get('bulan')} sudah "
                        f"dikreditkan ({run.meta.get('id')}); mutasi simpanan sukarela bertanggal "
                        f"{e.date:%d-%m-%Y} akan membuat jasa itu salah (catat dengan tanggal "
                        f"sesudah {run.date:%d-%m-%Y}, atau koreksi dulu jasa bulan itu)",
                    )
                )
    return found


def _sub_accounts_counted(book: Book, balance: data.Balance) -> Breach | None:
    """A reconciliation an older kkmp wrote as beancount's `balance` of an account whose
    sub-accounts held money: it asserted their sum too, which no statement of the account
    shows (#10)."""
    per = balance.date - dt.timedelta(days=1)
    below = balance.account + ":"
    held = {a: n for a in book.opens() if a.startswith(below) if (n := book.balance_on(a, per))}
    if not sum(held.values()):
        return None
    parts = ", ".join(f"{a} {money.fmt(n)}" for a, n in sorted(held.items()))
    own = book.balance_on(balance.account, per)
    opened = book.opens().get(balance.account)
    named = {a: code for code, a in chart.CASH_ACCOUNTS.items()}.get(balance.account)
    kode = named or (opened.meta.get(REKENING_KEY) if opened is not None else None) or "KODE"
    return Breach(
        balance,
        f"rekonsiliasi {balance.account} per {per:%d-%m-%Y} menegaskan "
        f"{money.fmt(balance.amount.number or ZERO)} termasuk sub-akunnya ({parts}); saldo "
        f"{balance.account} sendiri {money.fmt(own)}: rekonsiliasi ulang dengan saldo rekening "
        f"korannya (kkmp kas rekonsiliasi {kode} --saldo JUMLAH --per {per:%d-%m-%Y})",
    )


def _reconciliation_findings(book: Book) -> list[Breach]:
    """Every reconciliation against the books (`periksa`), and every `balance` an older kkmp
    wrote as a reconciliation that counted sub-accounts, unless reconciled again since."""
    reconciled = _reconciliations(book)
    found = [b for cs in reconciled.values() for c in cs if (b := _disagreement(book, c))]
    # One inside a sealed year cannot be reconciled again there: a note (below), not a finding
    # that would hold every later closing (found by an adversarial review, #10).
    closed = book.closed_years()
    found += [b for e, b in _older_reconciliations(book, reconciled) if e.date.year not in closed]
    return found


def sealed_reconciliation_notes(book: Book) -> list[str]:
    """`periksa`'s notes on reconciliations an older kkmp wrote inside a sealed year that
    counted sub-accounts: not what the statement showed, but the year is closed and its
    balances are right."""
    closed = book.closed_years()
    return [
        f"Catatan: rekonsiliasi {e.account} per {e.date - dt.timedelta(days=1):%d-%m-%Y} "
        f"(dicatat kkmp lama) menegaskan {money.fmt(e.amount.number or ZERO)} termasuk "
        f"sub-akunnya, bukan saldo rekening korannya; tahun {e.date.year} sudah ditutup, "
        "saldonya benar, tidak perlu tindakan."
        for e, _ in _older_reconciliations(book, _reconciliations(book))
        if e.date.year in closed
    ]


def _older_reconciliations(
    book: Book, reconciled: dict[str, list[data.Custom]]
) -> list[tuple[data.Balance, Breach]]:
    """Each `balance` an older kkmp wrote as a reconciliation that counted sub-accounts, unless
    reconciled again since (on the same day)."""
    again = {(account, c.date) for account, cs in reconciled.items() for c in cs}
    return [
        (e, b)
        for e in book.entries
        if isinstance(e, data.Balance) and e.meta.get("jenis") == RECONCILIATION
        if (e.account, e.date) not in again and (b := _sub_accounts_counted(book, e))
    ]


def registered_twice(book: Book) -> dict[str, list[data.Custom]]:
    """Member numbers given to more than one registration (two copies of the books merged
    through git without device codes, #16): NAK → its `masuk` lines."""
    lines: dict[str, list[data.Custom]] = {}
    for c in book.customs(MEMBER_REGISTER):
        if len(c.values) > 1 and c.values[0].value == "masuk":
            lines.setdefault(str(c.values[1].value), []).append(c)
    return {nak: found for nak, found in lines.items() if len(found) > 1}


def findings(book: Book) -> list[Finding]:
    """Every breach in the books (for `kkmp periksa`)."""
    allowed = _overdraft_allowed(book)
    breaches: list[Breach] = []
    for account in sorted(book.balances()):
        breaches += _account_breaches(book, account, allowed)
    closes = [e for e in book.account_directives() if isinstance(e, data.Close)]
    breaches += _close_breaches(book, closes)
    breaches += _count_findings(book)
    breaches += _reconciliation_findings(book)
    for nak, lines in registered_twice(book).items():
        names = " dan ".join(str(c.values[2].value) for c in lines if len(c.values) > 2)
        breaches += [
            Breach(c, f"nomor anggota {nak} didaftarkan lebih dari sekali ({names})")
            for c in lines[1:]
        ]
    return [b.finding() for b in breaches]


def _refuse(breaches: list[Breach]) -> None:
    if breaches:
        raise BukuAkanSalah(
            f"Catatan ini ditolak karena {breaches[0].message}. Tidak ada yang dicatat."
        )


def require_planned(book: Book, planned: Sequence[data.Directive]) -> None:
    """Refuse planned entries about a member who has left (`book` is the ledger before them)."""
    _refuse(_exit_breaches(book, planned))


def require(book: Book, staged: Sequence[data.Directive]) -> None:
    """Refuse staged entries that break a rule on any day (`book` already holds them)."""
    if not staged:
        return
    allowed = _overdraft_allowed(book)
    since: dict[str, dt.date] = {}
    for e in staged:
        if isinstance(e, data.Transaction):
            for p in e.postings:
                since[p.account] = min(since.get(p.account, e.date), e.date)
    accounts = sorted(since)
    breaches: list[Breach] = _count_breaches(book, staged) + _jasa_breaches(book, staged)
    breaches += _reconciliation_breaches(book, since)
    breaches += [
        b
        for e in staged
        if isinstance(e, data.Custom) and e.type == RECONCILIATION and len(e.values) > 1
        if (b := _disagreement(book, e)) is not None
    ]
    for account in accounts:
        breaches += _account_breaches(book, account, allowed, since[account])
    closed = {e.account for e in staged if isinstance(e, data.Close)}
    closes = [c for c in book.account_directives([*accounts, *closed]) if isinstance(c, data.Close)]
    breaches += _close_breaches(book, closes)
    _refuse(breaches)
