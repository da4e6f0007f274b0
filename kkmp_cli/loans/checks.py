"""Loan-portfolio consistency over the whole timeline, as findings for `kkmp periksa`: the
portfolio agrees with the ledger, no loan is overpaid, nothing is paid on a closed loan, and
every loan keeps the SOP limits or carries an approved exception."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, money
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding
from kkmp_cli.loans import accrual
from kkmp_cli.loans import operations as ops
from kkmp_cli.loans import portfolio as pf

ZERO = Decimal(0)


@dataclass(frozen=True)
class Breach:
    """A recorded loan over an SOP limit, with or without an approved exception."""

    loan: pf.Loan
    batas: list[str]

    @property
    def disetujui(self) -> bool:
        return bool(self.loan.pengecualian and self.loan.disetujui)


def _entries(book: Book) -> dict[str, data.Transaction]:
    return {str(t.meta["id"]): t for t in book.transactions() if "id" in t.meta}


def _at(entry: data.Transaction | None, message: str) -> Finding:
    meta = entry.meta if entry is not None else {}
    return Finding(str(meta.get("filename", "?")), int(meta.get("lineno", 0) or 0), message)


def _limits_of(book: Book, loan: pf.Loan) -> list[str]:
    """The SOP limits the recorded loan breaks, judged on its date and on every later
    disbursement of the member, with its own outstanding principal on that day."""
    rules = book.config.pinjaman
    found = []
    if loan.jasa_persen > rules.jasa_maks_per_bulan:
        found.append(
            f"jasa {money.fmt_pct(loan.jasa_persen)} per bulan melebihi batas "
            f"{money.fmt_pct(rules.jasa_maks_per_bulan)}"
        )
    terms = ops.Terms(loan.pokok, loan.tenor, loan.jasa_persen, loan.metode)
    found += ops.term_breaches(book, terms)
    if loan.restrukturisasi_dari:  # the same money as the old loan: no new plafon test
        return found
    related = book.config.organisasi.related_naks
    naks = set(related) | {loan.nak} if loan.nak in related else {loan.nak}
    for on in ops.checkpoints(book, naks, loan.tanggal):
        own = pf.state(book, loan, on).sisa_pokok if on > loan.tanggal else loan.pokok
        if own <= 0:
            break
        breaches = ops.breaches_on(book, loan.nak, own, on, loan.id)
        if breaches:
            when = "" if on == loan.tanggal else f" pada {on:%d-%m-%Y}"
            found += [b + when for b in breaches]
            break
    return found


def breaches(book: Book, per: dt.date | None = None) -> list[Breach]:
    """Every loan disbursed up to `per` (all when None) that breaks an SOP limit, judged on what
    the ledger holds; opening loans (saldo awal) and cancelled loans are not judged."""
    found = []
    for loan in pf.loans(book).values():
        if per is not None and loan.tanggal > per:
            continue
        if loan.saldo_awal:
            continue
        if pf.state(book, loan, dt.date.max).status == "dibatalkan":
            continue
        limits = _limits_of(book, loan)
        if limits:
            found.append(Breach(loan, limits))
    return found


def _loan_findings(book: Book, loan: pf.Loan, entry: data.Transaction | None) -> list[Finding]:
    found = []
    pays = pf.payments(book, loan)
    undone = pf.corrected(pays)
    outstanding = loan.pokok
    for p in pays:
        outstanding -= p.pokok + (p.lain if p.jenis == "pinjaman-hapus" else ZERO)
        if outstanding < 0:
            found.append(
                _at(
                    entry,
                    f"pinjaman {loan.id}: sisa pokok menjadi {money.fmt(outstanding)} pada "
                    f"{p.tanggal:%d-%m-%Y} ({p.doc}); dibayar lebih dari pokoknya",
                )
            )
            break
    events = pf.closing_events(book, loan)
    if events:
        end = events[0]
        after = [
            p
            for p in pays
            if p.tanggal > end.tanggal
            and p.doc not in undone
            and not p.koreksi
            and not (end.jenis == "pinjaman-hapus" and p.jenis == "pinjaman-pulih")
        ]
        if after:
            shown = ", ".join(f"{p.doc} ({p.tanggal:%d-%m-%Y})" for p in after[:3])
            found.append(
                _at(
                    entry,
                    f"pinjaman {loan.id} sudah selesai pada {end.tanggal:%d-%m-%Y} ({end.doc}) "
                    f"tetapi masih ada transaksi sesudahnya: {shown}",
                )
            )
    return found


def findings(book: Book) -> list[Finding]:
    """Every inconsistency of the loan portfolio with the ledger, over the whole timeline."""
    entries = _entries(book)
    found: list[Finding] = []
    expected: dict[str, Decimal] = {}
    first_entry: dict[str, data.Transaction | None] = {}
    for loan in pf.loans(book).values():
        entry = entries.get(loan.doc)
        found += _loan_findings(book, loan, entry)
        st = pf.state(book, loan, dt.date.max)
        expected[loan.account] = expected.get(loan.account, ZERO) + st.sisa_pokok
        first_entry.setdefault(loan.account, entry)
    for account, portfolio_total in sorted(expected.items()):
        ledger_total = book.balance(account)
        if ledger_total != portfolio_total:
            found.append(
                _at(
                    first_entry[account],
                    f"{account}: saldo buku besar {money.fmt(ledger_total)} tidak sama dengan "
                    f"sisa pokok portofolio pinjaman {money.fmt(portfolio_total)}",
                )
            )
    found += _jasa_findings(book, entries)
    for breach in breaches(book):
        if not breach.disetujui:
            found.append(
                _at(
                    entries.get(breach.loan.doc),
                    f"pinjaman {breach.loan.id} melanggar batas SOP tanpa pengecualian yang "
                    f"disetujui: {'; '.join(breach.batas)}",
                )
            )
    return found


def _jasa_findings(book: Book, entries: dict[str, data.Transaction]) -> list[Finding]:
    """Accrued jasa (#13): each loan's receivable never below zero at the end of any day and
    at the end of each day what accruing and paying in date order gives,
    nothing left on a loan that is paid off, written off or cancelled, and no receivable without
    its loan; the jasa a restructuring deferred is earned exactly as the new principal is
    repaid."""
    found: list[Finding] = []
    loans = pf.loans(book)
    for loan_id, (day, low) in sorted(accrual.negative_days(book).items()):
        loan = loans.get(loan_id)
        found.append(
            _at(
                entries.get(loan.doc) if loan else None,
                f"piutang jasa pinjaman {loan_id} negatif {money.fmt(low)} pada {day:%d-%m-%Y}: "
                "jasa dilunasi sebelum diakrualkan",
            )
        )
    for gap in accrual.departures(book):
        diff = gap.replayed - gap.booked
        found.append(
            _at(
                entries.get(gap.loan.doc),
                f"piutang jasa pinjaman {gap.loan.id} pada akhir {gap.day:%d-%m-%Y} tercatat "
                f"{money.fmt(gap.booked)}, padahal akrual tiap bulan dan pembayaran menurut "
                f"urutan tanggal memberi {money.fmt(gap.replayed)} (misalnya buku dari kkmp versi lama); "
                f"jalankan 'kkmp pinjaman akrual --sesuaikan' (penyesuaian akrual jasa "
                f"bertanggal itu yang {'menambah' if diff > 0 else 'mengurangi'} piutang jasa "
                f"pinjaman ini sebesar {money.fmt(abs(diff))} lawan {chart.JASA_PINJAMAN}), "
                "lalu jalankan periksa lagi",
            )
        )
    held = accrual.receivables(book)
    for loan_id, balance in sorted(held.items()):
        loan = loans.get(loan_id)
        if loan is None:
            found.append(_at(None, f"piutang jasa untuk pinjaman {loan_id} yang tidak ada"))
            continue
        st = pf.state(book, loan, dt.date.max)
        if balance < 0 or (balance and st.status not in ("berjalan",)):
            found.append(
                _at(
                    entries.get(loan.doc),
                    f"piutang jasa pinjaman {loan_id} {money.fmt(balance)} tidak wajar "
                    f"(status {st.status}); jasa akrual harus dilunasi lewat 'kkmp pinjaman "
                    "angsur' atau dibalik oleh 'kkmp pinjaman akrual'",
                )
            )
    owned = sum(held.values(), ZERO)
    if book.balance(chart.PIUTANG_JASA) != owned:
        found.append(
            _at(
                None, f"{chart.PIUTANG_JASA}: ada saldo yang tidak tercatat untuk pinjaman mana pun"
            )
        )
    deferred = ZERO
    for loan in loans.values():
        if not loan.jasa_ditangguhkan:
            continue
        st = pf.state(book, loan, dt.date.max, later=True)
        if st.status != "hapus-buku":  # a write-off takes out what was not earned (#16)
            deferred += ops.deferred_left(loan, st.pokok_dibayar)
    if -book.balance(chart.JASA_DITANGGUHKAN) != deferred:
        found.append(
            _at(
                None,
                f"{chart.JASA_DITANGGUHKAN}: saldo {money.fmt(-book.balance(chart.JASA_DITANGGUHKAN))} "
                f"tidak sama dengan jasa restrukturisasi yang belum diakui {money.fmt(deferred)}",
            )
        )
    return found
