"""What changed in the books between two revisions, by document number (`kkmp selisih`).

The result is one `Selisih`; its JSON (`cli.common.to_json`) is a stable shape for auditors'
scripts, version `VERSI`. Fields, in this order:

* `versi` (int), `dari` and `ke`: {revisi, commit, tanggal} of the two sides (the working tree
  has revisi "folder kerja" and an empty commit);
* `transaksi_baru`, `transaksi_hapus`: [{id, tanggal, jenis, narasi, jumlah, tahun_tersegel}]
  (jumlah = total debit; tahun_tersegel true when its year was sealed in `dari`);
* `transaksi_ubah`: [{id, tanggal, jenis, narasi, jumlah, tahun_tersegel, perubahan:
  [{medan, lama, baru}]}] with medan `tanggal`, `narasi`, `pihak`, `tanda`, `tag`, `tautan`,
  `posting AKUN` (the account's amount; null when absent) or `meta KUNCI`;
* `saldo`: [{akun, per, lama, baru, selisih}] for every account whose balance moved, at the later
  side's date and at 31 December of each sealed year;
* `anggota_masuk`, `anggota_keluar`: [{nak, nama, tanggal}];
* `pinjaman`: [{pinjaman, peristiwa (cair|restrukturisasi|hapus-buku), dokumen, tanggal,
  jumlah, status (baru|dihapus)}];
* `konfigurasi`: [{kunci, lama, baru, menggerakkan_uang}] for koperasi.yaml;
* `segel`: [{tahun, pesan}]: changes inside a sealed year and broken seals; `tersegel_berubah`
  is true when there is any (the command then exits 1);
* `buka_buku`: [{tahun, tanggal, alasan, disetujui, dokumen}]: the reopenings of a sealed year
  added in `ke` (`tutup-buku --buka`, #11), with the documents of that year that changed: a
  change a reopening covers is no seal breach. A reopening removed or changed, or one without
  reason and approver or dated inside its own year, is one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data

from kkmp_cli import money
from kkmp_cli.closing import closing
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.members import register as members

VERSI = 1
# koperasi.yaml sections whose values move money (deposits owed, loan limits, SHU shares).
MONEY_SECTIONS = ("simpanan", "pinjaman", "shu", "kas_boleh_minus")
LOAN_EVENTS = {
    "pinjaman-cair": "cair",
    "pinjaman-restruktur": "restrukturisasi",
    "pinjaman-hapus": "hapus-buku",
}
_SKIPPED_META = ("filename", "lineno")


@dataclass(frozen=True)
class Sisi:
    revisi: str
    commit: str
    tanggal: dt.date


@dataclass(frozen=True)
class Medan:
    medan: str
    lama: Any
    baru: Any


@dataclass(frozen=True)
class Transaksi:
    id: str
    tanggal: dt.date
    jenis: str
    narasi: str
    jumlah: Decimal
    tahun_tersegel: bool
    perubahan: list[Medan] = field(default_factory=list)


@dataclass(frozen=True)
class Saldo:
    akun: str
    per: dt.date
    lama: Decimal
    baru: Decimal
    selisih: Decimal


@dataclass(frozen=True)
class Anggota:
    nak: str
    nama: str
    tanggal: dt.date


@dataclass(frozen=True)
class Pinjaman:
    pinjaman: str
    peristiwa: str
    dokumen: str
    tanggal: dt.date
    jumlah: Decimal
    status: str


@dataclass(frozen=True)
class Konfigurasi:
    kunci: str
    lama: Any
    baru: Any
    menggerakkan_uang: bool


@dataclass(frozen=True)
class Segel:
    tahun: int
    pesan: str


@dataclass(frozen=True)
class BukaBuku:
    tahun: int
    tanggal: dt.date
    alasan: str
    disetujui: str
    dokumen: list[str]


@dataclass(frozen=True)
class Selisih:
    versi: int
    dari: Sisi
    ke: Sisi
    transaksi_baru: list[Transaksi]
    transaksi_hapus: list[Transaksi]
    transaksi_ubah: list[Transaksi]
    saldo: list[Saldo]
    anggota_masuk: list[Anggota]
    anggota_keluar: list[Anggota]
    pinjaman: list[Pinjaman]
    konfigurasi: list[Konfigurasi]
    segel: list[Segel]
    tersegel_berubah: bool
    buka_buku: list[BukaBuku]


def compare(old: Book, new: Book, dari: Sisi, ke: Sisi) -> Selisih:
    """Everything that differs from `old` (revision `dari`) to `new` (revision `ke`)."""
    sealed = old.closed_years()
    added, removed, changed = changes(old, new)
    moves = [*added, *removed, *(x for a, b, _ in changed for x in (a, b))]
    touched = {p.account for e in moves for p in e.postings}
    per = max(d for d in (ke.tanggal, old.last_date(), new.last_date()) if d is not None)
    ends = sorted(sealed | new.closed_years())
    return Selisih(
        versi=VERSI,
        dari=dari,
        ke=ke,
        transaksi_baru=[_summary(e, sealed) for e in added],
        transaksi_hapus=[_summary(e, sealed) for e in removed],
        transaksi_ubah=[
            dataclasses.replace(
                _summary(b, sealed),
                perubahan=f,
                tahun_tersegel=a.date.year in sealed or b.date.year in sealed,
            )
            for a, b, f in changed
        ],
        saldo=balances(old, new, sorted(touched), [per, *(dt.date(y, 12, 31) for y in ends)]),
        anggota_masuk=_joined(old, new),
        anggota_keluar=_left(old, new),
        pinjaman=_loans(added, "baru") + _loans(removed, "dihapus"),
        konfigurasi=config_changes(old.config, new.config),
        segel=(segel := seal_breaches(old, new, moves)),
        tersegel_berubah=bool(segel),
        buka_buku=[
            BukaBuku(
                int(c.values[0].value),
                c.date,
                str(c.meta.get("alasan", "")),
                str(c.meta.get("disetujui", "")),
                _documents(moves, int(c.values[0].value)),
            )
            for c in reopenings(old, new)[0]
            if closing.approved(c)
        ],
    )


Changes = tuple[
    list[data.Transaction],
    list[data.Transaction],
    list[tuple[data.Transaction, data.Transaction, list[Medan]]],
]


def changes(old: Book, new: Book) -> Changes:
    """Transactions added, removed, and changed (old, new, the fields), by document number."""
    before, after = keyed(old), keyed(new)
    added = [after[k] for k in after if k not in before]
    removed = [before[k] for k in before if k not in after]
    differing = ((before[k], after[k]) for k in after if k in before)
    return added, removed, [(a, b, f) for a, b in differing if (f := fields(a, b))]


def moved(old: Book, new: Book) -> list[data.Transaction]:
    """Every transaction added, removed or changed (both versions of a changed one)."""
    added, removed, changed = changes(old, new)
    return [*added, *removed, *(x for a, b, _ in changed for x in (a, b))]


def keyed(book: Book) -> dict[str, data.Transaction]:
    """Transactions by document number; one without a number by its content."""
    found: dict[str, data.Transaction] = {}
    for entry in book.transactions():
        key = entry.meta.get("id")
        if not key:
            key = "tanpa-nomor:" + ledger.digest([entry])[:12]
        found[str(key)] = entry
    return found


def fields(a: data.Transaction, b: data.Transaction) -> list[Medan]:
    """The fields of one document that differ, in a fixed order."""
    found = [
        Medan(name, x, y)
        for name, x, y in (
            ("tanggal", a.date, b.date),
            ("narasi", a.narration, b.narration),
            ("pihak", a.payee, b.payee),
            ("tanda", a.flag, b.flag),
            ("tag", sorted(a.tags or ()), sorted(b.tags or ())),
            ("tautan", sorted(a.links or ()), sorted(b.links or ())),
        )
        if x != y
    ]
    pa, pb = _postings(a), _postings(b)
    found += [
        Medan(f"posting {acc}", pa.get(acc), pb.get(acc))
        for acc in sorted(pa.keys() | pb.keys())
        if pa.get(acc) != pb.get(acc)
    ]
    ma, mb = _meta(a.meta), _meta(b.meta)
    found += [
        Medan(f"meta {k}", ma.get(k), mb.get(k))
        for k in sorted(ma.keys() | mb.keys())
        if ma.get(k) != mb.get(k)
    ]
    return found


def _postings(entry: data.Transaction) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for p in entry.postings:
        sums[p.account] = sums.get(p.account, Decimal(0)) + ledger.weight(p)
    return sums


def _meta(meta: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in meta.items() if k not in _SKIPPED_META and not k.startswith("__")}


def total(entry: data.Transaction) -> Decimal:
    """A transaction's size: the sum of its debits."""
    return sum((w for w in _postings(entry).values() if w > 0), Decimal(0))


def _summary(entry: data.Transaction, sealed: set[int]) -> Transaksi:
    return Transaksi(
        id=str(entry.meta.get("id", "")),
        tanggal=entry.date,
        jenis=str(entry.meta.get("jenis", "")),
        narasi=entry.narration or "",
        jumlah=total(entry),
        tahun_tersegel=entry.date.year in sealed,
    )


def balances(old: Book, new: Book, accounts: Iterable[str], dates: list[dt.date]) -> list[Saldo]:
    """Each account's balance that moved, at each date."""
    found = []
    for per in dates:
        for account in accounts:
            a, b = old.balance_on(account, per), new.balance_on(account, per)
            if a != b:
                found.append(Saldo(account, per, a, b, b - a))
    return found


def _joined(old: Book, new: Book) -> list[Anggota]:
    before = members.register(old)
    return [
        Anggota(m.nak, m.nama, m.masuk)
        for nak, m in members.register(new).items()
        if nak not in before
    ]


def _left(old: Book, new: Book) -> list[Anggota]:
    before, after = members.register(old), members.register(new)
    found = [
        Anggota(m.nak, m.nama, m.keluar)
        for nak, m in after.items()
        if m.keluar is not None and (nak not in before or before[nak].keluar is None)
    ]
    found += [
        Anggota(nak, m.nama, when)
        for nak, when in members.cancelled(new).items()
        if (m := before.get(nak)) is not None
    ]
    return found


def _loans(entries: list[data.Transaction], status: str) -> list[Pinjaman]:
    found = []
    for e in entries:
        event = LOAN_EVENTS.get(str(e.meta.get("jenis", "")))
        if event is None:
            continue
        loan = e.meta.get("pinjaman") or next(iter(sorted(e.links or ())), "")
        found.append(
            Pinjaman(str(loan), event, str(e.meta.get("id", "")), e.date, total(e), status)
        )
    return found


def _flat(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flat(v, f"{prefix}.{k}" if prefix else str(k))
    else:
        yield prefix, list(value) if isinstance(value, tuple | list) else value


def config_changes(old: Any, new: Any) -> list[Konfigurasi]:
    """koperasi.yaml values that differ, by dotted key; money-moving sections flagged."""
    a = dict(_flat(dataclasses.asdict(old)))
    b = dict(_flat(dataclasses.asdict(new)))
    return [
        Konfigurasi(k, a.get(k), b.get(k), k.split(".")[0] in MONEY_SECTIONS)
        for k in sorted(a.keys() | b.keys())
        if a.get(k) != b.get(k)
    ]


def _documents(moves: list[data.Transaction], year: int) -> list[str]:
    return sorted({str(e.meta.get("id", "?")) for e in moves if e.date.year == year})


def _reopening_key(event: data.Custom) -> tuple[Any, ...]:
    return (event.date, *(v.value for v in event.values), *sorted(_meta(event.meta).items()))


def reopenings(old: Book, new: Book) -> tuple[list[data.Custom], list[data.Custom]]:
    """The reopenings (`custom "buka-buku"`) added in `new` and those of `old` it no longer
    has (removed, or changed)."""
    before = {_reopening_key(c): c for c in closing.reopenings(old)}
    after = {_reopening_key(c): c for c in closing.reopenings(new)}
    return (
        [c for k, c in after.items() if k not in before],
        [c for k, c in before.items() if k not in after],
    )


def _reopening(event: data.Custom) -> str:
    return (
        f"pembukaan kembali tahun buku {event.values[0].value} tanggal {event.date:%d-%m-%Y} "
        f"(alasan: {event.meta.get('alasan', '-')}; disetujui {event.meta.get('disetujui', '-')})"
    )


def seal_breaches(old: Book, new: Book, moves: list[data.Transaction]) -> list[Segel]:
    """Changes inside a year sealed before that no reopening added since covers (#11), a
    reopening removed or not approved, a seal removed, and seals the new books break."""
    sealed = old.closed_years()
    added, removed = reopenings(old, new)
    covered = {int(c.values[0].value) for c in added if closing.approved(c)}
    found = []
    for year in sorted({e.date.year for e in moves} & sealed - covered):
        docs = _documents(moves, year)
        found.append(
            Segel(year, f"tahun buku {year} sudah ditutup tetapi berubah: {', '.join(docs)}")
        )
    for c in removed:
        found.append(Segel(int(c.values[0].value), f"{_reopening(c)} dihapus atau diubah"))
    for c in added:
        if not closing.approved(c):
            found.append(
                Segel(
                    int(c.values[0].value),
                    f"{_reopening(c)} tidak membuka tahun itu: perlu alasan dan yang "
                    "menyetujui, dan bertanggal sesudah tahun itu (kkmp tutup-buku --buka)",
                )
            )
    for year in sorted(sealed - new.closed_years() - covered):
        found.append(Segel(year, f"segel tutup buku {year} dihapus"))
    for finding in closing.seal_findings(new):
        year = next(
            (y for y in sorted(sealed | new.closed_years()) if str(y) in finding.message), 0
        )
        found.append(Segel(year, finding.message))
    return found


@dataclass(frozen=True)
class Bagian:
    """One section of the diff as a treasurer reads it; `bahaya` sections are shown in red."""

    judul: str
    baris: list[str]
    bahaya: bool = False


def _value(value: Any, *, rupiah: bool = True) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return money.fmt(value) if rupiah else format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "-"
    return str(value)


def _line(t: Transaksi) -> str:
    mark = " [TAHUN TERSEGEL]" if t.tahun_tersegel else ""
    return (
        f"{t.id}  {t.tanggal:%d-%m-%Y}  {t.jenis or '-'}  {money.fmt(t.jumlah)}  {t.narasi}{mark}"
    )


def sections(s: Selisih) -> list[Bagian]:
    """The diff as sections of formatted lines (for the screen and Markdown), empty ones left out."""
    changed = []
    for t in s.transaksi_ubah:
        changed.append(_line(t))
        changed += [f"    {m.medan}: {_value(m.lama)} → {_value(m.baru)}" for m in t.perubahan]
    parts = [
        Bagian("Pelanggaran segel", [f"{g.tahun}: {g.pesan}" for g in s.segel], bahaya=True),
        Bagian(
            "Tahun buku dibuka kembali",
            [
                f"{b.tahun}: dibuka kembali {b.tanggal:%d-%m-%Y} (alasan: {b.alasan}; disetujui "
                f"{b.disetujui}); berubah: {', '.join(b.dokumen) or '-'}"
                for b in s.buka_buku
            ],
        ),
        Bagian("Transaksi baru", [_line(t) for t in s.transaksi_baru]),
        Bagian("Transaksi dihapus", [_line(t) for t in s.transaksi_hapus]),
        Bagian("Transaksi berubah", changed),
        Bagian(
            "Saldo berubah",
            [
                f"{b.akun} per {b.per:%d-%m-%Y}: {money.fmt(b.lama)} → {money.fmt(b.baru)} "
                f"({'+' if b.selisih > 0 else ''}{money.fmt(b.selisih)})"
                for b in s.saldo
            ],
        ),
        Bagian(
            "Anggota masuk", [f"{a.nak} {a.nama} ({a.tanggal:%d-%m-%Y})" for a in s.anggota_masuk]
        ),
        Bagian(
            "Anggota keluar", [f"{a.nak} {a.nama} ({a.tanggal:%d-%m-%Y})" for a in s.anggota_keluar]
        ),
        Bagian(
            "Pinjaman",
            [
                f"{p.pinjaman} {p.peristiwa} ({p.status}): {p.dokumen} {p.tanggal:%d-%m-%Y} "
                f"{money.fmt(p.jumlah)}"
                for p in s.pinjaman
            ],
        ),
        Bagian(
            "koperasi.yaml",
            [
                f"{k.kunci}: {_value(k.lama, rupiah=False)} → {_value(k.baru, rupiah=False)}"
                + (" [menggerakkan uang]" if k.menggerakkan_uang else "")
                for k in s.konfigurasi
            ],
        ),
    ]
    return [p for p in parts if p.baris]
