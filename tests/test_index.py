"""Domain indexes (#16): derived state folded entry by entry, the same whether folded over the
whole ledger at once or kept up to date as entries are added (in order or back-dated)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from beancount.core import data
from conftest import Cli, ok

from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Paths


class Deposits(ledger.Index):
    """Transactions per day and the running list of ids, to compare with a plain scan."""

    def __init__(self) -> None:
        self.per_day: dict[dt.date, int] = {}
        self.ids: list[str] = []

    def fold(self, entry: data.Directive) -> None:
        if isinstance(entry, data.Transaction):
            self.per_day[entry.date] = self.per_day.get(entry.date, 0) + 1
            if isinstance(entry.meta.get("id"), str):
                self.ids.append(entry.meta["id"])


def _scan(book: ledger.Book) -> tuple[dict[dt.date, int], list[str]]:
    per_day: dict[dt.date, int] = {}
    ids = []
    for t in book.transactions():
        per_day[t.date] = per_day.get(t.date, 0) + 1
        if isinstance(t.meta.get("id"), str):
            ids.append(t.meta["id"])
    return per_day, ids


def _deposit(book: ledger.Book, day: int) -> ledger.Book:
    entry = ledger.transaction(
        dt.date(2025, 3, day),
        "Uji",
        [
            ledger.posting("Aset:Kas", Decimal(1000)),
            ledger.posting("Kewajiban:Simpanan-Sukarela:A0001", Decimal(-1000)),
        ],
        meta={"id": f"BKM-2025-{900000 + day:06d}"},
    )
    return book.extended([entry])


def test_an_index_is_kept_up_to_date_and_refolded_after_a_back_dated_entry(cli: Cli) -> None:
    ok(cli, "anggota", "tambah", "Ani", "--tanggal", "02-01-2025")
    for day in ("03-03-2025", "05-03-2025"):
        ok(cli, "simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", day)
    book = ledger.load(Paths(cli.root))
    first = book.index(Deposits)
    assert (first.per_day, first.ids) == _scan(book)
    assert book.index(Deposits) is first  # folded once per Book

    later = _deposit(book, 20)  # after every entry: folded into the same index
    assert later.index(Deposits) is first
    assert (first.per_day, first.ids) == _scan(later)

    earlier = _deposit(later, 4)  # back-dated: folded again, in beancount's order
    again = earlier.index(Deposits)
    assert again is not first
    assert (again.per_day, again.ids) == _scan(earlier)
    assert again.ids.index("BKM-2025-900004") < again.ids.index("BKM-2025-900020")


def test_every_domain_index_is_kept_by_the_cache() -> None:
    """A domain Index the cache does not keep would be folded over every entry by the first
    command to ask for it after each settling: every one is in KEPT_INDEXES (and only those)."""
    import importlib
    import pkgutil

    import kkmp_cli

    for info in pkgutil.walk_packages(kkmp_cli.__path__, "kkmp_cli."):
        if not info.name.startswith(("kkmp_cli.fava", "kkmp_cli.cli", "kkmp_cli.__main__")):
            importlib.import_module(info.name)

    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        return found | {s for c in found for s in subclasses(c)}

    domain = {c for c in subclasses(ledger.Index) if c.__module__.startswith("kkmp_cli.")}
    kept = {ledger._index_class(name) for name in ledger.KEPT_INDEXES}
    assert None not in kept
    assert domain == kept
