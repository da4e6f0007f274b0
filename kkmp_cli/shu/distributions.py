"""The SHU distribution of each year and the SHU rules it was made by (#13): a distributed
year's sheet is computed by the rules recorded with its distribution, not by today's
koperasi.yaml (whose rules may have changed for the next year), so `shu hitung`, the PHU and the
RAT book of that year print what the journal posted and the members were paid."""

from __future__ import annotations

from beancount.core import data

from kkmp_cli.core import config, ledger
from kkmp_cli.core.ledger import Book

DISTRIBUTION = "shu-bagi"


class Distributions(ledger.Index):
    """The SHU distribution transaction of each year (the last one, if a year has two): kept
    as an index so `anggota lihat` and `periksa` find them without reading every entry (#16)."""

    version = 1  # raised whenever `fold` changes: a kept copy of another version is not used

    def __init__(self) -> None:
        self.years: dict[int, data.Transaction] = {}

    def fold(self, entry: data.Directive) -> None:
        if isinstance(entry, data.Transaction) and entry.meta.get("jenis") == DISTRIBUTION:
            self.years[int(str(entry.meta["tahun"]))] = entry


def years(book: Book) -> dict[int, data.Transaction]:
    return dict(book.index(Distributions).years)


def recorded(txn: data.Transaction) -> config.ShuRules | None:
    """The SHU rules a distribution recorded (None: written by an older kkmp, without them);
    a record with an unknown key or a wrong value is refused by name (KonfigurasiSalah)."""
    meta = txn.meta
    return config.shu_from_record(
        meta, str(meta.get("filename", "?")), int(meta.get("lineno", 0) or 0)
    )


def rules(book: Book, year: int) -> config.ShuRules:
    """The SHU rules of `year`: those its distribution recorded; koperasi.yaml's for a year
    not distributed yet, or distributed by an older kkmp that recorded none."""
    txn = years(book).get(year)
    found = recorded(txn) if txn is not None else None
    return book.config.shu if found is None else found
