"""Finding and founding a cooperative's folder (koperasi.yaml, buku.beancount, akun, jurnal)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from beancount.core import data

from kkmp_cli import chart
from kkmp_cli.core import config, fsutil, ledger, printer
from kkmp_cli.core.ledger import Paths
from kkmp_cli.errors import (
    FolderSudahAda,
    KonfigurasiSalah,
    KoperasiTidakDitemukan,
    TanggalTidakValid,
)

ENV_VAR = "KKMP_KOPERASI"
LEDGERS_DIR = "ledgers"

GITIGNORE = """\
# Dibuat oleh kkmp. Data pribadi anggota dan berkas sementara tidak masuk git.
pribadi/
*.picklecache
*.picklecache.tmp
.kkmp.lock
.kkmp-transaksi
.*.tmp
laporan/
cetak/
.kkmp-perangkat
"""


# Two laptops appending to the same journal through git (#22): journals merge by whole
# directives with kkmp's merge driver (`kkmp git pasang` sets it up; without it git's own
# merge marks a clash instead of guessing: never `union`, which can interleave two entries),
# and document numbers carry each laptop's code so they never clash.
MERGE_DRIVER = "kkmp-jurnal"
GITATTRIBUTES = f"""\
# Dibuat oleh kkmp: catatan dua laptop yang digabung lewat git disimpan keduanya, utuh per
# transaksi (driver '{MERGE_DRIVER}' dipasang oleh 'kkmp git pasang').
jurnal/*.beancount merge={MERGE_DRIVER}
akun.beancount merge={MERGE_DRIVER}
cetak.log merge=union
"""


def locate(explicit: str | os.PathLike[str] | None, cwd: Path | None = None) -> Paths:
    """The cooperative to work on: -k DIR, else $KKMP_KOPERASI, else ., else the only one in ledgers/."""
    cwd = cwd or Path.cwd()
    chosen = explicit or os.environ.get(ENV_VAR)
    if chosen:
        root = Path(chosen)
        if not (root / config.CONFIG_NAME).exists():
            raise KoperasiTidakDitemukan(
                f"Folder koperasi '{root}' tidak ditemukan atau tidak berisi {config.CONFIG_NAME}. "
                "Buat dulu dengan 'kkmp init FOLDER --nama NAMA'."
            )
        # Absolute, as beancount names the files in every entry: one name per file (a folder
        # given relative to the working directory made the writer keep two copies of a file).
        return Paths(Path(os.path.abspath(root)))
    if (cwd / config.CONFIG_NAME).exists():
        return Paths(cwd)
    found = sorted(p.parent for p in (cwd / LEDGERS_DIR).glob(f"*/{config.CONFIG_NAME}"))
    if len(found) == 1:
        return Paths(found[0])
    if not found:
        raise KoperasiTidakDitemukan(
            "Tidak ada koperasi di sini. Pilih dengan -k FOLDER (atau KKMP_KOPERASI), "
            "atau buat dengan 'kkmp init ledgers/NAMA --nama \"NAMA KOPERASI\"'."
        )
    names = ", ".join(str(p.relative_to(cwd)) for p in found)
    raise KoperasiTidakDitemukan(
        f"Ada {len(found)} koperasi di {LEDGERS_DIR}/: {names}. Pilih salah satu dengan -k FOLDER."
    )


def chart_open(acc: chart.Account, start: dt.date) -> data.Open:
    """A chart account's open directive, with its code, label, golongan and arus-kas class."""
    meta = {
        "kode": acc.kode,
        "keterangan": acc.description,
        chart.GOLONGAN_KEY: acc.golongan,
        chart.ARUS_KAS_KEY: acc.arus_kas,
    }
    return data.Open(data.new_metadata("<kkmp>", 0, meta), start, acc.name, [ledger.CURRENCY], None)


def chart_opens(start: dt.date) -> list[data.Open]:
    return [chart_open(acc, start) for acc in chart.CHART if not acc.per_member and not acc.on_use]


OPENING = "saldo-awal"  # the `jenis` of the opening balances' entry (`kkmp saldo-awal`)


def is_opening(entry: data.Transaction) -> bool:
    """Whether `entry` belongs to the opening balances (#22): the saldo awal entry itself, or
    what other commands set against Ekuitas:Saldo-Awal on its day (a running loan of the older
    books, an asset owned before them)."""
    return entry.meta.get("jenis") == OPENING or any(
        p.account == chart.SALDO_AWAL for p in entry.postings
    )


def first_day(book: ledger.Book) -> dt.date:
    """The first day of the books: 1 January of tahun_buku (koperasi.yaml), the first book
    year. Opening balances dated the day before carry the older books in; they make no book
    year of their own (#22)."""
    return dt.date(book.config.tahun_buku, 1, 1)


def books_start(book: ledger.Book) -> dt.date:
    """1 January of the first book year still open: where accounts opened later start, so a
    back-dated entry in an open year never meets an account that 'did not exist yet'."""
    closed = book.closed_years()
    year = first_day(book).year
    while year in closed:
        year += 1
    return dt.date(year, 1, 1)


def member_open_date(book: ledger.Book, joined: dt.date) -> dt.date:
    """When a member's later sub-account (loan, credit, SHU payable) opens: on joining, or at
    the start of the open books if the member joined in a closed year."""
    return max(joined, books_start(book))


def missing_chart_opens(book: ledger.Book) -> list[data.Open]:
    """Chart accounts added by a newer kkmp that this ledger has not opened yet."""
    opened = book.opens()
    return [o for o in chart_opens(books_start(book)) if o.account not in opened]


def reopened_opens(book: ledger.Book, entries: list[data.Directive]) -> list[data.Open]:
    """The ledger's opens to move back to the books' start for entries of a reopened year
    (adversarial review, #12). kkmp opens an account on first use from the first open year's
    1 January (`books_start`); once the year before is reopened (`tutup-buku --buka`), that day
    is no longer the books' start, and an entry of the reopened year met an account that 'did
    not exist yet'. Only an open on 1 January after a year that was sealed (so it may have been
    the books' start) moves; a member's sub-account (opened from joining) and a rekening
    (opened on the day the treasurer chose) keep their day."""
    start = books_start(book)
    opens = book.opens()
    sealed = {int(c.values[0].value) for c in book.customs(ledger.SEAL) if c.values}
    found: dict[str, data.Open] = {}
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.date < start:
            continue
        for p in entry.postings:
            old = opens.get(p.account)
            if (
                old is not None
                and old.date > max(entry.date, start)
                and (old.date.month, old.date.day) == (1, 1)
                and old.date.year - 1 in sealed
                and chart.split_member_account(p.account) is None
                and "rekening" not in old.meta  # accounts.cash.REKENING_KEY
            ):
                found.setdefault(p.account, old._replace(date=start))
    return list(found.values())


def require_open(book: ledger.Book, entries: list[data.Directive]) -> None:
    """Every account an entry posts to is open on its day: one sentence, instead of
    beancount's check of inactive accounts."""
    opens = book.opens()
    planned = {e.account: e for e in entries if isinstance(e, data.Open)}
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for p in entry.postings:
            opened = planned.get(p.account) or opens.get(p.account)
            if opened is not None and opened.date > entry.date:
                raise TanggalTidakValid(
                    f"Akun {p.account} baru dibuka {opened.date:%d-%m-%Y}; catatan bertanggal "
                    f"{entry.date:%d-%m-%Y} tidak dapat memakainya."
                )


class _Metas(Mapping[str, Mapping[str, Any]]):
    """Account → open metadata, looked up in the ledger's opens (and `planned`) when asked:
    not copied for every planned open (#16: a thousand members imported in one go)."""

    def __init__(self, book: ledger.Book, planned: dict[str, Mapping[str, Any]] | None = None):
        self._opens = book.opens()
        self._planned = planned or {}

    def __getitem__(self, account: str) -> Mapping[str, Any]:
        if account in self._planned:
            return self._planned[account]
        return self._opens[account].meta

    def __iter__(self) -> Iterator[str]:
        yield from self._planned
        yield from (a for a in self._opens if a not in self._planned)

    def __len__(self) -> int:
        return len(set(self._opens) | set(self._planned))


def _classed(open_: data.Open, metas: Mapping[str, Mapping[str, Any]]) -> data.Open:
    info = chart.describe(open_.account, metas)
    meta = {**open_.meta, chart.GOLONGAN_KEY: info.golongan, chart.ARUS_KAS_KEY: info.arus_kas}
    return open_._replace(meta=meta)


def unclassed_opens(book: ledger.Book) -> list[data.Open]:
    """The open directives of a ledger made by an older kkmp (or by hand) that lack golongan
    and arus-kas, with the class the chart (or the parent, or the root) gives them added: the
    writer rewrites them in place on the first writing command (#10)."""
    unclassed = book.unclassed_opens()
    if not unclassed:
        return []
    metas = _Metas(book)
    return [_classed(o, metas) for o in unclassed.values()]


def complete(book: ledger.Book, entries: list[data.Directive]) -> list[data.Directive]:
    """Planned entries as they are written: a chart account an entry uses but the ledger has
    not opened (the QRIS clearing account, an account added by a newer kkmp) is opened first,
    and every planned open directive carries its golongan and arus-kas class (#10)."""
    opened = book.opens()
    planned = {e.account for e in entries if isinstance(e, data.Open)}
    # From the books' start, or from the opening balances dated the day before (#22: a time
    # deposit's accrued interest carried over from the older books).
    missing: dict[str, dt.date] = {}
    start = books_start(book)
    for e in entries:
        if not isinstance(e, data.Transaction):
            continue
        for p in e.postings:
            if p.account not in opened and p.account not in planned:
                missing[p.account] = min(missing.get(p.account, start), e.date)
    extra: list[data.Directive] = [
        chart_open(chart.CHART_BY_NAME[a], day)
        for a, day in sorted(missing.items())
        if a in chart.CHART_BY_NAME and not chart.CHART_BY_NAME[a].per_member
    ]
    if not extra and not planned:
        return entries
    metas = _Metas(book, {e.account: e.meta for e in entries if isinstance(e, data.Open)})
    result = [*extra]
    for e in entries:
        if (
            isinstance(e, data.Open)
            and chart.needs_class(e.account)
            and not any(k in e.meta for k in chart.CLASS_META)
        ):
            e = _classed(e, metas)
        result.append(e)
    return result


def init(root: Path, nama: str, tahun: int, *, config_text: str | None = None) -> Paths:
    """Create a new cooperative folder in one all-or-nothing commit; refuses to touch an
    existing one."""
    paths = Paths(root)
    if paths.config.exists() or paths.main.exists():
        raise FolderSudahAda(f"Folder '{root}' sudah berisi koperasi; tidak ada yang ditimpa.")
    cfg_text = config_text or config.render_new(nama, tahun)
    with tempfile.TemporaryDirectory(prefix="kkmp-init-") as tmp:
        # Checked before anything is written: a wrong koperasi.yaml leaves no folder behind.
        draft = Path(tmp) / config.CONFIG_NAME
        draft.write_text(cfg_text, encoding="utf-8")
        try:
            cfg = config.load(Path(tmp))
        except KonfigurasiSalah as exc:
            raise KonfigurasiSalah(str(exc).replace(str(draft), str(paths.config))) from exc
    root.mkdir(parents=True, exist_ok=True)
    with ledger.locked(paths):
        fsutil.recover(root)
        if paths.config.exists() or paths.main.exists():
            raise FolderSudahAda(f"Folder '{root}' sudah berisi koperasi; tidak ada yang ditimpa.")
        files = {
            paths.config: cfg_text,
            root / config.RAT_NAME: config.RAT_TEMPLATE,
            root / ".gitignore": GITIGNORE,
            root / ".gitattributes": GITATTRIBUTES,
            paths.chart: printer.canonical(_chart_text(cfg.nama, start=dt.date(tahun, 1, 1))),
            paths.year_file(tahun): "\n".join(
                printer.file_header(
                    f"Jurnal tahun buku {tahun} {cfg.nama}. "
                    "Dicatat dengan kkmp: jangan diubah dengan tangan."
                )
            )
            + "\n",
            # Last: a folder whose main file exists is a cooperative.
            paths.main: printer.main_file_text(
                cfg.nama, [ledger.CHART_FILE, f"{ledger.JOURNAL_DIR}/{tahun}.beancount"]
            ),
        }
        fsutil.commit(root, {path: (text, 0o644) for path, text in files.items()})
    return paths


def _chart_text(nama: str, *, start: dt.date) -> str:
    text = "\n".join(printer.file_header(f"Bagan akun {nama}. Dikelola dengan kkmp.")) + "\n"
    return text + printer.render_many(chart_opens(start))


# --- receipts printed (#22): a reprint says so ---

PRINT_LOG = "cetak.log"


def note_printed(paths: Paths, doc_id: str, when: dt.datetime) -> int:
    """Record that a document's receipt was printed (under the lock; the log travels with the
    books in git) and return how many times it has been printed, this time included."""
    log = paths.root / PRINT_LOG
    with ledger.locked(paths):
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        count = sum(1 for line in text.splitlines() if line.split("\t", 1)[0] == doc_id) + 1
        fsutil.atomic_write(log, text + f"{doc_id}\t{when.isoformat(timespec='seconds')}\n")
    return count
