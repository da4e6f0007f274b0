"""Stock that expires: the list of lots expiring soon (or already expired) and writing goods off
at cost (pemusnahan) to the unit's own stock-loss expense."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, text
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import CURRENCY, Book
from kkmp_cli.errors import JumlahTidakValid
from kkmp_cli.outlet import lots
from kkmp_cli.outlet import trade as outlet

JENIS = "gerai-musnahkan"


@dataclass(frozen=True)
class ExpiringLot:
    kode: str
    nama: str
    unit: str
    batch: str
    kedaluwarsa: dt.date
    jumlah: Decimal
    satuan: str
    nilai: Decimal  # at cost
    sisa_hari: int  # days left from `per`; below zero once expired

    @property
    def kedaluwarsa_sudah(self) -> bool:
        return self.sisa_hari < 0


def expiring(book: Book, per: dt.date, hari: int) -> list[ExpiringLot]:
    """Lots held at the end of `per` that expire within `hari` days of it, or have expired,
    first-expiring first."""
    if hari < 0:
        raise JumlahTidakValid("Jumlah hari (--hari) tidak boleh negatif.")
    by_account = {u.persediaan: u for u in outlet.units(book).values()}
    known = outlet.items(book)
    rows = []
    for lot in lots.on_hand(book, set(by_account), per):
        b = lot.batch
        if b.kedaluwarsa is None:
            continue
        left = (b.kedaluwarsa - per).days
        if left > hari:
            continue
        it = known.get(lot.code)
        rows.append(
            ExpiringLot(
                lot.code,
                it.nama if it else lot.code,
                by_account[lot.account].unit,
                b.nomor or "",
                b.kedaluwarsa,
                lot.jumlah,
                it.satuan if it else "",
                lot.nilai,
                left,  # sold up to and including the expiry day; expired from the day after
            )
        )
    return sorted(rows, key=lambda r: (r.kedaluwarsa, r.kode, r.batch))


def loss_account(accounts: chart.UnitAccounts) -> str:
    """The unit's expense for goods written off (expired, damaged): beside its stock-count
    variance, under the unit's HPP, so the unit's result carries it."""
    return accounts.selisih.rsplit(":", 1)[0] + ":Pemusnahan-Persediaan"


def _loss_open(book: Book, accounts: chart.UnitAccounts) -> list[data.Directive]:
    account = loss_account(accounts)
    if account in book.opens():
        return []
    meta = {
        "kode": f"51{accounts.index}8",
        "keterangan": f"Persediaan kedaluwarsa/rusak dimusnahkan unit {accounts.unit}",
        "unit": accounts.unit,
    }
    return [
        data.Open(
            data.new_metadata("<kkmp>", 0, meta),
            coop.books_start(book),
            account,
            [CURRENCY],
            None,
        )
    ]


def write_off(
    book: Book, code: str, qty: Decimal, date: dt.date, *, batch: str, alasan: str
) -> list[data.Directive]:
    """Plan a write-off of `qty` of one batch at its cost (expired or damaged goods destroyed)."""
    it = outlet.item(book, code)
    outlet.check_quantity(qty)
    nomor = lots.check_batch(batch)
    alasan = text.clean(alasan, field="alasan")
    outlet.require_after_count(book, it.kode, date)
    accounts = outlet.unit_of(book, it.unit)
    of_batch = [
        lot for lot in lots.held(book, accounts.persediaan, it.kode) if lot.batch.nomor == nomor
    ]
    if not of_batch:
        raise outlet.StokTidakCukup(f"Tidak ada stok {it.kode} batch {nomor}.")
    on_day = [lot for lot in of_batch if lot.cost.date <= date]
    held = sum((lot.jumlah for lot in on_day), Decimal(0))
    if held < qty:
        raise outlet.StokTidakCukup(
            f"Stok {it.kode} batch {nomor} pada {date:%d-%m-%Y} tinggal {outlet.fmt_qty(held)} "
            f"{it.satuan}, kurang dari {outlet.fmt_qty(qty)} yang akan dimusnahkan."
        )
    out = []
    need = qty
    for lot in lots.ordered(on_day, "fifo"):
        n = min(need, lot.jumlah)
        out.append(lots.on_lot(accounts.persediaan, -n, it.kode, lot.cost))
        need -= n
        if need == 0:
            break
    cost = -sum((ledger.weight(p) for p in out), Decimal(0))
    meta = {
        "id": book.next_id("BM", date.year),
        "jenis": JENIS,
        "unit": accounts.unit,
        "batch": nomor,
        "alasan": alasan,
    }
    narration = f"Pemusnahan {it.nama} batch {nomor} {outlet.fmt_qty(qty)} {it.satuan}: {alasan}"
    postings = [ledger.posting(loss_account(accounts), cost), *out]
    return [*_loss_open(book, accounts), ledger.transaction(date, narration, postings, meta=meta)]
