"""The papers a member takes home: a receipt of any document, the passbook, the loan card.

Each function reads a loaded Book and returns plain data (amounts as Decimal); `sheet` turns
that data into the strings a template lays out (templates do no arithmetic).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, dates, money
from kkmp_cli.core.ledger import Book
from kkmp_cli.counter import terbilang
from kkmp_cli.errors import KkmpError
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.members import register as members

ZERO = Decimal(0)

# What a document's prefix says on paper (chart.DOC_IN / DOC_OUT and the other journals).
TITLES = {
    "BKM": "Bukti Kas Masuk",
    "BKK": "Bukti Kas Keluar",
    "BBM": "Bukti Bank Masuk",
    "BBK": "Bukti Bank Keluar",
}

# The words a member reads for each kind of passbook line (jenis of the entry).
PASSBOOK_WORDS = {
    "setor": "Setoran",
    "tarik": "Penarikan",
    "keluar": "Pengembalian (keluar)",
    "shu": "SHU",
    "koreksi": "Koreksi",
}


class DokumenTidakDikenal(KkmpError):
    """No transaction carries that document number."""


@dataclass(frozen=True)
class ReceiptLine:
    uraian: str
    jumlah: Decimal


@dataclass(frozen=True)
class Receipt:
    """A kuitansi / bukti kas of one recorded document."""

    koperasi: str
    judul: str
    nomor: str
    tanggal: dt.date
    arah: str  # "masuk", "keluar" or "memorial"
    pihak: str
    uraian: str
    jumlah: Decimal
    terbilang: str
    bukti_fisik: str | None
    rincian: tuple[ReceiptLine, ...]


def find(book: Book, doc_id: str) -> data.Transaction:
    """The transaction with document number `doc_id` (any case)."""
    wanted = doc_id.strip().upper()
    index: dict[str, data.Transaction] = book.memo(
        ("documents",),
        lambda: {str(e.meta["id"]): e for e in book.transactions() if "id" in e.meta},
    )
    entry = index.get(wanted)
    if entry is None:
        raise DokumenTidakDikenal(
            f"Tidak ada transaksi bernomor '{doc_id}'. Nomor bukti tertulis di keluaran perintah "
            "yang mencatatnya, mis. BKM-2025-000001."
        )
    return entry


def is_cash(account: str) -> bool:
    """A cash or bank account (or one of its sub-accounts)."""
    return any(
        account == root or account.startswith(root + ":") for root in chart.CASH_ACCOUNTS.values()
    )


def _label(account: str) -> str:
    parent = chart.report_account(account)
    split = chart.split_member_account(account)
    if split is not None:
        parent = split[0]
    known = chart.CHART_BY_NAME.get(parent)
    if known is not None:
        return known.description
    return account.rsplit(":", 1)[-1].replace("-", " ")


def receipt(book: Book, doc_id: str) -> Receipt:
    """The receipt of a document: who, what for, how much (in figures and words)."""
    entry = find(book, doc_id)
    nomor = str(entry.meta["id"])
    cash = sum((_amount(p) for p in entry.postings if is_cash(p.account)), ZERO)
    others = [p for p in entry.postings if not is_cash(p.account)]
    if cash > 0:
        arah, jumlah = "masuk", cash
        lines = [(p, -_amount(p)) for p in others]
    elif cash < 0:
        arah, jumlah = "keluar", -cash
        lines = [(p, _amount(p)) for p in others]
    else:
        arah = "memorial"
        jumlah = sum((_amount(p) for p in entry.postings if _amount(p) > 0), ZERO)
        lines = [(p, _amount(p)) for p in others if _amount(p) > 0]
    prefix = nomor.split("-", 1)[0]
    judul = (
        TITLES.get(prefix)
        or {
            "masuk": "Bukti Kas Masuk",
            "keluar": "Bukti Kas Keluar",
            "memorial": "Bukti Memorial",
        }[arah]
    )
    nak = entry.meta.get("anggota")
    pihak = entry.payee or ""
    if isinstance(nak, str) and nak in members.register(book):
        pihak = f"{members.get(book, nak).nama} ({nak})"
    bukti = entry.meta.get("bukti") or entry.meta.get("nota")
    return Receipt(
        koperasi=book.config.nama,
        judul=judul,
        nomor=nomor,
        tanggal=entry.date,
        arah=arah,
        pihak=pihak or "-",
        uraian=_without_number(entry.narration or "", str(bukti) if bukti else None),
        jumlah=jumlah,
        terbilang=terbilang.rupiah(jumlah).capitalize(),
        bukti_fisik=str(bukti) if bukti else None,
        rincian=tuple(ReceiptLine(_label(p.account), n) for p, n in lines if n),
    )


def _without_number(narration: str, number: str | None) -> str:
    """The description without the paper receipt's number the narration ends with ("(bukti
    K1)", "(nota N-7)"): the receipt gives it in its own row."""
    for word in ("bukti", "nota"):
        if number and narration.endswith(end := f" ({word} {number})"):
            return narration[: -len(end)]
    return narration


def _amount(p: data.Posting) -> Decimal:
    units = p.units
    if units is None or not isinstance(units.number, Decimal) or p.cost is not None:
        return ZERO
    return units.number


# --- the passbook (buku simpanan) ---


@dataclass(frozen=True)
class PassbookLine:
    tanggal: dt.date
    bukti: str
    uraian: str
    setor: Decimal
    tarik: Decimal
    saldo: Decimal


@dataclass(frozen=True)
class PassbookPart:
    jenis: str  # pokok, wajib, sukarela
    judul: str
    saldo_awal: Decimal
    lines: tuple[PassbookLine, ...]
    saldo_akhir: Decimal


@dataclass(frozen=True)
class Passbook:
    koperasi: str
    nak: str
    nama: str
    masuk: dt.date
    status: str
    dari: dt.date | None
    sampai: dt.date | None
    parts: tuple[PassbookPart, ...]

    @property
    def total(self) -> Decimal:
        return sum((p.saldo_akhir for p in self.parts), ZERO)


def _words(uraian: str) -> str:
    return uraian or "Mutasi simpanan"


def passbook(
    book: Book, nak: str, dari: dt.date | None = None, sampai: dt.date | None = None
) -> Passbook:
    """The member's buku simpanan: per kind, the balance brought forward, every movement with
    its document and the running balance (the same lines as `anggota lihat`)."""
    st = members.statement(book, nak)
    m = st.member
    parts = []
    for kind in st.saldo:  # pokok, wajib, sukarela, and berjangka when the member has one
        opening = ZERO
        rows = []
        for line in st.lines:
            if line.jenis != kind or (sampai is not None and line.tanggal > sampai):
                continue
            if dari is not None and line.tanggal < dari:
                opening = line.saldo
                continue
            rows.append(
                PassbookLine(
                    line.tanggal,
                    line.bukti,
                    _words(line.keterangan),
                    line.jumlah if line.jumlah > 0 else ZERO,
                    -line.jumlah if line.jumlah < 0 else ZERO,
                    line.saldo,
                )
            )
        closing = rows[-1].saldo if rows else opening
        parts.append(
            PassbookPart(
                kind,
                chart.SIMPANAN_LABELS[kind].capitalize(),
                opening,
                tuple(rows),
                closing,
            )
        )
    return Passbook(book.config.nama, m.nak, m.nama, m.masuk, m.status, dari, sampai, tuple(parts))


# --- the loan card (kartu pinjaman) ---


@dataclass(frozen=True)
class CardRow:
    ke: int
    jatuh_tempo: dt.date
    pokok: Decimal
    jasa: Decimal
    angsuran: Decimal
    sisa_pokok: Decimal
    lunas: bool
    dibayar: tuple[tuple[dt.date, str], ...]  # (date, receipt number) of the payments


@dataclass(frozen=True)
class LoanCard:
    koperasi: str
    id: str
    nak: str
    nama: str
    tanggal: dt.date
    pokok: Decimal
    tenor: int
    jasa_persen: Decimal
    metode: str
    per: dt.date
    status: str
    sisa_pokok: Decimal
    tunggakan_pokok: Decimal
    tunggakan_jasa: Decimal
    hari_tunggakan: int
    kolektibilitas: str
    denda_dibayar: Decimal
    rows: tuple[CardRow, ...]
    pembayaran: tuple[pf.Payment, ...] = field(default=())


def loan_card(book: Book, loan_id: str, per: dt.date) -> LoanCard:
    """The loan card: the schedule, each instalment with the payments that settled it (date
    and receipt number, first paid first settled), arrears and denda, as of `per`."""
    loan = pf.get(book, loan_id)
    state = pf.state(book, loan, per)
    undone = pf.corrected(state.pembayaran)
    pays = [
        p
        for p in state.pembayaran
        if p.jenis != "koreksi" and p.doc not in undone and (p.pokok or p.jasa)
    ]
    rows = []
    due_to = ZERO
    cumulative = [ZERO]
    for p in pays:
        cumulative.append(cumulative[-1] + p.pokok + p.jasa)
    for inst in state.angsuran:
        due_from, due_to = due_to, due_to + inst.angsuran.angsuran
        settled = tuple(
            (p.tanggal, p.doc)
            for i, p in enumerate(pays)
            if cumulative[i] < due_to and cumulative[i + 1] > due_from
        )
        rows.append(
            CardRow(
                inst.angsuran.ke,
                inst.angsuran.jatuh_tempo,
                inst.angsuran.pokok,
                inst.angsuran.jasa,
                inst.angsuran.angsuran,
                inst.angsuran.sisa_pokok,
                inst.lunas,
                settled,
            )
        )
    return LoanCard(
        koperasi=book.config.nama,
        id=loan.id,
        nak=loan.nak,
        nama=members.get(book, loan.nak).nama if loan.nak in members.register(book) else loan.nama,
        tanggal=loan.tanggal,
        pokok=loan.pokok,
        tenor=loan.tenor,
        jasa_persen=loan.jasa_persen,
        metode=loan.metode,
        per=per,
        status=state.status,
        sisa_pokok=state.sisa_pokok,
        tunggakan_pokok=state.tunggakan_pokok,
        tunggakan_jasa=state.tunggakan_jasa,
        hari_tunggakan=state.hari_tunggakan,
        kolektibilitas=pf.CLASS_LABELS.get(state.kolektibilitas, state.kolektibilitas),
        denda_dibayar=state.denda_dibayar,
        rows=tuple(rows),
        pembayaran=tuple(state.pembayaran),
    )


# --- what the templates receive: every number already formatted ---


def _rp(amount: Decimal) -> str:
    return money.fmt(amount)


def receipt_sheet(r: Receipt, *, petugas: str, cetak_ke: int, ukuran: str) -> dict[str, object]:
    return {
        "ukuran": ukuran,
        "koperasi": r.koperasi,
        "judul": r.judul,
        "nomor": r.nomor,
        "tanggal": dates.fmt_long(r.tanggal),
        "arah": r.arah,
        "pihak": r.pihak,
        "pihak_label": {"masuk": "Diterima dari", "keluar": "Dibayarkan kepada"}.get(
            r.arah, "Pihak"
        ),
        "uraian": r.uraian,
        "jumlah": _rp(r.jumlah),
        "terbilang": r.terbilang,
        "bukti_fisik": r.bukti_fisik or "",
        "rincian": [{"uraian": line.uraian, "jumlah": _rp(line.jumlah)} for line in r.rincian],
        "petugas": petugas,
        "cetak_ulang": cetak_ke > 1,
        "cetak_ke": cetak_ke,
    }


def passbook_sheet(pb: Passbook, *, ukuran: str) -> dict[str, object]:
    period = ""
    if pb.dari or pb.sampai:
        period = (
            f"{dates.fmt(pb.dari) if pb.dari else 'awal'} s.d. "
            f"{dates.fmt(pb.sampai) if pb.sampai else 'hari ini'}"
        )
    return {
        "ukuran": ukuran,
        "koperasi": pb.koperasi,
        "nak": pb.nak,
        "nama": pb.nama,
        "masuk": dates.fmt(pb.masuk),
        "status": pb.status,
        "periode": period,
        "total": _rp(pb.total),
        "bagian": [
            {
                "judul": part.judul,
                "saldo_awal": _rp(part.saldo_awal),
                "saldo_akhir": _rp(part.saldo_akhir),
                "baris": [
                    {
                        "tanggal": dates.fmt(line.tanggal),
                        "bukti": line.bukti,
                        "uraian": line.uraian,
                        "setor": _rp(line.setor) if line.setor else "",
                        "tarik": _rp(line.tarik) if line.tarik else "",
                        "saldo": _rp(line.saldo),
                    }
                    for line in part.lines
                ],
            }
            for part in pb.parts
        ],
    }


def card_sheet(card: LoanCard, *, ukuran: str) -> dict[str, object]:
    return {
        "ukuran": ukuran,
        "koperasi": card.koperasi,
        "id": card.id,
        "nak": card.nak,
        "nama": card.nama,
        "tanggal": dates.fmt(card.tanggal),
        "pokok": _rp(card.pokok),
        "pokok_terbilang": terbilang.rupiah(card.pokok).capitalize(),
        "tenor": card.tenor,
        "jasa": f"{money.fmt_pct(card.jasa_persen)} per bulan ({card.metode})",
        "per": dates.fmt(card.per),
        "status": card.status,
        "sisa_pokok": _rp(card.sisa_pokok),
        "tunggakan_pokok": _rp(card.tunggakan_pokok),
        "tunggakan_jasa": _rp(card.tunggakan_jasa),
        "hari_tunggakan": card.hari_tunggakan,
        "kolektibilitas": card.kolektibilitas,
        "denda_dibayar": _rp(card.denda_dibayar),
        "baris": [
            {
                "ke": row.ke,
                "jatuh_tempo": dates.fmt(row.jatuh_tempo),
                "pokok": _rp(row.pokok),
                "jasa": _rp(row.jasa),
                "angsuran": _rp(row.angsuran),
                "sisa_pokok": _rp(row.sisa_pokok),
                "lunas": "lunas" if row.lunas else "",
                "dibayar": ", ".join(f"{dates.fmt(d)} {doc}" for d, doc in row.dibayar),
            }
            for row in card.rows
        ],
        "pembayaran": [
            {
                "tanggal": dates.fmt(p.tanggal),
                "bukti": p.doc,
                "pokok": _rp(p.pokok),
                "jasa": _rp(p.jasa),
                "denda": _rp(p.denda),
                "jenis": p.jenis,
            }
            for p in card.pembayaran
        ],
    }
