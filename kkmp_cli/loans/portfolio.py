"""Loans as the ledger records them: terms from the disbursement, payments by link, arrears,
collectibility (koperasi or bank preset) and the provision each loan requires."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, money
from kkmp_cli.core import config
from kkmp_cli.core.ledger import Book, Index
from kkmp_cli.errors import KkmpError
from kkmp_cli.loans import schedule as sched

# PJ-2025-0001, or with a laptop's device code PJ-2025-B-0001 (#22): year, device, sequence.
LOAN_ID_RE = re.compile(r"^PJ-(\d{4})-(?:([A-Z][A-Z0-9]?)-)?(\d{4,})$")

CLASS_LABELS = {
    "lancar": "Lancar",
    "dalam_perhatian_khusus": "Dalam perhatian khusus",
    "kurang_lancar": "Kurang lancar",
    "diragukan": "Diragukan",
    "macet": "Macet",
}
NON_PERFORMING = ("kurang_lancar", "diragukan", "macet")
# An accrual's receivable set right after an entry dated before it was recorded (#13): linked
# to its loan, but no payment of it.
ACCRUAL_ADJUSTMENT = "pinjaman-akrual-sesuai"
# Entries after which a loan takes no more instalments: nothing may be dated before them.
CLOSING_KINDS = {
    "pinjaman-lunas": "dilunasi",
    "pinjaman-hapus": "dihapusbukukan",
    "pinjaman-restruktur": "direstrukturisasi",
}


class PinjamanTidakDikenal(KkmpError):
    """An unknown loan id."""


@dataclass(frozen=True)
class Loan:
    """A loan's terms, read back from its disbursement (or restructuring) transaction."""

    id: str
    nak: str
    nama: str
    tanggal: dt.date
    pokok: Decimal
    tenor: int
    jasa_persen: Decimal
    metode: str
    doc: str
    pengecualian: str | None = None
    disetujui: str | None = None
    restrukturisasi_dari: str | None = None
    # A restructured loan (#13): the class the old loan had, kept until enough instalments are
    # paid on time, and what became of the old loan's unpaid jasa.
    kolektibilitas_asal: str | None = None
    jasa_dikapitalisasi: Decimal = Decimal(0)
    jasa_dibebaskan: Decimal = Decimal(0)
    jasa_ditangguhkan: Decimal = Decimal(0)  # the capitalised jasa not yet income when capitalised
    saldo_awal: bool = False  # carried in with the opening balances: not judged against the SOP

    @property
    def account(self) -> str:
        return chart.member_account(chart.PIUTANG_PINJAMAN, self.nak)

    def schedule(self) -> sched.Schedule:
        return sched.build(self.pokok, self.tenor, self.jasa_persen, self.metode, self.tanggal)


@dataclass(frozen=True)
class Payment:
    tanggal: dt.date
    doc: str
    jenis: str
    pokok: Decimal = Decimal(0)
    jasa: Decimal = Decimal(0)
    denda: Decimal = Decimal(0)
    lain: Decimal = Decimal(0)  # recoveries after write-off, or a write-off itself
    koreksi: str | None = None  # for a reversal (jenis koreksi): the document it reverses


@dataclass(frozen=True)
class InstalmentStatus:
    angsuran: sched.Instalment
    pokok_dibayar: Decimal
    jasa_dibayar: Decimal

    @property
    def lunas(self) -> bool:
        return self.pokok_dibayar >= self.angsuran.pokok and self.jasa_dibayar >= self.angsuran.jasa


@dataclass(frozen=True)
class LoanState:
    loan: Loan
    per: dt.date
    status: str  # berjalan, lunas, hapus-buku, direstrukturisasi, dibatalkan
    sisa_pokok: Decimal
    pokok_dibayar: Decimal
    jasa_dibayar: Decimal
    denda_dibayar: Decimal
    tunggakan_pokok: Decimal
    tunggakan_jasa: Decimal
    angsuran_jatuh_tempo: int
    angsuran_lunas: int
    bulan_tunggakan: int
    hari_tunggakan: int
    kolektibilitas: str
    penyisihan: Decimal
    angsuran: tuple[InstalmentStatus, ...]
    pembayaran: tuple[Payment, ...] = field(default=())
    terakhir_bayar: dt.date | None = None
    angsuran_tepat_waktu: int = 0  # consecutive instalments paid by their due date, from the 1st
    golongan_dipertahankan: bool = False  # a restructured loan still held at its old class

    @property
    def berjalan(self) -> bool:
        return self.status == "berjalan"


def _meta_int(value: object) -> int:
    return int(Decimal(str(value)))


def loan_from(entry: data.Transaction) -> Loan:
    """The loan a disbursement or restructuring entry makes (also one only planned)."""
    meta = entry.meta
    return Loan(
        id=str(meta["pinjaman"]),
        nak=str(meta["anggota"]),
        nama=entry.payee or "",
        tanggal=entry.date,
        pokok=Decimal(meta["pokok"]),
        tenor=_meta_int(meta["tenor"]),
        jasa_persen=Decimal(meta["jasa_persen"]),
        metode=str(meta["metode"]),
        doc=str(meta.get("id", "")),
        pengecualian=meta.get("pengecualian"),
        disetujui=meta.get("disetujui"),
        restrukturisasi_dari=meta.get("restrukturisasi_dari"),
        kolektibilitas_asal=meta.get("kolektibilitas_asal"),
        jasa_dikapitalisasi=Decimal(meta.get("jasa_dikapitalisasi", 0)),
        jasa_dibebaskan=Decimal(meta.get("jasa_dibebaskan", 0)),
        jasa_ditangguhkan=Decimal(
            str(meta.get("jasa_ditangguhkan", meta.get("jasa_dikapitalisasi", 0)))
        ),
        saldo_awal=meta.get("saldo_awal") == "ya",
    )


# One transaction linked to a loan, as `payments` reads it: date, document, jenis, the
# entry's `pinjaman`, the document a koreksi reverses, and the (account, amount) of each
# posting that belongs to the loan.
Linked = tuple[dt.date, str, str, object, object, tuple[tuple[str, Decimal], ...]]


class LoanIndex(Index):
    """Every loan by id (in disbursement order) and the transactions linked to each (#16):
    what recording a payment needs, without a scan of the ledger's history."""

    version = 2  # 2: Loan.saldo_awal

    def __init__(self) -> None:
        self.loans: dict[str, Loan] = {}
        self.linked: dict[str, list[Linked]] = {}

    def fold(self, entry: data.Directive) -> None:
        if not isinstance(entry, data.Transaction):
            return
        meta = entry.meta
        if meta.get("jenis") in ("pinjaman-cair", "pinjaman-restruktur"):
            loan = loan_from(entry)
            self.loans[loan.id] = loan
        for link in entry.links:
            if LOAN_ID_RE.match(link):
                self.linked.setdefault(link, []).append(_linked_record(entry, link))


def _linked_record(entry: data.Transaction, link: str) -> Linked:
    owned = []
    for p in entry.postings:
        number = p.units.number if p.units is not None else None
        if not isinstance(number, Decimal):
            continue
        owner = (p.meta or {}).get("pinjaman", entry.meta.get("pinjaman"))
        if owner is None and entry.links == {link}:
            owner = link
        if owner == link:
            owned.append((p.account, number))
    meta = entry.meta
    return (
        entry.date,
        str(meta.get("id", "")),
        str(meta.get("jenis", "")),
        meta.get("pinjaman"),
        meta.get("koreksi"),
        tuple(owned),
    )


def loans(book: Book) -> dict[str, Loan]:
    """Every loan in the ledger by id, in disbursement order (the Book's own: read it only)."""
    return book.index(LoanIndex).loans


def get(book: Book, loan_id: str) -> Loan:
    loan = loans(book).get(loan_id.strip().upper())
    if loan is None:
        raise PinjamanTidakDikenal(f"Pinjaman '{loan_id}' tidak ditemukan.")
    return loan


def payments(
    book: Book,
    loan: Loan,
    per: dt.date | None = None,
    *,
    planned: Sequence[data.Transaction] = (),
) -> list[Payment]:
    """Every movement of the loan after its disbursement, from the linked transactions (and
    the `planned` ones linked to it, not yet recorded)."""
    records = list(book.index(LoanIndex).linked.get(loan.id, []))
    records += [_linked_record(t, loan.id) for t in planned if loan.id in t.links]
    result = []
    for record in records:
        if per is not None and record[0] > per:
            continue
        payment = _payment(loan, record)
        if payment is not None:
            result.append(payment)
    return sorted(result, key=lambda p: p.tanggal)


def _payment(loan: Loan, record: Linked) -> Payment | None:
    date, doc, jenis, owner, koreksi, owned = record
    if jenis in ("pinjaman-cair", ACCRUAL_ADJUSTMENT) or (
        jenis == "pinjaman-restruktur" and owner == loan.id
    ):
        return None
    pokok = jasa = denda = lain = Decimal(0)
    for account, number in owned:
        if account == loan.account:
            if jenis == "pinjaman-hapus":
                lain += -number
            else:
                pokok += -number
        elif account == chart.JASA_PINJAMAN:
            jasa += -number
        elif account == chart.PIUTANG_JASA and jenis != "pinjaman-restruktur":
            # Accrued jasa settled by this payment (or put back by its koreksi, #13); a
            # restructuring does not pay it: it adds it to the new principal or forgives it
            # (found by a review, #16).
            jasa += -number
        elif account == chart.JASA_DITANGGUHKAN and jenis != "pinjaman-restruktur":
            jasa -= number  # capitalised jasa recognised as paid: not the schedule's jasa
        elif account == chart.DENDA_PINJAMAN:
            denda += -number
        elif account == chart.PEMULIHAN_PINJAMAN:
            lain += -number
    reverses = koreksi if jenis == "koreksi" else None
    return Payment(date, doc, jenis, pokok, jasa, denda, lain, str(reverses) if reverses else None)


def corrected(pays: Sequence[Payment]) -> set[str]:
    """Documents among a loan's entries that a koreksi has reversed."""
    return {p.koreksi for p in pays if p.koreksi}


def closing_events(book: Book, loan: Loan) -> list[Payment]:
    """The loan's payoff, write-off or restructuring (not reversed), whatever their dates;
    a koreksi of the disbursement itself closes the loan too (jenis koreksi)."""
    pays = payments(book, loan)
    undone = corrected(pays)
    events = [p for p in pays if p.jenis in CLOSING_KINDS and p.doc not in undone]
    events += [p for p in pays if p.koreksi == loan.doc]
    return sorted(events, key=lambda p: p.tanggal)


def allocate(
    schedule: sched.Schedule, pokok_paid: Decimal, jasa_paid: Decimal
) -> list[InstalmentStatus]:
    """Spread cumulative payments over the instalments in order (jasa and pokok separately)."""
    rows = []
    for inst in schedule.angsuran:
        p = min(pokok_paid, inst.pokok)
        j = min(jasa_paid, inst.jasa)
        pokok_paid -= p
        jasa_paid -= j
        rows.append(InstalmentStatus(inst, p, j))
    return rows


def classify(rules: config.PinjamanRules, months: int, days: int) -> str:
    """Collectibility by the configured preset: days past due for the bank presets (each band's
    last day inclusive, macet beyond the last), months of principal arrears for koperasi."""
    bands = rules.preset.batas_hari
    if bands is not None:
        for last_day, klass in bands:
            if days <= last_day:
                return klass
        return "macet"
    limits = rules.batas_koperasi_bulan
    if months > limits["macet"]:
        return "macet"
    if months > limits["diragukan"]:
        return "diragukan"
    if months > limits["kurang_lancar"]:
        return "kurang_lancar"
    return "lancar"


CLASS_ORDER = ("lancar", "dalam_perhatian_khusus", "kurang_lancar", "diragukan", "macet")


def worse(a: str, b: str) -> str:
    return a if CLASS_ORDER.index(a) >= CLASS_ORDER.index(b) else b


def state(
    book: Book,
    loan: Loan,
    per: dt.date,
    *,
    later: bool = False,
    pays: Sequence[Payment] | None = None,
) -> LoanState:
    """Where the loan stands at the end of `per`; with `later`, payments dated after `per`
    count too (what is still owed over the loan's whole timeline), arrears are still at `per`.
    `pays` replaces the recorded payments (the accrual's replay of a loan, #13)."""
    if pays is None:
        pays = payments(book, loan, None if later else per)
    pokok_paid = sum((p.pokok for p in pays), Decimal(0))
    jasa_paid = sum((p.jasa for p in pays), Decimal(0))
    denda_paid = sum((p.denda for p in pays), Decimal(0))
    written_off = sum((p.lain for p in pays if p.jenis == "pinjaman-hapus"), Decimal(0))
    undone = corrected(pays)
    jenis = {p.jenis for p in pays if p.doc not in undone}
    outstanding = loan.pokok - pokok_paid - written_off
    if loan.doc in undone:
        status = "dibatalkan"
    elif "pinjaman-hapus" in jenis:
        status = "hapus-buku"
    elif "pinjaman-restruktur" in jenis:
        status = "direstrukturisasi"
    elif outstanding <= 0:
        status = "lunas"
    else:
        status = "berjalan"
    schedule = loan.schedule()
    rows = allocate(schedule, pokok_paid, jasa_paid)
    due = [r for r in rows if r.angsuran.jatuh_tempo <= per]
    arrears_pokok = sum((r.angsuran.pokok - r.pokok_dibayar for r in due), Decimal(0))
    arrears_jasa = sum((r.angsuran.jasa - r.jasa_dibayar for r in due), Decimal(0))
    short = [r for r in due if r.pokok_dibayar < r.angsuran.pokok]
    months = len(short)
    if short:
        # Months of arrears run on past the last instalment: counted from the first principal
        # not paid, not by the instalments left unpaid (a 3-month loan unpaid for a year was
        # lancar, found by an adversarial review, #16).
        since = short[0].angsuran.jatuh_tempo
        last = (per.year - since.year) * 12 + per.month - since.month  # whole months later
        months = max(months, last + 1 if sched.add_months(since, last) <= per else last)
    first_unpaid = next((r for r in due if not r.lunas), None)
    days = (per - first_unpaid.angsuran.jatuh_tempo).days if first_unpaid else 0
    if status != "berjalan":
        arrears_pokok = arrears_jasa = Decimal(0)
        months = days = 0
    klass = classify(book.config.pinjaman, months, days)
    on_time = on_time_run(schedule, [p for p in pays if p.doc not in undone], per)
    held = bool(
        loan.kolektibilitas_asal
        and status == "berjalan"
        and on_time < book.config.pinjaman.restrukturisasi_pulih_setelah
        and worse(klass, loan.kolektibilitas_asal) != klass
    )
    if held:
        klass = str(loan.kolektibilitas_asal)
    pct = book.config.pinjaman.penyisihan_persen.get(klass, Decimal(0))
    provision = (
        money.round_half_up(max(outstanding, Decimal(0)) * pct / 100)
        if status == "berjalan"
        else Decimal(0)
    )
    return LoanState(
        loan=loan,
        per=per,
        status=status,
        sisa_pokok=max(outstanding, Decimal(0)) if status == "berjalan" else Decimal(0),
        pokok_dibayar=pokok_paid,
        jasa_dibayar=jasa_paid,
        denda_dibayar=denda_paid,
        tunggakan_pokok=max(arrears_pokok, Decimal(0)),
        tunggakan_jasa=max(arrears_jasa, Decimal(0)),
        angsuran_jatuh_tempo=len(due),
        angsuran_lunas=sum(1 for r in rows if r.lunas),
        bulan_tunggakan=months,
        hari_tunggakan=max(days, 0),
        kolektibilitas=klass,
        penyisihan=provision,
        angsuran=tuple(rows),
        pembayaran=tuple(pays),
        terakhir_bayar=max((p.tanggal for p in pays if p.tanggal <= per), default=None),
        angsuran_tepat_waktu=on_time,
        golongan_dipertahankan=held,
    )


def on_time_run(schedule: sched.Schedule, pays: list[Payment], per: dt.date) -> int:
    """How many instalments, from the first, were each paid in full by their due date (and
    fell due by `per`): a restructured loan keeps its old class until enough of them are."""
    settled: list[dt.date] = []
    need_pokok = need_jasa = Decimal(0)
    targets = []
    for inst in schedule.angsuran:
        need_pokok += inst.pokok
        need_jasa += inst.jasa
        targets.append((need_pokok, need_jasa))
    paid_pokok = paid_jasa = Decimal(0)
    for p in sorted(pays, key=lambda x: x.tanggal):
        if p.tanggal > per:
            break
        paid_pokok += p.pokok
        paid_jasa += p.jasa
        while len(settled) < len(targets) and (
            paid_pokok >= targets[len(settled)][0] and paid_jasa >= targets[len(settled)][1]
        ):
            settled.append(p.tanggal)
    run = 0
    for inst, day in zip(schedule.angsuran, settled, strict=False):
        if inst.jatuh_tempo > per or day > inst.jatuh_tempo:
            break
        run += 1
    return run


@dataclass(frozen=True)
class Portfolio:
    per: dt.date
    pinjaman: list[LoanState]

    @property
    def berjalan(self) -> list[LoanState]:
        return [s for s in self.pinjaman if s.berjalan]

    @property
    def total_sisa_pokok(self) -> Decimal:
        return sum((s.sisa_pokok for s in self.berjalan), Decimal(0))

    @property
    def total_penyisihan(self) -> Decimal:
        return sum((s.penyisihan for s in self.berjalan), Decimal(0))

    def per_golongan(self) -> dict[str, dict[str, Decimal | int]]:
        result: dict[str, dict[str, Decimal | int]] = {}
        for s in self.berjalan:
            row = result.setdefault(
                s.kolektibilitas, {"jumlah": 0, "sisa_pokok": Decimal(0), "penyisihan": Decimal(0)}
            )
            row["jumlah"] = int(row["jumlah"]) + 1
            row["sisa_pokok"] = Decimal(row["sisa_pokok"]) + s.sisa_pokok
            row["penyisihan"] = Decimal(row["penyisihan"]) + s.penyisihan
        return result

    @property
    def npl(self) -> Decimal:
        """Non-performing loans (kurang lancar, diragukan, macet) as a percentage of outstanding."""
        bad = sum(
            (s.sisa_pokok for s in self.berjalan if s.kolektibilitas in NON_PERFORMING), Decimal(0)
        )
        return npl_ratio(bad, self.total_sisa_pokok)


def npl_ratio(bad: Decimal, outstanding: Decimal) -> Decimal:
    """Non-performing over outstanding in percent, always to two decimals (0.00 without loans),
    so that every report and JSON gives it with the same precision."""
    if outstanding == 0:
        return Decimal("0.00")
    return (bad * 100 / outstanding).quantize(Decimal("0.01"))


def portfolio(book: Book, per: dt.date) -> Portfolio:
    return Portfolio(
        per, [state(book, loan, per) for loan in loans(book).values() if loan.tanggal <= per]
    )


def allowance_booked(book: Book, per: dt.date) -> Decimal:
    """The loan loss allowance the ledger holds at the end of `per` (what the neraca shows);
    `Portfolio.total_penyisihan` is what the loans' collectibility requires."""
    return -book.balance_on(chart.PENYISIHAN_PINJAMAN, per)


def member_loans(book: Book, nak: str, per: dt.date) -> list[LoanState]:
    return [
        state(book, loan, per)
        for loan in loans(book).values()
        if loan.nak == nak and loan.tanggal <= per
    ]
