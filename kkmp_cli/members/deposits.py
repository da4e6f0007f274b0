"""Simpanan pokok, wajib and sukarela: deposits, withdrawals, wajib arrears and the recap."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import accounts, chart, money, text
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import (
    JumlahTidakValid,
    PenulisanDitolak,
    SaldoTidakCukup,
    SimpananPokokSudahLunas,
    SimpananTidakBolehDitarik,
    TeksTidakValid,
)
from kkmp_cli.members import register as members

KINDS = tuple(chart.SIMPANAN_ACCOUNTS)


def _check_kind(kind: str) -> str:
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise TeksTidakValid(
            f"Jenis simpanan '{kind}' tidak dikenal; pilih pokok, wajib atau sukarela."
        )
    return kind


def _narration(base: str, keterangan: str | None, meta: dict[str, str]) -> str:
    """The narration; a paper receipt's number (bukti) is in it, so two deposits of the same
    amount on one day with their own receipts are two transactions for beancount's
    noduplicates, and the same receipt twice is still refused."""
    if "bukti" in meta:
        base += f" (bukti {meta['bukti']})"
    if keterangan:
        return f"{base} - {text.clean(keterangan, field='keterangan')}"
    return base


def _meta(doc_id: str, nak: str, jenis: str, bukti: str | None) -> dict[str, str]:
    meta = {"id": doc_id, "anggota": nak, "jenis": jenis}
    if bukti:
        meta["bukti"] = text.clean(bukti, field="nomor bukti", max_len=40)
    return meta


def _require_new_receipt(
    book: Book, account: str, amount: Decimal, date: dt.date, meta: dict[str, str]
) -> None:
    """The same receipt for the same member, amount and day is the same deposit: refused, also
    when the first was recorded before the receipt was part of the narration (an older kkmp's,
    which beancount's noduplicates no longer sees as a twin)."""
    bukti = meta.get("bukti")
    if not bukti:
        return
    for move in book.movements_since(account, date)[1]:
        if move.date != date:
            break
        if move.amount == amount and move.entry.meta.get("bukti") == bukti:
            doc = move.entry.meta.get("id", "?")
            raise PenulisanDitolak(
                f"Transaksi dengan bukti {bukti} sudah tercatat ({doc}, {date:%d-%m-%Y}); "
                "bukti yang sama tidak dicatat dua kali.",
                conflict=str(doc),
            )


def deposit(
    book: Book,
    nak: str,
    kind: str,
    amount: Decimal,
    date: dt.date,
    *,
    via: str = "kas",
    bukti: str | None = None,
    keterangan: str | None = None,
) -> list[data.Directive]:
    """Plan a simpanan deposit: debit kas/bank, credit the member's simpanan sub-account."""
    kind, cash = _check_kind(kind), accounts.via(book, via)
    if amount <= 0:
        raise JumlahTidakValid("Jumlah setoran harus lebih dari nol.")
    member = members.require_active(book, nak, date)
    account = chart.member_account(chart.SIMPANAN_ACCOUNTS[kind], member.nak)
    if kind == "pokok":
        rule = book.config.simpanan
        paid = -book.balance(account)
        if paid >= rule.pokok:
            raise SimpananPokokSudahLunas(
                f"Simpanan pokok {member.nak} ({member.nama}) sudah lunas {money.fmt(paid)}; "
                "simpanan pokok hanya dibayar sekali."
            )
        if not rule.pokok_boleh_dicicil and amount != rule.pokok:
            raise JumlahTidakValid(
                f"Simpanan pokok menurut AD/ART adalah {money.fmt(rule.pokok)}, bukan "
                f"{money.fmt(amount)} (cicilan pokok tidak diizinkan di koperasi.yaml)."
            )
        if paid + amount > rule.pokok:
            raise JumlahTidakValid(
                f"Setoran {money.fmt(amount)} melebihi sisa simpanan pokok "
                f"{money.fmt(rule.pokok - paid)}."
            )
    label = chart.SIMPANAN_LABELS[kind]
    postings = [ledger.posting(cash.akun, amount), ledger.posting(account, -amount)]
    meta = _meta(book.next_id(cash.doc_in, date.year), member.nak, f"setor-{kind}", bukti)
    _require_new_receipt(book, account, -amount, date, meta)
    narration = _narration(f"Setoran {label}", keterangan, meta)
    return [ledger.transaction(date, narration, postings, payee=member.nama, meta=meta)]


def withdraw(
    book: Book,
    nak: str,
    amount: Decimal,
    date: dt.date,
    *,
    kind: str = "sukarela",
    via: str = "kas",
    bukti: str | None = None,
    keterangan: str | None = None,
) -> list[data.Directive]:
    """Plan a withdrawal of simpanan sukarela; never below zero at any later date either."""
    kind, cash = _check_kind(kind), accounts.via(book, via)
    member = members.require_active(book, nak, date)
    if kind != "sukarela":
        raise SimpananTidakBolehDitarik(
            f"Simpanan {kind} tidak dapat ditarik selama masih menjadi anggota "
            "(UU 25/1992 Pasal 41); hanya dikembalikan saat keluar ('kkmp anggota keluar')."
        )
    if amount <= 0:
        raise JumlahTidakValid("Jumlah penarikan harus lebih dari nol.")
    account = chart.member_account(chart.SUKARELA, member.nak)
    available = min_balance_from(book, account, date)
    if amount > available:
        raise SaldoTidakCukup(
            f"Saldo simpanan sukarela {member.nak} ({member.nama}) yang dapat ditarik pada "
            f"{date:%d-%m-%Y} hanya {money.fmt(available)}; penarikan {money.fmt(amount)} ditolak."
        )
    postings = [ledger.posting(account, amount), ledger.posting(cash.akun, -amount)]
    meta = _meta(book.next_id(cash.doc_out, date.year), member.nak, "tarik-sukarela", bukti)
    _require_new_receipt(book, account, amount, date, meta)
    narration = _narration("Penarikan simpanan sukarela", keterangan, meta)
    return [ledger.transaction(date, narration, postings, payee=member.nama, meta=meta)]


def min_balance_from(book: Book, account: str, date: dt.date) -> Decimal:
    """What can leave a liability account on `date` without its balance going negative then or later."""
    before, later = book.movements_since(account, date + dt.timedelta(days=1))
    lowest = running = -before
    for m in later:
        running -= m.amount
        lowest = min(lowest, running)
    return lowest


def months_due(masuk: dt.date, per: dt.date) -> int:
    """Wajib is billed every month from the month of joining through the month of `per`."""
    if per < masuk:
        return 0
    return (per.year - masuk.year) * 12 + per.month - masuk.month + 1


@dataclass(frozen=True)
class Arrears:
    member: members.Member
    bulan_wajib: int
    seharusnya: Decimal
    dibayar: Decimal
    tunggakan: Decimal
    bulan_tunggakan: int


def arrears(book: Book, per: dt.date) -> list[Arrears]:
    """Wajib arrears of every member active on `per` (kept apart from loan arrears): each month
    from the month of joining owes the amount of simpanan wajib in force that month."""
    rules = book.config.simpanan
    rows = []
    for member in sorted(members.register(book).values(), key=lambda m: m.nak):
        if not member.active_on(per):
            continue
        n = months_due(member.masuk, per)
        owed_each = [rules.wajib_on(*_month_back(per, k)) for k in range(n)]  # newest first
        due = sum(owed_each, Decimal(0))
        paid = -book.balance_on(chart.member_account(chart.WAJIB, member.nak), per)
        owed = max(due - paid, Decimal(0))
        rows.append(Arrears(member, n, due, paid, owed, _months_unpaid(owed, owed_each)))
    return rows


def _month_back(per: dt.date, k: int) -> tuple[int, int]:
    """The month `k` months before the month of `per`, as (year, month)."""
    index = per.year * 12 + per.month - 1 - k
    return index // 12, index % 12 + 1


def _months_unpaid(owed: Decimal, owed_each: list[Decimal]) -> int:
    """How many of the latest months the arrears cover (a month partly unpaid counts)."""
    months = 0
    for amount in owed_each:
        if owed <= 0:
            break
        if amount:
            months += 1
            owed -= amount
    return months


@dataclass(frozen=True)
class Recap:
    per: dt.date
    anggota_aktif: int
    saldo: dict[str, Decimal]
    saldo_buku: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.saldo.values(), Decimal(0))

    @property
    def cocok(self) -> bool:
        return self.saldo == self.saldo_buku


def recap(book: Book, per: dt.date) -> Recap:
    """Totals per kind (`members.kinds`, berjangka among them once there is one) from the member
    sub-ledgers, beside the totals of the parent accounts."""
    rows = members.listing(book, per)
    held = members.kinds(book, per)
    per_member = {k: sum((r.saldo[k] for r in rows), Decimal(0)) for k in held}
    parents = {}
    for kind, parent in held.items():
        parents[kind] = -sum(
            (
                book.balance_on(a, per)
                for a in book.opens()
                if a == parent or a.startswith(parent + ":")
            ),
            Decimal(0),
        )
    active = sum(1 for r in rows if r.member.active_on(per))
    return Recap(per, active, per_member, parents)
