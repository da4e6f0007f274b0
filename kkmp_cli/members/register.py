"""The member register (Buku Daftar Anggota): joining, leaving with settlement, statements."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from kkmp_cli import chart, dates, text
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import CURRENCY, Book
from kkmp_cli.errors import (
    AnggotaSudahAda,
    AnggotaTidakAktif,
    AnggotaTidakDikenal,
    KkmpError,
    TeksTidakValid,
)

CUSTOM_TYPE = "anggota"
UNDO_EXIT = "batal-keluar"  # the register line of a mistaken exit taken back (`koreksi`)
RECEIVABLE_PREFIX = "Aset:Piutang-"
# Fields of the register itself; contact data lives in pribadi/ and only its field names are
# journalled when it changes.
PUBLIC_FIELDS = ("nama", "jenis_kelamin")
PRIVATE_FIELDS = ("nik", "telepon", "alamat")


class TidakAdaPerubahan(KkmpError):
    """A correction that changes nothing."""


class AnggotaSudahBertransaksi(KkmpError):
    """A registration with transactions cannot be undone; the member leaves instead."""


@dataclass(frozen=True)
class Member:
    nak: str
    nama: str
    masuk: dt.date
    keluar: dt.date | None = None
    alasan_keluar: str | None = None
    jenis_kelamin: str | None = None

    def active_on(self, date: dt.date) -> bool:
        return self.masuk <= date and (self.keluar is None or date < self.keluar)

    def as_of(self, date: dt.date) -> Member:
        """The member as the register stood at the end of `date`: an exit after it not yet
        made, so `keluar` and `status` are judged on that day (#14)."""
        if self.keluar is None or self.keluar <= date:
            return self
        return replace(self, keluar=None, alasan_keluar=None)

    @property
    def status(self) -> str:
        return "aktif" if self.keluar is None else "keluar"

    @property
    def status_text(self) -> str:
        """The status as the register prints it: `aktif`, or `keluar` and the day."""
        return self.status if self.keluar is None else f"keluar {dates.fmt(self.keluar)}"


def register(book: Book) -> dict[str, Member]:
    """NAK → Member, from the `custom "anggota"` directives (masuk, ubah, keluar, batal-keluar,
    batal) applied in date order; a cancelled registration is not a member."""
    return _events(book)[0]


def cancelled(book: Book) -> dict[str, dt.date]:
    """NAK → date its registration was cancelled (`anggota batal`); the number stays used."""
    return _events(book)[1]


@dataclass(frozen=True)
class _Register:
    """The register folded so far: members, cancelled numbers, the highest member number."""

    members: dict[str, Member]
    gone: dict[str, dt.date]
    highest: int


_NUMBER_RE = re.compile(r"A(?:[A-Z][A-Z0-9]?)?(\d+)")


def _fold_register(before: _Register | None, customs: Sequence[data.Custom]) -> _Register:
    """The register lines `customs` applied, in order, to a copy of `before`."""
    members = dict(before.members) if before else {}
    gone = dict(before.gone) if before else {}
    highest = before.highest if before else 0
    for c in customs:
        action, nak = str(c.values[0].value), str(c.values[1].value)
        if action == "masuk":
            members[nak] = Member(
                nak,
                str(c.values[2].value),
                c.date,
                jenis_kelamin=c.meta.get("jenis_kelamin"),
            )
            if m := _NUMBER_RE.fullmatch(nak):
                highest = max(highest, int(m[1]))
        elif nak not in members:
            continue
        elif action == "keluar":
            reason = str(c.values[2].value) if len(c.values) > 2 else None
            members[nak] = replace(members[nak], keluar=c.date, alasan_keluar=reason)
        elif action == UNDO_EXIT:
            # A mistaken exit taken back by the koreksi of its document: never left.
            members[nak] = replace(members[nak], keluar=None, alasan_keluar=None)
        elif action == "ubah":
            changed = {k: str(c.meta[k]) for k in PUBLIC_FIELDS if k in c.meta}
            members[nak] = replace(members[nak], **changed)  # type: ignore[arg-type]
        elif action == "batal":
            del members[nak]
            gone[nak] = c.date
    return _Register(members, gone, highest)


def _events(book: Book) -> tuple[dict[str, Member], dict[str, dt.date]]:
    held = _held(book)
    return held.members, held.gone


def _held(book: Book) -> _Register:
    return book.folded(("register",), CUSTOM_TYPE, _fold_register)


def _words(name: str) -> list[str]:
    return name.casefold().split()


def matches(book: Book, query: str) -> list[Member]:
    """Members a treasurer may mean by `query`: the NAK (`A0271`, `a271`, `271`), the full
    name (any case), or a name whose words start with the words given (`siti ra`)."""
    q = query.strip()
    found = register(book)
    if q.upper() in found:
        return [found[q.upper()]]
    if m := re.fullmatch(r"([A-Za-z]?)0*(\d+)", q):
        letter, number = m[1].upper(), int(m[2])
        return [
            member
            for nak, member in sorted(found.items())
            if (mm := re.fullmatch(r"([A-Z]*)(\d+)", nak))
            and int(mm[2]) == number
            and (not letter or mm[1] == letter)
        ]
    exact = [member for member in found.values() if _words(member.nama) == _words(q)]
    if exact:
        return sorted(exact, key=lambda member: member.nak)
    wanted = _words(q)
    return sorted(
        (
            member
            for member in found.values()
            if wanted and all(any(w.startswith(x) for w in _words(member.nama)) for x in wanted)
        ),
        key=lambda member: member.nak,
    )


def resolve(book: Book, query: str) -> str:
    """The NAK a member argument means: a number as typed (`271`, `a271`) or a name that
    matches exactly one member; several → the candidates, so the treasurer can choose (#22)."""
    nak = query.strip().upper()
    if nak in register(book) or nak in cancelled(book):
        return nak
    candidates = matches(book, query)
    if len(candidates) == 1:
        return candidates[0].nak
    if len(candidates) > 1:
        shown = "; ".join(f"{c.nak} {c.nama}" for c in candidates[:10])
        more = f" dan {len(candidates) - 10} lainnya" if len(candidates) > 10 else ""
        raise AnggotaTidakDikenal(
            f"'{query.strip()}' cocok dengan {len(candidates)} anggota: {shown}{more}. "
            "Sebutkan NAK-nya."
        )
    return nak


def get(book: Book, nak: str) -> Member:
    nak = resolve(book, nak)
    member = register(book).get(nak)
    if member is None:
        when = cancelled(book).get(nak)
        if when is not None:
            raise AnggotaTidakDikenal(
                f"Pendaftaran anggota {nak} sudah dibatalkan pada {when:%d-%m-%Y}."
            )
        raise AnggotaTidakDikenal(f"Anggota dengan nomor '{nak}' tidak terdaftar.")
    return member


def require_active(book: Book, nak: str, date: dt.date) -> Member:
    member = get(book, nak)
    if date < member.masuk:
        raise AnggotaTidakAktif(
            f"{member.nak} ({member.nama}) baru menjadi anggota pada {member.masuk:%d-%m-%Y}; "
            f"tanggal {date:%d-%m-%Y} lebih awal dari itu."
        )
    if member.keluar is not None and date >= member.keluar:
        raise AnggotaTidakAktif(
            f"{member.nak} ({member.nama}) sudah keluar pada {member.keluar:%d-%m-%Y}."
        )
    return member


def line(
    book: Book, date: dt.date, values: list[str], meta: dict[str, str] | None = None
) -> data.Custom:
    """A register line; when one like it is already there on that day (an exit taken back and
    made again), it carries its number: beancount's noduplicates compares directives without
    their metadata."""
    same = sum(
        1
        for c in book.customs(CUSTOM_TYPE)
        if c.date == date and [v.value for v in c.values[: len(values)]] == values
    )
    typed: list[object] = [*values, Decimal(same + 1)] if same else list(values)
    return ledger.make_custom(date, CUSTOM_TYPE, typed, meta)


def nak_of(planned: list[data.Directive]) -> str:
    """The member number of a planned `add` (its register line comes first)."""
    first = planned[0]
    assert isinstance(first, data.Custom) and first.type == CUSTOM_TYPE
    return str(first.values[1].value)


def registered_in(entries: Sequence[data.Directive]) -> list[str]:
    """The member numbers registered by `entries` (their `masuk` register lines)."""
    return [
        str(e.values[1].value)
        for e in entries
        if isinstance(e, data.Custom) and e.type == CUSTOM_TYPE and e.values[0].value == "masuk"
    ]


def looks_like_nak(key: str) -> bool:
    return bool(chart.NAK_RE.match(key))


def next_nak(book: Book) -> str:
    # With a laptop's device code the number carries it, AB0271, so two laptops merged through
    # git never give two members one number (#22); the sequence follows the highest of any
    # number registered, cancelled ones included.
    return f"A{book.config.loket.perangkat}{_held(book).highest + 1:04d}"


def _open(account: str, date: dt.date, nak: str) -> data.Open:
    meta = {"anggota": nak}
    kode = chart.kode_for(account)
    if kode:
        meta = {"kode": kode, "anggota": nak}
    return data.Open(data.new_metadata("<kkmp>", 0, meta), date, account, [CURRENCY], None)


def open_subaccount(book: Book, parent: str, member: Member) -> data.Open:
    """Open a member's later sub-account (loan, credit purchases, SHU payable): from joining,
    or from the start of the open books if the member joined in a closed year; for a member
    who left, the day after the exit (what is owed to a former member, such as the SHU of the
    year before, decided by a RAT held after the exit, found by an adversarial review, #23)."""
    account = chart.member_account(parent, member.nak)
    date = coop.member_open_date(book, member.masuk)
    if member.keluar is not None:
        date = max(date, member.keluar + dt.timedelta(days=1))
    return _open(account, date, member.nak)


def add(
    book: Book,
    nama: str,
    date: dt.date,
    *,
    nak: str | None = None,
    jenis_kelamin: str | None = None,
) -> list[data.Directive]:
    """Plan a new member: the register line and the member's simpanan sub-accounts."""
    nama = text.clean(nama, field="nama anggota", max_len=100)
    if nak is None:
        nak = next_nak(book)
    nak = nak.strip().upper()
    if not chart.NAK_RE.match(nak):
        raise TeksTidakValid(
            f"Nomor anggota '{nak}' tidak sah: awali dengan huruf besar, lalu huruf/angka "
            "(paling banyak 12), misalnya A0001."
        )
    if nak in register(book):
        raise AnggotaSudahAda(f"Nomor anggota {nak} sudah dipakai oleh {register(book)[nak].nama}.")
    if nak in cancelled(book):
        raise AnggotaSudahAda(
            f"Nomor anggota {nak} pernah dipakai (pendaftarannya dibatalkan pada "
            f"{cancelled(book)[nak]:%d-%m-%Y}) dan tidak dipakai ulang; pilih nomor lain."
        )
    meta = {}
    if jenis_kelamin:
        meta["jenis_kelamin"] = _gender(jenis_kelamin)
    entries: list[data.Directive] = [
        ledger.make_custom(date, CUSTOM_TYPE, ["masuk", nak, nama], meta)
    ]
    entries += [_open(chart.member_account(p, nak), date, nak) for p in chart.MEMBER_PARENTS]
    return entries


def _gender(value: str) -> str:
    jk = value.strip().upper()[:1]
    if jk not in ("L", "P"):
        raise TeksTidakValid("Jenis kelamin diisi L (laki-laki) atau P (perempuan).")
    return jk


def change(
    book: Book,
    nak: str,
    date: dt.date,
    *,
    nama: str | None = None,
    jenis_kelamin: str | None = None,
    pribadi: tuple[str, ...] = (),
) -> list[data.Directive]:
    """Plan a correction of a member's register data (`custom "anggota" "ubah"`): the new
    public values as metadata, and only the names of changed private fields (kept in pribadi/)."""
    member = get(book, nak)
    if date < member.masuk:
        raise AnggotaTidakAktif(
            f"{member.nak} ({member.nama}) baru menjadi anggota pada {member.masuk:%d-%m-%Y}; "
            f"perubahan tidak dapat bertanggal {date:%d-%m-%Y}."
        )
    meta: dict[str, str] = {}
    if nama is not None:
        nama = text.clean(nama, field="nama anggota", max_len=100)
        if nama != member.nama:
            meta["nama"] = nama
    if jenis_kelamin is not None:
        jk = _gender(jenis_kelamin)
        if jk != member.jenis_kelamin:
            meta["jenis_kelamin"] = jk
    if pribadi:
        meta["pribadi"] = ", ".join(f for f in PRIVATE_FIELDS if f in pribadi)
    if not meta:
        raise TidakAdaPerubahan(
            f"Tidak ada yang berubah pada data {member.nak} ({member.nama}); "
            "isi --nama, --jk, --nik, --telepon atau --alamat dengan nilai baru."
        )
    return [line(book, date, ["ubah", member.nak], meta)]


@dataclass(frozen=True)
class Change:
    """One `anggota ubah`: public fields with their old and new value, changed private fields
    by name only."""

    tanggal: dt.date
    kolom: dict[str, tuple[str | None, str]]
    pribadi: tuple[str, ...]


def history(book: Book, nak: str) -> list[Change]:
    """The member's register corrections, oldest first (the journal keeps every one)."""
    nak = nak.strip().upper()
    current: dict[str, str | None] = {}
    changes = []
    for c in book.customs(CUSTOM_TYPE):
        if str(c.values[1].value) != nak:
            continue
        action = str(c.values[0].value)
        if action == "masuk":
            current = {"nama": str(c.values[2].value), "jenis_kelamin": c.meta.get("jenis_kelamin")}
        elif action == "ubah":
            kolom = {k: (current.get(k), str(c.meta[k])) for k in PUBLIC_FIELDS if k in c.meta}
            current.update({k: new for k, (_, new) in kolom.items()})
            private = str(c.meta.get("pribadi", ""))
            changes.append(
                Change(c.date, kolom, tuple(f.strip() for f in private.split(",") if f.strip()))
            )
    return changes


def activity(book: Book, nak: str) -> data.Transaction | None:
    """The member's first transaction: a posting to one of their sub-accounts, or a
    transaction that names them (a cash sale to a member, a loan)."""
    suffix = f":{nak}"
    for entry in book.transactions():
        if entry.meta.get("anggota") == nak or any(
            p.account.endswith(suffix) or (p.meta or {}).get("anggota") == nak
            for p in entry.postings
        ):
            return entry
    return None


def cancel(book: Book, nak: str, date: dt.date, *, alasan: str) -> list[data.Directive]:
    """Plan the undoing of a mistaken registration: a `custom "anggota" "batal"` event and the
    closing of the member's sub-accounts. The journal keeps the registration (append-only) and
    the number is never given again."""
    member = get(book, nak)
    alasan = text.clean(alasan, field="alasan", max_len=200)
    if member.keluar is not None:
        raise AnggotaTidakAktif(
            f"{member.nak} ({member.nama}) sudah keluar pada {member.keluar:%d-%m-%Y}; "
            "pendaftarannya tidak dapat dibatalkan lagi (bila keluarnya keliru: 'kkmp anggota "
            f"batal-keluar {member.nak} --alasan …')."
        )
    if date < member.masuk:
        raise AnggotaTidakAktif(
            f"{member.nak} ({member.nama}) baru terdaftar pada {member.masuk:%d-%m-%Y}; "
            f"pembatalan tidak dapat bertanggal {date:%d-%m-%Y}."
        )
    first = activity(book, member.nak)
    if first is not None:
        raise AnggotaSudahBertransaksi(
            f"{member.nak} ({member.nama}) sudah bertransaksi ({first.meta.get('id', '')} "
            f"{first.date:%d-%m-%Y}), jadi pendaftarannya tidak dapat dibatalkan; "
            "bila ia berhenti, catat dengan 'kkmp anggota keluar'."
        )
    entries: list[data.Directive] = [
        ledger.make_custom(date, CUSTOM_TYPE, ["batal", member.nak, alasan])
    ]
    entries += [
        data.Close(data.new_metadata("<kkmp>", 0), date, a)
        for a in member_accounts(book, member.nak)
    ]
    return entries


def member_accounts(book: Book, nak: str) -> list[str]:
    """Every open account that belongs to the member (simpanan, and receivables of other units)."""
    return sorted(a for a in book.opens() if a.rsplit(":", 1)[-1] == nak and a not in book.closes())


def debts(book: Book, nak: str, as_of: dt.date | None = None) -> dict[str, Decimal]:
    """What the member owes the cooperative (at the end of `as_of`, else now): receivable
    sub-accounts with a debit balance."""
    owed = {
        a: _balance(book, a, as_of)
        for a in member_accounts(book, nak)
        if a.startswith(RECEIVABLE_PREFIX)
    }
    return {a: v for a, v in owed.items() if v > 0}


@dataclass(frozen=True)
class StatementLine:
    tanggal: dt.date
    bukti: str
    keterangan: str
    jenis: str
    jumlah: Decimal  # positive = the member's balance grows
    saldo: Decimal  # running balance of that jenis


@dataclass(frozen=True)
class Statement:
    member: Member
    lines: list[StatementLine]
    saldo: dict[str, Decimal]
    utang: dict[str, Decimal] = field(default_factory=dict)
    pengembalian: Decimal = Decimal(0)  # simpanan still owed to a member who left (#23)

    @property
    def total_simpanan(self) -> Decimal:
        return sum(self.saldo.values(), Decimal(0))


def simpanan_balances(
    book: Book,
    nak: str,
    as_of: dt.date | None = None,
    held: Mapping[str, str] = chart.SIMPANAN_ACCOUNTS,
) -> dict[str, Decimal]:
    """The member's balance of each kind in `held` (kind → parent account; by default pokok,
    wajib and sukarela, what a plafon or jasa modal is reckoned from), credit shown positive."""
    last = book.last_date()
    if as_of is not None and last is not None and as_of >= last:
        as_of = None  # nothing is dated later: the running balance is the answer, and quicker
    result = {}
    for kind, parent in held.items():
        account = chart.member_account(parent, nak)
        result[kind] = -(
            book.balance(account) if as_of is None else book.balance_on(account, as_of)
        )
    return result


class CardMove(NamedTuple):
    """One posting to a member's simpanan sub-account, as the member's card shows it."""

    tanggal: dt.date
    baris: int  # the entry's line: the card's order within a day
    jumlah: Decimal  # the posting (positive = debit)
    bukti: str
    keterangan: str


_CARD_PARENTS = frozenset(chart.SIMPANAN.values())


class SimpananCard(ledger.Index):
    """Every plain IDR posting to a member's simpanan sub-account (pokok, wajib, sukarela,
    berjangka), by account: what `anggota lihat` shows, without the rest of the entries (#16).
    The narrations, much repeated, are interned, so the kept index stays small."""

    version = 1  # raised whenever `fold` changes: a kept copy of another version is not used

    def __init__(self) -> None:
        self.moves: dict[str, list[CardMove]] = {}

    def fold(self, entry: data.Directive) -> None:
        if not isinstance(entry, data.Transaction):
            return
        for p in entry.postings:
            if p.account.rpartition(":")[0] not in _CARD_PARENTS:
                continue
            amount = ledger.idr_move(p)
            if amount is None:
                continue
            move = CardMove(
                entry.date,
                entry.meta.get("lineno", 0),
                amount,
                str(entry.meta.get("id", "")),
                sys.intern(entry.narration or ""),
            )
            self.moves.setdefault(p.account, []).append(move)


def kinds(book: Book, as_of: dt.date | None = None, nak: str | None = None) -> dict[str, str]:
    """The kinds of simpanan every listing by kind shows, kind → parent account in the chart's
    order (`chart.SIMPANAN`): pokok, wajib and sukarela always; berjangka once a member (`nak`:
    that member) has had a time deposit by the end of `as_of`, so a cooperative without the
    product shows no empty column, and a year's RAT book stays the same when a later year opens
    the first deposit (#12)."""
    moves = book.index(SimpananCard).moves

    def had(parent: str) -> bool:
        if nak is not None:
            found: Iterable[list[CardMove]] = [moves.get(chart.member_account(parent, nak), [])]
        else:
            found = (m for a, m in moves.items() if a.rpartition(":")[0] == parent)
        return any(as_of is None or m.tanggal <= as_of for ms in found for m in ms)

    return {k: p for k, p in chart.SIMPANAN.items() if k in chart.SIMPANAN_ACCOUNTS or had(p)}


def statement(book: Book, nak: str, as_of: dt.date | None = None) -> Statement:
    """Every simpanan movement of one member with running balances per kind; `as_of` a day,
    the card as it stood at its end (the movements up to it, the member as registered then)."""
    member = get(book, nak)
    if as_of is not None:
        if member.masuk > as_of:
            raise AnggotaTidakDikenal(
                f"Anggota {member.nak} baru masuk {dates.fmt(member.masuk)}; per "
                f"{dates.fmt(as_of)} belum menjadi anggota."
            )
        member = member.as_of(as_of)
    held = kinds(book, as_of, member.nak)
    card = book.index(SimpananCard)
    moves = []
    for kind, parent in held.items():
        for move in card.moves.get(chart.member_account(parent, member.nak), ()):
            if as_of is None or move.tanggal <= as_of:
                moves.append((kind, move))
    moves.sort(key=lambda x: (x[1].tanggal, x[1].baris))
    running = {k: Decimal(0) for k in held}
    lines = []
    for kind, m in moves:
        running[kind] -= m.jumlah
        lines.append(
            StatementLine(m.tanggal, m.bukti, m.keterangan, kind, -m.jumlah, running[kind])
        )
    owed = debts(book, member.nak, as_of) if member.keluar is None else {}
    refund = -_balance(book, chart.member_account(chart.UTANG_PENGEMBALIAN, member.nak), as_of)
    return Statement(member, lines, running, owed, refund)


def _balance(book: Book, account: str, as_of: dt.date | None) -> Decimal:
    return book.balance(account) if as_of is None else book.balance_on(account, as_of)


@dataclass(frozen=True)
class RegisterRow:
    member: Member
    saldo: dict[str, Decimal]


def search(book: Book, query: str) -> list[RegisterRow]:
    """`anggota cari`: members whose NAK or name matches, with their simpanan balances; a name
    matches on any word that contains the text (`rah` finds Rahayu and Sarah)."""
    q = query.strip()
    hits = {m.nak: m for m in matches(book, q)}
    wanted = _words(q)
    for member in register(book).values():
        if wanted and all(any(x in w for w in _words(member.nama)) for x in wanted):
            hits[member.nak] = member
    held = kinds(book)
    return [
        RegisterRow(m, simpanan_balances(book, m.nak, None, held)) for _, m in sorted(hits.items())
    ]


def listing(book: Book, as_of: dt.date | None = None) -> list[RegisterRow]:
    """The Buku Daftar Anggota with simpanan balances (all members, in number order); as of a
    date, the members who had joined by then, each as the register stood that day
    (`Member.as_of`: who left later is still active)."""
    held = kinds(book, as_of)
    return [
        RegisterRow(
            m if as_of is None else m.as_of(as_of), simpanan_balances(book, m.nak, as_of, held)
        )
        for m in sorted(register(book).values(), key=lambda m: m.nak)
        if as_of is None or m.masuk <= as_of
    ]
