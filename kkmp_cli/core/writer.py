"""The one writer of journal files: validate against the ledger, lock, write atomically.

Planned entries are first *staged*: rendered as journal text (`printer`),
parsed back and compared with the plan (so no user string can become a directive), booked on
top of the ledger's balances and validated with beancount's own validators. Only then are the
files replaced, atomically, under an OS file lock.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import importlib
import io
import operator
import os
import pickle
import shutil
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import regex
from beancount.core import compare, data, display_context
from beancount.ops import validation
from beancount.parser import grammar, lexer

from kkmp_cli import dates
from kkmp_cli.closing import invariants
from kkmp_cli.core import coop, fsutil, ledger, officer, printer
from kkmp_cli.core.filelines import FileLines
from kkmp_cli.core.ledger import HEADER_OPTIONS, Book, Paths
from kkmp_cli.counter import safedates
from kkmp_cli.errors import BukuBermasalah, PenulisanDitolak, PeriodeDitutup, TahunBukuBaru

# beancount's C parser, driven with a builder of our own (see _ParseBackBuilder).
_parser: Any = importlib.import_module("beancount.parser._parser")

# The most entries rendered and parsed back in one block: the text and the parse of an
# import's 10 000 rows are not held at once (#16).
PARSE_BACK_MAX = 500

_INCREMENTAL_VALIDATIONS = (
    validation.validate_open_close,
    validation.validate_active_accounts,
    validation.validate_currency_constraints,
    validation.validate_duplicate_commodities,
    validation.validate_data_types,
    validation.validate_check_transaction_balances,
)


def _normalised(entry: data.Directive) -> Any:
    entry = entry._replace(meta=ledger.own_meta(entry.meta))  # type: ignore[arg-type]
    if isinstance(entry, data.Transaction):
        entry = entry._replace(
            postings=[p._replace(meta=ledger.own_meta(p.meta)) for p in entry.postings]
        )
    return entry


def _meta_items(meta: dict[str, Any] | None) -> list[tuple[str, Any]]:
    if not meta:
        return []
    return [
        (k, v)
        for k, v in meta.items()
        if k != "filename" and k != "lineno" and not k.startswith("__")
    ]


def _same(parsed: data.Directive, planned: data.Directive) -> bool:
    """Is what beancount parsed exactly what was planned (file positions aside)?"""
    if type(parsed) is not type(planned):
        return False
    if not isinstance(parsed, data.Transaction):
        return bool(_normalised(parsed) == _normalised(planned))
    assert isinstance(planned, data.Transaction)
    if _HEADER(parsed) != _HEADER(planned) or _meta_items(parsed.meta) != _meta_items(planned.meta):
        return False
    if len(parsed.postings) != len(planned.postings):
        return False
    return all(
        _POSTING(a) == _POSTING(b) and _meta_items(a.meta) == _meta_items(b.meta)
        for a, b in zip(parsed.postings, planned.postings, strict=True)
    )


_HEADER = operator.attrgetter("date", "flag", "payee", "narration", "tags", "links")
_POSTING = operator.attrgetter("account", "units", "cost", "price", "flag")


class _ParseBackBuilder(grammar.Builder):  # type: ignore[misc]
    """beancount's own grammar builder, started in the state kkmp's header options leave it in
    (account roots, currency): the same parse as with the header lines in front of the block,
    without deep-copying beancount's option defaults and parsing the header again for every
    block staged (a build or an import stages thousands)."""

    _prepared: tuple[dict[str, Any], Any] | None = None

    def __init__(self) -> None:
        lexer.LexBuilder.__init__(self)
        prepared = _ParseBackBuilder._prepared
        if prepared is None:
            header = grammar.Builder()
            _parser.Parser(header).parse(
                io.BytesIO("\n".join(HEADER_OPTIONS).encode() + b"\n"), filename="<kkmp>"
            )
            assert not header.errors, header.errors
            prepared = _ParseBackBuilder._prepared = (header.options, header.account_regexp)
        options, self.account_regexp = prepared
        # Each parse gets its own lists and dicts: an option line in the block (refused later
        # by the comparison with the plan) must not leak into the next parse.
        self.options = {k: copy.copy(v) for k, v in options.items()}
        self.tags = []
        self.meta = defaultdict(list)
        self.entries = []
        self.accounts = {}
        self.dcontext = display_context.DisplayContext()
        self.display_context_update = self.dcontext.update

    def _dcupdate(self, number: Any, currency: Any) -> None:
        """The display precision inferred from the numbers is not needed to compare a block
        with its plan (the options are thrown away): not gathered."""


def _parse_block(
    text: str, filename: str, firstline: int
) -> tuple[list[data.Directive], list[Any]]:
    """Parse journal text as beancount does under kkmp's header options."""
    builder = _ParseBackBuilder()
    _parser.Parser(builder).parse(
        io.BytesIO(text.encode("utf-8")), filename=filename, lineno=firstline
    )
    entries, errors, _ = builder.finalize()
    return entries, errors


def _line_mover(steps: list[tuple[int, int]]) -> Callable[[int], int]:
    """Where a line (1-based, as beancount counts) of a file goes after blocks of `delta` lines
    were inserted at 0-based `index`, in the order given (each index counted in the file as
    the blocks before it left it). A batch inserts in date order, each block at or after the
    end of the one before: then a line moves by the lines inserted before it in the original
    file, found by bisection (#16: one pass per insertion point made an import among 20 000
    entries drop the cache instead). Any other order is followed block by block."""
    origins, totals, done, last_end = [], [], 0, 0
    for index, delta in steps:
        if index < last_end:
            break
        origins.append(index - done)
        done += delta
        totals.append(done)
        last_end = index + delta
    else:

        def by_origin(line: int) -> int:
            k = bisect.bisect_left(origins, line)
            return line + totals[k - 1] if k else line

        return by_origin

    def one_by_one(line: int) -> int:
        for index, delta in steps:
            if line > index:
                line += delta
        return line

    return one_by_one


# A day's entries grouped by `_shape`.
_Shapes = dict[tuple[Any, ...], list[data.Directive]]


def _shape(entry: data.Directive) -> tuple[Any, ...]:
    """What a twin for noduplicates (equal but for metadata) must share, cheap to get: the
    other entries of a day are grouped by it, and only those of the same shape are hashed (a
    directive's account or type, else a thousand members registered on one day hashed every
    earlier one each time: an import of 3 000 took two minutes, found by trying, #16)."""
    if isinstance(entry, data.Transaction):
        return ("txn", entry.payee, entry.narration, len(entry.postings))
    if isinstance(entry, data.Custom):
        return ("Custom", entry.type, tuple(repr(v.value) for v in entry.values[:2]))
    key = getattr(entry, "account", None) or getattr(entry, "currency", None)
    return (type(entry).__name__, key)


def _is_chart_directive(entry: data.Directive) -> bool:
    return isinstance(entry, data.Open | data.Commodity) and "anggota" not in entry.meta


def _require_within_books(book: Book, entries: Sequence[data.Directive]) -> None:
    """Nothing is dated before the books start but the opening balances (saldo awal), which
    may stand on the day before (#22)."""
    start = coop.books_start(book)
    for entry in entries:
        if (
            isinstance(entry, data.Transaction)
            and entry.date < start
            and not coop.is_opening(entry)
        ):
            raise PeriodeDitutup(
                f"Buku kkmp dimulai {start:%d-%m-%Y}; tidak ada catatan bertanggal "
                f"{entry.date:%d-%m-%Y} kecuali saldo awal (kkmp saldo-awal)."
            )


def _require_sound(book: Book) -> None:
    """Nothing is written to books that are already wrong: beancount errors, or a document
    number used twice (two copies merged through git, #22)."""
    if book.errors:
        shown = "\n".join(str(f) for f in book.findings()[:5])
        raise BukuBermasalah(
            "Buku besar sudah bermasalah, jadi tidak ada yang ditulis. "
            f"Jalankan 'kkmp periksa' dan perbaiki dulu:\n{shown}"
        )
    twins = book.duplicate_ids()
    if twins:
        raise BukuBermasalah(
            f"Nomor bukti {', '.join(twins[:5])} dipakai lebih dari sekali (dua salinan buku "
            "digabung?), jadi tidak ada yang ditulis. Jalankan 'kkmp periksa' dan betulkan "
            "dulu; lihat README, bagian dua bendahara."
        )
    twice = sorted(invariants.registered_twice(book))
    if twice:
        raise BukuBermasalah(
            f"Nomor anggota {', '.join(twice[:5])} didaftarkan lebih dari sekali (dua salinan "
            "buku digabung tanpa kode perangkat?), jadi tidak ada yang ditulis. Jalankan 'kkmp "
            "periksa' dan betulkan dulu; lihat README, bagian dua bendahara."
        )


class Session:
    """One writing command: holds the lock, the loaded Book and the staged file edits."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        loaded = ledger.load(paths)
        # The session hands out the document numbers, not the Book (#19).
        self.numbering = ledger.Numbering(loaded.config.loket.perangkat)
        self.book: Book = loaded.numbered(self.numbering)
        self._include = list(self.book.options["include"])
        self._loaded_hash = ledger.input_hash({"include": self._include})
        self._lines: dict[Path, FileLines] = {}
        self._new_files: list[Path] = []
        self._files: dict[Path, tuple[str, int]] = {}
        # What the commit records, for its intent file: the first entry and how many (the
        # planned entries themselves are not kept, #16).
        self._recorded: data.Transaction | data.Custom | None = None
        self._recorded_count = 0
        self._cache_ok = True
        self._sound = False
        # Per day: how many of its entries are grouped by `_shape`, the last of them, and the
        # groups (#16: a thousand members registered on one day are not grouped again for each).
        self._day_shapes: dict[dt.date, tuple[int, data.Directive | None, _Shapes]] = {}
        self._old_main = ""
        # The values the staged entries share, from their parse to their booking and the
        # cache's settled part (#16).
        self._shared = ledger.Shared()
        self._classed = False
        self._start: dt.date | None = None

    # --- working copies of the files ---

    def _target(self, entry: data.Directive) -> Path:
        place = self._place(entry)
        return self.paths.chart if place is None else self.paths.year_file(place)

    def _place(self, entry: data.Directive) -> int | None:
        """The book year whose file `entry` goes to; None: the chart file."""
        if _is_chart_directive(entry):
            return None
        # The opening balances may be dated the day before the books start (#22): they live
        # at the head of the first book year's file, not in a file of a year never kept here.
        if self._start is None:
            self._start = coop.books_start(self.book)
        return max(entry.date, self._start).year

    def _working(self, path: Path) -> FileLines:
        if path not in self._lines:
            if path.exists() and not self._included(path):
                raise BukuBermasalah(
                    f"Berkas {path} ada tetapi tidak dimuat oleh {ledger.MAIN_FILE}, jadi tidak "
                    "ada yang ditulis ke sana. Jalankan 'kkmp periksa'; masukkan berkas itu "
                    f"(include) ke {ledger.MAIN_FILE} atau pindahkan dari folder koperasi."
                )
            if path.exists():
                self._lines[path] = FileLines(path.read_text(encoding="utf-8"))
            else:
                title = (
                    f"Jurnal tahun buku {path.stem} {self.book.config.nama}. "
                    "Dicatat dengan kkmp: jangan diubah dengan tangan."
                )
                self._lines[path] = FileLines.of(printer.file_header(title))
                self._new_files.append(path)
        return self._lines[path]

    def _included(self, path: Path) -> bool:
        real = os.path.realpath(path)
        return any(os.path.realpath(f) == real for f in self._include)

    @staticmethod
    def _insertion_index(lines: FileLines, date: dt.date) -> int:
        """Index of the first directive line dated after `date` (or the end): keeps date order.

        The file is in date order, so a binary search over line positions finds it; each probe
        walks forward to the next directive line (a handful of posting and meta lines). A date
        after the first directive of the lines split already is searched among them only."""
        key = date.isoformat()
        count = len(lines)

        def next_directive(i: int) -> tuple[str | None, int]:
            while i < count:
                line = lines[i]
                if line[:1].isdigit() and len(line) >= 10 and line[4] == "-":
                    return line[:10], i
                i += 1
            return None, count

        lo, hi = 0, count
        # Written after the lines still held as one text (nearly always): searched no further.
        if lines.settled and (found := next_directive(lines.settled)[0]) and found <= key:
            lo = lines.settled
        while lo < hi:
            mid = (lo + hi) // 2
            found, _ = next_directive(mid)
            if found is None or found > key:
                hi = mid
            else:
                lo = mid + 1
        return next_directive(lo)[1]

    @staticmethod
    def _directive_date(lines: FileLines, index: int) -> str | None:
        """The date of the directive starting at `index` (None at the end of the file)."""
        if index >= len(lines):
            return None
        return lines[index][:10]

    def _relocated(self, book: Book, shifts: list[tuple[Path, int, int]]) -> Book:
        """`book` with the line numbers of its entries after each insertion moved down, as a
        new Book: line numbers are what `periksa` points at and what the cache must match, and
        the Book that was planned against stays as it was (#19)."""
        moves: dict[str, list[tuple[int, int]]] = {}
        for path, index, delta in shifts:
            moves.setdefault(str(ledger.abspath(path)), []).append((index, delta))
        movers = {name: _line_mover(steps) for name, steps in moves.items()}

        def moved(meta: dict[str, Any], mover: Callable[[int], int]) -> dict[str, Any]:
            line = meta.get("lineno", 0)
            new = mover(line)
            return {**meta, "lineno": new} if new != line else meta

        entries = []
        # Only the entries in memory: lines move in the files being written, never in a
        # sealed year's file (#16).
        for entry in book.live_entries:
            mover = movers.get(entry.meta.get("filename"))  # type: ignore[arg-type]
            if mover and (meta := moved(entry.meta, mover)) is not entry.meta:
                if isinstance(entry, data.Transaction):
                    postings = [
                        p._replace(meta=moved(p.meta, mover)) if p.meta else p
                        for p in entry.postings
                    ]
                    entry = entry._replace(meta=meta, postings=postings)
                else:
                    entry = entry._replace(meta=meta)  # type: ignore[assignment]
            entries.append(entry)
        return book.relocated(entries)

    # --- staging ---

    def stage(self, entries: Sequence[data.Directive]) -> list[data.Directive]:
        """Validate planned entries against the ledger and keep them for `flush`.

        Returns the entries as beancount parsed and booked them from the rendered text.
        """
        book = self.book
        if not entries:
            return []
        # Who recorded it (#15): the one place every writing command's transactions pass.
        entries = officer.stamp(entries, self.paths.root, required=book.config.petugas_wajib)
        self._require_sound_once()
        if not self._classed:
            # A ledger made by an older kkmp: its accounts get their classes in this commit.
            self._classed = True
            self.amend(coop.unclassed_opens(book))
            book = self.book
        entries = coop.complete(book, list(entries))
        reopened = coop.reopened_opens(book, entries)
        if reopened:  # a year reopened after kkmp opened an account on first use (#12)
            self.amend(reopened, redate=True)
            book = self.book
        # An entry written before the day up to which the cache settled the books moves the
        # line numbers of settled entries: those are read first (#16).
        dated = [e.date for e in entries if not _is_chart_directive(e)]
        if dated:
            book.reach(min(dated))
        closed = book.closed_years()
        for entry in entries:
            if entry.date.year in closed:
                raise PeriodeDitutup(
                    f"Tahun buku {entry.date.year} sudah ditutup; tidak ada catatan baru "
                    f"bertanggal {entry.date:%d-%m-%Y}. Gunakan tanggal di tahun yang masih terbuka."
                )

        _require_within_books(book, entries)
        safedates.require(book, entries)
        invariants.require_planned(book, entries)
        # Before beancount's own check of inactive accounts, and after kkmp's rules that say
        # more (a member who left, a closed year).
        coop.require_open(book, entries)
        recorded = [e for e in entries if isinstance(e, data.Transaction | data.Custom)]
        first = recorded[0] if recorded else None
        count = len(recorded)
        del recorded
        edits: list[tuple[Path, int, int]] = []
        shifts: list[tuple[Path, int, int]] = []
        pending = sorted(entries, key=lambda e: e.date)
        # From here the planned entries are held by `pending` only, and each leaves it once
        # its text is proven (#16: an import of 10 000 rows held them to the end, with the
        # parsed and the booked ones).
        del entries
        shared = self._shared
        try:
            parsed_all = self._write_blocks(pending, edits, shifts, shared)
        except BaseException:
            self._undo(edits)
            raise
        # A balance assertion, a pad, or a close (later postings may use the account) can only
        # be judged against the whole ledger.
        needs_full = any(isinstance(e, data.Balance | data.Pad | data.Close) for e in parsed_all)

        try:
            # Balance assertions and pads are checked by beancount's full load only. The
            # incremental booking takes the parsed entries over (`parsed_all` is emptied as
            # they are booked): the booked ones stand for them from here.
            booked = None if needs_full else self._validate(parsed_all, shared)
            shared.drop_texts()
            if booked is None:
                # The full validation parses the files as they will be written: its Book's
                # line numbers are true, so the cache written from it stays good (a closing
                # no longer leaves the next command a full parse).
                self.book = self._full_validation()
                staged: list[data.Directive] = parsed_all
            else:
                base = self._relocated(book, shifts) if shifts else book
                self.book = base.extended(booked)
                staged = booked
            # kkmp's own rules over the whole timeline (cash, receivables, exits, closes).
            invariants.require(self.book, staged)
        except BaseException:
            self._undo(edits)
            self.book = book
            raise
        if first is not None:
            if self._recorded is None:
                self._recorded = first
            self._recorded_count += count
        if booked is None:
            # Return the entries as the full load booked them (interpolated, lots chosen).
            where = {(e.meta["filename"], e.meta["lineno"]) for e in parsed_all}
            booked = [
                e
                for e in self.book.entries
                if (e.meta.get("filename"), e.meta.get("lineno")) in where
            ]
        return booked

    def _write_blocks(
        self,
        pending: list[data.Directive],
        edits: list[tuple[Path, int, int]],
        shifts: list[tuple[Path, int, int]],
        shared: ledger.Shared,
    ) -> list[data.Directive]:
        """Render `pending` (date-ordered; emptied as it goes) into the working files, each
        entry proven by parsing its text back; returns the parsed entries, their values
        shared into `shared`. `edits` gets every block written (to undo them), `shifts` those
        that moved later lines."""
        parsed_all: list[data.Directive] = []
        while pending:
            # Entries that go to the same place are rendered and parsed back together, a few
            # hundred at a time (the same text as in one go: each entry's text is its own, and
            # a block that leaves the parser in another state is refused).
            place = self._place(pending[0])
            path = self._target(pending[0])
            lines = self._working(path)
            index = self._insertion_index(lines, pending[0].date)
            # Every later entry dated before the directive found there goes there too.
            boundary = self._directive_date(lines, index)
            j = 1
            while (
                j < min(len(pending), PARSE_BACK_MAX)
                and self._place(pending[j]) == place
                and (boundary is None or pending[j].date.isoformat() < boundary)
            ):
                j += 1
            group = pending[:j]
            del pending[:j]
            block = printer.render_many(group).split("\n")[:-1]
            parsed = self._parse_back(path, index, block, group)
            del group
            # Proven equal to the plan: its equal values are made one object each before the
            # next block is parsed (#16, as `ledger.share_values` after a full parse).
            ledger.share_values(parsed, shared)
            lines[index:index] = block
            if index + len(block) != len(lines):
                # Older entries' line numbers move: all moved at once, after the blocks.
                shifts.append((path, index, len(block)))
            edits.append((path, index, len(block)))
            parsed_all += parsed
        return parsed_all

    def amend(self, opens: Sequence[data.Open], *, redate: bool = False) -> None:
        """Rewrite open directives already in the ledger with new metadata (same account, date
        and currencies), in place, in this session's commit; the book is reloaded whole.
        `redate` also lets the date move earlier (the opening balances dated the day before the
        books start need their accounts open that day)."""
        if not opens:
            return
        by_file: dict[Path, list[tuple[int, data.Open]]] = {}
        for new in opens:
            old = self.book.opens()[new.account]
            moved = redate and new.date < old.date
            if (old.currencies, old.booking) != (new.currencies, new.booking) or (
                old.date != new.date and not moved
            ):
                raise ValueError(f"only the metadata of an open directive changes: {new.account}")
            path = Path(str(old.meta["filename"]))
            by_file.setdefault(path, []).append((int(old.meta["lineno"]) - 1, new))
        changed = False
        for path, found in by_file.items():
            lines = self._working(path)
            # From the bottom up, so the line numbers of the ones above stay true.
            for index, new in sorted(found, key=lambda f: f[0], reverse=True):
                head = f"{self.book.opens()[new.account].date} open {new.account}"
                line = lines[index] if index < len(lines) else ""
                if not line.startswith(head) or line[len(head) : len(head) + 1] not in ("", " "):
                    continue  # written by hand in another shape: left as it is
                end = index + 1
                while end < len(lines) and lines[end].startswith((" ", "\t")):
                    end += 1
                block = printer.render(new).rstrip("\n").split("\n")
                self._parse_back(path, index, block, [new])
                lines[index:end] = block
                changed = True
        if changed:
            self._cache_ok = False
            self.book = self._full_validation()

    def _parse_back(
        self, path: Path, index: int, block: list[str], planned: list[data.Directive]
    ) -> list[data.Directive]:
        """Parse the rendered text as beancount will, and insist it is exactly the plan."""
        parsed, errors = _parse_block("\n".join(block), str(ledger.abspath(path)), index + 1)
        parsed = sorted(parsed, key=lambda e: e.meta["lineno"])  # the parser sorts by date/type
        if (
            errors
            or len(parsed) != len(planned)
            or not all(_same(a, b) for a, b in zip(parsed, planned, strict=True))
        ):
            raise PenulisanDitolak(
                "Catatan tidak dapat ditulis dengan aman (teksnya tidak terbaca kembali "
                "sama persis). Periksa nama dan keterangan yang dimasukkan."
            )
        return list(parsed)

    def _undo(self, edits: list[tuple[Path, int, int]]) -> None:
        for path, index, length in reversed(edits):
            del self._lines[path][index : index + length]

    def _require_sound_once(self) -> None:
        """The books as loaded are sound (what this session stages is validated as staged)."""
        if not self._sound:
            _require_sound(self.book)
            self._sound = True

    def _shapes_on(self, book: Book, date: dt.date) -> _Shapes:
        """The day's entries by `_shape`, grouping only those added since the last time (a
        day's entries only grow within a session, in order; else all are grouped again)."""
        day = book.on_date(date)
        done, last, index = self._day_shapes.get(date, (0, None, {}))
        if done > len(day) or (done and day[done - 1] is not last):
            done, index = 0, {}
        for o in day[done:]:
            index.setdefault(_shape(o), []).append(o)
        self._day_shapes[date] = (len(day), day[-1] if day else None, index)
        return index

    # noqa below: the one named exception to the complexity ceiling (#19): it chooses between
    # incremental booking and a full reload in one place, on purpose, until the writer is split.
    def _validate(  # noqa: C901
        self, parsed: list[data.Directive], shared: ledger.Shared
    ) -> list[data.Directive] | None:
        """Book and validate on top of the ledger; None when only a full reload can tell.
        `parsed` had its values shared into `shared`."""
        book = self.book
        accounts = {
            p.account for e in parsed if isinstance(e, data.Transaction) for p in e.postings
        }
        dated = [e.date for e in parsed if isinstance(e, data.Transaction)]
        earliest = min(dated) if dated else max(e.date for e in parsed)
        # beancount's balance of an account counts its sub-accounts: a posting to Aset:Bank:BRI
        # moves what a balance of Aset:Bank asserts (#10: a back-dated one broke it unseen).
        counted = {":".join(a.split(":")[:i]) for a in accounts for i in range(1, a.count(":") + 2)}
        for account in counted:
            sensitive = book.last_sensitive_date(account)
            # Same-day entries are booked in file order and ours go last: only a later date matters.
            if sensitive is not None and sensitive > earliest:
                # A later balance assertion or lot movement: book the whole ledger again.
                return None
        # `parsed` is taken over: each entry leaves it as it is booked, and the booked ones
        # share their equal values (#16: an import held both versions of 10 000 entries).
        booked, errors = ledger.book_entries(book, parsed, consume=True)
        ledger.share_values(booked, shared, booked=True)
        keys = set(accounts)
        for entry in booked:
            if isinstance(entry, data.Open | data.Close):
                keys.add(entry.account)
            elif isinstance(entry, data.Commodity):
                keys.add(entry.currency)
        existing = book.account_directives(keys)
        checked = sorted([*existing, *booked], key=data.entry_sortkey)
        for check in _INCREMENTAL_VALIDATIONS:
            errors.extend(check(checked, book.options))
        # noduplicates compares entries without their metadata; hash only where a twin can be.
        by_shape: dict[tuple[Any, ...], list[data.Directive]] = {}
        for e in booked:
            by_shape.setdefault((e.date, *_shape(e)), []).append(e)
        old_shapes: dict[dt.date, _Shapes] = {}
        for (date, *shape), group in by_shape.items():
            if date not in old_shapes:
                old_shapes[date] = self._shapes_on(book, date)
            olds = old_shapes[date].get(tuple(shape), [])
            if not olds and len(group) == 1:
                continue
            hashes = {compare.hash_entry(e, exclude_meta=True) for e in group}
            if len(hashes) != len(group):
                raise PenulisanDitolak("Dua catatan yang sama persis direncanakan sekaligus.")
            for old in olds:
                if compare.hash_entry(old, exclude_meta=True) in hashes:
                    doc = old.meta.get("id", old.meta.get("lineno"))
                    raise PenulisanDitolak(
                        f"Transaksi yang sama persis sudah tercatat ({doc}, {date:%d-%m-%Y}). "
                        "Bila ini memang transaksi lain, bedakan dengan nomor nota atau bukti "
                        "fisiknya, atau dengan keterangannya.",
                        conflict=str(doc),
                    )
        if errors:
            raise PenulisanDitolak(
                "Catatan ditolak oleh pemeriksaan beancount; tidak ada yang ditulis:\n"
                + "\n".join(f"- {_short(e)}" for e in errors[:5])
            )
        return booked

    def _full_validation(self) -> Book:
        """Load a temporary copy of the ledger with the staged edits; the slow but total check."""
        root = self.paths.root
        with tempfile.TemporaryDirectory(prefix="kkmp-periksa-") as tmp:
            tmp_root = Path(tmp)
            for source in self._ledger_files():
                rel = source.relative_to(root)
                (tmp_root / rel).parent.mkdir(parents=True, exist_ok=True)
                if source not in self._lines:
                    shutil.copyfile(source, tmp_root / rel)
            for path, content in self._contents().items():
                rel = path.relative_to(root)
                (tmp_root / rel).parent.mkdir(parents=True, exist_ok=True)
                (tmp_root / rel).write_bytes(content)
            entries, errors, options = ledger.load_files(tmp_root / ledger.MAIN_FILE)
            if errors:
                raise PenulisanDitolak(
                    "Catatan ditolak oleh pemeriksaan beancount; tidak ada yang ditulis:\n"
                    + "\n".join(f"- {_short(e)}" for e in errors[:5])
                )
            prefix, real = str(ledger.abspath(tmp_root)), str(ledger.abspath(root))
            for entry in entries:
                _remap(entry.meta, prefix, real)
                if isinstance(entry, data.Transaction):
                    for posting in entry.postings:
                        _remap(posting.meta, prefix, real)
            options["include"] = [f.replace(prefix, real, 1) for f in options["include"]]
            if isinstance(options.get("filename"), str):
                options["filename"] = options["filename"].replace(prefix, real, 1)
        return Book(self.paths, self.book.config, entries, [], options, self.numbering)

    def _ledger_files(self) -> list[Path]:
        files = [self.paths.main, self.paths.chart]
        files += sorted((self.paths.root / ledger.JOURNAL_DIR).glob("*.beancount"))
        return [f for f in files if f.exists()]

    def _contents(self) -> dict[Path, bytes]:
        """The files as this session would write them, in UTF-8."""
        # Blocks are rendered canonical; the rest of each file is left exactly as it was.
        texts = {path: lines.data() for path, lines in self._lines.items()}
        main = self.paths.main
        self._old_main = main.read_text(encoding="utf-8") if main.exists() else ""
        # A main file written by a kkmp before #14 lacks the earnings and Fava lines: rewritten.
        dated = main.exists() and printer.FAVA_LINES[0] not in self._old_main
        if self._new_files or dated:
            includes = [ledger.CHART_FILE] + sorted(
                {
                    f"{ledger.JOURNAL_DIR}/{p.name}"
                    for p in [*self._ledger_files(), *self._new_files]
                    if p.parent.name == ledger.JOURNAL_DIR
                }
            )
            texts[self.paths.main] = printer.main_file_text(self.book.config.nama, includes).encode(
                "utf-8"
            )
        return texts

    def retire(self, entries: Sequence[data.Directive]) -> None:
        """Take directives kkmp wrote out of their year file in this commit: the balances
        carried into the year after a year that is reopened (#11), which the adjustments would
        otherwise contradict (closing the year again carries them anew); the closes of a
        member's accounts when the koreksi of the exit makes the member active again (#17:
        beancount cannot reopen an account; the exit and its koreksi stay)."""
        for entry in sorted(entries, key=lambda e: int(e.meta["lineno"]), reverse=True):
            path = self.paths.year_file(entry.date.year)
            lines = self._working(path)
            start = int(entry.meta["lineno"]) - 1
            if not (0 <= start < len(lines) and lines[start].startswith(entry.date.isoformat())):
                raise PenulisanDitolak(
                    f"Baris {start + 1} {path} bukan catatan yang akan diangkat; tidak ada yang "
                    "ditulis. Jalankan 'kkmp periksa'."
                )
            end = start + 1
            while end < len(lines) and lines[end].startswith((" ", "\t")):
                end += 1
            if end < len(lines) and not lines[end].strip():
                end += 1
            del lines[start:end]
        # Lines were taken out: every later line number moved, so the ledger is read anew.
        self._cache_ok = False
        self.book = self._full_validation()

    def stage_file(self, path: Path, text: str, *, mode: int = 0o644) -> None:
        """Write a non-journal file (private member data, rat.yaml …) in the same commit as the
        journal: both change or neither. `mode` is for a new file; an existing one keeps its."""
        if path.suffix == ".beancount":
            raise ValueError(f"journal files are staged as entries, not text: {path}")
        self._files[path] = (text, mode)

    # --- writing ---

    def flush(self, *, dry_run: bool = False) -> None:
        """Write every staged edit in one all-or-nothing commit (the main file replaced last);
        `dry_run` (--coba) writes nothing and only says the book years the commit would start."""
        if dry_run:
            self._tell_new_years(dry_run=True)
            return
        if not self._lines and not self._files:
            return
        if ledger.input_hash({"include": self._include}) != self._loaded_hash:
            raise PenulisanDitolak(
                "Berkas buku besar diubah oleh program lain selama perintah berjalan; "
                "tidak ada yang ditulis. Ulangi perintahnya."
            )
        texts = self._contents()
        order = sorted(texts, key=lambda p: p == self.paths.main)
        about = _about(self._recorded, self._recorded_count)
        fsutil.commit(
            self.paths.root,
            {**self._files, **{path: (texts[path], 0o644) for path in order}},
            about=about,
        )
        self._tell_new_years()
        if self._new_files:
            # As beancount lists them (sorted), before the cache is written for them.
            self.book.options["include"] = sorted(
                {*self.book.options["include"], *[str(ledger.abspath(p)) for p in self._new_files]}
            )
        journal = bool(self._lines)
        # What the cache needs of the texts written, so that they and the files' lines are
        # let go before it is made (#16: an import's text was held twice while it pickled).
        main_changed = journal and self._main_changed(texts)
        written = self._written_digests(texts) if journal else {}
        del texts
        self._lines.clear()
        if journal:
            try:
                self._write_cache(main_changed, written)
            except OSError:
                pass  # the commit stands; a cache not refreshed is not used (content-keyed)
        self._new_files.clear()
        self._files.clear()
        self._recorded, self._recorded_count = None, 0
        self._include = list(self.book.options["include"])
        self._loaded_hash = ledger.input_hash({"include": self._include})

    def _tell_new_years(self, *, dry_run: bool = False) -> None:
        """The first entry of a book year is never written silently (#22): a typed year goes
        into a file of its own, which the treasurer is told of."""
        for path in self._new_files:
            if dry_run:
                said = (
                    f"tahun buku {path.stem} akan dimulai: berkas baru {path} akan dibuat "
                    "(--coba: belum ditulis)."
                )
            else:
                said = f"tahun buku {path.stem} dimulai: berkas baru {path} dibuat."
            warnings.warn(TahunBukuBaru(said), stacklevel=3)

    def _main_changed(self, texts: dict[Path, bytes]) -> bool:
        """Whether the main file was rewritten with more than its include lines (an older
        kkmp's main file brought up to date): its new directives are not in the Book, so the
        Book cannot be cached as the files' content."""
        if self.paths.main not in texts:
            return False

        def kept(text: str) -> list[str]:
            return [line for line in text.splitlines() if not line.startswith("include ")]

        return kept(texts[self.paths.main].decode("utf-8")) != kept(self._old_main)

    def _written_digests(self, texts: dict[Path, bytes]) -> dict[str, str]:
        """The content digest of each file this commit wrote, by its name in the folder."""
        root = ledger.abspath(self.paths.root)
        return {
            os.path.relpath(ledger.abspath(path), root): ledger.content_digest(content)
            for path, content in texts.items()
        }

    def _digests(self, written: dict[str, str]) -> dict[str, str] | None:
        """The content digest of every file of the books as this commit left them: the files written
        from their text (`written`), the others as the load found them (#16: a sealed year is
        not read again). A file changed by hand meanwhile no longer matches, so the cache is
        not used."""
        included = [Path(f) for f in self.book.options["include"]]
        known = self.book.digests
        if known is None:
            return ledger.file_digests(self.paths, included)
        root = ledger.abspath(self.paths.root)
        names = {os.path.relpath(ledger.abspath(f), root) for f in included}
        digests = {name: sha for name, sha in known.items() if name in names}
        digests.update(written)
        if set(digests) != names:
            return ledger.file_digests(self.paths, included)
        return digests

    def _write_cache(self, main_changed: bool, written: dict[str, str]) -> None:
        """Refresh kkmp's cache (keyed by the files' content) and, for bean-check and Fava,
        beancount's own pickle cache, so the next command need not re-parse. With the closed
        years not loaded (#16) only kkmp's cache is refreshed: beancount's is dropped."""
        cache = self.paths.cache()
        if not self._cache_ok or self.book.globbed or main_changed:
            ledger.drop_cache(self.paths)
            cache.unlink(missing_ok=True)
            return
        options = self.book.options
        options["input_hash"] = ledger.input_hash(options)
        digests = self._digests(written)
        if digests is None:
            ledger.drop_cache(self.paths)
            return
        self.book.digests = digests
        if (settled := ledger.store(self.book, digests, self._shared)) is not None:
            self.book.adopt(*settled)
        if self.book.sealed is not None:
            cache.unlink(missing_ok=True)
            return
        with ledger.no_gc():
            payload = pickle.dumps((self.book.entries, [], options), pickle.HIGHEST_PROTOCOL)
        ledger.write_bytes(cache, payload)


# beancount's own messages that a command can meet, said in Indonesian for the treasurer.
_BEANCOUNT_SAYS = (
    (
        regex.compile(r"Invalid reference to inactive account '([^']+)'"),
        r"akun \1 belum dibuka atau sudah ditutup pada tanggal itu",
    ),
    (
        regex.compile(
            r"(?:Not enough lots to reduce|No position matches).*?([A-Z][A-Z0-9'._-]+)?$"
        ),
        "persediaan barang tidak cukup pada tanggal itu (periksa tanggal pembelian dan penjualan)",
    ),
    (
        regex.compile(r"Balance failed for '([^']+)'.*"),
        r"saldo \1 tidak sama dengan saldo yang sudah ditegaskan (rekonsiliasi bank, saldo "
        "awal tahun atau opname; saldo sebuah akun mencakup sub-akunnya)",
    ),
    (regex.compile(r"Transaction does not balance.*"), "transaksi tidak seimbang"),
    (
        regex.compile(r"Too many missing numbers.*"),
        "harga pokok tidak dapat ditentukan (belum ada persediaan pada tanggal itu)",
    ),
)


def _short(error: Any) -> str:
    """An error's message, one line, in Indonesian where kkmp knows it, without beancount's
    repr of the whole entry."""
    message = str(getattr(error, "message", error)).split("\n")[0]
    message = message.split(": Transaction(")[0]
    for pattern, said in _BEANCOUNT_SAYS:
        if (m := pattern.search(message)) is not None:
            return m.expand(said)
    return message if len(message) <= 200 else message[:200] + "…"


def _remap(meta: dict[str, Any] | None, prefix: str, real: str) -> None:
    if meta and isinstance(meta.get("filename"), str) and meta["filename"].startswith(prefix):
        meta["filename"] = real + meta["filename"][len(prefix) :]


def _about(first: data.Transaction | data.Custom | None, count: int) -> str | None:
    """What a commit records, in a few words for its intent file (said to the treasurer if
    the commit is ever dropped, `fsutil.recover`): the first entry, and how many more."""
    if first is None:
        return None
    if isinstance(first, data.Transaction):
        what = (first.narration or "") + (f" - {first.payee}" if first.payee else "")
    else:
        what = " ".join([first.type, *(str(v.value) for v in first.values)])
    more = f" dan {count - 1} catatan lain" if count > 1 else ""
    return f"{dates.fmt(first.date)} {what}{more}"


@contextmanager
def session(paths: Paths) -> Iterator[Session]:
    """Lock the cooperative, load its book and yield a Session; unflushed edits are dropped."""
    with ledger.locked(paths):
        # A multi-file write cut short by a crash is finished before anything is read.
        fsutil.recover(paths.root)
        # A writing command builds many short-lived objects and no garbage cycles worth chasing.
        with ledger.no_gc():
            yield Session(paths)
