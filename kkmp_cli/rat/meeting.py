"""The RAT meeting itself (#18 part 6): the invitation with its agenda, the attendance list from
the member register, and after the meeting the quorum check (the AD/ART's numbers from
koperasi.yaml `rapat_anggota`) and a draft berita acara. Pure: Book and rat.yaml in, template
contexts out."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kkmp_cli import dates
from kkmp_cli.core import config
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError
from kkmp_cli.members import register as members


class RapatTidakLengkap(KkmpError):
    """rat.yaml lacks what the meeting's papers need (date, place, attendance)."""


class KehadiranSalah(KkmpError):
    """rat.yaml `kehadiran:` contradicts the member register or the AD/ART."""


DEFAULT_AGENDA = (
    "Pembukaan, menyanyikan lagu Indonesia Raya dan doa",
    "Pengesahan kuorum dan tata tertib rapat; pemilihan pimpinan rapat",
    "Laporan pertanggungjawaban pengurus tahun buku {year}",
    "Laporan pengawas tahun buku {year}",
    "Pengesahan laporan keuangan dan penetapan pembagian SHU tahun buku {year}",
    "Rencana kerja dan RAPB tahun {next}",
    "Lain-lain",
    "Penutup",
)


@dataclass(frozen=True)
class Quorum:
    """The quorum arithmetic: members active on the day, those counted (present plus valid
    proxies), and the least number that makes the meeting valid."""

    anggota: int
    hadir: int
    kuasa: int
    perlu: int
    pecahan: Fraction
    lebih_dari: bool

    @property
    def terhitung(self) -> int:
        return self.hadir + self.kuasa

    @property
    def tercapai(self) -> bool:
        return self.anggota > 0 and self.terhitung >= self.perlu

    @property
    def aturan(self) -> str:
        word = "lebih dari" if self.lebih_dari else "sekurang-kurangnya"
        return f"{word} {self.pecahan.numerator}/{self.pecahan.denominator} dari {self.anggota} anggota"


def needed(members_count: int, fraction: Fraction, strict: bool) -> int:
    """The least attendance that meets the quorum: more than (strict) or at least the fraction
    of the members, counted exactly (10 members, more than 1/2 → 6; at least 1/2 → 5)."""
    share = fraction * members_count
    if strict:
        return math.floor(share) + 1
    return math.ceil(share)


def quorum(members_count: int, present: int, proxies: int, rule: config.RapatAnggota) -> Quorum:
    return Quorum(
        anggota=members_count,
        hadir=present,
        kuasa=proxies,
        perlu=needed(members_count, rule.kuorum, rule.kuorum_lebih_dari),
        pecahan=rule.kuorum,
        lebih_dari=rule.kuorum_lebih_dari,
    )


def meeting_date(inputs: config.RatInputs) -> dt.date:
    if inputs.tanggal is None:
        raise RapatTidakLengkap("Isi dulu tanggal RAT di rat.yaml (rat.tanggal, mis. 15-03-2026).")
    return inputs.tanggal


def _check_year(book: Book, year: int, date: dt.date) -> None:
    if date <= dt.date(year, 12, 31):
        raise RapatTidakLengkap(
            f"Tanggal RAT {dates.fmt(date)} (rat.tanggal) harus sesudah tahun buku {year} berakhir."
        )


def active_members(book: Book, date: dt.date) -> list[members.Member]:
    """Members active on the meeting date, by NAK: those who have a vote."""
    return sorted(
        (m for m in members.register(book).values() if m.active_on(date)), key=lambda m: m.nak
    )


def _header(book: Book, year: int, inputs: config.RatInputs) -> dict[str, Any]:
    cfg = book.config
    date = meeting_date(inputs)
    _check_year(book, year, date)
    return {
        "koperasi": cfg.nama,
        "nomor_badan_hukum": cfg.nomor_badan_hukum,
        "alamat": cfg.alamat,
        "tahun": year,
        "rat_ke": inputs.ke or "",
        "tanggal": dates.fmt_long(date),
        "hari": dates_day(date),
        "pukul": inputs.pukul or "",
        "tempat": inputs.tempat or "",
    }


DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def dates_day(date: dt.date) -> str:
    return DAYS[date.weekday()]


def _signers(book: Book) -> list[dict[str, str]]:
    org = book.config.organisasi
    wanted = ("ketua", "sekretaris")
    found = []
    for role in wanted:
        person = next((o for o in org.pengurus if o.jabatan.lower() == role), None)
        if person:
            found.append({"jabatan": role.capitalize(), "nama": person.nama})
    return found


def invitation(book: Book, year: int, inputs: config.RatInputs) -> dict[str, Any]:
    """The invitation: date, time, place and agenda (rat.yaml `rat.acara`, or the usual one)."""
    head = _header(book, year, inputs)
    if not inputs.tempat:
        raise RapatTidakLengkap("Isi dulu tempat RAT di rat.yaml (rat.tempat).")
    agenda = inputs.acara or tuple(a.format(year=year, next=year + 1) for a in DEFAULT_AGENDA)
    people = active_members(book, meeting_date(inputs))
    return {
        **head,
        "acara": list(agenda),
        "jumlah_anggota": len(people),
        "kuorum": _rule_text(book.config.rapat_anggota),
        "penandatangan": _signers(book),
    }


def _rule_text(rule: config.RapatAnggota) -> str:
    word = "lebih dari" if rule.kuorum_lebih_dari else "sekurang-kurangnya"
    text = f"{word} {rule.kuorum.numerator}/{rule.kuorum.denominator} jumlah anggota"
    if rule.kuasa_per_anggota:
        text += f"; seorang anggota boleh membawa paling banyak {rule.kuasa_per_anggota} kuasa"
    return text


def attendance_list(book: Book, year: int, inputs: config.RatInputs) -> dict[str, Any]:
    """One line per member active on the meeting date, with a column to sign."""
    head = _header(book, year, inputs)
    people = active_members(book, meeting_date(inputs))
    return {
        **head,
        "anggota": [{"no": i, "nak": m.nak, "nama": m.nama} for i, m in enumerate(people, 1)],
        "jumlah_anggota": len(people),
        "kuorum": _rule_text(book.config.rapat_anggota),
        "perlu": needed(
            len(people),
            book.config.rapat_anggota.kuorum,
            book.config.rapat_anggota.kuorum_lebih_dari,
        ),
    }


def count(book: Book, year: int, inputs: config.RatInputs) -> tuple[Quorum, list[members.Member]]:
    """Check rat.yaml `kehadiran:` against the register and the AD/ART; the quorum and the
    members present (empty when only their number was given)."""
    date = meeting_date(inputs)
    _check_year(book, year, date)
    att = inputs.kehadiran
    if att.empty:
        raise RapatTidakLengkap(
            "Isi dulu kehadiran RAT di rat.yaml (kehadiran.hadir: NAK yang hadir, "
            "atau kehadiran.jumlah_hadir)."
        )
    people = active_members(book, date)
    active = {m.nak: m for m in people}
    reg = members.register(book)
    seen: set[str] = set()
    for nak in att.hadir:
        if nak in seen:
            raise KehadiranSalah(f"kehadiran.hadir: {nak} tertulis lebih dari sekali.")
        seen.add(nak)
        _must_be_active(nak, reg, active, date, "kehadiran.hadir")
    if att.hadir and att.jumlah_hadir is not None and att.jumlah_hadir != len(att.hadir):
        raise KehadiranSalah(
            f"kehadiran.jumlah_hadir ({att.jumlah_hadir}) tidak sama dengan banyaknya NAK di "
            f"kehadiran.hadir ({len(att.hadir)}); isi salah satu saja."
        )
    present = len(att.hadir) if att.hadir else int(att.jumlah_hadir or 0)
    if present > len(people):
        raise KehadiranSalah(
            f"kehadiran.jumlah_hadir ({present}) lebih dari anggota aktif pada "
            f"{dates.fmt(date)} ({len(people)})."
        )
    rule = book.config.rapat_anggota
    if att.kuasa and rule.kuasa_per_anggota == 0:
        raise KehadiranSalah(
            "kehadiran.kuasa diisi, padahal AD/ART tidak membolehkan kuasa "
            "(koperasi.yaml rapat_anggota.kuasa_per_anggota: 0)."
        )
    carried: dict[str, int] = {}
    givers: set[str] = set()
    for p in att.kuasa:
        _must_be_active(p.pemberi, reg, active, date, "kehadiran.kuasa pemberi")
        _must_be_active(p.penerima, reg, active, date, "kehadiran.kuasa penerima")
        if p.pemberi in seen:
            raise KehadiranSalah(f"kehadiran.kuasa: {p.pemberi} hadir sendiri, tidak perlu kuasa.")
        if p.pemberi in givers:
            raise KehadiranSalah(f"kehadiran.kuasa: {p.pemberi} memberi kuasa lebih dari sekali.")
        givers.add(p.pemberi)
        if att.hadir and p.penerima not in seen:
            raise KehadiranSalah(
                f"kehadiran.kuasa: penerima kuasa {p.penerima} tidak tercatat hadir."
            )
        carried[p.penerima] = carried.get(p.penerima, 0) + 1
        if carried[p.penerima] > rule.kuasa_per_anggota:
            raise KehadiranSalah(
                f"kehadiran.kuasa: {p.penerima} membawa lebih dari {rule.kuasa_per_anggota} "
                "kuasa (koperasi.yaml rapat_anggota.kuasa_per_anggota)."
            )
    if present + len(att.kuasa) > len(people):
        raise KehadiranSalah(
            f"Hadir ditambah kuasa ({present + len(att.kuasa)}) lebih dari anggota aktif "
            f"({len(people)})."
        )
    q = quorum(len(people), present, len(att.kuasa), rule)
    return q, [active[n] for n in sorted(att.hadir)]


def _must_be_active(
    nak: str,
    reg: dict[str, members.Member],
    active: dict[str, members.Member],
    date: dt.date,
    where: str,
) -> None:
    if nak not in reg:
        raise KehadiranSalah(f"{where}: {nak} bukan anggota yang terdaftar.")
    if nak not in active:
        raise KehadiranSalah(f"{where}: {nak} bukan anggota aktif pada {dates.fmt(date)}.")


def minutes(book: Book, year: int, inputs: config.RatInputs) -> dict[str, Any]:
    """The draft berita acara: attendance, quorum met or not, the decisions taken (rat.yaml
    `keputusan`; else the draft decisions, marked as drafts) and the signatures."""
    head = _header(book, year, inputs)
    if not inputs.tempat:
        raise RapatTidakLengkap("Isi dulu tempat RAT di rat.yaml (rat.tempat).")
    q, present = count(book, year, inputs)
    att = inputs.kehadiran
    decided = list(inputs.keputusan)
    return {
        **head,
        "kuorum": {
            "anggota": q.anggota,
            "hadir": q.hadir,
            "kuasa": q.kuasa,
            "terhitung": q.terhitung,
            "perlu": q.perlu,
            "aturan": q.aturan,
            "tercapai": q.tercapai,
        },
        "hadir": [{"nak": m.nak, "nama": m.nama} for m in present],
        "kuasa": [{"pemberi": p.pemberi, "penerima": p.penerima} for p in att.kuasa],
        "tamu": att.tamu,
        "pimpinan_rapat": att.pimpinan_rapat or "",
        "notulis": att.notulis or "",
        "keputusan": decided if q.tercapai else [],
        "rancangan": [] if decided or not q.tercapai else list(inputs.rancangan_keputusan),
        "penandatangan": _signers(book),
    }
