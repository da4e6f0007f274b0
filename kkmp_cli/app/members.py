"""Use cases that change the register and the private member file together: the journal and
`pribadi/anggota.yaml` are read under one lock and committed as one (UU 27/2022 keeps NIK and
contact data out of the journal and out of git)."""

from __future__ import annotations

import datetime as dt

from beancount.core import data

from kkmp_cli.app.recording import record
from kkmp_cli.core import config, writer
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.errors import TeksTidakValid
from kkmp_cli.members import register as members
from kkmp_cli.outlet import trade as outlet

Result = tuple[Book, list[data.Directive]]


def stage_private(
    session: writer.Session,
    change: dict[str, dict[str, str] | None],
    *,
    replace: bool = False,
) -> None:
    """Merge `change` (key → fields, or None to forget the key) into the private file and stage
    it into the session's commit; `replace` puts the fields given in place of a key's record
    (a new registration). A NIK may belong to one active member only."""
    records = config.load_private(session.paths.root)
    updated = dict(records)
    for key, fields in change.items():
        if fields is None:
            updated.pop(key, None)
        else:
            updated[key] = dict(fields) if replace else {**updated.get(key, {}), **fields}
    if updated == records:
        return
    _require_one_member_per_nik(session.book, updated, changed=set(change))
    config.save_private(session.paths.root, updated, write=session.stage_file)


def stage_registered(
    session: writer.Session, naks: list[str], private: dict[str, dict[str, str]]
) -> None:
    """The private records of members just registered: what they gave, and nothing else. The
    private file is kept out of git, so a registration taken back with `git checkout` left its
    NIK under the number, and the next member given that number carried it (found by an
    adversarial review, #23)."""
    stage_private(session, {nak: private.get(nak) or None for nak in naks}, replace=True)


def stray_private(book: Book) -> list[str]:
    """Member numbers in the private file that the register does not know (a registration
    discarded from the journal, e.g. by `git checkout`)."""
    register, cancelled = members.register(book), members.cancelled(book)
    return sorted(
        key
        for key in config.load_private(book.paths.root)
        if members.looks_like_nak(key) and key not in register and key not in cancelled
    )


def _require_one_member_per_nik(
    book: Book, records: dict[str, dict[str, str]], *, changed: set[str]
) -> None:
    """One person, one member number: a NIK given to a new or corrected member must not be an
    active member's already (a registration, or a member sheet imported again after a phone
    number was corrected, found by an adversarial review, #16). A member who left may join
    again under a new number."""
    register = members.register(book)
    holders: dict[str, list[str]] = {}
    for key, fields in sorted(records.items()):
        member = register.get(key)
        nik = fields.get("nik") if isinstance(fields, dict) else None
        if nik and member is not None and member.keluar is None:
            holders.setdefault(str(nik), []).append(key)
    for nik, naks in holders.items():
        if len(naks) > 1 and changed & set(naks):
            new = next(n for n in naks if n in changed)
            other = next(n for n in naks if n != new)
            raise TeksTidakValid(
                f"NIK {nik[:6]}…{nik[-2:]} untuk {new} sudah dipakai anggota aktif {other} "
                f"({register[other].nama}); satu orang satu nomor anggota. Tidak ada yang dicatat."
            )


def register_member(
    paths: Paths,
    nama: str,
    date: dt.date,
    *,
    nak: str | None = None,
    jenis_kelamin: str | None = None,
    private: dict[str, str] | None = None,
    dry_run: bool = False,
) -> Result:
    """`anggota tambah`: the register line and sub-accounts, and the private fields if any."""

    def also(session: writer.Session, entries: list[data.Directive]) -> None:
        new = members.nak_of(entries)
        stage_registered(session, [new], {new: dict(private)} if private else {})

    plan = lambda b: members.add(b, nama, date, nak=nak, jenis_kelamin=jenis_kelamin)  # noqa: E731
    return record(paths, plan, dry_run=dry_run, also=also)


def correct_member(
    paths: Paths,
    nak: str,
    date: dt.date,
    *,
    nama: str | None = None,
    jenis_kelamin: str | None = None,
    private: dict[str, str] | None = None,
    dry_run: bool = False,
) -> tuple[Book, list[data.Directive], dict[str, str]]:
    """`anggota ubah`: a register correction (public fields in the journal, the names of the
    changed private fields too) and the new private values; returns what private data changed."""
    changed: dict[str, str] = {}

    def plan(b: Book) -> list[data.Directive]:
        current = config.load_private(b.paths.root).get(nak.strip().upper(), {})
        changed.update({k: v for k, v in (private or {}).items() if current.get(k) != v})
        return members.change(
            b, nak, date, nama=nama, jenis_kelamin=jenis_kelamin, pribadi=tuple(changed)
        )

    def also(session: writer.Session, entries: list[data.Directive]) -> None:
        if changed:
            stage_private(session, {members.get(session.book, nak).nak: changed})

    book, entries = record(paths, plan, dry_run=dry_run, also=also)
    return book, entries, changed


def cancel_member(
    paths: Paths, nak: str, date: dt.date, *, alasan: str, dry_run: bool = False
) -> tuple[Book, list[data.Directive], members.Member, bool]:
    """`anggota batal`: undo a registration without transactions and forget its private data;
    returns the member as registered and whether private data was removed."""
    before: list[members.Member] = []
    removed: list[bool] = []

    def plan(b: Book) -> list[data.Directive]:
        before.append(members.get(b, nak))
        return members.cancel(b, nak, date, alasan=alasan)

    def also(session: writer.Session, entries: list[data.Directive]) -> None:
        key = before[0].nak
        if key in config.load_private(session.paths.root):
            removed.append(True)
            stage_private(session, {key: None})

    book, entries = record(paths, plan, dry_run=dry_run, also=also)
    return book, entries, before[0], bool(removed)


def sell(
    paths: Paths, request: outlet.SaleRequest, *, nik: str | None = None, dry_run: bool = False
) -> Result:
    """`gerai jual`: a nota, and the buyer's NIK for subsidised goods kept with the sale's id."""

    def also(session: writer.Session, entries: list[data.Directive]) -> None:
        records = config.load_private(session.paths.root)
        sales = {**records.get("penjualan_nik", {}), str(entries[-1].meta["id"]): str(nik)}
        stage_private(session, {"penjualan_nik": sales})

    return record(
        paths, lambda b: outlet.sell(b, [request]), dry_run=dry_run, also=also if nik else None
    )
