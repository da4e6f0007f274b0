"""The day's cash: the buku kas umum of a day or a range, and the physical cash count (opname)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import accounts, chart, dates, money, text
from kkmp_cli.accounts import cash
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import JumlahTidakValid, KkmpError, TeksTidakValid
from kkmp_cli.reports import statements

ZERO = Decimal(0)
COUNT_TYPE = "kas-opname"


class RekeningTidakDikenal(KkmpError):
    """Not a cash or bank account of this cooperative."""


@dataclass(frozen=True)
class CashLine:
    tanggal: dt.date
    bukti: str
    uraian: str
    masuk: Decimal
    keluar: Decimal
    saldo: Decimal


@dataclass(frozen=True)
class CashBook:
    akun: str
    uraian: str
    dari: dt.date
    sampai: dt.date
    saldo_awal: Decimal
    lines: tuple[CashLine, ...]
    saldo_akhir: Decimal

    @property
    def total_masuk(self) -> Decimal:
        return sum((line.masuk for line in self.lines), ZERO)

    @property
    def total_keluar(self) -> Decimal:
        return sum((line.keluar for line in self.lines), ZERO)


def cash_accounts(book: Book, per: dt.date) -> list[statements.CashBalance]:
    """The cash and bank accounts open on `per` (as the statements see them)."""
    return statements.cash_balances(book, per)


def resolve(book: Book, rekening: str, per: dt.date) -> str:
    """A cash account named as every `--via` names it (kas, bank, a rekening code such as
    bri, the full name) or by its account code (1101, 1102.01 for a rekening added later)."""
    wanted = rekening.strip()
    known = cash_accounts(book, per)
    for cb in known:
        if wanted.lower() == (accounts.info(book, cb.akun).kode or "").lower():
            return cb.akun
    account = cash.named(book, wanted)
    if account is not None and accounts.is_cash(book, account):
        return account
    names = ", ".join(_choice(book, cb.akun) for cb in known)
    raise RekeningTidakDikenal(
        f"Rekening '{rekening}' bukan akun kas atau bank koperasi ini; pilih salah satu: {names}."
    )


def _choice(book: Book, account: str) -> str:
    """How `--rekening` may name the account: `bri (1102.01)`, else the account's name."""
    name = cash.code_of(book, account) or account
    kode = accounts.info(book, account).kode
    return f"{name} ({kode})" if kode else name


def day_book(book: Book, account: str, dari: dt.date, sampai: dt.date) -> CashBook:
    """Opening balance, every movement with its document, closing balance (buku kas umum)."""
    if sampai < dari:
        raise TeksTidakValid("Tanggal --sampai lebih awal dari --dari.")
    opening = book.balance_on(account, dari - dt.timedelta(days=1))
    running = opening
    lines = []
    for m in book.movements(account):
        if not dari <= m.date <= sampai:
            continue
        running += m.amount
        who = f" - {m.entry.payee}" if m.entry.payee else ""
        lines.append(
            CashLine(
                m.date,
                str(m.entry.meta.get("id", "")),
                f"{m.entry.narration or ''}{who}",
                m.amount if m.amount > 0 else ZERO,
                -m.amount if m.amount < 0 else ZERO,
                running,
            )
        )
    known = chart.CHART_BY_NAME.get(account)
    return CashBook(
        account,
        known.description if known else account,
        dari,
        sampai,
        opening,
        tuple(lines),
        running,
    )


# --- the cash count (kas opname) ---


def parse_pecahan(spec: str) -> dict[Decimal, int]:
    """`100000=3,50000=2` → {100000: 3, 50000: 2} (denomination → pieces)."""
    result: dict[Decimal, int] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        face, sep, pieces = part.partition("=")
        if not sep or not pieces.strip().isdigit():
            raise JumlahTidakValid(
                f"Pecahan '{part.strip()}' tidak terbaca; tulis NILAI=LEMBAR, mis. 100000=3,500=4."
            )
        value = money.parse(face)
        if value <= 0:
            raise JumlahTidakValid(f"Nilai pecahan '{face.strip()}' harus lebih dari nol.")
        result[value] = result.get(value, 0) + int(pieces)
    if not result:
        raise JumlahTidakValid("Pecahan kosong; tulis NILAI=LEMBAR, mis. 100000=3,500=4.")
    return result


def count(
    book: Book,
    account: str,
    date: dt.date,
    counted: Decimal | None,
    pecahan: dict[Decimal, int] | None = None,
    alasan: str | None = None,
) -> list[data.Directive]:
    """Plan a cash count: the count itself (`custom "kas-opname"`) and, when it differs from the
    books at the end of `date`, the difference to selisih kas (shortage: a loss; surplus: other
    income), so the books then hold exactly what is in the box."""
    if pecahan:
        total = sum((face * n for face, n in pecahan.items()), ZERO)
        if counted is not None and counted != total:
            raise JumlahTidakValid(
                f"Jumlah pecahan {money.fmt(total)} tidak sama dengan --hitung {money.fmt(counted)}."
            )
        counted = total
    if counted is None:
        raise JumlahTidakValid("Sebutkan hasil hitung: --hitung JUMLAH atau --pecahan.")
    if counted < 0:
        raise JumlahTidakValid("Hasil hitung kas tidak boleh negatif.")
    later = [m for m in book.movements(account) if m.date > date]
    if later:
        raise KkmpError(
            f"Sudah ada mutasi {account} sesudah {dates.fmt(date)} ({later[0].entry.meta.get('id', '')}); "
            "opname kas dilakukan pada tanggal mutasi terakhir atau sesudahnya."
        )
    booked = book.balance_on(account, date)
    diff = counted - booked
    if diff == 0 and any(
        c.date == date and c.values[0].value == account and c.values[1].value == counted
        for c in book.customs(COUNT_TYPE)
    ):
        return []  # the same count, recorded already
    meta: dict[str, object] = {"tercatat": booked}
    if pecahan:
        meta["pecahan"] = ", ".join(f"{face:f}={n}" for face, n in sorted(pecahan.items()))
    reason = text.clean(alasan, field="alasan", max_len=200) if alasan else None
    if reason:
        meta["alasan"] = reason
    entries: list[data.Directive] = [
        ledger.make_custom(date, COUNT_TYPE, [account, counted], meta=meta)
    ]
    if diff == 0:
        return entries
    if diff < 0 and not reason:
        raise TeksTidakValid(
            f"Kas kurang {money.fmt(-diff)} dari catatan; sebutkan sebabnya dengan --alasan "
            '(mis. --alasan "uang kembalian salah").'
        )
    other = chart.SELISIH_KAS_KURANG if diff < 0 else chart.SELISIH_KAS_LEBIH
    word = "kurang" if diff < 0 else "lebih"
    narration = (
        f"Kas opname: dihitung {money.fmt(counted)}, tercatat {money.fmt(booked)} "
        f"(selisih {word} {money.fmt(abs(diff))})" + (f" - {reason}" if reason else "")
    )
    entries = [
        *coop.missing_chart_opens(book),
        *entries,
        ledger.transaction(
            date,
            narration,
            [ledger.posting(account, diff), ledger.posting(other, -diff)],
            meta={"id": book.next_id("BM", date.year), "jenis": "kas-opname"},
        ),
    ]
    return entries


@dataclass(frozen=True)
class LastCount:
    akun: str
    tanggal: dt.date
    dihitung: Decimal
    tercatat: Decimal


def last_counts(book: Book) -> list[LastCount]:
    """The latest cash count of each cash account (what `periksa` shows)."""
    latest: dict[str, LastCount] = {}
    for c in book.customs(COUNT_TYPE):
        account = str(c.values[0].value)
        counted = Decimal(c.values[1].value)
        tercatat = c.meta.get("tercatat", counted)
        latest[account] = LastCount(account, c.date, counted, Decimal(tercatat))
    return [latest[k] for k in sorted(latest)]
