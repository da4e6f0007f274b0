"""The `KkmpFava` extension: one report page in Fava's sidebar ("Koperasi"), with four views
chosen by `?halaman=`: anggota (Buku Daftar Anggota), kartu (kartu simpanan, `&nak=`), pinjaman
(portofolio pinjaman, `&per=`) and shu (lembar SHU, `&tahun=`). Every figure comes from kkmp's
domain functions on kkmp's own view of the books; this module only arranges it for a page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from fava.ext import FavaExtensionBase

from kkmp_cli import dates, money
from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.errors import KkmpError
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.members import register as members
from kkmp_cli.reports import views
from kkmp_cli.shu import shu

PAGES = {
    "anggota": "Buku Daftar Anggota",
    "kartu": "Kartu simpanan anggota",
    "pinjaman": "Portofolio pinjaman",
    "shu": "Lembar SHU",
}


@dataclass
class Page:
    """One view, ready for the template: a title, lines of text and tables of strings."""

    halaman: str
    judul: str
    keterangan: list[str] = field(default_factory=list)
    tabel: list[Table] = field(default_factory=list)
    galat: str | None = None
    per: str | None = None  # the day asked for (`&per=`), which the page's links carry on


@dataclass
class Table:
    judul: str
    kolom: list[str]
    baris: list[list[str]]
    jumlah: list[str] | None = None


def register_page(book: Book, per: dt.date) -> Page:
    rows = members.listing(book, per)
    kinds = list(members.kinds(book, per))
    active = sum(1 for r in rows if r.member.keluar is None)
    table = Table(
        f"per {dates.fmt(per)}",
        ["NAK", "Nama", "Masuk", "Status", *(k.capitalize() for k in kinds), "Jumlah"],
        [
            [
                r.member.nak,
                r.member.nama,
                dates.fmt(r.member.masuk),
                r.member.status_text,
                *(money.fmt(r.saldo[k]) for k in kinds),
                money.fmt(sum((r.saldo[k] for k in kinds), Decimal(0))),
            ]
            for r in rows
        ],
        [
            "Jumlah",
            f"{len(rows)} anggota",
            "",
            f"{active} aktif",
            *(money.fmt(sum((r.saldo[k] for r in rows), Decimal(0))) for k in kinds),
            money.fmt(sum((r.saldo[k] for r in rows for k in kinds), Decimal(0))),
        ],
    )
    return Page("anggota", PAGES["anggota"], [f"{len(rows)} anggota, {active} aktif."], [table])


def card_page(book: Book, nak: str, per: dt.date) -> Page:
    """The member's card as it stood at the end of `per`, like the register of that day."""
    st = members.statement(book, nak, per)
    m = st.member
    notes = [f"{m.nak} {m.nama}, masuk {dates.fmt(m.masuk)}, status {m.status}"]
    notes.append(f"Keadaan per {dates.fmt(per)}")
    notes += [f"Saldo simpanan {k}: {money.fmt(v)}" for k, v in st.saldo.items()]
    notes.append(f"Total simpanan: {money.fmt(st.total_simpanan)}")
    mutations = Table(
        "Mutasi simpanan",
        ["Tanggal", "Bukti", "Keterangan", "Jenis", "Jumlah", "Saldo"],
        [
            [
                dates.fmt(line.tanggal),
                line.bukti,
                line.keterangan,
                line.jenis,
                money.fmt(line.jumlah),
                money.fmt(line.saldo),
            ]
            for line in st.lines
        ],
    )
    loans = Table(
        "Pinjaman",
        ["Pinjaman", "Tanggal", "Pokok", "Sisa pokok", "Status", "Kolektibilitas"],
        [
            [
                ls.loan.id,
                dates.fmt(ls.loan.tanggal),
                money.fmt(ls.loan.pokok),
                money.fmt(ls.sisa_pokok),
                ls.status,
                pf.CLASS_LABELS[ls.kolektibilitas] if ls.berjalan else "",
            ]
            for ls in pf.member_loans(book, m.nak, per)
        ],
    )
    history = Table(
        "SHU",
        ["Tahun", "Jumlah", "Ke"],
        [[str(y), money.fmt(a), where] for y, a, where in shu.member_history(book, m.nak, per)],
    )
    tables = [mutations] + [t for t in (loans, history) if t.baris]
    return Page("kartu", f"{PAGES['kartu']} {m.nak}", notes, tables)


def portfolio_page(book: Book, per: dt.date) -> Page:
    p = pf.portfolio(book, per)
    table = Table(
        f"per {dates.fmt(per)}",
        ["Pinjaman", "NAK", "Tanggal", "Pokok", "Sisa pokok", "Tunggakan", "Status", "Golongan"],
        [
            [
                s.loan.id,
                s.loan.nak,
                dates.fmt(s.loan.tanggal),
                money.fmt(s.loan.pokok),
                money.fmt(s.sisa_pokok),
                f"{s.hari_tunggakan} hari" if s.hari_tunggakan else "",
                s.status,
                pf.CLASS_LABELS[s.kolektibilitas] if s.berjalan else "",
            ]
            for s in p.pinjaman
        ],
    )
    classes = Table(
        "Per kolektibilitas",
        ["Golongan", "Pinjaman", "Sisa pokok", "Penyisihan"],
        [
            [
                pf.CLASS_LABELS[k],
                str(v["jumlah"]),
                money.fmt(Decimal(v["sisa_pokok"])),
                money.fmt(Decimal(v["penyisihan"])),
            ]
            for k, v in p.per_golongan().items()
        ],
    )
    notes = [
        f"{len(p.berjalan)} pinjaman berjalan, sisa pokok {money.fmt(p.total_sisa_pokok)}, "
        f"penyisihan {money.fmt(p.total_penyisihan)}, NPL {money.fmt_pct(p.npl)}"
    ]
    return Page("pinjaman", PAGES["pinjaman"], notes, [table, classes])


def shu_page(book: Book, year: int) -> Page:
    view = views.shu_view(shu.compute(book, year))
    notes = [
        f"SHU {year} ({view['status']}): {view['shu']}; bagian anggota {view['shu_anggota']}, "
        f"bagian non-anggota {view['shu_non_anggota']}",
        *view["catatan"],
        f"Rekonsiliasi: {view['rekonsiliasi']}",
    ]
    pools = Table(
        "Pembagian menurut AD/ART",
        ["Pos", "Persen AD/ART", "Porsi", "Jumlah"],
        [[p["nama"], p["persen"], p["porsi"], p["jumlah"]] for p in view["pool"]],
    )
    per_member = Table(
        f"SHU per anggota {year}",
        ["NAK", "Nama", "Simpanan", "Jasa modal", *view["kolom_usaha"], "Jumlah"],
        [
            [a["nak"], a["nama"], a["simpanan"], a["jasa_modal"], *a["jasa_usaha"], a["total"]]
            for a in view["anggota"]
        ],
        ["Jumlah", "", "", "", *([""] * len(view["kolom_usaha"])), view["total_anggota"]],
    )
    return Page("shu", f"{PAGES['shu']} {year}", notes, [pools, per_member])


def _dated_page(book: Book, halaman: str, nak: str, per: dt.date) -> Page:
    """The pages read as of a day (`&per=`, else today)."""
    if halaman == "anggota":
        return register_page(book, per)
    if halaman == "pinjaman":
        return portfolio_page(book, per)
    if not nak:
        raise KkmpError("Pilih anggota: tambahkan &nak=NAK, mis. &nak=A0001.")
    return card_page(book, nak, per)


def default_year(book: Book, today: dt.date) -> int:
    """The SHU sheet first shown: the last closed year, or the year before today."""
    return max(book.closed_years(), default=today.year - 1)


def page(book: Book, args: dict[str, str], today: dt.date) -> Page:
    """The view `?halaman=` asks for; a wrong argument gives the page its `Galat: ...`."""
    halaman = args.get("halaman") or "anggota"
    try:
        if halaman not in PAGES:
            raise KkmpError(f"Halaman '{halaman}' tidak ada; pilih {', '.join(PAGES)}.")
        per = dates.parse(args.get("per"), default=today)
        if halaman in ("anggota", "kartu", "pinjaman"):
            shown = _dated_page(book, halaman, args.get("nak") or "", per)
            shown.per = dates.fmt(per) if args.get("per") else None
            return shown
        raw = args.get("tahun") or str(default_year(book, today))
        if not (raw.isascii() and raw.isdigit()):  # "²" is a digit to str.isdigit (#16)
            raise KkmpError(f"Tahun '{raw}' tidak dikenal; tulis mis. 2025.")
        return shu_page(book, int(raw))
    except KkmpError as exc:
        message = str(exc)
        if not message.startswith("Galat"):
            message = f"Galat: {message}"
        return Page(halaman, PAGES.get(halaman, "Koperasi"), galat=message)


class KkmpFava(FavaExtensionBase):
    """kkmp's pages in Fava: anggota, kartu simpanan, pinjaman, SHU."""

    report_title = "Koperasi (kkmp)"

    def __init__(self, ledger_: Any, config: str | None = None) -> None:
        super().__init__(ledger_, config)
        self._book: Book | None = None

    def after_load_file(self) -> None:
        self._book = None  # Fava reloaded the files: kkmp reads them again on the next page

    @property
    def root(self) -> Path:
        return Path(self.ledger.beancount_file_path).resolve().parent

    def book(self) -> Book:
        if self._book is None:
            self._book = ledger.load(Paths(self.root))
        return self._book

    def pages(self) -> dict[str, str]:
        return dict(PAGES)

    def view(self, args: dict[str, str]) -> Page:
        """The page for the request's arguments (called by the template)."""
        try:
            book = self.book()
        except KkmpError as exc:
            return Page(args.get("halaman") or "anggota", "Koperasi", galat=f"Galat: {exc}")
        return page(book, args, dt.date.today())
