"""Year-end closing (tutup buku): the year's SHU from Ekuitas:SHU-Tahun-Berjalan (beancount's
earnings account; income and expenses keep their postings, as in beancount and Fava) into SHU
belum dibagi, balances carried into the next year's journal as assertions, and a seal (digest) so
a closed year stays closed."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from beancount.core import data

from kkmp_cli import chart, money, text
from kkmp_cli.closing import checklist
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding, KkmpError
from kkmp_cli.reports import statements
from kkmp_cli.shu import distributions

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


def unclosed(book: Book, year: int) -> Decimal:
    """The year's result not yet moved into SHU belum dibagi (a surplus positive): its income
    and expenses, less what an earlier closing of the same year already moved: a year reopened
    and closed again closes only what the adjustments added (#11). Either closing counts: the
    current one (from Ekuitas:SHU-Tahun-Berjalan) or the one an older kkmp wrote (income and
    expenses zeroed on 31 December)."""
    flows = statements.sums(book, *statements.year_bounds(year))
    return -sum(
        (v for a, v in flows.items() if statements.is_result_account(a)),
        ZERO,
    )


def closing_entries(book: Book, year: int) -> list[data.Directive]:
    """Close `year` the way beancount does (#14): income and expense accounts keep their
    postings (Fava and `laporan phu` read the year from them); the year's SHU moves from
    Ekuitas:SHU-Tahun-Berjalan, beancount's earnings account, into
    Ekuitas:SHU-Belum-Dibagi:YEAR, where `shu bagikan` takes it from."""
    end = statements.year_bounds(year)[1]
    target = f"{chart.SHU_BELUM_DIBAGI}:{year}"
    shu = unclosed(book, year)
    entries: list[data.Directive] = list(coop.missing_chart_opens(book))
    if not shu:
        return entries  # a year without a result has nothing to close
    opens = book.opens()
    if chart.SHU_TAHUN_BERJALAN not in opens:
        entries.append(coop.chart_open(chart.CHART_BY_NAME[chart.SHU_TAHUN_BERJALAN], end))
    if target not in opens:
        entries.append(
            data.Open(
                data.new_metadata("<kkmp>", 0, {"kode": f"3401.{year}", "tahun": str(year)}),
                end,
                target,
                [ledger.CURRENCY],
                None,
            )
        )
    postings = [
        ledger.posting(chart.SHU_TAHUN_BERJALAN, shu),
        ledger.posting(target, -shu),
    ]
    meta = {"id": book.next_id("BM", year), "jenis": statements.CLOSING, "tahun": str(year)}
    narration = f"Tutup buku {year}: SHU tahun berjalan ke SHU belum dibagi ({money.fmt(shu)})"
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
    held_below: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (account, currency), number in units.items():
        parts = account.split(":")
        for i in range(1, len(parts)):
            held_below[(":".join(parts[:i]), currency)] += number
    # A bank reconciliation per 31 December already asserts its account on this day.
    asserted = {(e.account, e.amount) for e in book.on_date(opening) if isinstance(e, data.Balance)}
    result = []
    for (account, currency), number in sorted(units.items()):
        if number and account.startswith(roots):
            # beancount's balance counts the sub-accounts too (Aset:Bank holds Aset:Bank:BRI).
            held = held_below.get((account, currency), ZERO) + number
            if (account, data.Amount(held, currency)) in asserted:
                continue
            result.append(
                data.Balance(
                    data.new_metadata("<kkmp>", 0, {"saldo_awal_tahun": str(year + 1)}),
                    opening,
                    account,
                    data.Amount(held, currency),
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
    own = _by_year(book, SEAL).get(year)
    if not own:
        return {}
    return {  # the latest seal: a year reopened and closed again is judged by its last closing
        key.removeprefix("abaikan_").replace("_", "-"): str(value)
        for key, value in own[-1].meta.items()
        if key.startswith("abaikan_")
    }


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


REOPEN = ledger.REOPEN


def reopen(
    book: Book, year: int, date: dt.date, *, alasan: str, disetujui: str
) -> tuple[data.Custom, list[data.Balance]]:
    """Plan the reopening of a sealed year for adjustments (#11): the `custom "buka-buku"`
    event (kept for ever, with the reason and who approved it) and the balances carried into
    the next year, which must go (closing again carries them anew). Only while the year's SHU
    is not distributed, and only the last closed year."""
    if year not in book.closed_years():
        raise TutupBukuDitolak(f"Tahun buku {year} belum ditutup; tidak ada yang perlu dibuka.")
    later = sorted(y for y in book.closed_years() if y > year)
    if later:
        raise TutupBukuDitolak(
            f"Tahun buku {', '.join(map(str, later))} sudah ditutup sesudah {year}; buka dulu "
            "tahun yang terakhir."
        )
    entry = distributions.years(book).get(year)
    if entry is not None:
        raise TutupBukuDitolak(
            f"SHU tahun buku {year} sudah dibagikan ({entry.meta.get('id')}, "
            f"{entry.date:%d-%m-%Y}); tahun itu tidak dapat dibuka lagi. Catat penyesuaiannya "
            f"di tahun {year + 1}."
        )
    reason = text.clean(alasan, field="alasan", max_len=300)
    approver = text.clean(disetujui, field="disetujui", max_len=100)
    # The event's number among the year's reopenings: beancount's noduplicates compares
    # directives without their metadata, so a second reopening on the same day needs it.
    number = sum(1 for c in reopenings(book) if int(c.values[0].value) == year) + 1
    event = ledger.make_custom(
        date,
        REOPEN,
        [Decimal(year), Decimal(number)],
        {"alasan": reason, "disetujui": approver},
    )
    carried = [
        e
        for e in book.on_date(dt.date(year + 1, 1, 1))
        if isinstance(e, data.Balance) and str(e.meta.get("saldo_awal_tahun")) == str(year + 1)
    ]
    return event, carried


def reopenings(book: Book) -> list[data.Custom]:
    """Every reopening of a sealed year, in date order (for `periksa` and the RAT book):
    `custom "buka-buku" YEAR N`, N its number among the year's reopenings (absent in those an
    older kkmp wrote)."""
    return sorted(book.customs(REOPEN), key=lambda c: (c.date, reopening_number(c)))


approved = ledger.reopens  # a reopening that opens its year (reason, approver, date after it)


def reopening_number(event: data.Custom) -> int:
    """A reopening's number among its year's reopenings; 0 when an older kkmp left it out."""
    return int(event.values[1].value) if len(event.values) > 1 else 0


def require_closable(book: Book, year: int) -> None:
    """A book year (the opening balances on the day before the first make none, #22), not
    closed yet, every earlier book year already closed."""
    first = coop.first_day(book)
    if year < first.year:
        raise TutupBukuDitolak(
            f"Tahun {year} bukan tahun buku: buku koperasi dimulai {first:%d-%m-%Y} (tahun_buku "
            "di koperasi.yaml); saldo awal yang bertanggal sebelumnya tidak ditutup tersendiri."
        )
    if year in book.closed_years():
        raise TutupBukuDitolak(f"Tahun buku {year} sudah ditutup.")
    open_before = [y for y in range(first.year, year) if y not in book.closed_years()]
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
    values: list[Any] = [Decimal(year), digest]
    # A year closed again after a reopening that changed nothing has the same digest: the
    # closing's number keeps the seals apart for beancount's noduplicates (which compares
    # directives without metadata; the first closing is written as before, found by an
    # adversarial review, #11).
    number = len(_by_year(book, SEAL).get(year, [])) + 1
    if number > 1:
        values.append(Decimal(number))
    return [
        ledger.make_custom(dt.date(year, 12, 31), SEAL, values, meta),
        ledger.make_custom(dt.date(year + 1, 1, 1), SEAL_CARRIED, list(values)),
    ]


def _where(entry: data.Directive) -> tuple[str, int]:
    return str(entry.meta.get("filename", "?")), int(entry.meta.get("lineno", 0) or 0)


def _by_year(book: Book, kind: str) -> dict[int, list[data.Custom]]:
    found: dict[int, list[data.Custom]] = defaultdict(list)
    for c in sorted(book.customs(kind), key=lambda c: (c.date, _where(c)[1])):
        if c.values:
            found[int(c.values[0].value)].append(c)
    return found


def _digest_of(custom: data.Custom) -> str:
    return str(custom.values[1].value) if len(custom.values) > 1 else ""


def _reopening_findings(book: Book, seals: dict[int, list[data.Custom]]) -> list[Finding]:
    """A reopening without its reason and approver, or dated in its own year, opens nothing;
    a year sealed more often than it was reopened, plus once, lost a reopening (the event
    stays in the journal for ever: found by an adversarial review, #11)."""
    found = []
    opened: Counter[int] = Counter()
    for event in reopenings(book):
        year = int(event.values[0].value) if event.values else 0
        if approved(event):
            opened[year] += 1
        else:
            found.append(
                Finding(
                    *_where(event),
                    f"pembukaan kembali tahun buku {year} ini tidak sah (tanpa alasan dan "
                    "persetujuan, atau bertanggal di tahun itu sendiri); tahun itu tetap "
                    "tertutup: catat dengan 'kkmp tutup-buku "
                    f"{year} --buka --alasan ... --disetujui ...'",
                )
            )
    for year, own in seals.items():
        if len(own) > opened[year] + 1:
            found.append(
                Finding(
                    *_where(own[-1]),
                    f"tahun buku {year} ditutup {len(own)} kali tetapi hanya "
                    f"{opened[year]} kali dibuka kembali: catatan pembukaan kembali hilang",
                )
            )
    return found


def seal_findings(book: Book) -> list[Finding]:
    """A sealed year whose entries changed since `tutup-buku`, or a closed year whose seal is
    gone (its closing entry or the next year's copy of the seal still shows it was closed).
    A year reopened (`tutup-buku --buka`) is judged by its latest seal only, and not while it
    stays open (#11)."""
    found = []
    seals, copies = _by_year(book, SEAL), _by_year(book, SEAL_CARRIED)
    for year, carried in copies.items():
        own = seals.get(year, [])
        for i, copy in enumerate(carried):
            if i >= len(own):
                found.append(
                    Finding(
                        *_where(copy),
                        f"segel tutup buku {year} hilang, padahal tahun {year} sudah ditutup "
                        f"(salinan segel di awal tahun {year + 1} ini)",
                    )
                )
            elif _digest_of(own[i]) != _digest_of(copy):
                found.append(
                    Finding(
                        *_where(own[i]), f"segel tutup buku {year} tidak sama dengan salinannya"
                    )
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
    found += _reopening_findings(book, seals)
    closed = book.closed_years()
    for year, own in seals.items():
        if year not in closed:
            continue  # reopened: adjustments are expected until it is closed again
        seal = own[-1]
        expected = _digest_of(seal)
        actual = ledger.digest(year_entries(book, year))
        if actual != expected:
            found.append(
                Finding(
                    *_where(seal),
                    f"tahun buku {year} sudah ditutup tetapi isinya berubah (digest {actual[:12]}, "
                    f"segel {expected[:12]})",
                )
            )
    return found
