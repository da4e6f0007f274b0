"""Domain indexes (#16): derived state folded entry by entry, the same whether folded over the
whole ledger at once or kept up to date as entries are added (in order or back-dated)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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


def _register_line(date: dt.date, *values: str) -> data.Custom:
    return ledger.make_custom(date, "anggota", list(values), {})


def test_a_fold_over_custom_directives_takes_only_the_new_ones_and_never_changes_the_old(
    cli: Cli,
) -> None:
    """`Book.folded` carries its value to an extended Book and folds on only what was added
    (a member sheet of 3 000 rows rebuilt the whole register for every row: quadratic, #16);
    the value the older Book holds is left as it was (the writer goes back to that Book when
    a stage is refused)."""
    ok(cli, "anggota", "tambah", "Ani", "--tanggal", "02-01-2025")
    seen: list[list[str]] = []

    def names(before: tuple[str, ...] | None, customs: Sequence[data.Custom]) -> tuple[str, ...]:
        seen.append([str(c.values[1].value) for c in customs])
        return (*(before or ()), *(str(c.values[1].value) for c in customs))

    book = ledger.load(Paths(cli.root))
    assert book.folded("uji", "anggota", names) == ("A0001",)
    assert book.folded("uji", "anggota", names) == ("A0001",)  # held, not folded again
    later = book.extended([_register_line(dt.date(2025, 3, 1), "masuk", "A0002", "Budi")])
    assert later.folded("uji", "anggota", names) == ("A0001", "A0002")
    assert seen == [["A0001"], ["A0002"]]  # the second fold saw only the new line
    assert book.folded("uji", "anggota", names) == ("A0001",)  # the older Book's value stands

    other = book.extended([_register_line(dt.date(2025, 3, 1), "masuk", "A0003", "Citra")])
    assert other.folded("uji", "anggota", names) == ("A0001", "A0003")
    # A Book that does not hold what the value saw first folds everything again.
    fresh = ledger.load(Paths(cli.root), fresh=True)
    fresh._folds = dict(later._folds)
    assert fresh.folded("uji", "anggota", names) == ("A0001",)
    assert seen[-1] == ["A0001"]


def test_the_member_register_folded_row_by_row_equals_the_register_read_at_once(
    cli: Cli,
) -> None:
    """Members added, changed, leaving and cancelled one stage at a time give the register,
    the cancelled numbers, the exits and the next number a fresh load gives."""
    from kkmp_cli.closing import invariants
    from kkmp_cli.members import register

    ok(cli, "anggota", "tambah", "Ani", "--tanggal", "02-01-2025")
    book = ledger.load(Paths(cli.root))
    register.register(book), invariants.exits(book)  # held before the lines below are added
    lines = [
        _register_line(dt.date(2025, 2, 1), "masuk", "A0007", "Budi"),
        _register_line(dt.date(2025, 2, 2), "masuk", "A0003", "Citra"),
        _register_line(dt.date(2025, 2, 3), "batal", "A0007"),
        _register_line(dt.date(2025, 2, 4), "keluar", "A0003", "pindah"),
    ]
    for line in lines:
        book = book.extended([line])
        register.register(book), invariants.exits(book)
    fresh = ledger.Book(book.paths, book.config, list(book.entries), [], book.options)
    assert register.register(book) == register.register(fresh)
    assert register.register(book)["A0003"].keluar == dt.date(2025, 2, 4)
    assert register.cancelled(book) == register.cancelled(fresh) == {"A0007": dt.date(2025, 2, 3)}
    assert invariants.exits(book).keys() == invariants.exits(fresh).keys() == {"A0003"}
    # The highest number ever given counts, a cancelled one too: the next is A0008.
    assert register.next_nak(book) == register.next_nak(fresh) == "A0008"
