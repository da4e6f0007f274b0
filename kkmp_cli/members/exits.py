"""A member leaves: simpanan paid back, open loans and other debts netted if allowed, accounts closed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from beancount.core import data

from kkmp_cli import accounts, chart, money, text
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import (
    JumlahTidakValid,
    KkmpError,
    MasihBerutang,
    PilihanKasTidakDikenal,
    TanggalTidakValid,
)
from kkmp_cli.loans import accrual
from kkmp_cli.loans import operations as loan_ops
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.members import interest, term_deposits
from kkmp_cli.members import register as members

PAID = "pengembalian-bayar"


class KeluarDitolak(KkmpError):
    """An exit while interest of a month before it is not booked; a refund paid that is not owed."""


def _posting(account: str, number: Decimal, loan_id: str | None = None) -> data.Posting:
    meta = {"pinjaman": loan_id} if loan_id else None
    return data.Posting(account, data.Amount(number, ledger.CURRENCY), None, None, None, meta)


def _payment_via(book: Book, via: str, nak: str) -> tuple[str, str]:
    """kas, bank, any rekening, or utang (owed, paid later by `anggota bayar-pengembalian`,
    on the member's own payable, #23): how the exit pays the member back; (account, voucher
    prefix)."""
    if via.strip().lower() == "utang":
        return chart.member_account(chart.UTANG_PENGEMBALIAN, nak), "BM"
    try:
        cash = accounts.via(book, via)
    except PilihanKasTidakDikenal as exc:
        raise PilihanKasTidakDikenal(
            f"Pilihan '{via}' tidak dikenal untuk pengembalian simpanan (--via); "
            f"pilih {', '.join(accounts.codes(book))} atau utang."
        ) from exc
    return cash.akun, cash.doc_out


def leave(
    book: Book,
    nak: str,
    date: dt.date,
    *,
    alasan: str,
    via: str = "kas",
    kompensasi: bool = False,
) -> list[data.Directive]:
    """Plan a member's exit: pay back pokok + wajib + sukarela, net debts if allowed, close accounts."""
    member = members.require_active(book, nak, date)
    pay_account, pay_prefix = _payment_via(book, via, member.nak)
    term_deposits.require_none_running(book, member.nak, date)
    _require_interest_booked(book, member, date)
    alasan = text.clean(alasan or "tidak disebutkan", field="alasan", max_len=150)
    accounts = members.member_accounts(book, member.nak)
    later = [m for a in accounts for m in book.movements(a) if m.date > date]
    if later:
        last = max(later, key=lambda m: m.date)
        raise TanggalTidakValid(
            f"{member.nak} ({member.nama}) masih punya transaksi sesudah {date:%d-%m-%Y} "
            f"({last.entry.meta.get('id', '')}, {last.date:%d-%m-%Y}); tanggal keluar harus "
            "sesudah transaksi terakhirnya."
        )
    returned = Decimal(0)
    postings: list[data.Posting] = []
    for account in accounts:
        parts = chart.split_member_account(account)
        # Simpanan and any SHU the RAT gave the member but not yet paid go back to them.
        owed_to_member = (*chart.MEMBER_PARENTS, chart.UTANG_SHU)
        if parts and parts[0] in owed_to_member and book.balance(account) != 0:
            returned -= book.balance(account)
            postings.append(_posting(account, -book.balance(account)))

    debt_postings: list[data.Posting] = []
    links = []
    for st in pf.member_loans(book, member.nak, date):
        if not st.berjalan:
            continue
        links.append(st.loan.id)
        # Settled as `pinjaman lunasi` settles it: accrued jasa out of its receivable, the jasa
        # a restructuring deferred recognised (found by an adversarial review, #23).
        parts_due = loan_ops.payoff_amount(book, st, date)
        debt_postings += [
            p._replace(meta={"pinjaman": st.loan.id})
            for p in loan_ops.payment_postings(book, st.loan, date, parts_due)
        ]
    loan_accounts = {st.loan.account for st in pf.member_loans(book, member.nak, date)}
    for account in accounts:
        if account.startswith(members.RECEIVABLE_PREFIX) and account not in loan_accounts:
            balance = book.balance(account)
            if balance > 0:
                debt_postings.append(_posting(account, -balance))
    owed = -sum((ledger.number(p) for p in debt_postings), Decimal(0))
    if owed and not kompensasi:
        raise MasihBerutang(
            f"{member.nak} ({member.nama}) masih berutang {money.fmt(owed)}. Lunasi dulu, "
            "atau perhitungkan dengan simpanannya memakai --kompensasi."
        )
    refund = returned - owed
    if refund < 0:
        raise MasihBerutang(
            f"Utang {member.nak} ({money.fmt(owed)}) melebihi simpanannya "
            f"({money.fmt(returned)}); sisa {money.fmt(-refund)} harus dilunasi dulu."
        )
    postings += debt_postings
    entries: list[data.Directive] = []
    if postings:
        if refund > 0:
            postings.append(_posting(pay_account, -refund))
            if pay_account not in book.opens():
                entries.append(members.open_subaccount(book, chart.UTANG_PENGEMBALIAN, member))
        prefix = pay_prefix if refund > 0 else "BM"
        meta = {
            "id": book.next_id(prefix, date.year),
            "anggota": member.nak,
            "jenis": "keluar-anggota",
        }
        narration = f"Pengembalian simpanan anggota keluar: {alasan}"
        entry = ledger.transaction(
            date, narration, postings, payee=member.nama, meta=meta, links=links
        )
        entries.append(entry)
        # Accruals booked after the exit's date are set right for each loan it settles (#13).
        entries += [
            a for id_ in links for a in accrual.adjustments(book, pf.get(book, id_), [entry])
        ]
    entries.append(ledger.make_custom(date, members.CUSTOM_TYPE, ["keluar", member.nak, alasan]))
    # The SHU payable stays open: the RAT may still give a share of the year the member left
    # (a payable opened or used after the exit changes nothing the exit settled); so does the
    # simpanan owed (paid later).
    kept = {
        chart.member_account(p, member.nak) for p in (chart.UTANG_SHU, chart.UTANG_PENGEMBALIAN)
    }
    entries += [
        data.Close(data.new_metadata("<kkmp>", 0), date, a) for a in accounts if a not in kept
    ]
    return entries


def _require_interest_booked(book: Book, member: members.Member, date: dt.date) -> None:
    """The sukarela account closes at the exit and the interest run leaves out a member who
    has left: the interest of every finished month before the exit is booked first (#23)."""
    due = interest.months_due(book, member.nak, date)
    if due:
        raise KeluarDitolak(
            f"Jasa simpanan sukarela bulan {', '.join(due)} belum dicatat untuk {member.nak} "
            f"({member.nama}); jalankan dulu 'kkmp simpanan jasa --bulan {due[0]}'"
            + (" untuk setiap bulan itu" if len(due) > 1 else "")
            + " supaya jasanya ikut dibayarkan saat keluar."
        )


def pay_refund(
    book: Book, nak: str, date: dt.date, amount: Decimal | None = None, *, via: str = "kas"
) -> list[data.Directive]:
    """Pay a member who left the simpanan the exit recorded as owed (`--via utang`): all that
    is still owed after every payment recorded (also those dated later), or `amount` of it."""
    member = members.get(book, nak)
    account = chart.member_account(chart.UTANG_PENGEMBALIAN, member.nak)
    owed = -book.balance(account) if account in book.opens() else Decimal(0)
    if owed <= 0:
        older = (
            f"; yang dicatat kkmp versi lama di {chart.UTANG_PENGEMBALIAN} dibayar dengan "
            "'kkmp jurnal'"
            if book.balance(chart.UTANG_PENGEMBALIAN) < 0
            else ""
        )
        raise KeluarDitolak(
            f"Tidak ada pengembalian simpanan yang belum dibayar kepada {member.nak} "
            f"({member.nama}){older}."
        )
    if member.keluar is not None and date <= member.keluar:
        raise TanggalTidakValid(
            f"{member.nak} ({member.nama}) keluar pada {member.keluar:%d-%m-%Y}; pengembalian "
            f"simpanannya dibayar sesudah tanggal keluarnya, bukan {date:%d-%m-%Y}."
        )
    amount = owed if amount is None else amount
    if amount <= 0 or amount > owed:
        raise JumlahTidakValid(
            f"Pembayaran {money.fmt(amount)} harus lebih dari nol dan tidak melebihi "
            f"pengembalian simpanan yang belum dibayar kepada {member.nak} ({money.fmt(owed)})."
        )
    cash = accounts.via(book, via)
    meta = {"id": book.next_id(cash.doc_out, date.year), "anggota": member.nak, "jenis": PAID}
    postings = [ledger.posting(account, amount), ledger.posting(cash.akun, -amount)]
    narration = "Pembayaran pengembalian simpanan anggota keluar"
    return [ledger.transaction(date, narration, postings, payee=member.nama, meta=meta)]
