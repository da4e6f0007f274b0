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


def stage_private(session: writer.Session, change: dict[str, dict[str, str] | None]) -> None:
    """Merge `change` (key → fields, or None to forget the key) into the private file and stage
    it into the session's commit; a NIK may belong to one active member only."""
    records = config.load_private(session.paths.root)
    for key, fields in change.items():
        if fields is None:
            records.pop(key, None)
        else:
            records[key] = {**records.get(key, {}), **fields}
    _require_one_member_per_nik(session.book, records, changed=set(change))
    config.save_private(session.paths.root, records, write=session.stage_file)


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
        stage_private(session, {members.nak_of(entries): dict(private or {})})

    plan = lambda b: members.add(b, nama, date, nak=nak, jenis_kelamin=jenis_kelamin)  # noqa: E731
    return record(paths, plan, dry_run=dry_run, also=also if private else None)


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
