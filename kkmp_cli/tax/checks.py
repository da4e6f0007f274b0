"""`kkmp periksa` rules of the tax entries (#12): a wage payment agrees with its own figures,
no tax payable of a month is paid beyond what it owes (the excess is the month's lebih bayar),
and no month's lebih bayar is refunded or set off beyond what it is."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, money
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding, KkmpError
from kkmp_cli.tax import payroll, pphfinal

ZERO = Decimal(0)


def _where(entry: data.Directive) -> tuple[str, int]:
    return str(entry.meta.get("filename", "?")), int(entry.meta.get("lineno", 0) or 0)


def _wage_findings(entry: data.Transaction) -> list[Finding]:
    m = entry.meta
    try:
        gross, pph, net = (Decimal(str(m[k])) for k in ("bruto", "pph21", "neto"))
        withheld = Decimal(str(m.get("bpjs-pegawai", 0)))
    except (KeyError, ArithmeticError):
        return [Finding(*_where(entry), f"gaji {m.get('id')}: metadata bruto/pph21/neto rusak")]
    moved: dict[str, Decimal] = defaultdict(Decimal)
    for p in entry.postings:
        moved[p.account] += ledger.number(p)
    found = []
    if gross - pph - withheld != net:
        found.append(Finding(*_where(entry), f"gaji {m.get('id')}: bruto - PPh 21 - BPJS ≠ bersih"))
    if -moved.get(chart.UTANG_PPH_21, ZERO) != pph:
        found.append(
            Finding(*_where(entry), f"gaji {m.get('id')}: posting PPh 21 ≠ pph21 di metadata")
        )
    return found


def findings(book: Book) -> list[Finding]:
    found: list[Finding] = []
    owed: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    tax_accounts = set(pphfinal.tax_accounts(book).values())
    for entry in book.transactions():
        if entry.meta.get("jenis") == payroll.PAY:
            found += _wage_findings(entry)
        masa = pphfinal.masa_of(entry)
        for p in entry.postings:
            if p.account.startswith(chart.LEBIH_BAYAR_PAJAK + ":"):
                key = (p.account, pphfinal.overpaid_masa_of(entry))
                owed[key] -= ledger.number(p)
                if owed[key] > 0:
                    found.append(
                        Finding(
                            *_where(entry),
                            f"{p.account} masa {key[1]} dipakai melebihi lebih bayarnya",
                        )
                    )
            if p.account not in tax_accounts:
                continue
            owed[(p.account, masa)] -= ledger.number(p)
            # A December true-up may refund PPh 21 to the person (the wage entry debits the
            # payable): not a payment beyond what is owed (found by an adversarial review, #16).
            if owed[(p.account, masa)] < 0 and entry.meta.get("jenis") != payroll.PAY:
                found.append(
                    Finding(
                        *_where(entry),
                        f"{p.account} masa {masa} dibayar melebihi yang terutang",
                    )
                )
    return found + _stale_months(book)


def _stale_months(book: Book) -> list[Finding]:
    """Months whose PPh final was booked and whose turnover has changed since (a back-dated
    sale, or a koreksi of one, which counts in the sale's month): the booked tax is no longer
    the month's, until `pajak hitung` books the difference (aset #2). A month of a closed year
    only when entries of a later year changed it (`pajak hitung` books it there, #12)."""
    rules = book.config.pajak
    if not rules.pph_final:
        return []
    closed = book.closed_years()
    found = []
    # Up to the books' last year, not the clock's: a month is booked only once it has ended,
    # so no later year has a booked month (periksa's result depends on the books alone).
    last = book.last_date()
    if last is None:
        return []
    for year in range(rules.tahun_pertama, min(rules.tahun_terakhir, last.year) + 1):
        for row in pphfinal.missing_months(book, year):
            masa = pphfinal.month(row.masa)
            if year in closed and not pphfinal.changed_later(book, masa):
                continue
            entries = pphfinal.computations(book, masa)
            if row.sudah_dibukukan and entries:
                found.append(
                    Finding(
                        *_where(entries[-1]),
                        f"PPh final masa {row.masa} dibukukan "
                        f"{money.fmt(row.sudah_dibukukan)}, terutang {money.fmt(row.terutang)} "
                        f"atas peredaran sekarang; jalankan 'kkmp pajak hitung --bulan {row.masa}'",
                    )
                )
    return found


class KoreksiPajakDitolak(KkmpError):
    """A koreksi that would leave a tax month paid beyond what it owes."""


def require_correctable(book: Book, original: data.Transaction) -> None:
    """A month's PPh final booked by `pajak hitung` is not taken back once its month was paid
    (found by trying, #16): `pajak hitung` books a changed month's difference, and the lebih
    bayar with it. Nor is any tax entry whose reversal would leave a month paid beyond what it
    owes on a payable with no lebih-bayar account, or use a month's lebih bayar twice. The
    payment's koreksi comes first."""
    tax_accounts = set(pphfinal.tax_accounts(book).values())
    masa = pphfinal.masa_of(original)
    computed = pphfinal.COMPUTE in (original.meta.get("jenis"), original.meta.get("jenis_asal"))
    for p in original.postings:
        amount = ledger.number(p)
        if p.account in tax_accounts and amount < 0:
            overpaid = pphfinal.outstanding(book, p.account, masa) + amount < 0
            if overpaid and (computed or chart.overpayment_account(p.account) is None):
                raise KoreksiPajakDitolak(
                    f"{original.meta.get('id')} tidak dapat dikoreksi: {p.account} masa {masa} "
                    "sudah disetor, dan tanpa transaksi ini setorannya melebihi yang terutang. "
                    "Koreksi dulu setoran pajak masa itu."
                )
        elif p.account in tax_accounts and amount > 0:
            _require_unused_overpayment(book, original, p.account, masa, amount)
        elif p.account.startswith(chart.LEBIH_BAYAR_PAJAK + ":") and amount > 0:
            month = pphfinal.overpaid_masa_of(original)
            if pphfinal.overpaid(book, p.account, month) < amount:
                raise KoreksiPajakDitolak(
                    f"{original.meta.get('id')} tidak dapat dikoreksi: lebih bayar {p.account} "
                    f"masa {month} sudah diminta kembali atau diperhitungkan. Koreksi dulu "
                    "restitusi atau kompensasinya."
                )


def _require_unused_overpayment(
    book: Book, original: data.Transaction, payable: str, masa: str, amount: Decimal
) -> None:
    """A payment taken back takes its month's lebih bayar first; beyond what is left of it,
    the lebih bayar refunded or set off would be money the month never paid (code review,
    #12)."""
    account = chart.overpayment_account(payable)
    if account is None or amount <= pphfinal.overpaid(book, account, masa):
        return
    used = -sum(
        (
            ledger.number(p)
            for e in book.transactions()
            if {e.meta.get("jenis"), e.meta.get("jenis_asal")} & {pphfinal.REFUND, pphfinal.OFFSET}
            and pphfinal.overpaid_masa_of(e) == masa
            for p in e.postings
            if p.account == account
        ),
        ZERO,
    )
    if used > 0:
        raise KoreksiPajakDitolak(
            f"{original.meta.get('id')} tidak dapat dikoreksi karena lebih bayar {account} masa "
            f"{masa} sudah diminta kembali atau diperhitungkan sebesar {money.fmt(used)}; "
            "koreksi dulu restitusinya atau kompensasinya."
        )


def reversal_postings(
    book: Book, original: data.Transaction, postings: list[data.Posting]
) -> list[data.Posting]:
    """A koreksi's postings with each change to a tax month settled for that month: what the
    month already paid beyond its tax becomes its lebih bayar (a wage paid twice, its PPh 21
    paid, then one taken back; adversarial review aset #2), and its lebih bayar takes an
    increase first (a payment taken back, or a refund: code review, #12)."""
    tax_accounts = set(pphfinal.tax_accounts(book).values())
    payables = {chart.overpayment_account(a): a for a in tax_accounts}
    masa = pphfinal.masa_of(original)
    out: list[data.Posting] = []
    for p in postings:
        amount = ledger.number(p)
        if p.account in tax_accounts and p.cost is None:
            out += pphfinal.settle(book, p.account, masa, -amount)
        elif p.account in payables and amount > 0:
            month = pphfinal.overpaid_masa_of(original)
            out += pphfinal.settle(book, payables[p.account], month, -amount)
        else:
            out.append(p)
    return out
