"""A member leaves: simpanan paid back, open loans and other debts netted if allowed, accounts closed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from beancount.core import data

from kkmp_cli import accounts, chart, money, text
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import MasihBerutang, PilihanKasTidakDikenal, TanggalTidakValid
from kkmp_cli.loans import operations as loan_ops
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.members import register as members
from kkmp_cli.members import term_deposits


def _posting(account: str, number: Decimal, loan_id: str | None = None) -> data.Posting:
    meta = {"pinjaman": loan_id} if loan_id else None
    return data.Posting(account, data.Amount(number, ledger.CURRENCY), None, None, None, meta)


def _payment_via(book: Book, via: str) -> tuple[str, str]:
    """kas, bank, any rekening, or utang (owed, paid later): how the exit pays the member back;
    (account, voucher prefix)."""
    if via.strip().lower() == "utang":
        return chart.UTANG_PENGEMBALIAN, "BM"
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
    pay_account, pay_prefix = _payment_via(book, via)
    member = members.require_active(book, nak, date)
    term_deposits.require_none_running(book, member.nak, date)
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
        parts_due = loan_ops.payoff_amount(book, st, date)
        targets = {
            "pokok": st.loan.account,
            "jasa": chart.JASA_PINJAMAN,
            "denda": chart.DENDA_PINJAMAN,
        }
        for kind, amount in parts_due.items():
            if amount > 0:
                debt_postings.append(_posting(targets[kind], -amount, st.loan.id))
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
        prefix = pay_prefix if refund > 0 else "BM"
        meta = {
            "id": book.next_id(prefix, date.year),
            "anggota": member.nak,
            "jenis": "keluar-anggota",
        }
        narration = f"Pengembalian simpanan anggota keluar: {alasan}"
        entries.append(
            ledger.transaction(date, narration, postings, payee=member.nama, meta=meta, links=links)
        )
    entries.append(ledger.make_custom(date, members.CUSTOM_TYPE, ["keluar", member.nak, alasan]))
    # The SHU payable stays open: the RAT may still give a share of the year the member left
    # (a payable opened or used after the exit changes nothing the exit settled).
    shu_payable = chart.member_account(chart.UTANG_SHU, member.nak)
    entries += [
        data.Close(data.new_metadata("<kkmp>", 0), date, a) for a in accounts if a != shu_payable
    ]
    return entries
