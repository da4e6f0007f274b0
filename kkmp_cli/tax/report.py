"""The year's tax report (`laporan pajak`): per tax month the turnover, the PPh final due, and
for every tax payable (PPh final, PPh 21, PPh final on savings interest …) what was booked or
withheld and what was paid; and what is still payable, or overpaid (lebih bayar), at the year
end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from kkmp_cli import chart, dates
from kkmp_cli.core import config, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.reports import periods
from kkmp_cli.tax import pphfinal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Movement:
    dipotong: Decimal  # booked or withheld (credited to the payable)
    disetor: Decimal  # paid (debited by `pajak setor`)


@dataclass(frozen=True)
class MonthRow:
    masa: str
    peredaran: Decimal
    pph_final_terutang: Decimal
    pajak: dict[str, Movement] = field(default_factory=dict)


@dataclass(frozen=True)
class TaxReport:
    tahun: int
    bulan: list[MonthRow]
    jumlah: dict[str, Movement]
    terutang_akhir_tahun: dict[str, Decimal]  # per jenis, payable at 31 December
    # per jenis with a lebih-bayar account in use, overpaid at 31 December
    lebih_bayar_akhir_tahun: dict[str, Decimal] = field(default_factory=dict)
    # The rule for SHU paid to members (koperasi.yaml pajak.shu_anggota, #12 part 5).
    shu_anggota: str = config.SHU_ANGGOTA_NOTE


def build(book: Book, year: int) -> TaxReport:
    """The tax report of `year` (tax months January–December), a year of the books."""
    periods.require_within_books(book, periods.Period.year(dates.check_year(year)))
    kinds = pphfinal.tax_accounts(book)
    by_account = {account: jenis for jenis, account in kinds.items()}
    overpayments = {
        jenis: account
        for jenis, payable in kinds.items()
        if (account := chart.overpayment_account(payable)) in book.opens()
    }
    over_jenis = {account: jenis for jenis, account in overpayments.items()}
    settling = (pphfinal.PAY, pphfinal.OFFSET)
    moves: dict[tuple[str, str], list[Decimal]] = {}
    for e in book.transactions():
        kind = e.meta.get("jenis_asal") if e.meta.get("jenis") == "koreksi" else e.meta.get("jenis")
        for p in e.postings:
            jenis = by_account.get(p.account) or over_jenis.get(p.account)
            kode = pphfinal.masa_of(e)
            if jenis is None or not kode.startswith(f"{year}-"):
                continue
            slot = moves.setdefault((kode, jenis), [ZERO, ZERO])
            amount = ledger.number(p)
            if p.account in over_jenis:
                # A month's tax moved to its lebih bayar is tax not owed; a refund or a set-off
                # uses it (and is no tax of the month).
                if kind not in (pphfinal.REFUND, pphfinal.OFFSET):
                    slot[0] -= amount
            elif kind in settling:
                slot[1] += amount  # a payment or set-off, or its koreksi: paid less, not owed more
            else:
                slot[0] -= amount
    rows = []
    bases = pphfinal.turnovers(book, year)
    totals = {j: [ZERO, ZERO] for j in kinds}
    for month in range(1, 13):
        masa = pphfinal.Month(year, month)
        pajak = {}
        for jenis in kinds:
            withheld, paid = moves.get((masa.kode, jenis), [ZERO, ZERO])
            pajak[jenis] = Movement(withheld, paid)
            totals[jenis][0] += withheld
            totals[jenis][1] += paid
        computed = pphfinal.compute(book, masa, bases[month])
        rows.append(MonthRow(masa.kode, computed.peredaran, computed.terutang, pajak))
    end = dt.date(year, 12, 31)
    open_ = {j: -book.balance_on(a, end) for j, a in kinds.items()}
    over = {j: book.balance_on(a, end) for j, a in overpayments.items()}
    return TaxReport(year, rows, {j: Movement(*v) for j, v in totals.items()}, open_, over)
