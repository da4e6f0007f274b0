"""Simpanan berjangka: a member's time deposit at the USP, opened, cashed at maturity (principal
and interest less the final PPh) or early (with the SOP's penalty), listed, and checked."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from beancount.core import data

from kkmp_cli import accounts, chart, dates, money
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import (
    Finding,
    JumlahTidakValid,
    KkmpError,
    PeriodeDitutup,
    SaldoTidakCukup,
    TanggalTidakValid,
)
from kkmp_cli.loans.schedule import add_months
from kkmp_cli.members import deposits, interest
from kkmp_cli.members import register as members

ZERO = Decimal(0)
OPEN, CASH, ACCRUAL = "berjangka-buka", "berjangka-cair", "berjangka-akrual"
ID_RE = re.compile(r"^SB-(\d{4})-(\d{4})$")
FROM_SUKARELA = "sukarela"
TENOR_MAX = 600  # months: a deposit of the older books beyond any SOP is a typing error


class BerjangkaDitolak(KkmpError):
    """A time deposit the SOP refuses, or one cashed twice or before it was opened."""


class BerjangkaTidakDikenal(KkmpError):
    """No time deposit with that id."""


class BerjangkaMasihBerjalan(KkmpError):
    """A member who still holds a running time deposit cannot leave."""


@dataclass(frozen=True)
class Deposit:
    """One time deposit (bilyet), as its opening entry records it, and its cashing if any."""

    id: str
    nak: str
    nama: str
    pokok: Decimal
    tenor: int  # months
    bunga: Decimal  # percent a year
    tanggal: dt.date
    jatuh_tempo: dt.date
    bukti: str
    cair: dt.date | None = None
    bukti_cair: str | None = None

    def running_on(self, date: dt.date) -> bool:
        return self.tanggal <= date and (self.cair is None or self.cair > date)

    @property
    def jasa_penuh(self) -> Decimal:
        """The interest at maturity: principal × rate × tenor ÷ 12, rounded down."""
        return money.floor(self.pokok * self.bunga / 100 * self.tenor / 12)

    def earned_by(self, per: dt.date) -> Decimal:
        return earned(self.pokok, self.bunga, self.tenor, self.tanggal, per)


def earned(pokok: Decimal, bunga: Decimal, tenor: int, opened: dt.date, per: dt.date) -> Decimal:
    """The interest a deposit has earned by `per`: its whole months held (at most its tenor)
    × principal × rate ÷ 12, rounded down."""
    months = min(full_months(opened, per), tenor)
    return money.floor(pokok * bunga / 100 * months / 12)


class DepositEvents(ledger.Index):
    """The time deposits' openings and cashings, and every document a koreksi reversed, in the
    books' order: what `deposits_of` needs, without scanning every transaction (#16)."""

    version = 2  # raised whenever `fold` changes: a kept copy of another version is not used

    def __init__(self) -> None:
        self.opened: list[Deposit] = []
        self.cashed: list[tuple[str, dt.date, str]] = []
        self.reversed: set[str] = set()

    def fold(self, entry: data.Directive) -> None:
        if not isinstance(entry, data.Transaction):
            return
        meta = entry.meta
        if "koreksi" in meta:
            self.reversed.add(str(meta["koreksi"]))
        jenis, sid, doc = meta.get("jenis"), meta.get("berjangka"), meta.get("id")
        if jenis not in (OPEN, CASH) or not isinstance(sid, str):
            return
        if jenis == CASH:
            self.cashed.append((sid, entry.date, str(doc)))
            return
        self.opened.append(
            Deposit(
                sid,
                str(meta["anggota"]),
                entry.payee or "",
                Decimal(meta["pokok"]),
                int(meta["tenor"]),
                Decimal(meta["bunga"]),
                interest.deposit_opened_on(entry),
                meta["jatuh_tempo"],
                str(doc),
            )
        )


def deposits_of(book: Book) -> dict[str, Deposit]:
    """Every time deposit in the books, by id."""

    def build() -> dict[str, Deposit]:
        events = book.index(DepositEvents)
        gone = events.reversed
        found: dict[str, Deposit] = {}
        cashed: dict[str, tuple[dt.date, str]] = {}
        for deposit in events.opened:
            if deposit.bukti not in gone:
                found[deposit.id] = deposit
        for sid, date, doc in events.cashed:
            if doc not in gone:
                cashed[sid] = (date, doc)
        for sid, (date, doc) in cashed.items():
            if sid in found:
                found[sid] = _replace(found[sid], date, doc)
        return found

    return book.memo(("term-deposits",), build)  # type: ignore[no-any-return]


def _replace(d: Deposit, cair: dt.date, bukti: str) -> Deposit:
    return replace(d, cair=cair, bukti_cair=bukti)


def get(book: Book, deposit_id: str) -> Deposit:
    key = deposit_id.strip().upper()
    found = deposits_of(book).get(key)
    if found is None:
        raise BerjangkaTidakDikenal(
            f"Simpanan berjangka {key} tidak ada; lihat 'kkmp simpanan berjangka daftar'."
        )
    return found


def next_id(book: Book, year: int) -> str:
    seqs = [
        int(m[2])
        for t in book.transactions()
        if t.meta.get("jenis") == OPEN
        and (m := ID_RE.match(str(t.meta.get("berjangka", ""))))
        and int(m[1]) == year
    ]
    return f"SB-{year}-{max(seqs, default=0) + 1:04d}"


def _source(book: Book, via: str, nak: str, *, out: bool) -> tuple[str, str]:
    """(account, voucher prefix): a cash or bank account, or the member's own sukarela."""
    if via.strip().lower() == FROM_SUKARELA:
        return chart.member_account(chart.SUKARELA, nak), "BM"
    cash = accounts.via(book, via)
    return cash.akun, cash.doc_out if out else cash.doc_in


def parse_rate(text: str) -> Decimal:
    """The rate in percent a year, with a comma or a dot as the decimal mark."""
    try:
        value = Decimal(text.strip().replace("%", "").replace(",", "."))
    except ArithmeticError:
        value = Decimal(-1)
    if not value.is_finite() or value <= 0:
        raise BerjangkaDitolak(f"Bunga '{text}' tidak sah; tulis persen setahun, mis. 6 atau 5,5.")
    return value


def check_rate(book: Book, rate: Decimal) -> Decimal:
    """The rate, within the SOP's highest (simpanan.berjangka_bunga_maks_persen_tahun)."""
    highest = book.config.simpanan.berjangka_bunga_maks_persen_tahun
    if rate <= 0 or rate > highest:
        raise BerjangkaDitolak(
            f"Bunga {money.fmt_pct(rate)} setahun di luar batas SOP: lebih dari 0 sampai "
            f"{money.fmt_pct(highest)} (simpanan.berjangka_bunga_maks_persen_tahun)."
        )
    return rate


def _check_terms(
    book: Book, amount: Decimal, tenor: int, rate: Decimal, *, carried: bool = False
) -> None:
    """The SOP's terms of a new deposit; one carried over from older books (`carried`) was
    opened under that SOP's minimum and longest tenor, and keeps only the highest rate (as a
    running loan of the saldo awal keeps only its rate check)."""
    rules = book.config.simpanan
    if amount <= 0:
        raise JumlahTidakValid("Jumlah simpanan berjangka harus lebih dari nol.")
    if amount != amount.to_integral_value():
        raise JumlahTidakValid("Jumlah simpanan berjangka harus rupiah bulat.")
    check_rate(book, rate)
    if carried:
        if not 1 <= tenor <= TENOR_MAX:
            raise BerjangkaDitolak(f"Tenor {tenor} bulan di luar 1 sampai {TENOR_MAX} bulan.")
        return
    if amount < rules.berjangka_minimum:
        raise BerjangkaDitolak(
            f"Simpanan berjangka paling sedikit {money.fmt(rules.berjangka_minimum)} "
            f"(simpanan.berjangka_minimum di koperasi.yaml); {money.fmt(amount)} ditolak."
        )
    if not 1 <= tenor <= rules.berjangka_tenor_maks:
        raise BerjangkaDitolak(
            f"Tenor {tenor} bulan di luar batas SOP: 1 sampai {rules.berjangka_tenor_maks} bulan "
            "(simpanan.berjangka_tenor_maks)."
        )


def open_deposit(
    book: Book,
    nak: str,
    amount: Decimal,
    date: dt.date,
    *,
    tenor: int,
    rate: Decimal,
    via: str = "kas",
    counterpart: str | None = None,
    since: dt.date | None = None,
    deposit_id: str | None = None,
) -> list[data.Directive]:
    """Plan a new time deposit: cash (or the member's sukarela) in, the member's deposit up.

    `counterpart` replaces the money of a deposit carried over from older books (saldo awal,
    #22): opened on `since` and entered on `date` (the opening day), its months run from
    `since`, and the interest they earned by `date` is entered as accrued (the older books'
    expense: the year-end accrual and the cashing take it as already accrued)."""
    _check_terms(book, amount, tenor, rate, carried=counterpart is not None)
    member = members.require_active(book, nak, date)
    opened = since or date
    if opened > date:
        raise BerjangkaDitolak(
            f"Simpanan berjangka {member.nak} dibuka {dates.fmt(opened)}, sesudah tanggal saldo "
            f"awal {dates.fmt(date)}; catat dengan 'kkmp simpanan berjangka buka'."
        )
    sid = deposit_id or next_id(book, date.year)
    held = ZERO
    if counterpart is not None:
        source, prefix = counterpart, "BM"
        held = earned(amount, rate, tenor, opened, date)
    else:
        source, prefix = _source(book, via, member.nak, out=False)
        _require_sukarela(book, source, member, amount, date)
    account = chart.member_account(chart.BERJANGKA, member.nak)
    entries: list[data.Directive] = []
    if account not in book.opens():
        entries.append(members.open_subaccount(book, chart.BERJANGKA, member))
    due = add_months(opened, tenor)
    meta = {
        "id": book.next_id(prefix, date.year),
        "anggota": member.nak,
        "jenis": OPEN,
        "berjangka": sid,
        "pokok": amount,
        "tenor": Decimal(tenor),
        "bunga": rate,
        "jatuh_tempo": due,
    }
    narration = (
        f"Simpanan berjangka {sid}: {tenor} bulan, bunga {money.fmt_pct(rate)} setahun, "
        f"jatuh tempo {due:%d-%m-%Y}"
    )
    postings = [ledger.posting(source, amount + held), ledger.posting(account, -amount)]
    if counterpart is not None:
        meta.update({"saldo_awal": "ya", interest.DEPOSIT_SINCE: opened})
        narration += f" - saldo awal, dibuka {dates.fmt(opened)}"
    if held:
        postings.append(_owned(chart.BUNGA_BERJANGKA, -held, sid))
        narration += f", bunga berjalan {money.fmt(held)}"
    entries.append(
        ledger.transaction(date, narration, postings, payee=member.nama, meta=meta, links=[sid])
    )
    return entries


def _require_sukarela(
    book: Book, source: str, member: members.Member, amount: Decimal, date: dt.date
) -> None:
    """A deposit paid from the member's sukarela takes no more than it holds from that day."""
    if not source.startswith(chart.SUKARELA + ":"):
        return
    available = deposits.min_balance_from(book, source, date)
    if amount > available:
        raise SaldoTidakCukup(
            f"Saldo simpanan sukarela {member.nak} ({member.nama}) yang dapat dipindahkan "
            f"pada {date:%d-%m-%Y} hanya {money.fmt(available)}; simpanan berjangka "
            f"{money.fmt(amount)} ditolak."
        )


def full_months(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (15-03 to 14-05 is 1, to 15-05 is 2)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class Payout:
    """What cashing a deposit on a date pays: interest for the months held, less PPh and any
    early-withdrawal penalty."""

    deposit: Deposit
    tanggal: dt.date
    bulan: int
    jasa: Decimal
    pph: Decimal
    penalti: Decimal
    dasar: str = "PP 15/2009"  # the regulations the PPh follows (`interest.basis`)

    @property
    def awal(self) -> bool:
        return self.tanggal < self.deposit.jatuh_tempo

    @property
    def dibayar(self) -> Decimal:
        return self.deposit.pokok + self.jasa - self.pph - self.penalti


def payout(book: Book, d: Deposit, date: dt.date) -> Payout:
    """At or after maturity: the full tenor's interest. Before: interest for the whole months
    held, and the penalty (simpanan.berjangka_penalti_persen of the principal)."""
    rules = book.config.simpanan
    early = date < d.jatuh_tempo
    months = full_months(d.tanggal, date) if early else d.tenor
    jasa = money.floor(d.pokok * d.bunga / 100 * months / 12)
    # PP 15/2009 judges the member's interest per month over all their savings (#12).
    months_paid = interest.deposit_months(d.tanggal, d.pokok, d.bunga, months, jasa, date)
    pph = interest.withholding_for(book, d.nak, months_paid)
    penalty = money.floor(d.pokok * rules.berjangka_penalti_persen / 100) if early else ZERO
    return Payout(d, date, months, jasa, pph, penalty, interest.basis(rules, months_paid))


def cash_out(
    book: Book, deposit_id: str, date: dt.date, *, via: str = "kas"
) -> list[data.Directive]:
    """Plan the cashing of a deposit: the member's deposit down, the interest an expense of the
    USP, the PPh withheld to its payable, the penalty income, the rest paid out."""
    d = get(book, deposit_id)
    if d.cair is not None:
        raise BerjangkaDitolak(
            f"Simpanan berjangka {d.id} sudah dicairkan pada {d.cair:%d-%m-%Y} ({d.bukti_cair})."
        )
    if date < d.tanggal:
        raise TanggalTidakValid(
            f"Tanggal pencairan {date:%d-%m-%Y} sebelum simpanan berjangka {d.id} dibuka "
            f"({d.tanggal:%d-%m-%Y})."
        )
    member = members.require_active(book, d.nak, date)
    later = [day for day in accrual_dates(book, d.id) if day > date]
    if later:
        raise TanggalTidakValid(
            f"Bunga {d.id} sudah diakrualkan per {max(later):%d-%m-%Y}; tanggal pencairan "
            "harus sesudahnya."
        )
    pay = payout(book, d, date)
    target, prefix = _source(book, via, member.nak, out=True)
    postings = [ledger.posting(chart.member_account(chart.BERJANGKA, d.nak), d.pokok)]
    held = accrued(book, d.id)
    if held:  # interest accrued at an earlier year end is paid from its payable
        postings.append(_owned(chart.BUNGA_BERJANGKA, held, d.id))
    if pay.jasa - held:
        postings.append(ledger.posting(chart.BEBAN_JASA_SIMPANAN, pay.jasa - held))
    if pay.pph:
        postings.append(ledger.posting(chart.UTANG_PPH_BUNGA, -pay.pph))
    if pay.penalti:
        postings.append(ledger.posting(chart.PENALTI_BERJANGKA, -pay.penalti))
    postings.append(ledger.posting(target, -pay.dibayar))
    meta = {
        "id": book.next_id(prefix, date.year),
        "anggota": d.nak,
        "jenis": CASH,
        "berjangka": d.id,
        "bulan_jasa": Decimal(pay.bulan),
        "jasa": pay.jasa,
        "pph": pay.pph,
        "penalti": pay.penalti,
    }
    what = "sebelum jatuh tempo" if pay.awal else "jatuh tempo"
    narration = (
        f"Pencairan simpanan berjangka {d.id} ({what}): pokok {money.fmt(d.pokok)}, "
        f"jasa {pay.bulan} bulan {money.fmt(pay.jasa)}"
    )
    if pay.pph:
        narration += f", PPh final {money.fmt(pay.pph)} ({pay.dasar})"
    if pay.penalti:
        narration += f", penalti {money.fmt(pay.penalti)}"
    return [
        ledger.transaction(date, narration, postings, payee=member.nama, meta=meta, links=[d.id])
    ]


def _owned(account: str, amount: Decimal, deposit_id: str) -> data.Posting:
    return data.Posting(
        account, data.Amount(amount, ledger.CURRENCY), None, None, None, {"berjangka": deposit_id}
    )


def _accrual_moves(book: Book) -> list[tuple[str, dt.date, Decimal, data.Transaction]]:
    """(deposit id, date, amount accrued (+) or paid (-), entry) of every posting to the
    payable."""
    result = []
    for t in book.transactions():
        for p in t.postings:
            if p.account == chart.BUNGA_BERJANGKA:
                result.append((_owner(t, p), t.date, -ledger.number(p), t))
    return result


def _owner(t: data.Transaction, p: data.Posting) -> str:
    """The deposit a posting to the payable belongs to; a koreksi an older kkmp wrote lost the
    posting's own id, and is the deposit's by the one link it carries (adversarial review,
    #12)."""
    owner = (p.meta or {}).get("berjangka", t.meta.get("berjangka"))
    if owner is None:
        linked = [link for link in t.links if ID_RE.match(link)]
        owner = linked[0] if len(linked) == 1 else None
    return str(owner)


def accrued(book: Book, deposit_id: str, per: dt.date | None = None) -> Decimal:
    """Interest of a deposit accrued at year ends and not yet paid."""
    return sum(
        (
            a
            for sid, day, a, _ in _accrual_moves(book)
            if sid == deposit_id and (per is None or day <= per)
        ),
        ZERO,
    )


def accrual_dates(book: Book, deposit_id: str) -> list[dt.date]:
    return [day for sid, day, a, _ in _accrual_moves(book) if sid == deposit_id and a > 0]


def require_correctable(book: Book, original: data.Transaction) -> None:
    """A deposit's opening is not taken back while interest of it is accrued: the accrual
    cannot be corrected, and the payable would be left for a deposit that no longer exists
    (found by an adversarial review, #12), as a loan's disbursement waits for its instalments."""
    if original.meta.get("jenis") != OPEN:
        return
    sid = str(original.meta.get("berjangka"))
    held = accrued(book, sid)
    if held:
        docs = sorted(
            {
                f"{t.meta.get('id', '?')}, {t.date:%d-%m-%Y}"
                for s, _, a, t in _accrual_moves(book)
                if s == sid and a > 0
            }
        )
        raise BerjangkaDitolak(
            f"{original.meta.get('id')} tidak dapat dikoreksi: bunga simpanan berjangka {sid} "
            f"sudah diakrualkan {money.fmt(held)} ({'; '.join(docs)}), dan akrual itu hanya "
            f"dibayar oleh pencairannya ('kkmp simpanan berjangka cair {sid}')."
        )


def unaccrued(book: Book, year: int) -> list[tuple[Deposit, Decimal]]:
    """Each deposit running on 31 December of `year`, with the interest it has earned by then
    for its whole months held that no year end has accrued yet: what `accrue` books and the
    year-end checklist asks for (#12). A deposit cashed after that day is left out: its
    cashing expensed all its interest in its own year, so an accrual would expense it twice
    (adversarial review, #12)."""
    end = dt.date(year, 12, 31)
    result = []
    for d in sorted(deposits_of(book).values(), key=lambda x: x.id):
        if not d.running_on(end) or d.cair is not None:
            continue
        amount = d.earned_by(end) - accrued(book, d.id, end)
        if amount > 0:
            result.append((d, amount))
    return result


def accrue(book: Book, year: int, today: dt.date | None = None) -> list[data.Directive]:
    """Year-end accrual (SAK EP): the interest each running deposit has earned by 31 December
    for its whole months held, less what earlier year ends accrued, becomes an expense of the
    year and a payable; the cashing pays it (PPh is withheld then, on the whole interest)."""
    if dates.check_year(year) in book.closed_years():
        raise PeriodeDitutup(f"Tahun buku {year} sudah ditutup; akrual bunga berjangka ditolak.")
    end = dt.date(year, 12, 31)
    if end > (today or dates.today()):
        # Dated 31 December, it would hold back the cashing of a deposit maturing before then
        # and cannot be corrected (adversarial review, #12), as a month's jasa waits its end.
        raise BerjangkaDitolak(
            f"Tahun {year} belum berakhir (berakhir {end:%d-%m-%Y}); bunga simpanan berjangka "
            "diakrualkan pada akhir tahun atau sesudahnya."
        )
    # A second accrual of the year adds only what the first did not cover (a deposit recorded
    # after it, back-dated: it was never expensed, found by an adversarial review, #16).
    due = unaccrued(book, year)
    if not due:
        raise BerjangkaDitolak(_nothing_to_accrue(book, year))
    total = sum((amount for _, amount in due), ZERO)
    postings = [ledger.posting(chart.BEBAN_JASA_SIMPANAN, total)]
    postings += [_owned(chart.BUNGA_BERJANGKA, -amount, d.id) for d, amount in due]
    meta = {"id": book.next_id("BM", year), "jenis": ACCRUAL, "tahun": Decimal(year)}
    narration = (
        f"Akrual bunga simpanan berjangka {year}: bunga bulan penuh sampai {end:%d-%m-%Y} "
        "yang belum dibayar"
    )
    return [ledger.transaction(end, narration, postings, meta=meta)]


def _nothing_to_accrue(book: Book, year: int) -> str:
    end = dt.date(year, 12, 31)
    done = [
        str(t.meta.get("id"))
        for t in book.transactions()
        if t.meta.get("jenis") == ACCRUAL and str(t.meta.get("tahun")) == str(year)
    ]
    if done:
        return (
            f"Bunga simpanan berjangka {year} sudah diakrualkan ({done[0]}); tidak ada "
            "bilyet lain yang perlu diakrualkan."
        )
    later = [
        d
        for d in sorted(deposits_of(book).values(), key=lambda x: x.id)
        if d.running_on(end) and d.cair is not None
    ]
    if later:
        which = "; ".join(
            f"{d.id} sudah dicairkan {d.cair:%d-%m-%Y} ({d.bukti_cair})" for d in later
        )
        return (
            f"Tidak ada bunga simpanan berjangka yang perlu diakrualkan per {end:%d-%m-%Y}: "
            f"{which}, dan bunganya dibebankan pada pencairan itu."
        )
    return f"Tidak ada bunga simpanan berjangka yang perlu diakrualkan per {end:%d-%m-%Y}."


@dataclass(frozen=True)
class Row:
    deposit: Deposit
    status: str  # berjalan, jatuh-tempo (matured, not cashed), dicairkan
    jasa_berjalan: Decimal  # interest earned by `per` (whole months), not yet paid


def listing(book: Book, per: dt.date, *, nak: str | None = None) -> list[Row]:
    """Deposits opened by `per` (of one member if given), with their status on that date."""
    rows = []
    for d in sorted(deposits_of(book).values(), key=lambda x: x.id):
        if d.tanggal > per or (nak is not None and d.nak != nak):
            continue
        if d.cair is not None and d.cair <= per:
            status, jasa = "dicairkan", ZERO
        else:
            status = "jatuh-tempo" if per >= d.jatuh_tempo else "berjalan"
            jasa = d.earned_by(per)
        rows.append(Row(d, status, jasa))
    return rows


def balance_of(book: Book, nak: str, per: dt.date | None = None) -> Decimal:
    """The member's time deposits held (principal), from the sub-ledger."""
    on = per or dt.date.max
    return sum(
        (d.pokok for d in deposits_of(book).values() if d.nak == nak and d.running_on(on)), ZERO
    )


def require_none_running(book: Book, nak: str, date: dt.date) -> None:
    """A member leaves only once every time deposit is cashed: the exit pays back simpanan,
    and a deposit's interest, tax and penalty are settled by its own cashing."""
    running = [d for d in deposits_of(book).values() if d.nak == nak and d.cair is None]
    if running:
        ids = ", ".join(d.id for d in running)
        raise BerjangkaMasihBerjalan(
            f"{nak} masih memiliki simpanan berjangka {ids}; cairkan dulu dengan "
            f"'kkmp simpanan berjangka cair ID --tanggal {date:%d-%m-%Y}' sebelum keluar."
        )


def findings(book: Book) -> list[Finding]:
    """Each member's time-deposit account equals the principal of the deposits still held."""
    found = []
    held: dict[str, Decimal] = {}
    for d in deposits_of(book).values():
        if d.cair is None:
            held[d.nak] = held.get(d.nak, ZERO) + d.pokok
    prefix = chart.BERJANGKA + ":"
    for account, opened in sorted(book.opens().items()):
        if not account.startswith(prefix):
            continue
        nak = account[len(prefix) :]
        balance = -book.balance(account)
        if balance != held.get(nak, ZERO):
            found.append(
                Finding(
                    str(opened.meta.get("filename", "?")),
                    int(opened.meta.get("lineno", 0) or 0),
                    f"{account}: saldo {money.fmt(balance)} tidak sama dengan pokok simpanan "
                    f"berjangka yang belum dicairkan {money.fmt(held.get(nak, ZERO))}",
                )
            )
    left: dict[str, Decimal] = {}
    where: dict[str, data.Transaction] = {}
    for sid, _, amount, entry in _accrual_moves(book):
        left[sid] = left.get(sid, ZERO) + amount
        where[sid] = entry  # the latest entry of it: where the finding points
    known = deposits_of(book)
    for sid, amount in sorted(left.items()):
        owner = known.get(sid)
        if owner is None or amount < 0 or (owner.cair is not None and amount != 0):
            found.append(
                Finding(
                    str(where[sid].meta.get("filename", "?")),
                    int(where[sid].meta.get("lineno", 0) or 0),
                    f"{chart.BUNGA_BERJANGKA}: sisa bunga akrual {sid} {money.fmt(amount)} "
                    "tidak sesuai simpanan berjangkanya",
                )
            )
    return found
