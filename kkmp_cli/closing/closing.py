"""Year-end closing (tutup buku): income and expenses into SHU belum dibagi, balances carried
into the next year's journal as assertions, and a seal (digest) so a closed year stays closed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, money
from kkmp_cli.closing import checklist
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding, KkmpError
from kkmp_cli.reports import statements

SEAL = ledger.SEAL
# The next year's first day repeats the seal (year and digest), so deleting the seal line alone
# does not reopen a year: `ledger.Book.closed_years` and `periksa` read both.
SEAL_CARRIED = ledger.SEAL_CARRIED
ZERO = Decimal(0)


class TutupBukuDitolak(KkmpError):
    """The year cannot be closed (findings, already closed, not ended, earlier year open)."""


def year_entries(book: Book, year: int) -> list[data.Directive]:
    """Everything dated in the year except the seal itself."""
    return [
        e
        for e in book.entries
        if e.date.year == year and not (isinstance(e, data.Custom) and e.type == SEAL)
    ]


def closing_entries(book: Book, year: int) -> list[data.Directive]:
    """Close every income and expense account of `year` into Ekuitas:SHU-Belum-Dibagi:YEAR."""
    start, end = statements.year_bounds(year)
    flows = statements.sums(book, start, end, skip_closing=True)
    target = f"{chart.SHU_BELUM_DIBAGI}:{year}"
    postings = []
    total = ZERO
    roots = (statements.INCOME + ":", statements.EXPENSES + ":")
    for account in sorted(flows):
        if account.startswith(roots) and flows[account]:
            postings.append(ledger.posting(account, -flows[account]))
            total += flows[account]
    entries: list[data.Directive] = list(coop.missing_chart_opens(book))
    if not postings:
        return entries  # a year without income or expenses has nothing to close
    if target not in book.opens():
        entries.append(
            data.Open(
                data.new_metadata("<kkmp>", 0, {"kode": f"3401.{year}", "tahun": str(year)}),
                end,
                target,
                [ledger.CURRENCY],
                None,
            )
        )
    postings.append(ledger.posting(target, total))
    shu = -total
    meta = {"id": book.next_id("BM", year), "jenis": statements.CLOSING, "tahun": str(year)}
    narration = f"Tutup buku {year}: pendapatan dan beban ke SHU belum dibagi ({money.fmt(shu)})"
    entries.append(ledger.transaction(end, narration, postings, meta=meta))
    return entries


def carried_balances(book: Book, year: int) -> list[data.Balance]:
    """Balance assertions on 1 January of the next year: the carried balances, checked by
    beancount on every load (inventory by units of each item; its lots keep their cost)."""
    end = dt.date(year, 12, 31)
    opening = dt.date(year + 1, 1, 1)
    units: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in book.transactions(end=end):
        for p in entry.postings:
            if p.units is not None and isinstance(p.units.number, Decimal):
                units[(p.account, p.units.currency)] += p.units.number
    roots = (statements.ASSETS + ":", statements.LIABILITIES + ":", statements.EQUITY + ":")
    result = []
    for (account, currency), number in sorted(units.items()):
        if number and account.startswith(roots):
            result.append(
                data.Balance(
                    data.new_metadata("<kkmp>", 0, {"saldo_awal_tahun": str(year + 1)}),
                    opening,
                    account,
                    data.Amount(number, currency),
                    None,
                    None,
                )
            )
    return result


def require_ended(year: int, today: dt.date) -> None:
    """Only a book year that has ended can be closed."""
    if not 1900 <= year < today.year:
        raise TutupBukuDitolak(
            f"Tahun buku {year} tidak dapat ditutup: pilih tahun yang sudah berakhir, "
            f"mis. {today.year - 1}."
        )


def waivers(book: Book, year: int) -> dict[str, str]:
    """Checklist items the year was closed without (item -> reason), from its seal; for the
    RAT book."""
    found = {}
    for seal in book.customs(SEAL):
        if seal.values and int(seal.values[0].value) == year:
            for key, value in seal.meta.items():
                if key.startswith("abaikan_"):
                    found[key.removeprefix("abaikan_").replace("_", "-")] = str(value)
    return found


def require_checklist(book: Book, year: int, waived: dict[str, str]) -> None:
    """Refuse while a checklist item is open and not waived with a reason."""
    unknown = sorted(set(waived) - set(checklist.ITEMS))
    if unknown:
        raise TutupBukuDitolak(
            f"Butir '{unknown[0]}' tidak ada di daftar periksa tutup buku; pilih "
            f"{', '.join(checklist.ITEMS)}."
        )
    still = [i for i in checklist.open_items(book, year) if i.kode not in waived]
    if still:
        shown = "\n".join(
            f"- {i.kode}: {i.judul}"
            + (f" ({'; '.join(i.rincian[:3])})" if i.rincian else "")
            + (f" -> {i.perintah}" if i.perintah else "")
            for i in still
        )
        raise TutupBukuDitolak(
            f"Tahun buku {year} belum dapat ditutup; butir daftar periksa masih terbuka:\n{shown}\n"
            "Selesaikan dulu, atau bila Pengurus memutuskan lain: --abaikan BUTIR --alasan TEKS."
        )


def require_closable(book: Book, year: int) -> None:
    """Not closed yet, and every earlier year with transactions already closed."""
    if year in book.closed_years():
        raise TutupBukuDitolak(f"Tahun buku {year} sudah ditutup.")
    first = min((e.date.year for e in book.transactions()), default=year)
    open_before = [y for y in range(first, year) if y not in book.closed_years()]
    if open_before:
        raise TutupBukuDitolak(
            f"Tutup dulu tahun buku {', '.join(map(str, open_before))} sebelum {year}."
        )


def seals(book: Book, year: int, waived: dict[str, str] | None = None) -> list[data.Directive]:
    """The seal of `year` (digest of its entries, closing and carried balances included) and
    its copy on the next year's first day. Checklist items closed without being settled
    (`--abaikan`) stay on the seal with their reason (#11)."""
    digest = ledger.digest(year_entries(book, year))
    meta = {f"abaikan_{item.replace('-', '_')}": reason for item, reason in (waived or {}).items()}
    return [
        ledger.make_custom(dt.date(year, 12, 31), SEAL, [Decimal(year), digest], meta),
        ledger.make_custom(dt.date(year + 1, 1, 1), SEAL_CARRIED, [Decimal(year), digest]),
    ]


def _where(entry: data.Directive) -> tuple[str, int]:
    return str(entry.meta.get("filename", "?")), int(entry.meta.get("lineno", 0) or 0)


def seal_findings(book: Book) -> list[Finding]:
    """A sealed year whose entries changed since `tutup-buku`, or a closed year whose seal is
    gone (its closing entry or the next year's copy of the seal still shows it was closed)."""
    found = []
    seals = {int(c.values[0].value): c for c in book.customs(SEAL) if c.values}
    for carried in book.customs(SEAL_CARRIED):
        year = int(carried.values[0].value)
        digest = str(carried.values[1].value) if len(carried.values) > 1 else ""
        seal = seals.get(year)
        if seal is None:
            found.append(
                Finding(
                    *_where(carried),
                    f"segel tutup buku {year} hilang, padahal tahun {year} sudah ditutup "
                    f"(salinan segel di awal tahun {year + 1} ini)",
                )
            )
        elif len(seal.values) < 2 or str(seal.values[1].value) != digest:
            found.append(
                Finding(*_where(seal), f"segel tutup buku {year} tidak sama dengan salinannya")
            )
    for entry in book.transactions():
        if entry.meta.get("jenis") == statements.CLOSING and entry.date.year not in seals:
            found.append(
                Finding(
                    *_where(entry),
                    f"tahun buku {entry.date.year} sudah ditutup (jurnal penutup ini) tetapi "
                    "segelnya hilang",
                )
            )
    for seal in book.customs(SEAL):
        year = int(seal.values[0].value)
        expected = str(seal.values[1].value) if len(seal.values) > 1 else ""
        actual = ledger.digest(year_entries(book, year))
        if actual != expected:
            found.append(
                Finding(
                    str(seal.meta.get("filename", "?")),
                    int(seal.meta.get("lineno", 0) or 0),
                    f"tahun buku {year} sudah ditutup tetapi isinya berubah (digest {actual[:12]}, "
                    f"segel {expected[:12]})",
                )
            )
    return found
