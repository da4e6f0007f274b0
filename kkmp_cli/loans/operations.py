"""Loan operations as planned entries: disburse (cair), pay (angsur), pay off (lunasi),
provision (cadangkan), write off (hapus-buku), restructure (restrukturisasi)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data

from kkmp_cli import chart, money, text
from kkmp_cli.accounts import cash as cash_accounts
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import JumlahTidakValid, KkmpError
from kkmp_cli.loans import accrual
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.loans import schedule as sched
from kkmp_cli.members import register as members
from kkmp_cli.reports import statements


class BatasPinjaman(KkmpError):
    """A loan over an SOP limit without a recorded exception."""


class PinjamanSudahSelesai(KkmpError):
    """A payment on a loan that is paid off, written off or restructured."""


class KelebihanBayar(KkmpError):
    """A payment larger than everything the loan still owes."""


@dataclass(frozen=True)
class Terms:
    pokok: Decimal
    tenor: int
    jasa_persen: Decimal
    metode: str


RATE_RE = re.compile(r"^\d{1,3}(\.\d+)?$")
RATE_PLACES = 4


def parse_rate(text_value: str) -> Decimal:
    """`--jasa` in percent per month, with a comma or a dot as the decimal mark, to at most
    four decimals (a finer rate rounds every instalment's jasa to nothing)."""
    s = str(text_value).strip().replace("%", "").replace(",", ".")
    if not RATE_RE.match(s):
        raise JumlahTidakValid(f"Jasa '{text_value}' bukan angka persen, mis. 2,2 atau 1.5.")
    rate = Decimal(s)
    if rate <= 0:
        raise JumlahTidakValid("Jasa (persen per bulan) harus lebih dari nol.")
    if rate > 100:
        raise JumlahTidakValid("Jasa per bulan tidak masuk akal (lebih dari 100%).")
    exponent = rate.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > RATE_PLACES:
        raise JumlahTidakValid(
            f"Jasa '{text_value}' terlalu teliti; tulis paling banyak {RATE_PLACES} angka di "
            "belakang koma, mis. 1,2345."
        )
    return rate


def check_terms(pokok: Decimal, tenor: int, jasa_persen: Decimal, metode: str) -> Terms:
    if pokok <= 0:
        raise JumlahTidakValid("Pokok pinjaman harus lebih dari nol.")
    if tenor <= 0:
        raise JumlahTidakValid("Tenor harus paling sedikit 1 bulan.")
    if tenor > 600:
        raise JumlahTidakValid("Tenor lebih dari 50 tahun tidak masuk akal.")
    if jasa_persen <= 0:
        raise JumlahTidakValid("Jasa (persen per bulan) harus lebih dari nol.")
    return Terms(pokok, tenor, jasa_persen, sched.check_method(metode))


def simulate(terms: Terms, start: dt.date) -> sched.Schedule:
    return sched.build(terms.pokok, terms.tenor, terms.jasa_persen, terms.metode, start)


def next_loan_id(book: Book, year: int) -> str:
    """The next loan number of the year, after the highest on any laptop; with this laptop's
    device code in it (PJ-2025-B-0007) so two laptops merged through git never clash (#22)."""
    seqs = [
        int(m[3])
        for loan_id in pf.loans(book)
        if (m := pf.LOAN_ID_RE.match(loan_id)) and int(m[1]) == year
    ]
    device = book.config.loket.perangkat
    return f"PJ-{year}-{device + '-' if device else ''}{max(seqs, default=0) + 1:04d}"


def _check_rate(book: Book, terms: Terms) -> None:
    rules = book.config.pinjaman
    if terms.jasa_persen > rules.jasa_maks_per_bulan:
        raise BatasPinjaman(
            f"Jasa {money.fmt_pct(terms.jasa_persen)} per bulan melebihi batas SOP "
            f"{money.fmt_pct(rules.jasa_maks_per_bulan)}."
        )


def term_breaches(book: Book, terms: Terms) -> list[str]:
    """The limits on the terms themselves (tenor), which hold for a restructuring too."""
    rules = book.config.pinjaman
    if terms.tenor > rules.tenor_maks:
        return [f"tenor {terms.tenor} bulan melebihi batas {rules.tenor_maks} bulan"]
    return []


def _require_exception(
    breaches: list[str], pengecualian: str | None, disetujui: str | None
) -> None:
    if breaches and not (pengecualian and disetujui):
        raise BatasPinjaman(
            "Pinjaman melanggar batas SOP: " + "; ".join(breaches) + ". Bila Pengurus menyetujui "
            'pengecualian, catat dengan --pengecualian "alasan" --disetujui NAMA.'
        )


def _exception_meta(
    breaches: list[str], pengecualian: str | None, disetujui: str | None
) -> dict[str, str]:
    if not breaches:
        return {}
    return {
        "pengecualian": text.clean(
            f"{pengecualian} (batas: {'; '.join(breaches)})", field="pengecualian", max_len=500
        ),
        "disetujui": text.clean(str(disetujui), field="disetujui", max_len=100),
    }


def checkpoints(book: Book, naks: set[str], date: dt.date) -> list[dt.date]:
    """`date` and every later disbursement of these members: the days on which a loan dated
    `date` (so outstanding on all of them) must fit the limits together with the others."""
    later = {
        loan.tanggal for loan in pf.loans(book).values() if loan.nak in naks and loan.tanggal > date
    }
    return [date, *sorted(later)]


def breaches_on(book: Book, nak: str, pokok: Decimal, on: dt.date, skip: str | None) -> list[str]:
    rules = book.config.pinjaman
    found = []
    balances = members.simpanan_balances(book, nak, on)
    base = sum((balances[k] for k in rules.plafon_dari), Decimal(0))
    plafon = money.floor(base * rules.plafon_kali_simpanan)
    open_loans = [s for s in pf.member_loans(book, nak, on) if s.berjalan and s.loan.id != skip]
    outstanding = sum((s.sisa_pokok for s in open_loans), Decimal(0))
    if outstanding + pokok > plafon:
        found.append(
            f"pinjaman {money.fmt(pokok)} (ditambah sisa {money.fmt(outstanding)}) melebihi "
            f"plafon {money.fmt(plafon)} = {rules.plafon_kali_simpanan} x simpanan "
            f"{'+'.join(rules.plafon_dari)} {money.fmt(base)}"
        )
    if len(open_loans) >= rules.pinjaman_aktif_maks:
        found.append(
            f"anggota sudah punya {len(open_loans)} pinjaman berjalan (batas {rules.pinjaman_aktif_maks})"
        )
    related = book.config.organisasi.related_naks
    if nak in related:
        cap = money.floor(
            statements.modal_sendiri(book, on) * rules.batas_pihak_terkait_persen / 100
        )
        current = sum(
            (
                s.sisa_pokok
                for s in pf.portfolio(book, on).berjalan
                if s.loan.nak in related and s.loan.id != skip
            ),
            Decimal(0),
        )
        if current + pokok > cap:
            found.append(
                f"pinjaman pengurus/pengawas menjadi {money.fmt(current + pokok)}, melebihi "
                f"{money.fmt_pct(rules.batas_pihak_terkait_persen)} modal sendiri ({money.fmt(cap)})"
            )
    return found


def limit_breaches(
    book: Book, nak: str, terms: Terms, date: dt.date, *, skip: str | None = None
) -> list[str]:
    """Every SOP limit a loan of `terms` dated `date` breaks, as sentences for the treasurer.

    Judged over the whole timeline: on its own date and on each later disbursement of the
    member (or, for pengurus/pengawas, of any related party), with the loan's full principal
    still outstanding (it has no payments yet). `skip` leaves a recorded loan out, to judge it."""
    found = term_breaches(book, terms)
    related = book.config.organisasi.related_naks
    naks = set(related) | {nak} if nak in related else {nak}
    for on in checkpoints(book, naks, date):
        breaches = breaches_on(book, nak, terms.pokok, on, skip)
        if breaches:
            when = "" if on == date else f" pada {on:%d-%m-%Y}, saat pinjaman lain dicairkan"
            found += [b + when for b in breaches]
            break
    return found


def _loan_meta(loan_id: str, nak: str, terms: Terms, jenis: str, doc: str) -> dict[str, Any]:
    return {
        "id": doc,
        "anggota": nak,
        "jenis": jenis,
        "pinjaman": loan_id,
        "pokok": terms.pokok,
        "tenor": Decimal(terms.tenor),
        "jasa_persen": terms.jasa_persen,
        "metode": terms.metode,
    }


def disburse(
    book: Book,
    nak: str,
    terms: Terms,
    date: dt.date,
    *,
    via: str = "kas",
    biaya_admin: Decimal | None = None,
    pengecualian: str | None = None,
    disetujui: str | None = None,
    counterpart: str | None = None,
    loan_id: str | None = None,
) -> list[data.Directive]:
    """Plan a disbursement: receivable up, cash down (less the admin fee, which is income).

    `counterpart` replaces kas/bank for a loan carried over from older books (saldo awal):
    no cash moves and the SOP limits are not checked again."""
    member = members.require_active(book, nak, date)
    rules = book.config.pinjaman
    _check_rate(book, terms)
    breaches = [] if counterpart else limit_breaches(book, member.nak, terms, date)
    _require_exception(breaches, pengecualian, disetujui)
    cash = None if counterpart else cash_accounts.via(book, via)
    fee = (
        biaya_admin
        if biaya_admin is not None
        else money.round_half_up(terms.pokok * rules.biaya_admin_persen / 100)
    )
    if fee < 0 or fee >= terms.pokok:
        raise JumlahTidakValid("Biaya administrasi harus di antara nol dan pokok pinjaman.")
    loan_id = loan_id or next_loan_id(book, date.year)  # a batch (saldo awal) numbers its own
    account = chart.member_account(chart.PIUTANG_PINJAMAN, member.nak)
    entries: list[data.Directive] = list(coop.missing_chart_opens(book))
    if account not in book.opens():
        entries.append(members.open_subaccount(book, chart.PIUTANG_PINJAMAN, member))
    prefix = "BM" if cash is None else cash.doc_out
    meta = _loan_meta(loan_id, member.nak, terms, "pinjaman-cair", book.next_id(prefix, date.year))
    if counterpart:
        meta["saldo_awal"] = "ya"
    meta.update(_exception_meta(breaches, pengecualian, disetujui))
    postings = [
        ledger.posting(account, terms.pokok),
        ledger.posting(cash.akun if cash else str(counterpart), -(terms.pokok - fee)),
    ]
    if fee:
        postings.append(ledger.posting(chart.ADMIN_PINJAMAN, -fee))
    narration = (
        f"Pencairan pinjaman {loan_id} ({terms.metode}, {terms.tenor} bln, "
        f"jasa {money.fmt_pct(terms.jasa_persen)}/bln)" + (" - saldo awal" if counterpart else "")
    )
    entry = ledger.transaction(
        date, narration, postings, payee=member.nama, meta=meta, links=[loan_id]
    )
    # Dated before a month already accrued, the loan's jasa due then is accrued now (#13).
    return [*entries, entry, *accrual.adjustments(book, pf.loan_from(entry), [entry])]


@dataclass(frozen=True)
class Due:
    """What a loan asks for at a date: denda first, then jasa and pokok instalment by instalment."""

    denda: Decimal
    urutan: list[tuple[str, Decimal]]  # ("jasa"|"pokok", amount) in paying order

    @property
    def total(self) -> Decimal:
        return self.denda + sum((a for _, a in self.urutan), Decimal(0))


def penalty(book: Book, st: pf.LoanState, date: dt.date) -> Decimal:
    """Denda: SOP percent per day on each overdue instalment's unpaid part, for the days since
    it fell due or since the last payment, whichever is later (so no day is charged twice)."""
    rate = book.config.pinjaman.denda_persen_per_hari
    if rate == 0:
        return Decimal(0)
    total = Decimal(0)
    for row in st.angsuran:
        inst = row.angsuran
        unpaid = inst.angsuran - row.pokok_dibayar - row.jasa_dibayar
        if inst.jatuh_tempo >= date or unpaid <= 0:
            continue
        since = max(inst.jatuh_tempo, st.terakhir_bayar or inst.jatuh_tempo)
        days = (date - since).days
        if days > 0:
            total += unpaid * rate / 100 * days
    return money.round_half_up(total)


def due(book: Book, st: pf.LoanState, date: dt.date) -> Due:
    order: list[tuple[str, Decimal]] = []
    for row in st.angsuran:
        jasa = row.angsuran.jasa - row.jasa_dibayar
        pokok = row.angsuran.pokok - row.pokok_dibayar
        if jasa > 0:
            order.append(("jasa", jasa))
        if pokok > 0:
            order.append(("pokok", pokok))
    return Due(penalty(book, st, date), order)


def _event_label(loan: pf.Loan, event: pf.Payment) -> str:
    if event.koreksi == loan.doc:
        return "dibatalkan dengan koreksi"
    return pf.CLOSING_KINDS[event.jenis]


def _open_state(book: Book, loan_id: str, date: dt.date) -> pf.LoanState:
    """The loan at `date`, refusing a date before its disbursement or before its payoff,
    write-off, restructuring or cancellation, whatever order they were recorded in."""
    loan = pf.get(book, loan_id)
    if date < loan.tanggal:
        raise JumlahTidakValid(
            f"Tanggal {date:%d-%m-%Y} lebih awal dari pencairan {loan.id} ({loan.tanggal:%d-%m-%Y})."
        )
    events = pf.closing_events(book, loan)
    if events and date < events[-1].tanggal:
        last = events[-1]
        raise PinjamanSudahSelesai(
            f"Pinjaman {loan.id} sudah {_event_label(loan, last)} pada "
            f"{last.tanggal:%d-%m-%Y} ({last.doc}); transaksi pinjaman bertanggal "
            f"{date:%d-%m-%Y} tidak dapat dicatat sebelum itu."
        )
    return pf.state(book, loan, date)


def _require_nothing_later(book: Book, st: pf.LoanState, date: dt.date, what: str) -> None:
    """A payoff, write-off or restructuring ends the loan: no entry of it may come later."""
    later = [p for p in pf.payments(book, st.loan) if p.tanggal > date]
    if later:
        shown = ", ".join(f"{p.doc} ({p.tanggal:%d-%m-%Y})" for p in later[:3])
        raise PinjamanSudahSelesai(
            f"{what} {st.loan.id} harus bertanggal sesudah transaksinya yang terakhir; "
            f"sudah ada {shown}."
        )


def payment_postings(
    book: Book,
    loan: pf.Loan,
    date: dt.date,
    parts: dict[str, Decimal],
    extra: list[data.Posting] | None = None,
) -> list[data.Posting]:
    """What a payment of `parts` (denda, jasa, pokok, pemulihan) dated `date` credits on the
    loan (then `extra`, an overpayment's credit to sukarela): accrued jasa held that day settles
    its receivable first (#13), and the principal repaid earns its share of the jasa a
    restructuring deferred. `pinjaman angsur` and `lunasi` and a member's exit that nets the
    loan (`anggota keluar --kompensasi`, #23) all book a payment so, followed by
    `accrual.adjustments` when an accrual or payment dated later is already booked."""
    parts = dict(parts)
    held = accrual.held_on(book, loan.id, date)
    if held and parts.get("jasa"):
        # Accrued jasa is income already: its payment settles the receivable (#13).
        parts["jasa_akrual"] = min(parts["jasa"], held)
        parts["jasa"] -= parts["jasa_akrual"]
    accounts = {
        "denda": chart.DENDA_PINJAMAN,
        "jasa": chart.JASA_PINJAMAN,
        "jasa_akrual": chart.PIUTANG_JASA,
        "pokok": loan.account,
        "pemulihan": chart.PEMULIHAN_PINJAMAN,
    }
    credit = [ledger.posting(accounts[k], -v) for k, v in parts.items() if v > 0]
    credit += extra or []
    earned = deferred_recognition(loan, paid_before(book, loan), parts.get("pokok", Decimal(0)))
    if earned:
        credit += [
            ledger.posting(chart.JASA_DITANGGUHKAN, earned),
            ledger.posting(chart.JASA_PINJAMAN, -earned),
        ]
    return credit


def _payment_entry(
    book: Book,
    st: pf.LoanState,
    date: dt.date,
    via: str,
    parts: dict[str, Decimal],
    jenis: str,
    narration: str,
    extra: list[data.Posting] | None = None,
) -> data.Transaction:
    loan = st.loan
    credit = payment_postings(book, loan, date, parts, extra)
    total = -sum((ledger.number(p) for p in credit), Decimal(0))
    cash = cash_accounts.via(book, via)
    meta = {
        "id": book.next_id(cash.doc_in, date.year),
        "anggota": loan.nak,
        "jenis": jenis,
        "pinjaman": loan.id,
    }
    postings = [ledger.posting(cash.akun, total), *credit]
    return ledger.transaction(
        date, narration, postings, payee=loan.nama, meta=meta, links=[loan.id]
    )


def _with_adjustments(
    book: Book, loan: pf.Loan, entries: list[data.Transaction]
) -> list[data.Directive]:
    """The loan's entries and what they change in accruals already booked after them (#13)."""
    return [*entries, *accrual.adjustments(book, loan, entries)]


def paid_before(book: Book, loan: pf.Loan) -> Decimal:
    """Principal repaid by every recorded entry of the loan (also those dated later)."""
    return sum((p.pokok for p in pf.payments(book, loan)), Decimal(0))


def _instalments_named(before: pf.LoanState, parts: dict[str, Decimal]) -> str:
    """Which instalments a payment settles, from what every recorded payment already covers."""
    rows = before.angsuran
    after = pf.allocate(
        before.loan.schedule(),
        before.pokok_dibayar + parts["pokok"],
        before.jasa_dibayar + parts["jasa"],
    )
    touched = [
        a.angsuran.ke
        for a, b in zip(after, rows, strict=True)
        if (a.pokok_dibayar, a.jasa_dibayar) != (b.pokok_dibayar, b.jasa_dibayar)
    ]
    if not touched:
        return "(denda)"
    first, last = touched[0], touched[-1]
    return f"ke-{first}" if first == last else f"ke-{first} s.d. ke-{last}"


def pay(
    book: Book,
    loan_id: str,
    amount: Decimal,
    date: dt.date,
    *,
    via: str = "kas",
    denda: Decimal | None = None,
    kelebihan_ke_sukarela: bool = False,
) -> list[data.Directive]:
    """Plan an instalment payment, applied denda -> jasa -> pokok (instalment by instalment).

    What is owed counts every recorded payment, also those dated later (a payment recorded
    late). Jasa is income when paid (cash basis). A payment on a written-off loan is a recovery."""
    if amount <= 0:
        raise JumlahTidakValid("Jumlah angsuran harus lebih dari nol.")
    st = _open_state(book, loan_id, date)
    loan = st.loan
    whole = pf.state(book, loan, date, later=True)
    if whole.status == "hapus-buku":
        pays = whole.pembayaran
        written = sum((p.lain for p in pays if p.jenis == "pinjaman-hapus"), Decimal(0))
        recovered = sum(
            (p.lain for p in pays if p.jenis in ("pinjaman-pulih", "koreksi")), Decimal(0)
        )
        if amount > written - recovered:
            raise KelebihanBayar(
                f"Pemulihan {money.fmt(amount)} melebihi sisa yang dihapusbukukan "
                f"{money.fmt(written - recovered)}."
            )
        narration = f"Pemulihan piutang {loan.id} yang telah dihapusbukukan"
        return [
            _payment_entry(book, st, date, via, {"pemulihan": amount}, "pinjaman-pulih", narration)
        ]
    if whole.status != "berjalan":
        raise PinjamanSudahSelesai(
            f"Pinjaman {loan.id} sudah {whole.status}; tidak ada angsuran lagi."
        )
    owed = due(book, whole, date)
    fine = penalty(book, st, date) if denda is None else denda
    left = amount
    parts = {"denda": min(left, fine), "jasa": Decimal(0), "pokok": Decimal(0)}
    left -= parts["denda"]
    for kind, value in owed.urutan:
        take = min(left, value)
        parts[kind] += take
        left -= take
        if left == 0:
            break
    extra = []
    if left > 0:
        if not kelebihan_ke_sukarela:
            total = fine + sum((v for _, v in owed.urutan), Decimal(0))
            raise KelebihanBayar(
                f"Pembayaran {money.fmt(amount)} melebihi seluruh kewajiban {loan.id} "
                f"({money.fmt(total)}). Gunakan 'kkmp pinjaman lunasi', atau --kelebihan-ke-sukarela."
            )
        extra = [ledger.posting(chart.member_account(chart.SUKARELA, loan.nak), -left)]
    narration = f"Angsuran pinjaman {loan.id} {_instalments_named(whole, parts)}"
    if parts["pokok"] >= whole.sisa_pokok:
        narration += " (lunas)"
    entry = _payment_entry(book, st, date, via, parts, "pinjaman-angsur", narration, extra)
    return _with_adjustments(book, loan, [entry])


def payoff_amount(book: Book, st: pf.LoanState, date: dt.date) -> dict[str, Decimal]:
    """Early payoff per the SOP rule `pelunasan_jasa` (berjalan, penuh or tanpa)."""
    rule = book.config.pinjaman.pelunasan_jasa
    jasa = Decimal(0)
    current_taken = False
    for row in st.angsuran:
        unpaid = row.angsuran.jasa - row.jasa_dibayar
        if unpaid <= 0:
            continue
        if row.angsuran.jatuh_tempo <= date or rule == "penuh":
            jasa += unpaid
        elif rule == "berjalan" and not current_taken:
            jasa += unpaid
            current_taken = True
    return {"denda": penalty(book, st, date), "jasa": jasa, "pokok": st.sisa_pokok}


def payoff(
    book: Book, loan_id: str, date: dt.date, *, via: str = "kas", denda: Decimal | None = None
) -> list[data.Directive]:
    st = _open_state(book, loan_id, date)
    if st.status != "berjalan":
        raise PinjamanSudahSelesai(f"Pinjaman {st.loan.id} sudah {st.status}.")
    _require_nothing_later(book, st, date, "Pelunasan")
    parts = payoff_amount(book, st, date)
    if denda is not None:
        parts["denda"] = denda
    narration = f"Pelunasan pinjaman {st.loan.id}"
    entry = _payment_entry(book, st, date, via, parts, "pinjaman-lunas", narration)
    return _with_adjustments(book, st.loan, [entry])


def provision(book: Book, per: dt.date) -> list[data.Directive]:
    """Bring the allowance account to what the portfolio requires at `per`."""
    required = pf.portfolio(book, per).total_penyisihan
    current = pf.allowance_booked(book, per)
    diff = required - current
    if diff == 0:
        raise KkmpError(
            f"Penyisihan sudah sesuai portofolio per {per:%d-%m-%Y} ({money.fmt(required)}); tidak ada yang dicatat."
        )
    meta = {"id": book.next_id("BM", per.year), "jenis": "pinjaman-cadangan"}
    postings = [
        ledger.posting(chart.BEBAN_PENYISIHAN, diff),
        ledger.posting(chart.PENYISIHAN_PINJAMAN, -diff),
    ]
    narration = f"Penyesuaian penyisihan piutang pinjaman menjadi {money.fmt(required)}"
    return [
        *coop.missing_chart_opens(book),
        ledger.transaction(per, narration, postings, meta=meta),
    ]


def write_off(book: Book, loan_id: str, date: dt.date, *, alasan: str) -> list[data.Directive]:
    """Write the outstanding principal off against the allowance (the rest is an expense)."""
    st = _open_state(book, loan_id, date)
    if st.status != "berjalan":
        raise PinjamanSudahSelesai(f"Pinjaman {st.loan.id} sudah {st.status}.")
    _require_nothing_later(book, st, date, "Hapus buku")
    alasan = text.clean(alasan, field="alasan")
    outstanding = st.sisa_pokok
    # The jasa a restructuring added to the principal and not yet earned was never lent: it
    # leaves with the loan, it is not a loss (found by an adversarial review, #16).
    unearned = deferred_left(st.loan, st.pokok_dibayar)
    loss = outstanding - unearned
    allowance = max(pf.allowance_booked(book, date), Decimal(0))
    from_allowance = min(loss, allowance)
    postings = [ledger.posting(chart.PENYISIHAN_PINJAMAN, from_allowance)] if from_allowance else []
    if loss > from_allowance:
        postings.append(ledger.posting(chart.BEBAN_PENYISIHAN, loss - from_allowance))
    if unearned:
        postings.append(ledger.posting(chart.JASA_DITANGGUHKAN, unearned))
    postings.append(ledger.posting(st.loan.account, -outstanding))
    held = accrual.held_on(book, st.loan.id, date)
    if held > 0:  # accrued jasa that will not be paid is no longer income (#13)
        postings += [
            ledger.posting(chart.JASA_PINJAMAN, held),
            ledger.posting(chart.PIUTANG_JASA, -held),
        ]
    meta = {
        "id": book.next_id("BM", date.year),
        "anggota": st.loan.nak,
        "jenis": "pinjaman-hapus",
        "pinjaman": st.loan.id,
        "alasan": alasan,
    }
    narration = f"Hapus buku pinjaman {st.loan.id}: {alasan}"
    entry = ledger.transaction(
        date, narration, postings, payee=st.loan.nama, meta=meta, links=[st.loan.id]
    )
    return _with_adjustments(book, st.loan, [entry])


JASA_TERTUNGGAK = ("pokok", "hapus")


def restructure(
    book: Book,
    loan_id: str,
    terms_of: Any,
    date: dt.date,
    *,
    alasan: str,
    jasa_tertunggak: str | None = None,
    pengecualian: str | None = None,
    disetujui: str | None = None,
) -> list[data.Directive]:
    """A new loan for the outstanding principal; the old loan keeps its history and is closed.
    The new terms are held to the SOP's jasa and tenor limits like a new loan.

    Nothing is hidden (#13): the new loan keeps the old loan's class until
    `restrukturisasi_pulih_setelah` instalments are paid on time, and the jasa due and unpaid
    is either added to the new principal (`pokok`, the default: deferred, recognised as the
    principal is repaid) or forgiven (`hapus`: recorded on the entry; a cash-basis book never counted it as
    income, so no expense arises), never dropped."""
    st = _open_state(book, loan_id, date)
    if st.status != "berjalan":
        raise PinjamanSudahSelesai(f"Pinjaman {st.loan.id} sudah {st.status}.")
    _require_nothing_later(book, st, date, "Restrukturisasi")
    preliminary: Terms = terms_of(st.sisa_pokok)
    _check_rate(book, preliminary)
    breaches = term_breaches(book, preliminary)
    _require_exception(breaches, pengecualian, disetujui)
    unpaid = st.tunggakan_jasa
    if jasa_tertunggak is not None and jasa_tertunggak not in JASA_TERTUNGGAK:
        raise JumlahTidakValid(
            f"--jasa-tertunggak '{jasa_tertunggak}' tidak dikenal; pilih pokok (ditambahkan ke "
            "pokok baru) atau hapus (dibebaskan)."
        )
    # By default the unpaid jasa stays owed: it is added to the new principal.
    jasa_tertunggak = jasa_tertunggak or "pokok"
    capitalised = unpaid if jasa_tertunggak == "pokok" else Decimal(0)
    forgiven = unpaid if jasa_tertunggak == "hapus" else Decimal(0)
    # Accrued jasa is income already: it leaves the receivable (into the principal, or as the
    # expense of forgiving it); only the rest is deferred.
    held = min(accrual.held_on(book, st.loan.id, date), unpaid)
    # A loan restructured before still holds jasa deferred by that restructuring: it goes on
    # with the principal to the new loan, earned as that is repaid (found by an adversarial
    # review, #16: it was stranded, and periksa then kept the year from being closed).
    carried = deferred_left(st.loan, st.pokok_dibayar)
    terms: Terms = terms_of(st.sisa_pokok + capitalised)
    new_id = next_loan_id(book, date.year)
    old = st.loan
    # The class the loan had the day before: the restructuring itself must not improve it.
    before = pf.state(book, old, date - dt.timedelta(days=1)) if date > old.tanggal else st
    asal = pf.worse(before.kolektibilitas, st.kolektibilitas)
    meta = _loan_meta(new_id, old.nak, terms, "pinjaman-restruktur", book.next_id("BM", date.year))
    meta["restrukturisasi_dari"] = old.id
    meta["alasan"] = text.clean(alasan, field="alasan")
    meta["kolektibilitas_asal"] = asal
    if capitalised:
        meta["jasa_dikapitalisasi"] = capitalised
    if capitalised or carried:
        meta["jasa_ditangguhkan"] = capitalised - held + carried
    if forgiven:
        meta["jasa_dibebaskan"] = forgiven
    meta.update(_exception_meta(breaches, pengecualian, disetujui))

    def owned(account: str, amount: Decimal, owner: str) -> data.Posting:
        return data.Posting(
            account,
            data.Amount(amount, ledger.CURRENCY),
            None,
            None,
            None,
            {"pinjaman": owner},
        )

    postings = [
        owned(old.account, terms.pokok, new_id),
        owned(old.account, -st.sisa_pokok, old.id),
    ]
    if held and unpaid:
        postings.append(owned(chart.PIUTANG_JASA, -held, old.id))
        if forgiven:
            postings.append(owned(chart.BEBAN_JASA_DIBEBASKAN, held, old.id))
    if capitalised > held:
        postings.append(owned(chart.JASA_DITANGGUHKAN, -(capitalised - held), new_id))
    narration = (
        f"Restrukturisasi {old.id} menjadi {new_id} ({terms.metode}, {terms.tenor} bln, "
        f"jasa {money.fmt_pct(terms.jasa_persen)}/bln)"
    )
    if capitalised:
        narration += f"; jasa tertunggak {money.fmt(capitalised)} ditambahkan ke pokok"
    if forgiven:
        narration += f"; jasa tertunggak {money.fmt(forgiven)} dibebaskan"
    entry = ledger.transaction(
        date, narration, postings, payee=old.nama, meta=meta, links=[old.id, new_id]
    )
    planned = _with_adjustments(book, old, [entry])
    # The new loan's jasa due in months already accrued after `date` is accrued now (#13).
    new = accrual.adjustments(book, pf.loan_from(entry), planned)
    return [*coop.missing_chart_opens(book), *planned, *new]


def deferred_left(loan: pf.Loan, paid: Decimal) -> Decimal:
    """The restructured jasa of `loan` not yet earned once `paid` of its principal is repaid."""
    return loan.jasa_ditangguhkan - deferred_recognition(loan, Decimal(0), paid)


def deferred_recognition(loan: pf.Loan, paid_before: Decimal, paid_now: Decimal) -> Decimal:
    """The part of a restructuring's capitalised jasa that principal paid now earns: the
    capitalised jasa times the share of principal repaid, rounded down, so the parts add up to
    the whole exactly when the loan is repaid."""
    if not loan.jasa_ditangguhkan or not paid_now:
        return Decimal(0)

    def earned(paid: Decimal) -> Decimal:
        return money.floor(loan.jasa_ditangguhkan * min(paid, loan.pokok) / loan.pokok)

    return earned(paid_before + paid_now) - earned(paid_before)
