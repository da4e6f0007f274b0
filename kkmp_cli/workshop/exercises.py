"""Workshop exercises (latihan): a story for the trainee treasurer, the commands that solve it,
and the balances the books must show afterwards, checked against the trainee's own ledger.

The exercises live in `templates/latihan.yaml`; a trainer can write their own in the practice
cooperative's `templates/latihan.yaml`. Each exercise states its balances *per* a date, so a
trainee can check an earlier exercise after doing later ones.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from kkmp_cli import accounts, chart, dates, money
from kkmp_cli.core import config, ledger, templating
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError
from kkmp_cli.outlet import trade as outlet
from kkmp_cli.reports import statements
from kkmp_cli.workshop import explain

FILE_NAME = "latihan.yaml"


class LatihanSalah(KkmpError):
    """An exercise file that cannot be used, or an exercise number that does not exist."""


@dataclass(frozen=True)
class Expected:
    """One balance the books must show: an account's IDR balance on its normal side, or an
    item's stock (quantity and value at cost)."""

    label: str
    nilai: Decimal
    akun: str | None = None
    barang: str | None = None
    ukuran: str = "saldo"  # "saldo", "jumlah" (stock quantity), "nilai" (stock at cost), "shu"


@dataclass(frozen=True)
class Exercise:
    nomor: int
    judul: str
    cerita: str
    perintah: tuple[str, ...]
    kunci: tuple[str, ...]
    per: dt.date
    harapan: tuple[Expected, ...]
    pertanyaan: str
    jawaban: str
    butuh: tuple[int, ...] = ()


@dataclass(frozen=True)
class Exercises:
    koperasi: str
    tahun: int
    daftar: tuple[Exercise, ...]
    sumber: Path

    def get(self, nomor: int) -> Exercise:
        for exercise in self.daftar:
            if exercise.nomor == nomor:
                return exercise
        raise LatihanSalah(
            f"Latihan {nomor} tidak ada; pilih 1 sampai {len(self.daftar)} ('kkmp latihan daftar')."
        )


@dataclass(frozen=True)
class CheckRow:
    expected: Expected
    tercatat: Decimal

    @property
    def cocok(self) -> bool:
        return self.tercatat == self.expected.nilai


def find(coop_root: Path | None = None) -> Path:
    """The exercise file: the cooperative's own first, then kkmp's."""
    for folder in templating.template_dirs(coop_root):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    raise LatihanSalah(f"Berkas {FILE_NAME} tidak ditemukan.")


EXERCISE_KEYS = (
    "judul",
    "cerita",
    "perintah",
    "kunci",
    "butuh",
    "per",
    "harapan",
    "pertanyaan",
    "jawaban",
)


def load(coop_root: Path | None = None) -> Exercises:
    path = find(coop_root)
    doc = config.read_document(path, ("koperasi", "tahun", "latihan"), error=LatihanSalah)
    doc.require("latihan")
    items = tuple(
        _exercise(n, item)
        for n, item in enumerate(doc.entries("latihan", EXERCISE_KEYS, "latihan {i}"), 1)
    )
    return Exercises(
        doc.text("koperasi", "Koperasi Latihan"),
        doc.integer("tahun", None, low=2000, high=2100),
        items,
        path,
    )


def _exercise(nomor: int, doc: config.Doc) -> Exercise:
    doc.require("judul", "cerita", "kunci", "per", "harapan")
    return Exercise(
        nomor=nomor,
        judul=doc.text("judul"),
        cerita=doc.text("cerita"),
        perintah=doc.texts("perintah"),
        kunci=doc.texts("kunci"),
        per=doc.parsed("per", dates.parse),
        harapan=tuple(_expected(doc.section("harapan", None, "akun: saldo"))),
        pertanyaan=doc.text("pertanyaan"),
        jawaban=doc.text("jawaban"),
        butuh=_needs(nomor, doc),
    )


def _needs(nomor: int, doc: config.Doc) -> tuple[int, ...]:
    """The earlier exercises this one needs (`butuh: [1, 3]`), each before it."""
    needs = []
    for word in doc.texts("butuh"):
        if not word.isdigit() or not 1 <= int(word) < nomor:
            which = (
                "latihan pertama tidak dapat membutuhkan latihan lain"
                if nomor == 1
                else f"sebutkan nomor latihan sebelumnya (1 sampai {nomor - 1})"
            )
            raise doc.fail("butuh", f"berisi {word!r}; {which}")
        needs.append(int(word))
    return tuple(sorted(set(needs)))


def _expected(doc: config.Doc) -> list[Expected]:
    """Account balances (`Aset:Kas: "120.000"`) and stock (`stok: {BARANG: {jumlah, nilai}}`)."""
    result = []
    for key in doc.keys():
        if key == "shu":
            result.append(Expected("SHU tahun ini", doc.parsed(key, _amount), ukuran="shu"))
            continue
        if key != "stok":
            result.append(Expected(key, doc.parsed(key, _amount), akun=key))
            continue
        stock = doc.section("stok", None, "BARANG: {jumlah, nilai}")
        for code in stock.keys():
            spec = stock.section(code, ("jumlah", "nilai"), "jumlah dan/atau nilai")
            if spec.get("jumlah") is not None:
                qty = spec.parsed("jumlah", outlet.parse_quantity)
                result.append(Expected(f"Stok {code} (jumlah)", qty, barang=code, ukuran="jumlah"))
            if spec.get("nilai") is not None:
                value = spec.parsed("nilai", money.parse)
                result.append(Expected(f"Stok {code} (nilai)", value, barang=code, ukuran="nilai"))
    return result


def _amount(text: str) -> Decimal:
    """A balance may be zero (an account that must be empty again)."""
    return Decimal(0) if str(text).strip() in ("0", "Rp0") else money.parse(text)


def check(book: Book, exercise: Exercise) -> list[CheckRow]:
    """Every expected balance beside what the trainee's books show per the exercise's date."""
    stock = {row.item.kode: row for row in outlet.stock(book, exercise.per)}
    rows = []
    for exp in exercise.harapan:
        if exp.ukuran == "shu":
            value = statements.results(book, exercise.per.year).shu
        elif exp.barang is not None:
            found = stock.get(exp.barang)
            if found is None:
                value = Decimal(0)
            else:
                value = found.jumlah if exp.ukuran == "jumlah" else found.nilai
        else:
            assert exp.akun is not None
            value = _balance(book, exp.akun, exercise.per)
            if not explain.debit_normal(exp.akun, accounts.info(book, exp.akun).golongan):
                value = -value
        rows.append(CheckRow(exp, value))
    return rows


def _balance(book: Book, account: str, per: dt.date) -> Decimal:
    """An account's balance at the end of `per`; for pendapatan and beban, the year's flow up
    to `per` without the closing entries (the PHU's reading), so that a check still holds
    after the year is closed."""
    if chart.GOLONGAN_ROOT.get(accounts.info(book, account).golongan) in (
        "Aset",
        "Kewajiban",
        "Ekuitas",
    ):
        return book.balance_on(account, per)
    flows = statements.sums(book, dt.date(per.year, 1, 1), per, skip_closing=True)
    return flows.get(account, Decimal(0))


# --- entries the exercise did not ask for (#20) ---


@dataclass(frozen=True)
class Entry:
    """A transaction as the checker compares it: its day and what it posts (account, number,
    currency), not its number or its words."""

    bukti: str
    tanggal: dt.date
    jenis: str
    uraian: str
    jumlah: Decimal  # the rupiah on its debit side
    pos: tuple[tuple[str, Decimal, str], ...]


def entries(book: Book) -> list[Entry]:
    """The book's transactions, less each one a `koreksi` took back and the reversal itself:
    the two undo each other, so neither is a participant's answer."""
    txns = list(book.transactions())
    undone = {str(t.meta["koreksi"]) for t in txns if t.meta.get("koreksi")}
    return [
        _entry(t)
        for t in txns
        if not t.meta.get("koreksi") and str(t.meta.get("id", "")) not in undone
    ]


def _entry(txn: data.Transaction) -> Entry:
    pos = tuple(
        sorted((p.account, ledger.number(p), p.units.currency) for p in txn.postings if p.units)
    )
    debit = sum((n for _, n, c in pos if c == ledger.CURRENCY and n > 0), Decimal(0))
    return Entry(
        str(txn.meta.get("id", "")),
        txn.date,
        str(txn.meta.get("jenis", "")),
        txn.narration or "",
        debit,
        pos,
    )


@dataclass(frozen=True)
class KeyEntries:
    """What one exercise's key records (its koreksi pairs left out) and the days it covers:
    from its first entry to its last entry or its `per`, whichever is later."""

    nomor: int
    entries: tuple[Entry, ...]
    dari: dt.date
    sampai: dt.date

    def covers(self, day: dt.date) -> bool:
        return self.dari <= day <= self.sampai


def key_entries(exercise: Exercise, before: Iterable[str], book: Book) -> KeyEntries:
    """The entries `exercise`'s key added to `book`, a practice cooperative solved by the keys
    up to this exercise; `before` the ids it held before this exercise's key."""
    old = set(before)
    days = [t.date for t in book.transactions() if str(t.meta.get("id", "")) not in old]
    kept = tuple(e for e in entries(book) if e.bukti not in old)
    return KeyEntries(
        exercise.nomor, kept, min(days, default=exercise.per), max([*days, exercise.per])
    )


@dataclass(frozen=True)
class Unasked:
    """An entry of the participant's that no key records: on another day than the entry the
    exercise asks for (`tanggal_latihan`), or not asked for at all on the exercise's days."""

    entry: Entry
    nomor: int
    tanggal_latihan: dt.date | None = None

    @property
    def singkat(self) -> str:
        """One line for the class board."""
        e = self.entry
        if self.tanggal_latihan is not None:
            return (
                f"{e.bukti} tercatat bertanggal {dates.fmt(e.tanggal)}; latihan ini bertanggal "
                f"{dates.fmt(self.tanggal_latihan)}, gunakan --tanggal"
            )
        return (
            f'{e.bukti} ({dates.fmt(e.tanggal)}, "{e.uraian}", {money.fmt(e.jumlah)}) '
            "tidak diminta latihan ini"
        )

    @property
    def saran(self) -> str:
        """What `latihan periksa` says: the entry, and how to take it back with koreksi."""
        e = self.entry
        undo = f"kkmp koreksi {e.bukti} --alasan"
        if self.tanggal_latihan is not None:
            day = dates.fmt(self.tanggal_latihan)
            return (
                f'{self.singkat} {day}. Batalkan dengan \'{undo} "salah tanggal" --tanggal '
                f"{dates.fmt(e.tanggal)}', lalu catat lagi dengan --tanggal {day}."
            )
        return (
            f"{self.singkat}. Bila salah catat, batalkan dengan '{undo} \"tidak diminta latihan "
            f"{self.nomor}\" --tanggal {dates.fmt(e.tanggal)}'."
        )


def unasked(book: Book, key: Sequence[KeyEntries]) -> dict[int, tuple[Unasked, ...]]:
    """Exercise number -> the participant's entries it did not ask for.

    Each entry is matched with an entry some key records, the same day and the same postings.
    One left over is misdated when a key's entry still missing posts the same on another day
    (`--tanggal` forgotten); it is a different answer to an entry asked for when a missing
    key's entry of the same kind is on its day (the balances judge it); otherwise it was not
    asked for, and every exercise whose days it falls on names it."""
    mine = entries(book)
    have = Counter(_signature(e) for e in mine)
    missing: list[tuple[int, Entry]] = []
    for part in key:
        for e in part.entries:
            if have[_signature(e)]:
                have[_signature(e)] -= 1
            else:
                missing.append((part.nomor, e))
    found: dict[int, list[Unasked]] = {part.nomor: [] for part in key}
    for e in mine:
        if not have[_signature(e)]:
            continue
        have[_signature(e)] -= 1
        misdated = next((m for m in missing if m[1].pos == e.pos), None)
        if misdated is not None:
            missing.remove(misdated)
            found[misdated[0]].append(Unasked(e, misdated[0], misdated[1].tanggal))
            continue
        other = next(
            (m for m in missing if m[1].tanggal == e.tanggal and e.jenis and m[1].jenis == e.jenis),
            None,
        )
        if other is not None:
            missing.remove(other)
            continue
        for part in key:
            if part.covers(e.tanggal):
                found[part.nomor].append(Unasked(e, part.nomor))
    return {n: tuple(v) for n, v in found.items()}


def _signature(e: Entry) -> tuple[dt.date, tuple[tuple[str, Decimal, str], ...]]:
    return (e.tanggal, e.pos)


@dataclass(frozen=True)
class Status:
    """Where a participant stands on one exercise: "selesai", "belum" or "salah" (with the
    first balance that does not match, or the entries it did not ask for)."""

    exercise: Exercise
    keadaan: str
    salah: CheckRow | None = None
    only_cash: bool = False  # every wrong balance is cash or bank (may follow an earlier error)
    cause: int | None = None  # the earlier wrong exercise a cash-only difference may follow
    lain: tuple[Unasked, ...] = ()


def status(book: Book, exercise: Exercise, lain: tuple[Unasked, ...] = ()) -> Status:
    """Done when every balance matches and no entry it did not ask for (`lain`, see `unasked`)
    is on its days; not yet when none of the exercise's own accounts (those it expects non-zero,
    other than cash and bank, which every exercise moves) has moved and nothing is in `lain`;
    otherwise wrong, with the first balance that does not match (its own accounts before cash,
    which only follows)."""
    rows = check(book, exercise)
    wrong = [r for r in rows if not r.cocok]
    if not wrong:
        return Status(exercise, "salah", lain=lain) if lain else Status(exercise, "selesai")
    own = [r for r in rows if r.expected.nilai and _own(book, r.expected)]
    if not own:
        own = [r for r in rows if r.expected.nilai and r.expected.ukuran != "shu"]
    if own and all(r.tercatat == 0 for r in own):
        return Status(exercise, "salah", lain=lain) if lain else Status(exercise, "belum")
    first = next((r for r in wrong if _own(book, r.expected)), wrong[0])
    only_cash = all(r.expected.akun and accounts.is_cash(book, r.expected.akun) for r in wrong)
    return Status(exercise, "salah", first, bool(only_cash), lain=lain)


def _own(book: Book, exp: Expected) -> bool:
    return exp.akun is not None and not accounts.is_cash(book, exp.akun)
