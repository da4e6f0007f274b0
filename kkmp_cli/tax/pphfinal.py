"""PPh Final UMKM (PP 55/2022): a month's gross turnover, the 0,5 % due on it, booked once per
month (`pajak hitung`), and paying any tax payable (`pajak setor`).

Gross turnover (peredaran bruto) is the month's net credit to the operating income accounts,
those of golongan `pendapatan`: every unit's sales and service revenue, the loan jasa,
administration fees and late-payment fines. Not turnover: the `pendapatan-lain` accounts (other
income, recovered write-offs, gains on disposals, cash-count surpluses), grants (equity) and
members' simpanan (equity and liabilities), which are not income at all, and the year-end
closing entry. A sale return lowers the month's turnover. A `koreksi` of a sale counts in the
month of the sale it reverses: the tax base of a month is that month's turnover, and the
correction is a pembetulan of that month (not a negative turnover of the month it is dated in).

A month whose tax falls below what was already paid for it is overpaid (lebih bayar): the excess
goes to `Aset:Lebih-Bayar-Pajak:<Jenis>` for that month (`settle`). PPh final UMKM paid counts as
its SPT Masa (PMK 164/2023 Pasal 7 ayat (5)), and such a payment cannot be moved to another month
(pemindahbukuan, PMK 81/2024 Pasal 109 ayat (3)): DJP (Kring Pajak, as reported by DDTCNews,
July and November 2025) directs the taxpayer to ask for it back (pengembalian pajak yang
seharusnya tidak terutang, PMK 81/2024 Pasal 122–137): `pajak restitusi` books the refund. Only
PPh 21 paid beyond a month's tax may be set against a later month's PPh 21 (PMK 168/2023
Pasal 21 ayat (3)–(4)): `pajak kompensasi`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import accounts, chart, dates, money, text
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import JumlahTidakValid, KkmpError, PeriodeDitutup, TanggalTidakValid
from kkmp_cli.reports import statements

ZERO = Decimal(0)
HUNDRED = Decimal(100)
COMPUTE = "pajak-hitung"
PAY = "pajak-setor"
REFUND = "pajak-restitusi"
OFFSET = "pajak-kompensasi"
# The tax month whose overpayment an entry uses (a kompensasi: its `masa` is the month paid).
OVERPAID_MASA = "lebih-bayar-masa"
MASA_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
TURNOVER_GOLONGAN = "pendapatan"
LEBIH_BAYAR_FINAL = f"{chart.LEBIH_BAYAR_PAJAK}:{chart.UTANG_PPH_FINAL.rpartition(':')[2]}"


class PajakDitolak(KkmpError):
    """A tax computation or payment the rules refuse (window, month, amount, kind)."""


@dataclass(frozen=True)
class Month:
    """One tax month (masa pajak)."""

    year: int
    month: int

    @property
    def kode(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return dates.month_end(self.year, self.month)


@dataclass(frozen=True)
class Computation:
    """The PPh final of a month: turnover, tax due on it, booked before, and the difference."""

    masa: str
    peredaran: Decimal
    tarif_persen: Decimal
    terutang: Decimal
    sudah_dibukukan: Decimal

    @property
    def selisih(self) -> Decimal:
        return self.terutang - self.sudah_dibukukan


def month(textual: str) -> Month:
    """`YYYY-MM` as a tax month, or a refusal."""
    m = MASA_RE.match(textual.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise TanggalTidakValid(
            f"Masa pajak '{textual}' harus berbentuk TAHUN-BULAN, mis. 2025-03."
        )
    return Month(dates.check_year(int(m[1])), int(m[2]))


def turnover(book: Book, masa: Month) -> Decimal:
    """The month's gross turnover (see the module's docstring for what counts)."""
    return turnovers(book, masa.year)[masa.month]


def turnovers(book: Book, year: int) -> dict[int, Decimal]:
    """Each month's gross turnover of `year`; a koreksi counts in the month of the entry it
    reverses (one dated before the year is not this year's)."""
    totals = {m: ZERO for m in range(1, 13)}
    for _entry, day, amount in _turnover_entries(book, year):
        if day.year == year:
            totals[day.month] += amount
    return totals


def _turnover_entries(book: Book, year: int) -> Iterator[tuple[data.Transaction, dt.date, Decimal]]:
    """Each entry from `year` on that changes a turnover: the entry, the day it counts on (a
    koreksi: that of the entry it reverses, when that is from `year` on) and the amount."""
    entries = [
        e
        for e in book.transactions(dt.date(year, 1, 1))
        if e.meta.get("jenis") != statements.CLOSING
    ]
    dated = {str(e.meta["id"]): e.date for e in entries if "id" in e.meta}
    for entry in entries:
        amount = -sum(
            (
                ledger.number(p)
                for p in entry.postings
                if p.account.startswith("Pendapatan:")
                and accounts.info(book, p.account).golongan == TURNOVER_GOLONGAN
            ),
            ZERO,
        )
        if not amount:
            continue
        day: dt.date | None = entry.date
        if entry.meta.get("jenis") == "koreksi" and entry.meta.get("koreksi"):
            day = dated.get(str(entry.meta["koreksi"]))
        if day is not None:
            yield entry, day, amount


def changed_later(book: Book, masa: Month) -> list[dt.date]:
    """The dates of the entries of a later year that change the month's turnover (a koreksi,
    dated after the year, of a sale of the month), oldest first."""
    return [
        e.date
        for e, day, _amount in _turnover_entries(book, masa.year)
        if day.year == masa.year and day.month == masa.month and e.date.year > masa.year
    ]


def booked(book: Book, masa: Month) -> Decimal:
    """PPh final already booked for the month by `pajak hitung` (payable, less what it moved to
    the month's overpayment), less what a koreksi took back (the month can then be booked
    again, found by a review, #16)."""
    return sum(
        (
            -ledger.number(p)
            for e in computations(book, masa)
            for p in e.postings
            if p.account in (chart.UTANG_PPH_FINAL, LEBIH_BAYAR_FINAL)
        ),
        ZERO,
    )


def computations(book: Book, masa: Month) -> list[data.Transaction]:
    """The month's `pajak hitung` entries and the koreksi of any of them."""
    return [
        e
        for e in book.transactions(masa.start)
        if COMPUTE in (e.meta.get("jenis"), e.meta.get("jenis_asal"))
        and e.meta.get("masa") == masa.kode
    ]


def _require_window(book: Book, masa: Month) -> None:
    rules = book.config.pajak
    if not rules.pph_final:
        raise PajakDitolak(
            f"PPh final {money.fmt_pct(rules.tarif_persen)} tidak aktif: isi 'pajak: pph_final: true' di koperasi.yaml bila "
            "koperasi memakai PP 55/2022."
        )
    first, last = rules.tahun_pertama, rules.tahun_terakhir
    if masa.year < first:
        raise PajakDitolak(
            f"Masa {masa.kode} sebelum koperasi terdaftar ({rules.terdaftar_sejak}, "
            "pajak.terdaftar_sejak di koperasi.yaml)."
        )
    if masa.year > last:
        raise PajakDitolak(
            f"Masa {masa.kode} di luar jangka waktu PPh final {money.fmt_pct(rules.tarif_persen)} ({first}–{last}: paling lama "
            f"{rules.jangka_tahun} tahun pajak bagi koperasi, PP 55/2022 Pasal 59); sejak {last + 1} "
            "berlaku tarif umum PPh badan (UU PPh Pasal 17 ayat (1) huruf b, dengan fasilitas "
            "Pasal 31E), dihitung dalam SPT Tahunan, bukan dengan 'kkmp pajak hitung'."
        )


def year_turnover(book: Book, year: int) -> Decimal:
    return sum(turnovers(book, year).values(), ZERO)


def over_ceiling(book: Book, year: int) -> Decimal | None:
    """The previous year's turnover when it exceeded the ceiling (PP 55/2022 Pasal 57–58: the
    final rate then ends with that year), else None."""
    limit = book.config.pajak.batas_peredaran
    before = year_turnover(book, year - 1)
    return before if before > limit else None


def _require_under_ceiling(book: Book, masa: Month) -> None:
    before = over_ceiling(book, masa.year)
    if before is not None:
        limit = book.config.pajak.batas_peredaran
        raise PajakDitolak(
            f"Peredaran bruto {masa.year - 1} {money.fmt(before)} melebihi {money.fmt(limit)} "
            f"(PP 55/2022 Pasal 57); sejak {masa.year} berlaku tarif umum PPh badan (UU PPh "
            "Pasal 17 ayat (1) huruf b, dengan fasilitas Pasal 31E), bukan PPh final."
        )


def _booking_date(book: Book, masa: Month) -> dt.date:
    """The day the month's PPh final is booked on: its last day; for a month of a closed year
    whose turnover entries of a later year changed (a koreksi of its sale), the date of the
    latest of them, or the first day of the first open year after it when its year is closed
    too (the closed year's seal stays; adversarial review, #12). Else a refusal."""
    if masa.end > dt.date.today():
        raise PajakDitolak(
            f"Masa {masa.kode} belum berakhir; PPh final dihitung sesudah akhir bulan."
        )
    closed = book.closed_years()
    if masa.year not in closed:
        return masa.end
    later = changed_later(book, masa)
    if not later:
        raise PeriodeDitutup(
            f"Tahun buku {masa.year} sudah ditutup; masa {masa.kode} tidak dapat dihitung lagi."
        )
    year = later[-1].year
    while year in closed:
        year += 1
    return later[-1] if year == later[-1].year else dt.date(year, 1, 1)


def compute(book: Book, masa: Month, base: Decimal | None = None) -> Computation:
    """What `pajak hitung` would book for the month (on `base`, its turnover when known),
    without the window checks."""
    rules = book.config.pajak
    base = turnover(book, masa) if base is None else base
    due = money.floor(max(base, ZERO) * rules.tarif_persen / HUNDRED)
    return Computation(masa.kode, base, rules.tarif_persen, due, booked(book, masa))


def plan_compute(book: Book, masa: Month) -> list[data.Directive]:
    """The month's PPh final (expense and payable), or only the difference from what an earlier
    run booked (a back-dated sale); nothing when nothing changed."""
    _require_window(book, masa)
    day = _booking_date(book, masa)
    _require_under_ceiling(book, masa)
    result = compute(book, masa)
    settled = settle(book, chart.UTANG_PPH_FINAL, masa.kode, result.selisih)
    if not result.selisih and not settled:
        return []
    amount = result.selisih
    first = not result.sudah_dibukukan
    if not amount:  # only a month paid beyond its tax, from before kkmp recorded lebih bayar
        narration = f"Lebih bayar PPh final masa {masa.kode}"
    elif first:
        narration = f"PPh final {money.fmt_pct(result.tarif_persen)} masa {masa.kode}"
    else:
        narration = f"Selisih PPh final masa {masa.kode} (peredaran berubah)"
    taken_back = sum(1 for e in computations(book, masa) if e.meta.get("jenis") == "koreksi")
    narration += text.recorded_again(taken_back)
    meta = {
        "id": book.next_id("BM", day.year),
        "jenis": COMPUTE,
        "masa": masa.kode,
        "peredaran": str(result.peredaran),
        "terutang": str(result.terutang),
    }
    postings = [ledger.posting(chart.BEBAN_PAJAK, amount)] if amount else []
    return [
        *coop.missing_chart_opens(book),
        ledger.transaction(day, narration, [*postings, *settled], meta=meta),
    ]


def tax_accounts(book: Book) -> dict[str, str]:
    """Every tax payable by its JENIS (lower-case leaf): pph-final-umkm, pph-21, pph-final-bunga."""
    found = {
        a.rpartition(":")[2].lower(): a
        for a in (*book.opens(), chart.UTANG_PPH_FINAL, chart.UTANG_PPH_21)
        if a.startswith(chart.UTANG_PAJAK + ":")
    }
    return dict(sorted(found.items()))


def masa_of(entry: data.Transaction) -> str:
    return str(entry.meta.get("masa") or f"{entry.date:%Y-%m}")


def overpaid_masa_of(entry: data.Transaction) -> str:
    """The tax month of an entry's lebih-bayar postings."""
    return str(entry.meta.get(OVERPAID_MASA) or masa_of(entry))


def overpaid(book: Book, account: str, masa: str, end: dt.date | None = None) -> Decimal:
    """What a tax month paid beyond its tax and is still to be refunded or set off."""
    return sum(
        (
            ledger.number(p)
            for e in book.transactions(None, end)
            for p in e.postings
            if p.account == account and overpaid_masa_of(e) == masa
        ),
        ZERO,
    )


def settle(book: Book, payable: str, masa: str, change: Decimal) -> list[data.Posting]:
    """The payable and lebih-bayar postings that change a tax month's tax by `change`: what
    the month already paid beyond its new tax becomes its overpayment (lebih bayar), and an
    overpayment of the month takes an increase first."""
    account = chart.overpayment_account(payable)
    owed = outstanding(book, payable, masa)
    over = overpaid(book, account, masa) if account else ZERO
    after = owed - over + change
    postings = []
    if max(after, ZERO) != owed:
        postings.append(ledger.posting(payable, owed - max(after, ZERO)))
    if account is not None and max(-after, ZERO) != over:
        postings.append(ledger.posting(account, max(-after, ZERO) - over))
    return postings


def outstanding(book: Book, account: str, masa: str, end: dt.date | None = None) -> Decimal:
    """What is still payable on a tax account for one tax month: entries carry `masa:` (or
    belong to the month of their date)."""
    total = ZERO
    for e in book.transactions(None, end):
        for p in e.postings:
            if p.account == account and masa_of(e) == masa:
                total -= ledger.number(p)
    return total


def payable_of(book: Book, jenis: str) -> str:
    """The tax payable of a JENIS (pph-final-umkm, pph-21 …), or a refusal naming them."""
    known = tax_accounts(book)
    account = known.get(jenis.strip().lower())
    if account is None:
        raise PajakDitolak(f"Jenis pajak '{jenis}' tidak dikenal; yang ada: {', '.join(known)}.")
    return account


def plan_pay(
    book: Book,
    jenis: str,
    masa: Month,
    amount: Decimal,
    date: dt.date,
    *,
    ntpn: str | None = None,
    via: str = "bank",
) -> list[data.Directive]:
    """Pay (setor) a tax payable for one tax month, at most what is payable."""
    account = payable_of(book, jenis)
    if amount <= 0:
        raise JumlahTidakValid("Jumlah setoran pajak harus lebih dari nol.")
    payable = outstanding(book, account, masa.kode, date)
    if amount > payable:
        raise PajakDitolak(
            f"Setoran {money.fmt(amount)} melebihi {jenis.lower()} masa {masa.kode} yang terutang "
            f"per {dates.fmt(date)} ({money.fmt(payable)})."
        )
    cash = accounts.via(book, via)
    meta: dict[str, str] = {
        "id": book.next_id(cash.doc_out, date.year),
        "jenis": PAY,
        "masa": masa.kode,
        "pajak": jenis.lower(),
    }
    if ntpn:
        meta["ntpn"] = text.clean(ntpn, field="NTPN")
    narration = f"Setor {account.rpartition(':')[2]} masa {masa.kode}"
    postings = [ledger.posting(account, amount), ledger.posting(cash.akun, -amount)]
    return [ledger.transaction(date, narration, postings, meta=meta)]


def plan_refund(
    book: Book, jenis: str, masa: Month, amount: Decimal, date: dt.date, *, via: str = "bank"
) -> list[data.Directive]:
    """A month's overpayment paid back by the tax office (restitusi), at most what is left."""
    payable = payable_of(book, jenis)
    account = chart.overpayment_account(payable)
    if amount <= 0:
        raise JumlahTidakValid("Jumlah restitusi pajak harus lebih dari nol.")
    left = overpaid(book, account, masa.kode, date) if account else ZERO
    if account is None or amount > left:
        raise PajakDitolak(
            f"Restitusi {money.fmt(amount)} melebihi lebih bayar {jenis.lower()} masa "
            f"{masa.kode} per {dates.fmt(date)} ({money.fmt(left)})."
        )
    cash = accounts.via(book, via)
    meta = {
        "id": book.next_id(cash.doc_in, date.year),
        "jenis": REFUND,
        "masa": masa.kode,
        "pajak": jenis.lower(),
    }
    narration = f"Restitusi lebih bayar {payable.rpartition(':')[2]} masa {masa.kode}"
    postings = [ledger.posting(cash.akun, amount), ledger.posting(account, -amount)]
    return [ledger.transaction(date, narration, postings, meta=meta)]


def plan_offset(
    book: Book, jenis: str, dari: Month, masa: Month, amount: Decimal, date: dt.date
) -> list[data.Directive]:
    """PPh 21 paid beyond one month's tax set against a later month's PPh 21 payable
    (PMK 168/2023 Pasal 21 ayat (3)–(4): in a later month, not necessarily the next)."""
    payable = payable_of(book, jenis)
    account = chart.overpayment_account(payable)
    if payable != chart.UTANG_PPH_21 or account is None:
        raise PajakDitolak(
            f"Hanya lebih bayar PPh 21 yang dapat diperhitungkan dengan masa berikutnya (PMK "
            f"168/2023 Pasal 21); lebih bayar {jenis.lower()} diminta kembali ke kantor pajak "
            "(pengembalian pajak yang seharusnya tidak terutang, PMK 81/2024 Pasal 122; setoran "
            "PPh final UMKM adalah SPT Masa-nya sendiri dan tidak dapat dipindahbukukan, PMK "
            "164/2023 Pasal 7 ayat (5) dan PMK 81/2024 Pasal 109 ayat (3)), lalu dicatat dengan "
            "'kkmp pajak restitusi'."
        )
    if amount <= 0:
        raise JumlahTidakValid("Jumlah kompensasi pajak harus lebih dari nol.")
    if masa.start <= dari.start:
        raise PajakDitolak(
            f"Lebih bayar masa {dari.kode} hanya dapat diperhitungkan dengan masa sesudahnya, "
            f"bukan {masa.kode}."
        )
    left = overpaid(book, account, dari.kode, date)
    owed = outstanding(book, payable, masa.kode, date)
    if amount > min(left, owed):
        raise PajakDitolak(
            f"Kompensasi {money.fmt(amount)} melebihi lebih bayar {jenis.lower()} masa "
            f"{dari.kode} ({money.fmt(left)}) atau yang terutang masa {masa.kode} "
            f"({money.fmt(owed)}) per {dates.fmt(date)}."
        )
    meta = {
        "id": book.next_id("BM", date.year),
        "jenis": OFFSET,
        "masa": masa.kode,
        OVERPAID_MASA: dari.kode,
        "pajak": jenis.lower(),
    }
    narration = f"Kompensasi lebih bayar PPh 21 masa {dari.kode} ke masa {masa.kode}"
    postings = [ledger.posting(payable, amount), ledger.posting(account, -amount)]
    return [ledger.transaction(date, narration, postings, meta=meta)]


def missing_months(book: Book, year: int) -> list[Computation]:
    """Months of `year` inside the final-rate window whose booked PPh final differs from the tax
    due on their turnover (the year-end checklist's `pajak` item)."""
    rules = book.config.pajak
    if not rules.pph_final or not rules.tahun_pertama <= year <= rules.tahun_terakhir:
        return []
    if over_ceiling(book, year) is not None:
        return []
    bases = turnovers(book, year)
    rows = [compute(book, Month(year, m), bases[m]) for m in range(1, 13)]
    return [r for r in rows if r.selisih]
