"""Safe dates (#22): a command given no date takes today only when today plainly belongs to
the open books; otherwise it is refused with the date it would have used. A date given far
after today (a mistyped year) is refused too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from beancount.core import data

from kkmp_cli import dates
from kkmp_cli.core.ledger import JOURNAL_DIR, Book
from kkmp_cli.errors import Finding, TanggalTidakValid


def open_years(book: Book) -> list[int]:
    """Book years with a journal file that are not closed."""
    years = set()
    for name in book.options.get("include", []):
        path = Path(name)
        if path.parent.name == JOURNAL_DIR and path.stem.isdigit():
            years.add(int(path.stem))
    return sorted(years - book.closed_years())


def require(book: Book, entries: Sequence[data.Directive]) -> None:
    """Refuse entries dated more than `loket.maju_hari_maks` days after today, and
    transactions dated today by default (no --tanggal) outside the open book years, or more
    than `loket.jarak_hari_maks` days after the last entry. Registrations without money (a
    gerai item, a member's register line) keep today's date as before."""
    _require_not_ahead(book, entries)
    _require_today_fits(book, entries)


def _require_not_ahead(book: Book, entries: Sequence[data.Directive]) -> None:
    """Every writing path passes here (the writer's `stage`): a typed date, an import row,
    the closing's 31-12, none may lie further ahead than the limit (#22: 2099 typed for 2026
    opened jurnal/2099.beancount without a word)."""
    limit = book.config.loket.maju_hari_maks
    if not limit:
        return
    today = dates.today()
    ahead = [
        day
        for e in entries
        if (day := _day(e)) - today > dt.timedelta(days=limit) and not _undoes_on_its_day(book, e)
    ]
    if ahead:
        raise TanggalTidakValid(
            f"Tanggal {dates.fmt(min(ahead))} lebih dari {limit} hari sesudah hari ini "
            f"{dates.fmt(today)} (batas {limit} hari di koperasi.yaml loket.maju_hari_maks), "
            "jadi tidak ada yang ditulis; periksa tanggalnya (tahunnya salah ketik?)."
        )


def _undoes_on_its_day(book: Book, entry: data.Directive) -> bool:
    """A koreksi dated on the day of the entry it takes back: the way out of an entry already
    dated ahead (written before the limit, or with it off), which `findings` names."""
    doc = entry.meta.get("koreksi") if isinstance(entry, data.Transaction) else None
    if not doc:
        return False
    return any(t.meta.get("id") == doc and t.date == entry.date for t in book.transactions())


def findings(book: Book) -> list[Finding]:
    """`periksa`: transactions dated further ahead of today than the limit allows and not
    taken back, each with the koreksi that takes it back on its own day (#22)."""
    limit = book.config.loket.maju_hari_maks
    if not limit:
        return []
    today = dates.today()
    edge = today + dt.timedelta(days=limit)
    txns = list(book.transactions())
    undone = {str(t.meta["koreksi"]) for t in txns if t.meta.get("koreksi")}
    found = []
    for txn in txns:
        doc = str(txn.meta.get("id", "?"))
        if txn.date <= edge or doc in undone or txn.meta.get("koreksi"):
            continue
        found.append(
            Finding(
                str(txn.meta.get("filename", "?")),
                int(txn.meta.get("lineno", 0) or 0),
                f"{doc} bertanggal {dates.fmt(txn.date)}, lebih dari {limit} hari sesudah hari ini "
                f"{dates.fmt(today)} (batas di koperasi.yaml loket.maju_hari_maks): tahunnya salah "
                f"ketik? Batalkan dengan 'kkmp koreksi {doc} --tanggal {dates.fmt(txn.date)} "
                '--alasan "tanggal salah"\', lalu catat lagi dengan tanggal yang benar',
            )
        )
    return found


def _day(entry: data.Directive) -> dt.date:
    """The day an entry speaks of: a balance assertion, dated the next morning, speaks of
    the evening before (`kas rekonsiliasi` of today is not ahead)."""
    if isinstance(entry, data.Balance):
        return entry.date - dt.timedelta(days=1)
    return entry.date


def _require_today_fits(book: Book, entries: Sequence[data.Directive]) -> None:
    defaulted = [
        e.date for e in entries if isinstance(e, data.Transaction) and dates.defaulted(e.date)
    ]
    if not defaulted:
        return
    today = min(defaulted)
    how = f"Sebutkan tanggalnya dengan --tanggal, mis. --tanggal {dates.fmt(today)}"
    years = open_years(book)
    if today.year not in years:
        shown = ", ".join(str(y) for y in years) or "belum ada"
        raise TanggalTidakValid(
            f"Tanpa --tanggal kkmp memakai hari ini, {dates.fmt(today)}, tetapi tahun {today.year} "
            f"bukan tahun buku yang terbuka ({shown}); tidak ada yang ditulis. {how} bila memang "
            f"mulai mencatat tahun buku {today.year}, atau tanggal di tahun buku yang terbuka."
        )
    gap = book.config.loket.jarak_hari_maks
    last = _last_entry_date(book, today)
    if gap and last is not None and (today - last).days > gap:
        raise TanggalTidakValid(
            f"Tanpa --tanggal kkmp memakai hari ini, {dates.fmt(today)}, padahal catatan terakhir "
            f"bertanggal {dates.fmt(last)} ({(today - last).days} hari sebelumnya, batas "
            f"{gap} hari di koperasi.yaml loket.jarak_hari_maks); tidak ada yang ditulis. {how} "
            "bila memang hari ini, atau tanggal transaksi yang sebenarnya."
        )


def _last_entry_date(book: Book, today: dt.date) -> dt.date | None:
    """The latest transaction dated up to today (a later-dated one does not count)."""
    # The entries in memory first: a closed year's are older than any of them (#16).
    for full in (False, True):
        for entry in reversed(book.entries if full else book.live_entries):
            if isinstance(entry, data.Transaction) and entry.date <= today:
                return entry.date
    return None
