"""What every command group shares: consoles, the chosen cooperative, recording and output."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from kkmp_cli import dates, money
from kkmp_cli.errors import KkmpError
from kkmp_cli.lazy import lazy

if TYPE_CHECKING:
    from beancount.core import data
    from rich.console import Console

    from kkmp_cli.core.ledger import Book, Paths

# What a command module needs only when its command runs, imported then (#16): `--help`
# and start-up do not pay for beancount or rich.
app = lazy("kkmp_cli.app")
coop = lazy("kkmp_cli.core.coop")
ledger = lazy("kkmp_cli.core.ledger")
explain = lazy("kkmp_cli.reports.explain")
accounts = lazy("kkmp_cli.accounts")
chart = lazy("kkmp_cli.chart")
learner = lazy("kkmp_cli.workshop.explain")  # --jelaskan (#20)


class _Console:
    """rich's Console, made (and rich imported) when something is first printed (#16): a
    command module says `from kkmp_cli.cli.common import console` and `--help` stays light."""

    __slots__ = ("_made", "_stderr")

    def __init__(self, *, stderr: bool) -> None:
        object.__setattr__(self, "_stderr", stderr)
        object.__setattr__(self, "_made", None)

    def _real(self) -> Console:
        made = self._made
        if made is None:
            from rich.console import Console

            # Markup and emoji codes are off: member names and descriptions are printed as typed.
            made = Console(stderr=self._stderr, highlight=False, markup=False, emoji=False)
            object.__setattr__(self, "_made", made)
        return made

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._real(), name, value)

    def __enter__(self) -> Console:
        return self._real().__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._real().__exit__(*exc)


console: Console = cast("Console", _Console(stderr=False))
err_console: Console = cast("Console", _Console(stderr=True))


def _console() -> Console:
    return console


class Format(StrEnum):
    teks = "teks"
    json = "json"


FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="Bentuk keluaran: teks (tabel) atau json.")
]
DateOpt = Annotated[
    str | None,
    typer.Option("--tanggal", "-t", help="Tanggal transaksi, mis. 02-01-2025 (bawaan: hari ini)."),
]
# An account is opened from the start of the books unless told otherwise, so that a later
# entry dated earlier can use it; the help said "hari ini" (found by an adversarial review).
OpenDateOpt = Annotated[
    str | None,
    typer.Option(
        "--tanggal",
        "-t",
        help="Tanggal akun dibuka, mis. 02-01-2025 (bawaan: awal buku, supaya catatan yang "
        "lebih awal dapat memakainya).",
    ),
]
PerOpt = Annotated[
    str | None,
    typer.Option("--per", help="Keadaan per tanggal, mis. 31-12-2025 (bawaan: hari ini)."),
]
DryRunOpt = Annotated[
    bool,
    typer.Option("--coba", help="Tampilkan jurnal yang akan dicatat tanpa menulis apa pun."),
]
ViaOpt = Annotated[
    str, typer.Option("--via", help="Lewat kas, bank, qris atau kode rekening (kkmp kas rekening).")
]
# Where there is also --kredit (nothing paid): no default, so a --via named with it is seen.
PaidViaOpt = Annotated[
    str | None,
    typer.Option(
        "--via",
        help="Lewat kas (bawaan), bank, qris atau kode rekening (kkmp kas rekening); tidak "
        "dengan --kredit.",
    ),
]
BuktiOpt = Annotated[str | None, typer.Option("--bukti", help="Nomor kuitansi/bukti fisik.")]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit", help="Unit usaha yang menanggung beban ini, mis. klinik (koperasi.yaml)."
    ),
]
RevisiOpt = Annotated[
    str | None,
    typer.Option(
        "--revisi",
        help="Bangun dari buku seperti di-commit pada revisi git ini, mis. HEAD~1 atau tag.",
    ),
]
NotaOpt = Annotated[
    str | None,
    typer.Option("--nota", help="Nomor nota/kuitansi fisik (dicetak pada bukti kas)."),
]
KeteranganOpt = Annotated[
    str | None, typer.Option("--keterangan", help="Keterangan tambahan pada jurnal.")
]


@dataclass
class State:
    koperasi: str | None = None
    jelaskan: bool = False  # --jelaskan / KKMP_JELASKAN=1: explain each journal line (#20)

    def paths(self) -> Paths:
        return coop.locate(self.koperasi)

    def book(self, revisi: str | None = None) -> Book:
        """The ledger in the folder, or as committed at git revision `revisi` (#15)."""
        if revisi:
            return app.auditing.book_at(self.paths(), revisi)
        return ledger.load(self.paths())


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def record(
    ctx: typer.Context,
    plan: Callable[[Book], list[data.Directive]],
    *,
    dry_run: bool = False,
    opening: bool = False,
) -> tuple[Book, list[data.Directive]]:
    """Plan, validate and (unless --coba) write; then show the double entry that was recorded
    (`opening`: entries of the opening balances, see `app.recording.record`)."""
    book, booked = app.record(state(ctx).paths(), plan, dry_run=dry_run, opening=opening)
    show_entries(booked, dry_run=dry_run, book=book)
    return book, booked


def planned(entries: list[data.Directive], jenis: str) -> data.Transaction:
    """The recorded transaction of `jenis`: a plan may add others after it (the loan's
    accrual adjustments, #13), so the last entry is not it."""
    return cast("data.Transaction", next(e for e in entries if e.meta.get("jenis") == jenis))


def show_entries(
    entries: list[data.Directive], *, dry_run: bool = False, book: Book | None = None
) -> None:
    """Print each recorded transaction as journal lines with their meaning (for trainers too);
    with --jelaskan, the plain-words explanation of every line below it."""
    from beancount.core import data

    title = "Rencana jurnal (tidak ditulis, --coba)" if dry_run else "Dicatat"
    if explaining() and not any(isinstance(e, data.Transaction) for e in entries):
        _console().print(f"Penjelasan: {learner.NO_JOURNAL}", soft_wrap=True)
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        doc = entry.meta.get("id", "")
        who = f" - {entry.payee}" if entry.payee else ""
        from rich.table import Table

        table = Table(
            title=f"{title}: {doc}  {dates.fmt(entry.date)}  {entry.narration}{who}",
            title_justify="left",
            show_edge=False,
        )
        table.add_column("")
        table.add_column("Akun")
        table.add_column("Jumlah", justify="right")
        table.add_column("Artinya")
        for line in explain.lines(entry):
            table.add_row(line.sisi, line.akun, money.fmt(line.jumlah), line.arti)
        _console().print(table)
        if explaining():
            _explain(entry, book)


# The invocation's state when --jelaskan / KKMP_JELASKAN=1 is on (set by the root callback).
_explaining_for: list[State] = []


def explain_mode(chosen: State | None) -> None:
    _explaining_for[:] = [chosen] if chosen is not None and chosen.jelaskan else []


def explaining() -> bool:
    """Whether this invocation explains what it records (--jelaskan / KKMP_JELASKAN=1)."""
    return bool(_explaining_for)


def _explain(entry: data.Transaction, book: Book | None) -> None:
    """--jelaskan: one or two sentences per line, from each account's golongan (#20)."""
    if book is None:
        try:
            book = ledger.load(_explaining_for[0].paths())
        except KkmpError:
            book = None
    known = book
    items = learner.explain(
        entry,
        (lambda a: accounts.info(known, a))
        if known is not None
        else (lambda a: chart.describe(a, {})),
    )
    console = _console()
    console.print("Penjelasan:")
    for item in items:
        console.print(
            f"- {item.sisi} {item.akun} {money.fmt(item.jumlah)}: {item.kalimat}", soft_wrap=True
        )
    console.print(learner.balance_sentence(items), soft_wrap=True)


def to_json(payload: Any) -> str:
    """The one JSON rendering of results (#19), stable for scripts and auditors: amounts as
    whole-rupiah integers (a fraction as text), dates ISO, dataclasses as objects of their
    fields, in field order."""
    return json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default)


def emit_json(payload: Any) -> None:
    typer.echo(to_json(payload))


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(type(value).__name__)
