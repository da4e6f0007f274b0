"""The year's tax report (`laporan pajak`): per tax month the turnover, the PPh final due, and
for every tax payable (PPh final, PPh 21, PPh final on savings interest …) what was booked or
withheld and what was paid; and what is still payable at the year end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from kkmp_cli import dates
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
    # The rule for SHU paid to members (koperasi.yaml pajak.shu_anggota, #12 part 5).
    shu_anggota: str = config.SHU_ANGGOTA_NOTE


def build(book: Book, year: int) -> TaxReport:
    """The tax report of `year` (tax months January–December), a year of the books."""
    periods.require_within_books(book, periods.Period.year(dates.check_year(year)))
    kinds = pphfinal.tax_accounts(book)
    by_account = {account: jenis for jenis, account in kinds.items()}
    moves: dict[tuple[str, str], list[Decimal]] = {}
    for e in book.transactions():
        for p in e.postings:
            jenis = by_account.get(p.account)
            kode = str(e.meta.get("masa") or f"{e.date:%Y-%m}")
            if jenis is None or not kode.startswith(f"{year}-"):
                continue
            slot = moves.setdefault((kode, jenis), [ZERO, ZERO])
            amount = ledger.number(p)
            if pphfinal.PAY in (e.meta.get("jenis"), e.meta.get("jenis_asal")):
                slot[1] += amount  # a payment, or its koreksi: paid less, not owed more
            else:
                slot[0] -= amount
    rows = []
    totals = {j: [ZERO, ZERO] for j in kinds}
    for month in range(1, 13):
        masa = pphfinal.Month(year, month)
        pajak = {}
        for jenis in kinds:
            withheld, paid = moves.get((masa.kode, jenis), [ZERO, ZERO])
            pajak[jenis] = Movement(withheld, paid)
            totals[jenis][0] += withheld
            totals[jenis][1] += paid
        computed = pphfinal.compute(book, masa)
        rows.append(MonthRow(masa.kode, computed.peredaran, computed.terutang, pajak))
    end = dt.date(year, 12, 31)
    open_ = {j: -book.balance_on(a, end) for j, a in kinds.items()}
    return TaxReport(year, rows, {j: Movement(*v) for j, v in totals.items()}, open_)
