"""Bank financing as planned entries: the facility (tambah), drawdowns (cair), payments
(bayar: interest, then principal), interest accrual (akrual) and a third party paying an
instalment (talangan, e.g. the village's Dana Desa under Permendesa 10/2025 Pasal 4)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data

from kkmp_cli import chart, dates, money, text
from kkmp_cli.accounts import cash as cash_accounts
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding, JumlahTidakValid, KkmpError, TeksTidakValid
from kkmp_cli.financing import facility as fac
from kkmp_cli.financing.facility import Facility
from kkmp_cli.units import registry

ZERO = Decimal(0)
RATE_RE = re.compile(r"^\d{1,3}(\.\d{1,4})?$")


class PembiayaanDitolak(KkmpError):
    """A facility, drawdown or payment outside the terms (plafon, PMK 49/2025 limits, debt)."""


def parse_rate(value: str) -> Decimal:
    """`--bunga` in percent per year, comma or dot as the decimal mark."""
    s = str(value).strip().replace("%", "").replace(",", ".")
    if not RATE_RE.match(s):
        raise JumlahTidakValid(f"Bunga '{value}' bukan angka persen per tahun, mis. 6 atau 6,5.")
    return Decimal(s)


def _check_terms(
    book: Book, plafon: Decimal, bunga: Decimal, tenor: int, grace: int, day: int | None
) -> None:
    rules = book.config.pembiayaan
    if plafon <= 0:
        raise JumlahTidakValid("Plafon pembiayaan harus lebih dari nol.")
    if plafon > rules.plafon_maks:
        raise PembiayaanDitolak(
            f"Plafon {money.fmt(plafon)} melebihi batas {money.fmt(rules.plafon_maks)} "
            "(PMK 49/2025; koperasi.yaml pembiayaan.plafon_maks)."
        )
    if bunga <= 0 or bunga > rules.bunga_maks_persen:
        raise PembiayaanDitolak(
            f"Bunga {money.fmt_pct(bunga)} per tahun harus lebih dari nol dan paling tinggi "
            f"{money.fmt_pct(rules.bunga_maks_persen)} (koperasi.yaml pembiayaan.bunga_maks_persen)."
        )
    if not 1 <= tenor <= rules.tenor_maks:
        raise PembiayaanDitolak(
            f"Tenor harus 1 sampai {rules.tenor_maks} bulan (koperasi.yaml pembiayaan.tenor_maks)."
        )
    if not 0 <= grace <= rules.masa_tenggang_maks or grace >= tenor:
        raise PembiayaanDitolak(
            f"Masa tenggang harus 0 sampai {rules.masa_tenggang_maks} bulan dan lebih pendek "
            "dari tenor (koperasi.yaml pembiayaan.masa_tenggang_maks)."
        )
    if day is not None and not 1 <= day <= 31:
        raise JumlahTidakValid("Tanggal jatuh tempo (--jatuh-tempo) harus 1 sampai 31.")


def add(
    book: Book,
    kode: str,
    date: dt.date,
    *,
    kreditur: str,
    plafon: Decimal,
    bunga_persen: Decimal,
    tenor: int,
    masa_tenggang: int = 0,
    jatuh_tempo: int | None = None,
    metode: str = "anuitas",
) -> list[data.Directive]:
    """Plan a facility: its Kewajiban:Utang-Bank sub-account opened with the terms (no cash)."""
    code = kode.strip().upper()
    if not fac.CODE_RE.match(code):
        raise TeksTidakValid(
            f"Kode pembiayaan '{kode}' tidak sah: awali dengan huruf, lalu huruf, angka atau '-' "
            "(mis. BRI-KDMP-1)."
        )
    if code in fac.facilities(book) or fac.account_of(code) in book.opens():
        raise PembiayaanDitolak(f"Pembiayaan {code} sudah tercatat.")
    method = metode.strip().lower()
    if method not in fac.METHODS:
        raise PembiayaanDitolak(f"Metode '{metode}' tidak dikenal; pilih anuitas atau pokok-tetap.")
    _check_terms(book, plafon, bunga_persen, tenor, masa_tenggang, jatuh_tempo)
    name = text.clean(kreditur, field="kreditur", max_len=100)
    meta: dict[str, Any] = {
        "kode": f"{fac_kode()}.{code}",
        "keterangan": f"Utang bank {name} ({code})",
        "jenis": fac.KIND,
        fac.KIND: code,
        "kreditur": name,
        "plafon": plafon,
        "bunga_persen": bunga_persen,
        "tenor": Decimal(tenor),
        "masa_tenggang": Decimal(masa_tenggang),
        "metode": method,
    }
    if jatuh_tempo is not None:
        meta["jatuh_tempo"] = Decimal(jatuh_tempo)
    opened = data.Open(
        data.new_metadata("<kkmp>", 0, meta), date, fac.account_of(code), [ledger.CURRENCY], None
    )
    return [*coop.missing_chart_opens(book), opened]


def fac_kode() -> str:
    return chart.CHART_BY_NAME[chart.UTANG_BANK].kode


def sub_account_opens(
    book: Book, parent: str, leaf: str, date: dt.date, keterangan: str
) -> list[data.Directive]:
    """The `open` of `parent:leaf` (kode = the parent's kode.leaf), unless it is open already:
    a facility's interest payable, a third party's talangan, an asset supplier."""
    account = f"{parent}:{leaf}"
    if account in book.opens():
        return []
    meta = {"kode": f"{chart.CHART_BY_NAME[parent].kode}.{leaf}", "keterangan": keterangan}
    return [data.Open(data.new_metadata("<kkmp>", 0, meta), date, account, [ledger.CURRENCY], None)]


def _payable_open(book: Book, f: Facility) -> list[data.Directive]:
    return sub_account_opens(
        book, chart.UTANG_BUNGA, f.kode, f.tanggal, f"Utang bunga {f.kreditur} ({f.kode})"
    )


def check_unit(book: Book, unit: str | None) -> str | None:
    """A unit usaha named in koperasi.yaml, or None (the cooperative as a whole)."""
    if unit is None:
        return None
    return registry.require(book, unit).kode


def draw(
    book: Book,
    kode: str,
    amount: Decimal,
    date: dt.date,
    *,
    via: str = "bank",
    untuk: str | None = None,
    unit: str | None = None,
    operasional: bool = False,
) -> list[data.Directive]:
    """Plan a drawdown: cash up, bank debt up; never above the plafon (nor the PMK 49/2025
    operating-cost share), never before the facility nor after its grace period."""
    f = fac.require(book, kode)
    if amount <= 0:
        raise JumlahTidakValid("Jumlah pencairan harus lebih dari nol.")
    if date < f.tanggal:
        raise PembiayaanDitolak(
            f"Pencairan {dates.fmt(date)} sebelum pembiayaan {f.kode} dimulai "
            f"({dates.fmt(f.tanggal)})."
        )
    if date > f.last_draw_date:
        raise PembiayaanDitolak(
            f"Pencairan {f.kode} hanya sampai akhir masa tenggang ({dates.fmt(f.last_draw_date)}); "
            "sesudah itu angsuran sudah berjalan menurut jadwal."
        )
    ahead = fac.prepayments(book, f)
    if ahead:
        raise PembiayaanDitolak(
            f"Pembiayaan {f.kode} sudah menerima pelunasan dipercepat pada "
            f"{dates.fmt(ahead[0].tanggal)}; pokok yang sudah dikembalikan tidak dapat "
            "dicairkan lagi."
        )
    drawn = sum((a for _, a in fac.draws(book, f)), ZERO)
    if drawn + amount > f.plafon:
        raise PembiayaanDitolak(
            f"Pencairan {money.fmt(amount)} melebihi plafon {f.kode}: sudah dicairkan "
            f"{money.fmt(drawn)} dari {money.fmt(f.plafon)}, sisa {money.fmt(f.plafon - drawn)}."
        )
    if operasional:
        used = _operating(book, f)
        limit = book.config.pembiayaan.operasional_maks
        if used + amount > limit:
            raise PembiayaanDitolak(
                f"Pencairan untuk belanja operasional menjadi {money.fmt(used + amount)}, melebihi "
                f"{money.fmt(limit)} (PMK 49/2025; koperasi.yaml pembiayaan.operasional_maks)."
            )
    _require_nothing_resplit(book, f, "pencairan", date, drawn=(date, amount))
    cash = cash_accounts.via(book, via)
    meta: dict[str, Any] = {
        "id": book.next_id(cash.doc_in, date.year),
        "jenis": fac.DRAW,
        fac.KIND: f.kode,
    }
    if untuk:
        meta["untuk"] = text.clean(untuk, field="penggunaan dana", max_len=200)
    if operasional:
        meta["operasional"] = "ya"
    chosen = check_unit(book, unit)
    if chosen:
        meta["unit"] = chosen
    postings = [
        ledger.posting(cash.akun, amount),
        ledger.posting(f.account, -amount),
    ]
    narration = f"Pencairan pembiayaan {f.kode} dari {f.kreditur}"
    return [
        *coop.missing_chart_opens(book),
        ledger.transaction(date, narration, postings, payee=f.kreditur, meta=meta),
    ]


def _operating(book: Book, f: Facility) -> Decimal:
    """What was drawn for operating costs (`cair --operasional`)."""
    return -sum(
        (
            ledger.number(p)
            for e in fac.entries_of(book, f.kode, fac.DRAW)
            if e.meta.get("operasional") == "ya"
            for p in e.postings
            if p.account == f.account
        ),
        ZERO,
    )


# Principal a payment may carry above the schedule and still be an instalment: a bank's
# rounding of its debit. Above it, the payment is a prepayment (pelunasan dipercepat).
PREPAY_TOLERANCE = Decimal(1_000)


@dataclass(frozen=True)
class Split:
    """A payment split: interest, principal, and of the principal what is ahead of the schedule
    (a prepayment; `lunas` when it repays everything)."""

    bunga: Decimal
    pokok: Decimal
    dipercepat: Decimal = ZERO
    lunas: bool = False


def _owed(
    rows: list[fac.Row], paid: tuple[Decimal, Decimal], amount: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """(interest, principal, principal still owed on `rows`) of `amount`: interest first."""
    pokok_due = sum((r.pokok for r in rows), ZERO) - paid[0]
    bunga = min(amount, max(ZERO, sum((r.bunga for r in rows), ZERO) - paid[1]))
    return bunga, amount - bunga, max(ZERO, pokok_due)


def allocate(book: Book, f: Facility, amount: Decimal, date: dt.date) -> Split:
    """A payment on `date`, split after every payment dated on or before it (`split`)."""
    if amount <= 0:
        raise JumlahTidakValid("Jumlah pembayaran harus lebih dari nol.")
    outstanding = -book.balance(f.account)
    done = fac.paid_off(book, f)
    if done is not None and outstanding <= 0:
        raise PembiayaanDitolak(
            f"Pembiayaan {f.kode} sudah lunas pada {dates.fmt(done)}; tidak ada lagi yang dibayar."
        )
    rows = list(fac.plan_of(book, f))
    return split(f, rows, fac.paid(book, f, date), amount, date, outstanding)


def split(
    f: Facility,
    rows: list[fac.Row],
    paid: tuple[Decimal, Decimal],
    amount: Decimal,
    date: dt.date,
    outstanding: Decimal,
) -> Split:
    """`amount` paid on `date` after (principal, interest) `paid`, on the schedule `rows`: the
    interest of the instalments due (or, when everything due is paid, of the next one) first,
    the rest to principal. Principal beyond those instalments is a prepayment: then every
    instalment whose month began before `date` is paid in full first, and the rest lowers the
    principal from the next month that begins (facility's module)."""
    due = [r for r in rows if r.jatuh_tempo <= date]
    upcoming = next((r for r in rows if r.jatuh_tempo > date and not r.dipercepat), None)
    bunga, pokok, owed = _owed(due, paid, amount)
    if upcoming is not None and sum((r.angsuran for r in due), ZERO) <= sum(paid, ZERO):
        bunga, pokok, owed = _owed([*due, upcoming], paid, amount)
    if pokok > outstanding:
        raise PembiayaanDitolak(
            f"Pembayaran {money.fmt(amount)} melebihi utang {f.kode}: bunga yang jatuh tempo "
            f"{money.fmt(bunga)}, sisa pokok {money.fmt(outstanding)}."
        )
    began = [r for r in rows if fac.began(f, r, date)]
    if pokok - owed <= PREPAY_TOLERANCE or len(began) == len(rows):
        return Split(bunga, pokok)
    bunga, pokok, owed = _owed(began, paid, amount)
    lunas = pokok == outstanding
    if pokok - owed <= PREPAY_TOLERANCE and not lunas:
        return Split(bunga, pokok)  # the month's instalment, paid before it falls due
    return Split(bunga, pokok, pokok - owed, lunas)


def booked(entry: data.Transaction) -> Split:
    """The split a recorded payment (or talangan) carries in its metadata."""
    meta = entry.meta
    return Split(
        Decimal(meta.get("bunga", 0)),
        Decimal(meta.get("pokok", 0)),
        Decimal(meta.get("dipercepat", 0)),
        meta.get("lunas") == "ya",
    )


@dataclass(frozen=True)
class Paid:
    """A payment as a later one's split reads it: its date, split and `kurangi`."""

    tanggal: dt.date
    split: Split
    kurangi: str = fac.REDUCE[0]


@dataclass(frozen=True)
class Departure:
    """A recorded payment whose split, reckoned again after the payments before it in date
    order, is not the one it carries (`replayed` None: in that order it pays more than the
    facility owes)."""

    entry: data.Transaction
    booked: Split
    replayed: Split | None


def departures(
    book: Book,
    f: Facility,
    planned: Paid | None = None,
    taken_back: tuple[str, dt.date] | None = None,
    drawn: tuple[dt.date, Decimal] | None = None,
) -> list[Departure]:
    """The facility's payments and talangan whose booked split a replay in date order changes
    (#11): each reckoned again, as `allocate` did, after the payments dated before it (and
    those of its day recorded before it) that no koreksi had taken back by its date. With
    `planned`, a payment about to be recorded after those of its day: only the payments dated
    after it, each with it among the payments before. With `taken_back`, as if a koreksi
    dated on the given day reversed that payment (a drawdown's koreksi waits for every payment
    on or after it: `facility.require_correctable`). With `drawn`, a drawdown about to be
    recorded joins the schedule: only payments dated on or after it can change."""
    index = book.index(fac.SubLedgers)
    gone = dict(index.reversed)
    if taken_back:
        gone[taken_back[0]] = taken_back[1]
    recorded = sorted(
        (
            e
            for e in index.entries
            if e.meta.get(fac.KIND) == f.kode and e.meta.get("jenis") in (fac.PAY, fac.BAILOUT)
        ),
        key=lambda e: e.date,
    )
    if planned and all(e.date <= planned.tanggal for e in recorded):
        return []  # recorded in date order: nothing to reckon again
    if drawn and all(e.date < drawn[0] for e in recorded):
        return []  # a payment's split reads no drawdown dated after it
    schedule_of = [
        *fac.draws(book, f),
        *([drawn] if drawn else []),
    ]
    plans: dict[tuple[fac.Prepayment, ...], list[fac.Row]] = {}
    found = []
    for n, entry in enumerate(recorded):
        if fac.taken_back(gone, entry) or (planned and entry.date <= planned.tanggal):
            continue
        before = [
            Paid(e.date, booked(e), str(e.meta.get("kurangi", fac.REDUCE[0])))
            for e in recorded[:n]
            if not fac.taken_back(gone, e, entry.date)
        ]
        before += [planned] if planned else []
        ahead = tuple(
            fac.Prepayment(p.tanggal, p.split.dipercepat, p.kurangi, p.split.lunas)
            for p in before
            if p.split.dipercepat
        )
        rows = plans.setdefault(ahead, list(fac.schedule(f, schedule_of, ahead)))
        pokok = sum((p.split.pokok for p in before), ZERO)
        paid = (pokok, sum((p.split.bunga for p in before), ZERO))
        was = booked(entry)
        try:
            now: Split | None = split(
                f, rows, paid, was.bunga + was.pokok, entry.date,
                sum((a for _, a in schedule_of), ZERO) - pokok,
            )  # fmt: skip
        except PembiayaanDitolak:
            now = None
        if now != was:
            found.append(Departure(entry, was, now))
    return found


def _described(s: Split) -> str:
    ahead = f", di luar jadwal {money.fmt(s.dipercepat)}" if s.dipercepat else ""
    return f"bunga {money.fmt(s.bunga)} dan pokok {money.fmt(s.pokok)}{ahead}"


def findings(book: Book) -> list[Finding]:
    """`periksa`: each facility payment whose booked split a replay in date order changes (an
    older kkmp split an instalment recorded late as if the payments dated after it did not
    exist, #11), with the way to mend it."""
    found = []
    for f in fac.facilities(book).values():
        for d in departures(book, f):
            e = d.entry
            doc, on = e.meta.get("id"), dates.fmt(e.date)
            right = (
                f"seharusnya {_described(d.replayed)}"
                if d.replayed
                else "padahal pembayaran itu melebihi utangnya"
            )
            found.append(
                Finding(
                    str(e.meta.get("filename", "?")),
                    int(e.meta.get("lineno", 0) or 0),
                    f"{doc} ({on}) pembiayaan {f.kode} tercatat {_described(d.booked)}, {right} "
                    "menurut urutan tanggal sesudah pembayaran sebelumnya; perbaiki dengan "
                    f"'kkmp koreksi {doc} --tanggal {on} --alasan \"pembagian bunga dan pokok\"' "
                    "(bila sesudahnya ada pembayaran pembiayaan itu, koreksi dulu yang terakhir), "
                    "lalu catat lagi pembayarannya menurut urutan tanggal",
                )
            )
    return found


def _moved(
    book: Book,
    f: Facility,
    planned: Paid | None = None,
    taken_back: tuple[str, dt.date] | None = None,
    drawn: tuple[dt.date, Decimal] | None = None,
) -> list[data.Transaction]:
    """The recorded payments whose split a replay in date order finds right now and would
    find wrong after the change (`departures`' `planned`, `taken_back` or `drawn`): those the
    change itself moves, not a split an older kkmp left wrong (`periksa` names those)."""
    changed = departures(book, f, planned, taken_back, drawn)
    if not changed:
        return []
    known = {d.entry.meta.get("id") for d in departures(book, f)}
    return [d.entry for d in changed if d.entry.meta.get("id") not in known]


def require_reversible(book: Book, original: data.Transaction, date: dt.date) -> None:
    """`koreksi` of a facility payment dated `date`: the payments recorded after it were split
    with it counted; one whose split taking it back changes is corrected first (#11)."""
    kode = original.meta.get(fac.KIND)
    if original.meta.get("jenis") not in (fac.PAY, fac.BAILOUT) or kode is None:
        return
    f = fac.require(book, str(kode))
    doc = str(original.meta.get("id"))
    moved = _moved(book, f, taken_back=(doc, date))
    if moved:
        last = moved[-1]
        raise fac.PembiayaanTidakDapatDikoreksi(
            f"{doc} tidak dapat dikoreksi: {last.meta.get('id')} ({dates.fmt(last.date)}) "
            f"sesudahnya membagi bunga dan pokok {f.kode} dengan memperhitungkan {doc}; "
            "koreksi dulu pembayaran pembiayaan itu yang sesudahnya, mulai dari yang terakhir."
        )


def _require_nothing_resplit(
    book: Book,
    f: Facility,
    what: str,
    date: dt.date,
    *,
    split: Split | None = None,
    drawn: tuple[dt.date, Decimal] | None = None,
) -> None:
    """A payment (`split`) or a drawdown (`drawn`) dated before payments already recorded
    must leave their splits as a replay in date order makes them; else those are taken back
    and recorded again after it. `what` names it in the sentence: pembayaran, pencairan."""
    moved = _moved(book, f, None if split is None else Paid(date, split), drawn=drawn)
    if not moved:
        return
    first = moved[0]
    doc, on = first.meta.get("id"), dates.fmt(first.date)
    rest = sorted(
        (e for jenis in (fac.PAY, fac.BAILOUT) for e in fac.entries_of(book, f.kode, jenis)
         if e.date > first.date),
        key=lambda e: e.date,
    )  # fmt: skip
    also = ""
    if rest:
        shown = ", ".join(f"{e.meta.get('id')} ({dates.fmt(e.date)})" for e in rest[:3])
        also = f" serta pembayaran sesudahnya ({shown}), mulai dari yang terakhir"
    raise PembiayaanDitolak(
        f"{what.capitalize()} {f.kode} bertanggal {dates.fmt(date)} mengubah pembagian bunga "
        f"dan pokok {doc} ({on}) yang sudah dicatat sesudahnya; koreksi dulu {doc} dengan "
        f"'kkmp koreksi {doc} --tanggal {on} --alasan \"{what} sebelumnya terlambat dicatat\"'"
        f"{also}, catat {what} ini, lalu catat lagi pembayaran yang dikoreksi menurut urutan "
        "tanggal."
    )


def _payable_held(book: Book, f: Facility, date: dt.date) -> Decimal:
    """Accrued interest the payable holds at the end of `date` and keeps on every later day:
    what a payment dated `date` may settle without turning it into a debit on some day."""
    if f.payable not in book.opens():
        return ZERO
    opening, moves = book.movements_since(f.payable, date + dt.timedelta(days=1))
    held = lowest = -opening
    for move in moves:
        held -= move.amount
        lowest = min(lowest, held)
    return max(ZERO, lowest)


def _require_in_order(book: Book, f: Facility, date: dt.date) -> None:
    """A prepayment reckons the schedule again from its date: nothing of the facility may
    follow it yet (a later instalment or accrual was reckoned on the old schedule)."""
    later = [
        e
        for e in fac.live(book)
        if e.meta.get(fac.KIND) == f.kode
        and (e.date > date or (e.date == date and e.meta.get("jenis") == fac.DRAW))
    ]
    if later:
        last = max(later, key=lambda e: e.date)
        raise PembiayaanDitolak(
            f"Pelunasan dipercepat {f.kode} bertanggal {dates.fmt(date)} mendahului "
            f"{last.meta.get('id')} ({dates.fmt(last.date)}) yang sudah dihitung menurut jadwal "
            "lama; catat pelunasan dipercepat menurut urutan tanggal, sesudah transaksi "
            "terakhir pembiayaan itu."
        )


def _settlement(
    book: Book, f: Facility, amount: Decimal, date: dt.date
) -> tuple[list[data.Posting], dict[str, Any]]:
    """The debit side of a payment: accrued interest payable, then interest expense, then
    principal."""
    split = allocate(book, f, amount, date)
    if split.dipercepat:
        _require_in_order(book, f, date)
    _require_nothing_resplit(book, f, "pembayaran", date, split=split)
    bunga = split.bunga
    # Interest accrued by `akrual` on or before `date` and still owed on every later day: an
    # instalment paid on the 14th settles the accrual of the month before.
    from_payable = min(bunga, _payable_held(book, f, date))
    later = [e for e in fac.entries_of(book, f.kode, fac.ACCRUE) if e.date >= date]
    if bunga > from_payable and later:
        # The accrual already made this interest a payable (and an expense) on a later day: a
        # payment dated before it would settle it before it exists, or expense it twice.
        first = min(later, key=lambda e: e.date)
        doc = first.meta.get("id")
        raise PembiayaanDitolak(
            f"Angsuran {f.kode} bertanggal {dates.fmt(date)} membayar bunga yang sudah dicatat "
            f"sebagai utang oleh akrual {doc} sesudahnya ({dates.fmt(first.date)}); koreksi "
            f"dulu akrual itu dengan 'kkmp koreksi {doc} --tanggal {dates.fmt(first.date)} "
            f"--alasan \"angsuran terlambat dicatat\"', catat angsuran ini, lalu jalankan lagi 'kkmp pembiayaan akrual "
            f"--bulan {first.meta.get('bulan')}'."
        )
    postings = []
    if from_payable:
        postings.append(ledger.posting(f.payable, from_payable))
    if bunga - from_payable:
        postings.append(ledger.posting(chart.BEBAN_BUNGA, bunga - from_payable))
    if split.pokok:
        postings.append(ledger.posting(f.account, split.pokok))
    meta: dict[str, Any] = {fac.KIND: f.kode, "pokok": split.pokok, "bunga": bunga}
    if split.dipercepat:
        meta["dipercepat"] = split.dipercepat
    if split.lunas:
        meta["lunas"] = "ya"
    return postings, meta


def check_reduce(kurangi: str) -> str:
    """`--kurangi`: what a prepayment lowers, the instalment (tenor kept) or the tenor."""
    chosen = kurangi.strip().lower()
    if chosen not in fac.REDUCE:
        raise PembiayaanDitolak(
            f"Pilihan --kurangi '{kurangi}' tidak dikenal; pilih tenor (angsuran tetap, lunas "
            "lebih cepat) atau angsuran (tenor tetap, angsuran turun)."
        )
    return chosen


def pay(
    book: Book,
    kode: str,
    amount: Decimal,
    date: dt.date,
    *,
    via: str = "bank",
    kurangi: str = fac.REDUCE[0],
    biaya: Decimal = ZERO,
) -> list[data.Directive]:
    """Plan a payment to the bank (interest first, then principal); principal ahead of the
    schedule is a prepayment that lowers the instalment or the tenor (`kurangi`); `biaya` is
    the bank's fee on it (e.g. a prepayment fee), an expense beside the payment."""
    f = fac.require(book, kode)
    reduce = check_reduce(kurangi)
    if biaya < 0:
        raise JumlahTidakValid("Biaya bank (--biaya) tidak boleh kurang dari nol.")
    postings, extra = _settlement(book, f, amount, date)
    if "dipercepat" in extra and "lunas" not in extra:
        extra["kurangi"] = reduce
    if biaya:
        postings.append(ledger.posting(chart.BEBAN_BANK, biaya))
        extra["biaya"] = biaya
    cash = cash_accounts.via(book, via)
    meta = {"id": book.next_id(cash.doc_out, date.year), "jenis": fac.PAY, **extra}
    postings.append(ledger.posting(cash.akun, -(amount + biaya)))
    what = "Angsuran"
    if "lunas" in extra:
        what = "Pelunasan"
    elif "dipercepat" in extra:
        what = "Pelunasan dipercepat"
    narration = (
        f"{what} pembiayaan {f.kode}: bunga {money.fmt(extra['bunga'])}, "
        f"pokok {money.fmt(extra['pokok'])}"
    )
    if "dipercepat" in extra:
        narration += f" (di luar jadwal {money.fmt(extra['dipercepat'])})"
    return [
        *coop.missing_chart_opens(book),
        ledger.transaction(date, narration, postings, payee=f.kreditur, meta=meta),
    ]


def bailout(
    book: Book, kode: str, amount: Decimal, date: dt.date, *, dari: str
) -> list[data.Directive]:
    """Plan a third party paying an instalment to the bank (Permendesa 10/2025 Pasal 4: the
    village's Dana Desa when the cooperative's account cannot): the bank debt falls as by a
    payment, and the cooperative now owes that party instead."""
    f = fac.require(book, kode)
    who = text.clean(dari, field="pihak penalang (--dari)", max_len=100)
    if allocate(book, f, amount, date).dipercepat:
        raise PembiayaanDitolak(
            f"Talangan {money.fmt(amount)} melebihi angsuran {f.kode} yang jatuh tempo: "
            "talangan hanya membayar angsuran, dan pelunasan dipercepat dibayar koperasi "
            "sendiri dengan 'kkmp pembiayaan bayar'."
        )
    postings, extra = _settlement(book, f, amount, date)
    account = f"{chart.UTANG_TALANGAN}:{chart.component(who)}"
    entries: list[data.Directive] = [
        *coop.missing_chart_opens(book),
        *sub_account_opens(
            book, chart.UTANG_TALANGAN, chart.component(who), date, f"Utang talangan kepada {who}"
        ),
    ]
    postings.append(ledger.posting(account, -amount))
    meta = {"id": book.next_id("BM", date.year), "jenis": fac.BAILOUT, "dari": who, **extra}
    narration = f"Angsuran pembiayaan {f.kode} dibayar oleh {who} (talangan)"
    entries.append(ledger.transaction(date, narration, postings, payee=who, meta=meta))
    return entries


def month_end(month: str) -> dt.date:
    """`YYYY-MM` to the month's last day."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise JumlahTidakValid(f"Bulan '{month}' tidak dikenali; tulis TAHUN-BULAN, mis. 2025-12.")
    return dates.month_end(dates.check_year(int(m[1])), int(m[2]))


def accrue(book: Book, month: str) -> list[data.Directive]:
    """Plan the accrual of every facility's interest incurred by the month's end (due by then;
    in December also the days run since the last due date, `facility.accrued_by`) and neither
    paid nor accrued yet (a second run finds nothing and plans nothing)."""
    end = month_end(month)
    entries: list[data.Directive] = []
    for f in fac.facilities(book).values():
        if f.tanggal > end:
            continue
        amount = fac.unaccrued(book, f, end)
        if amount <= 0:
            continue
        entries += _payable_open(book, f)
        meta = {
            "id": book.next_id("BM", end.year),
            "jenis": fac.ACCRUE,
            fac.KIND: f.kode,
            "bulan": f"{end:%Y-%m}",
        }
        postings = [ledger.posting(chart.BEBAN_BUNGA, amount), ledger.posting(f.payable, -amount)]
        narration = f"Akrual bunga pembiayaan {f.kode} yang belum dibayar s.d. {dates.fmt(end)}"
        # Not the twin of the accrual a koreksi took back (#11).
        narration += text.recorded_again(fac.count_taken_back(book, f.kode, fac.ACCRUE, end))
        entries.append(ledger.transaction(end, narration, postings, payee=f.kreditur, meta=meta))
    if entries:
        entries = [*coop.missing_chart_opens(book), *entries]
    return entries
