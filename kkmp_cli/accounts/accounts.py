"""Accounts: what each one is (golongan, arus-kas, label, code, unit), the list with balances,
adding one and closing one (`kkmp akun`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import account as bean_account
from beancount.core import data

from kkmp_cli import chart, money, text
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding, KkmpError
from kkmp_cli.units import registry

ZERO = Decimal(0)
KODE_RE = re.compile(r"^\d{1,6}(\.[0-9A-Za-z]{1,12}){0,2}$")
ARUS_KAS_CHOICES = ("operasi", "investasi", "pendanaan")


class AkunDitolak(KkmpError):
    """An account that cannot be added or closed as asked."""


def info(book: Book, account: str) -> chart.Info:
    """What the books say an account is: golongan, arus-kas class, label, code and unit, from
    its open directive's metadata, else the chart, else its parent, else its root (#10). The
    one answer the statements, `--via` and every other command read."""
    return book.memo(("akun-info", account), lambda: chart.describe(account, _metas(book)))  # type: ignore[no-any-return]


def _metas(book: Book) -> dict[str, dict[str, Any]]:
    return book.memo(  # type: ignore[no-any-return]
        "akun-metas", lambda: {a: o.meta for a, o in book.opens().items()}
    )


def is_cash(book: Book, account: str) -> bool:
    """A cash, bank or e-wallet account (or the QRIS clearing account): arus-kas `kas`."""
    return info(book, account).arus_kas == "kas"


# --- the list ---


@dataclass(frozen=True)
class Row:
    kode: str | None
    akun: str
    label: str
    golongan: str
    arus_kas: str
    unit: str | None
    saldo: Decimal


def listing(book: Book, per: dt.date) -> list[Row]:
    """Every account open on `per` (member, supplier and year sub-accounts folded into their
    parent) with its balance at the end of that day (stock at cost), in code order."""
    weights: dict[str, Decimal] = {}
    for entry in book.transactions(None, per):
        for p in entry.postings:
            weights[p.account] = weights.get(p.account, ZERO) + ledger.weight(p)
    closes = book.closes()
    totals: dict[str, Decimal] = {}
    for account, opened in book.opens().items():
        if opened.date > per:
            continue
        saldo = weights.get(account, ZERO)
        closed = closes.get(account)
        if closed is not None and closed.date <= per and not saldo:
            continue
        line = chart.report_account(account)
        totals[line] = totals.get(line, ZERO) + saldo
    rows = []
    for account, saldo in totals.items():
        i = info(book, account)
        rows.append(Row(i.kode, account, i.label, i.golongan, i.arus_kas, i.unit, saldo))
    return sorted(rows, key=lambda r: (r.kode or "9999", r.akun))


# --- adding and closing ---


def _check_name(account: str) -> str:
    account = account.strip()
    root = account.split(":", 1)[0]
    if root not in chart.ROOTS.values():
        raise AkunDitolak(
            f"Akun {account} harus berada di bawah salah satu dari lima akun induk: "
            f"{', '.join(chart.ROOTS.values())}."
        )
    if ":" not in account or not bean_account.is_valid(account):
        raise AkunDitolak(
            f"Nama akun '{account}' tidak dapat dipakai beancount: tiap bagian dipisah titik dua, "
            "diawali huruf besar atau angka, tanpa spasi (mis. Kewajiban:Utang-Bank:BRI)."
        )
    return account


def _check_kode(book: Book, kode: str) -> str:
    kode = kode.strip()
    if not KODE_RE.match(kode):
        raise AkunDitolak(f"Kode akun '{kode}' tidak sah; pakai angka, mis. 2501 atau 1102.01.")
    for account, opened in book.opens().items():
        if str(opened.meta.get("kode", "")) == kode:
            raise AkunDitolak(f"Kode {kode} sudah dipakai akun {account}.")
    for acc in chart.CHART:
        if acc.kode == kode:
            raise AkunDitolak(f"Kode {kode} sudah dipakai akun bawaan {acc.name}.")
    return kode


def _check_class(account: str, golongan: str, arus_kas: str | None) -> tuple[str, str]:
    golongan = golongan.strip().lower()
    root = account.split(":", 1)[0]
    if golongan not in chart.GOLONGAN_ROOT:
        raise AkunDitolak(
            f"Golongan '{golongan}' tidak dikenal; pilih salah satu: "
            f"{' '.join(chart.GOLONGAN_ROOT)}."
        )
    if chart.GOLONGAN_ROOT[golongan] != root:
        fits = " ".join(g for g, r in chart.GOLONGAN_ROOT.items() if r == root)
        raise AkunDitolak(
            f"Golongan {golongan} tidak cocok dengan akun {account}: golongan itu untuk akun di "
            f"bawah {chart.GOLONGAN_ROOT[golongan]}; untuk akun {root} pilih {fits}."
        )
    arus = (arus_kas or chart.ARUS_KAS_DEFAULT[golongan]).strip().lower()
    if arus not in ARUS_KAS_CHOICES:
        raise AkunDitolak(
            f"Golongan arus kas '{arus}' tidak dikenal; pilih operasi, investasi atau pendanaan."
        )
    return golongan, arus


def add(
    book: Book,
    account: str,
    *,
    kode: str,
    golongan: str,
    nama: str | None = None,
    arus_kas: str | None = None,
    unit: str | None = None,
    date: dt.date | None = None,
) -> list[data.Directive]:
    """Open an account of the cooperative's own, with its code, label and class."""
    account = _check_name(account)
    if account in book.opens() or account in chart.CHART_BY_NAME:
        raise AkunDitolak(f"Akun {account} sudah ada di bagan akun.")
    if not chart.needs_class(account):
        raise AkunDitolak(
            f"Akun {account} adalah sub-akun {chart.report_account(account)}, yang dibuka oleh "
            "perintahnya sendiri."
        )
    kode = _check_kode(book, kode)
    golongan, arus = _check_class(account, golongan, arus_kas)
    meta: dict[str, Any] = {
        "kode": kode,
        "keterangan": text.clean(nama, field="nama") if nama else chart.describe(account, {}).label,
        chart.GOLONGAN_KEY: golongan,
        chart.ARUS_KAS_KEY: arus,
    }
    if unit is not None:
        meta["unit"] = registry.require(book, unit).kode  # any unit of koperasi.yaml's list
    start = date or coop.books_start(book)
    return [
        data.Open(data.new_metadata("<kkmp>", 0, meta), start, account, [ledger.CURRENCY], None)
    ]


def close(book: Book, account: str, date: dt.date) -> list[data.Directive]:
    """Close an account of the cooperative's own that holds nothing (from `date` on)."""
    account = account.strip()
    opened = book.opens().get(account)
    if opened is None or account in book.closes():
        raise AkunDitolak(f"Akun {account} tidak ada (atau sudah ditutup) di bagan akun.")
    if account in chart.CHART_BY_NAME:
        raise AkunDitolak(
            f"Akun {account} adalah akun bawaan yang dipakai perintah kkmp; tidak dapat ditutup."
        )
    if date < opened.date:
        raise AkunDitolak(f"Akun {account} baru dibuka {opened.date:%d-%m-%Y}.")
    subs = sorted(a for a in book.opens() if a.startswith(account + ":") and a not in book.closes())
    if subs:
        raise AkunDitolak(f"Akun {account} masih punya sub-akun terbuka: {', '.join(subs[:3])}.")
    later = [m for m in book.movements(account) if m.date > date]
    saldo = book.balance_on(account, date)
    nominal = chart.is_nominal(account)
    if nominal:  # earlier years are closed into SHU, not out of the account (#14)
        saldo -= book.balance_on(account, dt.date(date.year - 1, 12, 31))
    if saldo or (not nominal and not book.inventory(account).is_empty()):
        raise AkunDitolak(
            f"Akun {account} masih bersaldo {money.fmt(saldo)} per {date:%d-%m-%Y}; "
            "nolkan dulu saldonya (mis. dengan 'kkmp jurnal') sebelum ditutup."
        )
    if later:
        raise AkunDitolak(
            f"Akun {account} masih dipakai sesudah {date:%d-%m-%Y} "
            f"({later[0].entry.meta.get('id', '?')}, {later[0].date:%d-%m-%Y})."
        )
    return [data.Close(data.new_metadata("<kkmp>", 0, {}), date, account)]


# --- periksa ---


def findings(book: Book) -> list[Finding]:
    """Open directives whose golongan or arus-kas is unknown or contradicts the root."""
    found = []
    for account, opened in book.opens().items():
        meta = opened.meta
        if not any(k in meta for k in chart.CLASS_META):
            continue
        if chart.valid_class(account, meta) is None:
            found.append(
                Finding(
                    str(meta.get("filename", "?")),
                    int(meta.get("lineno", 0) or 0),
                    f"{account}: golongan '{meta.get(chart.GOLONGAN_KEY)}' / arus-kas "
                    f"'{meta.get(chart.ARUS_KAS_KEY)}' tidak dikenal atau tidak cocok dengan "
                    "akun induknya",
                )
            )
    return found
