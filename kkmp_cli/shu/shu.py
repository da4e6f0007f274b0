"""SHU (UU 25/1992 Pasal 45): the year's result split into pools by the AD/ART percentages, and
the member pools shared by each member's simpanan and business with the cooperative.

Pools (#13): a pool whose `dasar` is `shu_total` (the village's imbal jasa of Permendesa 10/2025
Pasal 7, at least 20 % of net profit) comes off the whole SHU first; what remains is split between
members and non-members in the proportion of the year's member and non-member SHU; the
non-members' part goes whole to cadangan, and the `shu_anggota` pools (plain numbers, as before)
split the members' part.

Arithmetic is exact (Fraction); the rounding rule is stated once: every pool and every member's
jasa modal and jasa usaha are rounded down to the rupiah; every rupiah rounding leaves, and any
pool with nobody to share it, is `sisa_pembulatan` (posted to cadangan). The sheet reconciles:
Σ members + cadangan + funds + other pools + sisa_pembulatan = SHU, to the rupiah.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from beancount.core import data

from kkmp_cli import accounts, chart, dates, money
from kkmp_cli.core import config, coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding, KkmpError
from kkmp_cli.members import register as members
from kkmp_cli.reports import statements, views
from kkmp_cli.shu import distributions
from kkmp_cli.units import registry

ZERO = Decimal(0)
FUND_ACCOUNTS = {
    "pengurus": chart.DANA_PENGURUS,
    "karyawan": chart.DANA_KARYAWAN,
    "pendidikan": chart.DANA_PENDIDIKAN,
    "sosial": chart.DANA_SOSIAL,
}


class TidakAdaSHU(KkmpError):
    """A loss (or zero): nothing to distribute."""


class SHUDitolak(KkmpError):
    """Distribution before closing, or a second time."""


BASE_LABELS = {
    "shu_total": "seluruh SHU",
    "shu_anggota": "SHU anggota",
    "shu_non_anggota": "SHU non-anggota",
}


@dataclass(frozen=True)
class PosLine:
    """One line of the distribution: the AD/ART percentage, its base, the rupiah and the share
    of the whole SHU (the honest label of #13)."""

    kode: str
    nama: str
    persen: Decimal | None
    dasar: str
    jumlah: Decimal
    porsi: Decimal  # percent of the whole SHU, two decimals
    akun: str | None = None


@dataclass(frozen=True)
class MemberShare:
    nak: str
    nama: str
    jasa_modal: Decimal
    jasa_usaha: dict[str, Decimal]
    dasar_modal: Decimal
    dasar_usaha: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return self.jasa_modal + sum(self.jasa_usaha.values(), ZERO)


@dataclass(frozen=True)
class Sheet:
    tahun: int
    status: str  # "final" after tutup-buku, else "sementara"
    shu: Decimal
    shu_anggota: Decimal
    shu_non_anggota: Decimal
    cadangan: Decimal  # before sisa_pembulatan
    jasa_modal: Decimal
    jasa_usaha: dict[str, Decimal]
    dana: dict[str, Decimal]
    anggota: list[MemberShare]
    sisa_pembulatan: Decimal
    dasar_total: dict[str, Decimal]
    persen: dict[str, object]
    lain: dict[str, Decimal] = field(default_factory=dict)  # pools beyond the known ones
    cadangan_non_anggota: Decimal = ZERO
    pos: tuple[PosLine, ...] = ()
    catatan: tuple[str, ...] = ()

    @property
    def total_anggota(self) -> Decimal:
        return sum((m.total for m in self.anggota), ZERO)

    def reconciles(self) -> bool:
        return (
            self.total_anggota
            + self.cadangan
            + sum(self.dana.values(), ZERO)
            + sum(self.lain.values(), ZERO)
            + self.sisa_pembulatan
            == self.shu
            == sum((p.jumlah for p in self.pos), ZERO)
        )


def _floor(value: Fraction) -> Decimal:
    return Decimal(value.numerator // value.denominator)


def _bases(book: Book, year: int, rules: config.ShuRules) -> dict[str, dict[str, Decimal]]:
    """Per service line, each member's transactions with the cooperative in `year`."""
    start, end = statements.year_bounds(year)
    # Business with members: gerai sales and jasa services (#10).
    member_revenue = registry.member_revenue(book)
    sales: dict[str, Decimal] = defaultdict(Decimal)
    jasa: dict[str, Decimal] = defaultdict(Decimal)
    lent: dict[str, Decimal] = defaultdict(Decimal)
    # A disbursement reversed by koreksi in the year never happened for the member; one
    # reversed in a later year was lent this year all the same (the closed year's SHU sheet
    # does not change, found by an adversarial review, #16). A loan brought over from older
    # books (saldo awal) was not lent this year.
    undone = {
        t.meta.get("koreksi")
        for t in book.transactions(start, end)
        if t.meta.get("jenis") == "koreksi"
    }
    for entry in book.transactions(start, end):
        nak = entry.meta.get("anggota")
        if not isinstance(nak, str):
            continue
        # Accrued jasa a restructuring forgives or moves into the principal was not paid (#16);
        # income and receivable moving together (a write-off's reversal, an accrual's
        # adjustment, #13) pay nothing, and a koreksi takes back the receivable it restores.
        settles = entry.meta.get("jenis") != "pinjaman-restruktur"
        for p in entry.postings:
            if p.account in member_revenue:
                sales[nak] -= ledger.number(p)
            elif p.account == chart.JASA_PINJAMAN or (settles and p.account == chart.PIUTANG_JASA):
                jasa[nak] -= ledger.number(p)  # jasa paid, also accrued jasa settled
        if (
            entry.meta.get("jenis") == "pinjaman-cair"
            and entry.meta.get("saldo_awal") != "ya"
            and entry.meta.get("id") not in undone
        ):
            lent[nak] += Decimal(entry.meta["pokok"])
    loans = jasa if rules.dasar_jasa_pinjaman == "jasa" else lent
    bases = {"penjualan": dict(sales), "pinjaman": dict(loans)}
    if "usaha" in rules.jasa_usaha:
        combined: dict[str, Decimal] = defaultdict(Decimal)
        for line in ("penjualan", "pinjaman"):
            for nak, value in bases[line].items():
                combined[nak] += value
        bases["usaha"] = dict(combined)
    return bases


def _capital(book: Book, nak: str, year: int, kinds: tuple[str, ...], when: str) -> Fraction:
    """The member's simpanan for jasa modal: the 31 December balance, or (rata_rata) the
    average of the twelve month-end balances, so money held all year weighs more. Exact: a
    Decimal division by 12 lost a rupiah of two equal members' shares (found by an adversarial
    review, #13); the shares are rounded once, at the end."""

    def at(date: dt.date) -> Decimal:
        balances = members.simpanan_balances(book, nak, date)
        return sum((balances[k] for k in kinds), ZERO)

    if when == "rata_rata":
        month_ends = [dates.month_end(year, m) for m in range(1, 13)]
        return Fraction(sum((at(d) for d in month_ends), ZERO)) / 12
    return Fraction(at(dt.date(year, 12, 31)))


def _shown(value: Fraction) -> Decimal:
    """An exact simpanan base as the sheet shows it: whole rupiah as they are, an average to
    the sen (the shares are computed from the exact value)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact if value.denominator == 1 else exact.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class _Pools:
    """The pool amounts of a year: from the whole SHU first, then the members' part."""

    anggota: Decimal  # the members' part the shu_anggota pools split
    non_anggota: Decimal  # to cadangan whole
    jasa_modal: Decimal
    jasa_usaha: dict[str, Decimal]
    cadangan: Decimal
    dana: dict[str, Decimal]
    lain: dict[str, Decimal]


def _pools(rules: config.ShuRules, shu_total: Decimal, shu_member: Decimal) -> _Pools:
    def pool(kode: str, pct: Decimal, base: Fraction) -> Decimal:
        return _floor(base * Fraction(pct) / 100)

    whole = Fraction(shu_total)
    known = {"cadangan": rules.cadangan, "jasa_modal": rules.jasa_modal, **rules.dana}
    taken = {k: pool(k, v, whole) for k, v in known.items() if rules.base_of(k) == "shu_total"}
    lain = {p.kode: pool(p.kode, p.persen, whole) for p in rules.pos_lain if p.dasar == "shu_total"}
    if config.KDMP_DESA in lain:  # "at least" 20 %: the village's share is rounded up
        exact = (
            whole
            * Fraction(next(p.persen for p in rules.pos_lain if p.kode == config.KDMP_DESA))
            / 100
        )
        lain[config.KDMP_DESA] = Decimal(-((-exact.numerator) // exact.denominator))
    rest = shu_total - sum(taken.values(), ZERO) - sum(lain.values(), ZERO)
    members = _floor(Fraction(rest) * Fraction(shu_member) / whole) if shu_total else ZERO
    base = Fraction(members)
    for k, v in known.items():
        if k not in taken:
            taken[k] = pool(k, v, base)
    for p in rules.pos_lain:
        if p.dasar == "shu_anggota":
            lain[p.kode] = pool(p.kode, p.persen, base)
    return _Pools(
        anggota=members,
        non_anggota=rest - members,
        jasa_modal=taken.pop("jasa_modal"),
        jasa_usaha={line: pool(line, pct, base) for line, pct in rules.jasa_usaha.items()},
        cadangan=taken.pop("cadangan"),
        dana=taken,
        lain={p.kode: lain[p.kode] for p in rules.pos_lain},
    )


def _left_during(book: Book, year: int) -> set[str]:
    """Members who left the cooperative during `year` (shu.anggota_keluar: tidak)."""
    end = dt.date(year, 12, 31)
    return {
        nak for nak, m in members.register(book).items() if m.masuk <= end and not m.active_on(end)
    }


def _shares(
    book: Book, year: int, pools: _Pools, rules: config.ShuRules
) -> tuple[list[MemberShare], dict[str, Decimal]]:
    end = dt.date(year, 12, 31)
    register = members.register(book)
    left = _left_during(book, year) if rules.anggota_keluar == "tidak" else set()
    modal = {}
    for nak, registered in register.items():
        if registered.masuk > end:
            continue
        modal[nak] = _capital(book, nak, year, rules.jasa_modal_dari, rules.jasa_modal_waktu)
    bases = _bases(book, year, rules)
    for line in bases:
        bases[line] = {n: v for n, v in bases[line].items() if n not in left}
    modal_total = sum((v for v in modal.values() if v > 0), Fraction(0))
    totals = {"jasa_modal": _shown(modal_total)}
    for line in pools.jasa_usaha:
        totals[line] = sum((v for v in bases[line].values() if v > 0), ZERO)

    def part(value: Fraction | Decimal, total: Fraction | Decimal, pool: Decimal) -> Decimal:
        return _floor(Fraction(value) / Fraction(total) * Fraction(pool)) if total else ZERO

    shares = []
    for nak in sorted(set(modal) | {n for line in pools.jasa_usaha for n in bases[line]}):
        person = register.get(nak)
        if person is None:
            continue
        s = max(modal.get(nak, Fraction(0)), Fraction(0))
        usaha_base = {line: max(bases[line].get(nak, ZERO), ZERO) for line in pools.jasa_usaha}
        ju = {
            line: part(usaha_base[line], totals[line], pool)
            for line, pool in pools.jasa_usaha.items()
        }
        share = MemberShare(
            nak, person.nama, part(s, modal_total, pools.jasa_modal), ju, _shown(s), usaha_base
        )
        if share.total > 0 or person.active_on(end):
            shares.append(share)
    return shares, totals


def _porsi(amount: Decimal, shu_total: Decimal) -> Decimal:
    return (amount * 100 / shu_total).quantize(Decimal("0.01")) if shu_total else ZERO


def _lines(
    rules: config.ShuRules, pools: _Pools, shares: list[MemberShare], sisa: Decimal, total: Decimal
) -> tuple[PosLine, ...]:
    """Every pool as distributed, in the AD/ART's order, then the non-members' SHU and the
    rounding: the lines sum to the SHU."""

    def line(kode: str, pct: Decimal | None, dasar: str, amount: Decimal, **kw: str) -> PosLine:
        nama = kw.get("nama") or rules.nama.get(kode) or views.POOL_LABELS.get(kode, kode)
        return PosLine(kode, nama, pct, dasar, amount, _porsi(amount, total), kw.get("akun"))

    jm = sum((m.jasa_modal for m in shares), ZERO)
    result = [
        line("cadangan", rules.cadangan, rules.base_of("cadangan"), pools.cadangan),
        line("jasa_modal", rules.jasa_modal, rules.base_of("jasa_modal"), jm),
    ]
    for name, pct in rules.jasa_usaha.items():
        paid = sum((m.jasa_usaha[name] for m in shares), ZERO)
        result.append(
            line(f"jasa_usaha.{name}", pct, "shu_anggota", paid, nama=views.LINE_LABELS[name])
        )
    result += [line(k, rules.dana[k], rules.base_of(k), v) for k, v in pools.dana.items()]
    result += [
        line(p.kode, p.persen, p.dasar, pools.lain[p.kode], nama=p.nama, akun=pool_account(p))
        for p in rules.pos_lain
    ]
    result.append(
        line(
            "cadangan_non_anggota",
            None,
            "shu_non_anggota",
            pools.non_anggota,
            nama="SHU dari non-anggota (ke cadangan)",
        )
    )
    result.append(line("sisa_pembulatan", None, "", sisa, nama="Sisa pembulatan (ke cadangan)"))
    return tuple(result)


def pool_account(p: config.Pos) -> str:
    """Where a pool beyond the known ones is posted: its `akun`, the village's payable for
    imbal jasa, or a fund named after the pool."""
    if p.akun:
        return p.akun
    if p.kode == config.KDMP_DESA:
        return chart.IMBAL_JASA_DESA
    words = p.kode.removeprefix("dana_").split("_")
    return "Kewajiban:Dana-" + "-".join(w.capitalize() for w in words)


def village_account(rules: config.ShuRules) -> str:
    """Where the village's imbal jasa is posted by `rules`: its pool's account."""
    return next(
        (pool_account(p) for p in rules.pos_lain if p.kode == config.KDMP_DESA),
        chart.IMBAL_JASA_DESA,
    )


def _notes(book: Book, year: int, rules: config.ShuRules) -> tuple[str, ...]:
    notes = []
    source = "koperasi.yaml"
    txn = distributions.years(book).get(year)
    if txn is not None and distributions.recorded(txn) is not None:
        doc = txn.meta.get("id")
        source = f"aturan SHU pembagian {doc}"
        if config.shu_record(rules) != config.shu_record(book.config.shu):
            notes.append(
                f"Lembar ini dihitung menurut aturan SHU yang dicatat bersama pembagiannya "
                f"({doc}), seperti yang dibukukan dan dibayarkan; aturan SHU di koperasi.yaml "
                "sekarang berbeda dan berlaku untuk tahun yang belum dibagikan."
            )
    if not any(p.kode == config.KDMP_DESA for p in rules.pos_lain):
        notes.append(
            "Permendesa 10/2025 Pasal 7: Koperasi Desa/Kelurahan Merah Putih memberi imbal jasa "
            "kepada Pemerintah Desa paling sedikit 20 % keuntungan bersih setiap tahun; "
            f"{source} belum memuat pos imbal_jasa_desa (lihat shu.kdmp)."
        )
    notes.append(
        "Anggota yang keluar dalam tahun buku "
        + (
            "mendapat jasa usaha atas transaksinya sebelum keluar (shu.anggota_keluar: ikut)."
            if rules.anggota_keluar == "ikut"
            else "tidak mendapat jasa usaha (shu.anggota_keluar: tidak)."
        )
    )
    return tuple(notes)


def compute(book: Book, year: int) -> Sheet:
    """The SHU sheet of `year` (sementara before tutup-buku, final after), by the SHU rules
    of the year: those recorded with its distribution once it is distributed (#13)."""
    statements.check_year(book, year)
    rules = distributions.rules(book, year)
    result = statements.results(book, year)
    if result.shu <= 0:
        word = "rugi" if result.shu < 0 else "tanpa sisa hasil usaha"
        raise TidakAdaSHU(
            f"Tahun {year} {word} ({money.fmt(result.shu)}); tidak ada SHU untuk dibagi."
        )
    shu_member, _ = statements.member_share(result, rules.bagian_non_anggota)
    pools = _pools(rules, result.shu, shu_member)
    shares, totals = _shares(book, year, pools, rules)
    cadangan = pools.cadangan + pools.non_anggota
    placed = (
        cadangan
        + sum(pools.dana.values(), ZERO)
        + sum(pools.lain.values(), ZERO)
        + sum((s.total for s in shares), ZERO)
    )
    sisa = result.shu - placed
    status = "final" if year in book.closed_years() else "sementara"
    persen: dict[str, object] = {
        "cadangan": rules.cadangan,
        "jasa_modal": rules.jasa_modal,
        "jasa_usaha": dict(rules.jasa_usaha),
        **rules.dana,
        **{p.kode: p.persen for p in rules.pos_lain},
    }
    sheet = Sheet(
        year,
        status,
        result.shu,
        pools.anggota,
        pools.non_anggota,
        cadangan,
        pools.jasa_modal,
        pools.jasa_usaha,
        pools.dana,
        shares,
        sisa,
        totals,
        persen,
        lain=pools.lain,
        cadangan_non_anggota=pools.non_anggota,
        pos=_lines(rules, pools, shares, sisa, result.shu),
        catatan=_notes(book, year, rules),
    )
    assert sheet.reconciles()
    return sheet


def distribute(
    book: Book, year: int, date: dt.date, *, ke: str = "sukarela", tutup_dari: str | None = None
) -> list[data.Directive]:
    """Post the SHU after the RAT decides: pools to cadangan and the funds, members' shares to
    their simpanan sukarela, to a payable per member, or paid out in cash. A loss year posts
    the RAT's decision on the loss instead (`tutup_dari`, `cover_loss`)."""
    if ke not in ("kas", "sukarela", "utang"):
        raise SHUDitolak("--ke harus kas, sukarela atau utang.")
    if year not in book.closed_years():
        raise SHUDitolak(
            f"Tahun buku {year} belum ditutup; jalankan dulu 'kkmp tutup-buku {year}'."
        )
    if year in distributions.years(book):
        done = distributions.years(book)[year]
        if is_loss_decision(done):
            raise SHUDitolak(
                f"Keputusan RAT atas rugi {year} sudah dibukukan ({done.meta.get('id')}); "
                "tidak dibukukan dua kali."
            )
        raise SHUDitolak(
            f"SHU {year} sudah dibagikan ({done.meta.get('id')}); tidak dibagikan dua kali."
        )
    if date <= dt.date(year, 12, 31):
        raise SHUDitolak(f"Pembagian SHU {year} dicatat sesudah tahun buku itu berakhir.")
    source = f"{chart.SHU_BELUM_DIBAGI}:{year}"
    if book.balance(source) > 0 or tutup_dari is not None:
        return cover_loss(book, year, date, tutup_dari)
    sheet = compute(book, year)
    if -book.balance(source) != sheet.shu:
        raise SHUDitolak(
            f"Saldo {source} ({money.fmt(-book.balance(source))}) tidak sama dengan SHU {money.fmt(sheet.shu)}."
        )
    entries: list[data.Directive] = []
    postings = [
        ledger.posting(source, sheet.shu),
        ledger.posting(chart.CADANGAN, -(sheet.cadangan + sheet.sisa_pembulatan)),
    ]
    opened = set(book.opens())
    closed = set(book.closes())
    for key, amount in sheet.dana.items():
        if amount:
            postings.append(ledger.posting(FUND_ACCOUNTS[key], -amount))
    entries += _pool_postings(book, sheet, postings, opened)
    for share in sheet.anggota:
        if share.total <= 0:
            continue
        member = members.get(book, share.nak)
        if ke == "kas":
            # One cash line per member, so the payout stays traceable to each member.
            postings.append(
                data.Posting(
                    chart.KAS,
                    data.Amount(-share.total, ledger.CURRENCY),
                    None,
                    None,
                    None,
                    {"anggota": share.nak},
                )
            )
            continue
        account = chart.member_account(chart.SUKARELA, share.nak)
        if ke == "utang" or account in closed or not member.active_on(date):
            account = chart.member_account(chart.UTANG_SHU, share.nak)
        if account not in opened:
            opened.add(account)
            parent = account.rsplit(":", 1)[0]
            entries.append(members.open_subaccount(book, parent, member))
        postings.append(ledger.posting(account, -share.total))

    prefix = "BKK" if ke == "kas" else "BM"
    meta = {
        "id": book.next_id(prefix, date.year),
        "jenis": distributions.DISTRIBUTION,
        "tahun": str(year),
        "ke": ke,
        # The rules the sheet was computed by (the year is not distributed yet: koperasi.yaml's),
        # kept with the distribution so its sheet and RAT book never follow a later change (#13).
        **config.shu_record(book.config.shu),
    }
    narration = f"Pembagian SHU tahun buku {year} menurut keputusan RAT"
    entries.append(ledger.transaction(date, narration, postings, meta=meta))
    return [*coop.missing_chart_opens(book), *entries]


# The RAT's decisions on a year's loss (UU 25/1992 Pasal 41: dana cadangan covers losses):
# covered from the reserve now, or carried forward as a loss not yet covered (#5).
LOSS_DECISIONS = {
    "cadangan": (chart.CADANGAN, "ditutup dari dana cadangan"),
    "ditangguhkan": (chart.RUGI_BELUM_DITUTUP, "dibawa sebagai rugi belum ditutup"),
}
LOSS_KEY = "tutup_dari"  # the decision, kept on the entry


def is_loss_decision(txn: data.Transaction) -> bool:
    return LOSS_KEY in txn.meta


def loss_decision_said(txn: data.Transaction) -> str:
    """The RAT's decision on a loss as the treasurer reads it."""
    account, said = LOSS_DECISIONS[str(txn.meta[LOSS_KEY])]
    loss = sum((ledger.number(p) for p in txn.postings if p.account == account), ZERO)
    return f"Rugi {txn.meta['tahun']} {money.fmt(loss)} {said} ({account})"


def loss_note(book: Book, year: int) -> str:
    """What the RAT book says of a loss year beside 'no SHU to distribute': the decision
    booked, or the choices the RAT has (#5)."""
    txn = distributions.years(book).get(year)
    if txn is not None and is_loss_decision(txn):
        return (
            f"Keputusan RAT: {loss_decision_said(txn)}, dibukukan {txn.meta.get('id')} pada "
            f"{txn.date:%d-%m-%Y}."
        )
    return (
        f"RAT memutuskan apakah rugi itu ditutup dari dana cadangan (saldo "
        f"{money.fmt(-book.balance(chart.CADANGAN))}) atau dibawa sebagai rugi belum ditutup; "
        f"keputusannya dibukukan dengan 'kkmp shu bagikan {year} --tutup-dari cadangan' atau "
        "'--tutup-dari ditangguhkan'."
    )


def cover_loss(
    book: Book, year: int, date: dt.date, tutup_dari: str | None
) -> list[data.Directive]:
    """The RAT's decision on a closed year's loss: SHU belum dibagi of the year (a debit, the
    loss the closing moved there) taken off against the reserve, or carried forward to
    Ekuitas:Rugi-Belum-Ditutup. A loss year had no way to be settled: `shu bagikan` refused it
    and `jurnal` refuses the kept account (found by an adversarial review, #5)."""
    source = f"{chart.SHU_BELUM_DIBAGI}:{year}"
    loss = book.balance(source)
    if loss <= 0:
        raise SHUDitolak(
            f"--tutup-dari hanya untuk tahun buku yang rugi; tahun {year} tidak rugi "
            f"(SHU {money.fmt(-loss)}), bagikan SHU-nya tanpa --tutup-dari."
        )
    choices = " atau ".join(f"--tutup-dari {k}" for k in LOSS_DECISIONS)
    if tutup_dari not in LOSS_DECISIONS:
        raise SHUDitolak(
            f"Tahun {year} rugi ({money.fmt(-loss)}); tidak ada SHU untuk dibagi. Catat keputusan "
            f"RAT atas kerugian itu dengan {choices} (ditutup dari dana cadangan, atau dibawa "
            "sebagai rugi belum ditutup)."
        )
    account, said = LOSS_DECISIONS[tutup_dari]
    if tutup_dari == "cadangan":
        # Enough reserve on the day and after every later entry.
        reserve = min(-book.balance_on(chart.CADANGAN, date), -book.balance(chart.CADANGAN))
        if reserve < loss:
            raise SHUDitolak(
                f"Dana cadangan per {date:%d-%m-%Y} {money.fmt(reserve)} tidak cukup menutup rugi "
                f"{year} {money.fmt(loss)}; RAT dapat menangguhkannya (--tutup-dari ditangguhkan)."
            )
    meta = {
        "id": book.next_id("BM", date.year),
        "jenis": distributions.DISTRIBUTION,
        "tahun": str(year),
        LOSS_KEY: tutup_dari,
    }
    postings = [ledger.posting(source, -loss), ledger.posting(account, loss)]
    narration = f"Rugi tahun buku {year} {said} menurut keputusan RAT"
    return [
        *coop.missing_chart_opens(book),
        ledger.transaction(date, narration, postings, meta=meta),
    ]


def _pool_postings(
    book: Book, sheet: Sheet, postings: list[data.Posting], opened: set[str]
) -> list[data.Directive]:
    """Post the pools beyond the known ones (the village's imbal jasa, AD/ART funds), opening
    an account the chart does not have."""
    opens: list[data.Directive] = []
    for pos in book.config.shu.pos_lain:
        amount = sheet.lain.get(pos.kode, ZERO)
        account = pool_account(pos)
        if amount:
            postings.append(ledger.posting(account, -amount))
        if account not in opened and account not in chart.CHART_BY_NAME:
            opened.add(account)
            meta = data.new_metadata("<kkmp>", 0, {"keterangan": pos.nama})
            opens.append(data.Open(meta, coop.books_start(book), account, [ledger.CURRENCY], None))
    return opens


def pay(
    book: Book,
    nak: str,
    date: dt.date,
    *,
    via: str = "kas",
    jumlah: Decimal | None = None,
    ke: str = "kas",
) -> list[data.Directive]:
    """Pay out a member's SHU held as a payable: what was owed on `date` and is still owed
    after every payment recorded (also those dated later), or `jumlah` of it; in cash (`via`)
    or, as the RAT may decide, into the member's simpanan sukarela (`ke`, #13)."""
    if ke not in ("kas", "sukarela"):
        raise SHUDitolak("--ke harus kas atau sukarela.")
    member = members.get(book, nak)
    account = chart.member_account(chart.UTANG_SHU, member.nak)
    owed_now = -book.balance(account)
    if owed_now <= 0:
        raise SHUDitolak(f"Tidak ada SHU yang belum dibayar kepada {member.nak} ({member.nama}).")
    owed = min(owed_now, -book.balance_on(account, date))
    if owed <= 0:
        first = next(m for m in book.movements(account) if m.amount < 0 and m.date > date)
        raise SHUDitolak(
            f"SHU {member.nak} ({member.nama}) baru dibagikan pada {first.date:%d-%m-%Y}; "
            f"pembayarannya tidak dapat bertanggal {date:%d-%m-%Y}."
        )
    if jumlah is not None and jumlah > owed:
        raise SHUDitolak(
            f"Jumlah {money.fmt(jumlah)} melebihi SHU yang belum dibayar kepada {member.nak} "
            f"({member.nama}) per {date:%d-%m-%Y}: {money.fmt(owed)}."
        )
    amount = owed if jumlah is None else jumlah
    entries: list[data.Directive] = []
    if ke == "sukarela":
        if via != "kas":
            raise SHUDitolak("--via hanya untuk pembayaran tunai; --ke sukarela tidak lewat kas.")
        target = chart.member_account(chart.SUKARELA, member.nak)
        if not member.active_on(date) or target in book.closes():
            raise SHUDitolak(
                f"{member.nak} ({member.nama}) sudah keluar; SHU-nya dibayar tunai, tidak ke "
                "simpanan sukarela."
            )
        if target not in book.opens():
            entries.append(members.open_subaccount(book, chart.SUKARELA, member))
        doc = "BM"
    else:
        cash = accounts.via(book, via)
        target, doc = cash.akun, cash.doc_out
    meta = {"id": book.next_id(doc, date.year), "anggota": member.nak, "jenis": "shu-bayar"}
    postings = [ledger.posting(account, amount), ledger.posting(target, -amount)]
    narration = "Pembayaran SHU anggota" + (" ke simpanan sukarela" if ke == "sukarela" else "")
    entries.append(ledger.transaction(date, narration, postings, payee=member.nama, meta=meta))
    return entries


def member_history(
    book: Book, nak: str, as_of: dt.date | None = None
) -> list[tuple[int, Decimal, str]]:
    """(year, amount, where it went) for every SHU distribution that reached the member (by the
    end of `as_of`, when given)."""
    result = []
    for year, txn in sorted(distributions.years(book).items()):
        if as_of is not None and txn.date > as_of:
            continue
        for p in txn.postings:
            if p.account.rsplit(":", 1)[-1] == nak or (p.meta or {}).get("anggota") == nak:
                # Where this member's share went: a member who had left got a payable, whatever
                # the distribution's `ke` (found by an adversarial review, #16).
                parts = chart.split_member_account(p.account)
                where = {chart.UTANG_SHU: "utang", chart.SUKARELA: "sukarela"}.get(
                    parts[0] if parts else "", str(txn.meta.get("ke", ""))
                )
                result.append((year, -ledger.number(p), where))
    return result


def unpaid(book: Book, nak: str, as_of: dt.date | None = None) -> dict[int, Decimal]:
    """How much of each year's SHU held as the member's payable is still owed (by the end of
    `as_of`, when given): `shu bayar` and the member's exit pay the payable whole, so what is
    owed belongs to the latest years; the member card said 'belum dibayar' of a share paid
    (found by an adversarial review, #13)."""
    account = chart.member_account(chart.UTANG_SHU, nak)
    if account not in book.opens():
        return {}
    owed = -(book.balance(account) if as_of is None else book.balance_on(account, as_of))
    result: dict[int, Decimal] = {}
    for year, amount, where in reversed(member_history(book, nak, as_of)):
        if where == "utang":
            result[year] = min(amount, max(owed, ZERO))
            owed -= result[year]
    return result


def drift_notes(book: Book) -> list[str]:
    """A note for each distribution written by an older kkmp, without the SHU rules it used,
    that its year's SHU sheet no longer gives under today's SHU rules: `shu hitung` and the RAT
    book of that year print other numbers than the journal posted (#16). A note, not a finding:
    the rules of koperasi.yaml may rightly have changed for the next year (#13)."""
    return [
        f"Catatan: pembagian SHU {year} ({txn.meta.get('id')}) dicatat kkmp lama tanpa aturan "
        f"SHU-nya dan berbeda dengan lembar SHU {year} menurut aturan SHU di koperasi.yaml "
        f"sekarang, jadi 'kkmp shu hitung {year}' dan buku RAT {year} mencetak angka yang tidak "
        "sama dengan jurnal."
        for year, txn in sorted(distributions.years(book).items())
        if not is_loss_decision(txn)
        and _unrecorded(txn)
        and _drifted(book, year, txn, book.config.shu)
    ]


def _unrecorded(txn: data.Transaction) -> bool:
    try:
        return distributions.recorded(txn) is None
    except KkmpError:
        return False  # a record that cannot be read is a finding (`findings`)


def _drifted(book: Book, year: int, txn: data.Transaction, rules: config.ShuRules) -> bool:
    """Whether the year's SHU sheet (by `rules`, the year's) no longer gives this
    distribution."""
    try:
        sheet = compute(book, year)
    except KkmpError:
        sheet = None
    posted: dict[str, Decimal] = defaultdict(Decimal)
    for p in txn.postings:  # by member (a cash payout names one), else by account
        parts = chart.split_member_account(p.account)
        key = (p.meta or {}).get("anggota") or (parts[1] if parts else p.account)
        posted[str(key)] -= ledger.number(p)
    expected: dict[str, Decimal] = defaultdict(Decimal)
    if sheet is not None:
        expected[chart.CADANGAN] += sheet.cadangan + sheet.sisa_pembulatan
        for key, amount in sheet.dana.items():
            expected[FUND_ACCOUNTS[key]] += amount
        for pos in rules.pos_lain:
            expected[pool_account(pos)] += sheet.lain.get(pos.kode, ZERO)
        for share in sheet.anggota:
            expected[share.nak] += share.total
    posted.pop(f"{chart.SHU_BELUM_DIBAGI}:{year}", None)
    return any(posted.get(k, ZERO) != expected.get(k, ZERO) for k in {*posted, *expected})


def findings(book: Book) -> list[Finding]:
    """`periksa`: a distribution whose SHU rules record cannot be read, or that its year's
    sheet under those recorded rules no longer gives (the books, or the record, were changed
    after it, #13); a KDMP's distribution gives the village government at least 20 % of the
    year's SHU (Permendesa 10/2025 Pasal 7), posted to its payable (#13)."""
    found = []
    for year, txn in sorted(distributions.years(book).items()):
        where = (str(txn.meta.get("filename", "?")), int(txn.meta.get("lineno", 0) or 0))
        doc = txn.meta.get("id")
        if is_loss_decision(txn):
            found += _loss_decision(book, year, txn, where)
            continue
        try:
            recorded = distributions.recorded(txn)
        except KkmpError as exc:
            found.append(
                Finding(*where, f"aturan SHU pembagian {year} ({doc}) tidak terbaca: {exc}")
            )
            continue
        rules = book.config.shu if recorded is None else recorded
        if recorded is not None and _drifted(book, year, txn, rules):
            found.append(
                Finding(
                    *where,
                    f"pembagian SHU {year} ({doc}) tidak sama dengan lembar SHU {year} menurut "
                    "aturan SHU yang dicatat bersamanya; jurnal atau buku tahun itu berubah "
                    f"sesudah pembagian (lihat 'kkmp shu hitung {year}')",
                )
            )
        if rules.kdmp:
            found += _village_share(year, txn, where, rules)
    return found


def _village_share(
    year: int, txn: data.Transaction, where: tuple[str, int], rules: config.ShuRules
) -> list[Finding]:
    """The village's imbal jasa is what the distribution posted to the pool's account (its
    `akun` in the rules, else the village payable), not only to the village payable: a pool
    with its own account was read as Rp0 (found by an adversarial review, #13)."""
    source = f"{chart.SHU_BELUM_DIBAGI}:{year}"
    total = sum((ledger.number(p) for p in txn.postings if p.account == source), ZERO)
    account = village_account(rules)
    village = -sum((ledger.number(p) for p in txn.postings if p.account == account), ZERO)
    if village * 100 >= total * config.KDMP_MIN_PERSEN:
        return []
    return [
        Finding(
            *where,
            f"pembagian SHU {year} ({txn.meta.get('id')}) memberi imbal jasa Pemerintah "
            f"Desa {money.fmt(village)}, kurang dari 20 % SHU {money.fmt(total)} "
            "(Permendesa 10/2025 Pasal 7)",
        )
    ]


def _loss_decision(
    book: Book, year: int, txn: data.Transaction, where: tuple[str, int]
) -> list[Finding]:
    """The RAT's decision on a loss settles the year's whole loss, as its closing moved it."""
    source = f"{chart.SHU_BELUM_DIBAGI}:{year}"
    settled = sum((ledger.number(p) for p in txn.postings if p.account == source), ZERO)
    result = statements.results(book, year).shu
    if txn.meta.get(LOSS_KEY) in LOSS_DECISIONS and result < 0 and settled == result:
        return []
    return [
        Finding(
            *where,
            f"keputusan rugi {year} ({txn.meta.get('id')}) membukukan {money.fmt(-settled)}, "
            f"tidak sama dengan rugi tahun itu {money.fmt(-result)}",
        )
    ]
