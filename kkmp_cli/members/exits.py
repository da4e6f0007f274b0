"""A member leaves: simpanan paid back, open loans and other debts netted if allowed, accounts closed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from beancount.core import data

from kkmp_cli import accounts, chart, money, text
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import (
    AnggotaTidakAktif,
    Finding,
    JumlahTidakValid,
    KkmpError,
    MasihBerutang,
    PilihanKasTidakDikenal,
    TanggalTidakValid,
)
from kkmp_cli.journal import journal
from kkmp_cli.loans import accrual
from kkmp_cli.loans import operations as loan_ops
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.members import interest, term_deposits
from kkmp_cli.members import register as members

PAID = "pengembalian-bayar"
JENIS = "keluar-anggota"  # the exit's settlement; its koreksi takes the exit back (`undo`)


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
            "jenis": JENIS,
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
    entries.append(members.line(book, date, ["keluar", member.nak, alasan]))
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


def undo(
    book: Book, original: data.Transaction, date: dt.date, *, alasan: str
) -> list[data.Directive]:
    """Plan the `koreksi` of a mistaken exit (#17): the reversal of its settlement, linked to
    it and to the loans it paid off (which run again, their jasa accrued as before), and the
    register line `batal-keluar` that makes the member active again. The exit's closes are
    taken out of the journal in the same commit (`reopened`): beancount cannot reopen an
    account. A refund paid since (`bayar-pengembalian`) is taken back first."""
    doc = str(original.meta["id"])
    member = members.get(book, str(original.meta.get("anggota", "")))
    if member.keluar != original.date:
        raise journal.KoreksiDitolak(
            f"{doc} tidak dapat dikoreksi: {member.nak} ({member.nama}) tidak tercatat keluar "
            f"pada {original.date:%d-%m-%Y}."
        )
    _require_open_year(book, member, doc)
    _require_refund_unpaid(book, member, original, date)
    reason = text.clean(alasan, field="alasan")
    return [
        *journal.reversal(book, original, date, alasan=reason),
        _event(book, member, date, reason, doc),
    ]


def undo_exit(book: Book, nak: str, date: dt.date, *, alasan: str) -> list[data.Directive]:
    """`anggota batal-keluar`: the koreksi of the member's exit document; an exit that paid
    nothing out (no simpanan, no debt) has none, and is taken back by its register line alone."""
    member = members.get(book, nak)
    if member.keluar is None:
        raise AnggotaTidakAktif(f"{member.nak} ({member.nama}) tidak tercatat keluar.")
    settlement = settlement_of(book, member)
    if settlement is not None:
        return journal.correct(book, str(settlement.meta["id"]), date, alasan=alasan)
    if date < member.keluar:
        raise TanggalTidakValid(
            f"{member.nak} ({member.nama}) keluar pada {member.keluar:%d-%m-%Y}; pembatalannya "
            f"tidak dapat bertanggal {date:%d-%m-%Y}."
        )
    _require_open_year(book, member, "Keluarnya")
    return [_event(book, member, date, text.clean(alasan, field="alasan"), None)]


def settlement_of(book: Book, member: members.Member) -> data.Transaction | None:
    """The transaction that settled the member's exit (none when nothing was paid out)."""
    return None if member.keluar is None else _settlement_on(book, member.nak, member.keluar)


def _settlement_on(book: Book, nak: str, day: dt.date) -> data.Transaction | None:
    """The member's last exit settlement of the day (an exit taken back and made again on one
    day leaves two)."""
    found = [
        t
        for t in book.on_date(day)
        if isinstance(t, data.Transaction)
        and t.meta.get("jenis") == JENIS
        and t.meta.get("anggota") == nak
    ]
    return found[-1] if found else None


def _require_open_year(book: Book, member: members.Member, what: str) -> None:
    assert member.keluar is not None
    year = member.keluar.year
    if year in book.closed_years():
        raise journal.KoreksiDitolak(
            f"{what} tidak dapat dikoreksi: {member.nak} ({member.nama}) keluar di tahun buku "
            f"{year} yang sudah ditutup; buka dulu tahun itu dengan 'kkmp tutup-buku {year} "
            "--buka --alasan … --disetujui …', atau daftarkan ia kembali sebagai anggota baru."
        )


def _event(
    book: Book, member: members.Member, date: dt.date, reason: str, doc: str | None
) -> data.Custom:
    """The register line of an exit taken back, naming the exit's document when it has one."""
    meta = {"keluar": doc} if doc else None
    return members.line(book, date, [members.UNDO_EXIT, member.nak, reason], meta)


def _require_refund_unpaid(
    book: Book, member: members.Member, original: data.Transaction, date: dt.date
) -> None:
    """The refund the exit owes (`--via utang`) must still be owed in full on the koreksi's
    day and after it: what was paid of it is taken back first, from the last payment."""
    account = chart.member_account(chart.UTANG_PENGEMBALIAN, member.nak)
    owed = -sum((ledger.number(p) for p in original.postings if p.account == account), Decimal(0))
    if owed <= 0:
        return
    doc = str(original.meta["id"])
    moves = [m for m in book.movements(account) if m.entry.meta.get("id") != doc]
    undone = {m.entry.meta.get("koreksi") for m in moves}
    paid = [
        m.entry
        for m in moves
        if m.entry.meta.get("jenis") == PAID and m.entry.meta.get("id") not in undone
    ]
    if -book.balance(account) < owed:
        last = str(paid[-1].meta.get("id")) if paid else ""
        shown = ", ".join(f"{t.meta.get('id')} ({t.date:%d-%m-%Y})" for t in paid)
        raise journal.KoreksiDitolak(
            f"{doc} tidak dapat dikoreksi: pengembalian simpanan {member.nak} ({member.nama}) "
            f"sudah dibayar{f' ({shown})' if shown else ''}; koreksi dulu pembayaran itu"
            + (f", mulai dari yang terakhir ('kkmp koreksi {last}')" if last else "")
            + f", lalu koreksi {doc}."
        )
    if moves and date < moves[-1].date:
        raise journal.KoreksiDitolak(
            f"Koreksi {doc} bertanggal {date:%d-%m-%Y} jatuh sebelum catatan terakhir "
            f"pengembalian simpanan {member.nak} ({moves[-1].entry.meta.get('id')}, "
            f"{moves[-1].date:%d-%m-%Y}); beri tanggal {moves[-1].date:%d-%m-%Y} atau sesudahnya."
        )


def returning(planned: list[data.Directive]) -> list[str]:
    """The members a planned `koreksi` of their exit makes active again."""
    return [
        str(e.values[1].value)
        for e in planned
        if isinstance(e, data.Custom)
        and e.type == members.CUSTOM_TYPE
        and e.values[0].value == members.UNDO_EXIT
    ]


def reopened(book: Book, planned: list[data.Directive]) -> list[data.Close]:
    """The closes of the member accounts that the exits `planned` takes back had closed."""
    found = []
    for nak in returning(planned):
        when = members.get(book, nak).keluar
        found += [
            c
            for a, c in sorted(book.closes().items())
            if a.rsplit(":", 1)[-1] == nak and c.date == when
        ]
    return found


def _where(entry: data.Directive) -> tuple[str, int]:
    return str(entry.meta.get("filename", "?")), int(entry.meta.get("lineno", 0) or 0)


def findings(book: Book) -> list[Finding]:
    """A mistaken exit taken back only halfway (by hand, or a commit cut short): its settlement
    reversed while the register still says the member left, the register saying active again
    while the settlement stands, or an account of the member back still closed (#17)."""
    lines = [
        (c, _taken_back(book, c))
        for c in book.customs(members.CUSTOM_TYPE)
        if c.values[0].value == members.UNDO_EXIT
    ]
    named = {doc for _, doc in lines if doc is not None}
    reversals = {
        str(t.meta.get("koreksi")): t
        for t in book.transactions()
        if t.meta.get("jenis") == "koreksi" and t.meta.get("jenis_asal") == JENIS
    }
    found = [
        Finding(
            *_where(entry),
            f"{entry.meta.get('id')} mengoreksi keluarnya anggota {entry.meta.get('anggota')} "
            f'({doc}), tetapi daftar anggota masih mencatatnya keluar (tidak ada custom "anggota" '
            '"batal-keluar")',
        )
        for doc, entry in sorted(reversals.items())
        if doc not in named
    ]
    register = members.register(book)
    for line, doc in lines:
        nak = str(line.values[1].value)
        if doc is not None and doc not in reversals:
            found.append(
                Finding(
                    *_where(line),
                    f"anggota {nak} dicatat aktif kembali (batal-keluar), tetapi keluarnya "
                    f"{doc} tidak dikoreksi: simpanannya tetap dikembalikan dan pinjamannya "
                    "tetap lunas",
                )
            )
        member = register.get(nak)
        if member is None or member.keluar is not None:
            continue
        found += [
            Finding(
                *_where(close),
                f"akun {account} masih ditutup, padahal keluarnya anggota {nak} sudah "
                f"dibatalkan pada {line.date:%d-%m-%Y}",
            )
            for account, close in sorted(book.closes().items())
            if account.rsplit(":", 1)[-1] == nak
        ]
    return sorted(set(found), key=lambda f: (f.filename, f.lineno, f.message))


def _taken_back(book: Book, line: data.Custom) -> str | None:
    """The document of the exit a `batal-keluar` line takes back: named on it, or (a line
    written by hand) the settlement of the member's last exit recorded before it."""
    if "keluar" in line.meta:
        return str(line.meta["keluar"])
    nak, day = str(line.values[1].value), None
    for c in book.customs(members.CUSTOM_TYPE):
        if c is line:
            break
        if str(c.values[1].value) == nak and c.values[0].value == "keluar":
            day = c.date
    settled = None if day is None else _settlement_on(book, nak, day)
    return None if settled is None else str(settled.meta.get("id"))
