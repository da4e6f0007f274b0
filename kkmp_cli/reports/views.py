"""Statements as plain, already formatted data for renderers and templates (which do no
arithmetic and format nothing themselves)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kkmp_cli import money
from kkmp_cli.reports.statements import Statement

NONE = "—"


def cell(value: Decimal | None, level: int = 1) -> str:
    """A statement figure as printed: negatives in parentheses, "—" for no figure (a
    comparative period before the books start); a section heading (level 0) shows nothing."""
    return "" if level == 0 else money.fmt_report(value)


def statement(
    st: Statement, *, blank: frozenset[int] = frozenset(), notes: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Everything a template needs, every number already written as Rupiah; the columns in
    `blank` (a comparative year without books) read "—" throughout, and `notes` follow the
    statement's own."""
    return {
        "jenis": st.jenis,
        "judul": st.judul,
        "koperasi": st.koperasi,
        "periode": st.periode,
        "kolom": list(st.kolom),
        "kolom_info": list(st.kolom_info),
        "baris": [
            {
                "label": r.label,
                "kode": r.kode or "",
                "tingkat": r.level,
                "info": list(r.info),
                "nilai": [
                    NONE if i in blank and r.level != 0 else cell(v, r.level)
                    for i, v in enumerate(r.nilai)
                ],
            }
            for r in st.baris
        ],
        "catatan": [*st.catatan, *notes],
    }


def statement_json(st: Statement) -> dict[str, Any]:
    """Stable keys for scripts and auditors: totals at the top level, amounts as integers."""
    payload: dict[str, Any] = {
        "jenis": st.jenis,
        "judul": st.judul,
        "koperasi": st.koperasi,
        "periode": st.periode,
        "kolom": list(st.kolom),
        **st.total,
        "tahun_lalu": st.total_lalu,
        "baris": [
            {
                "label": r.label,
                "akun": r.akun,
                "kode": r.kode,
                "tingkat": r.level,
                "info": list(r.info),
                "nilai": list(r.nilai),
            }
            for r in st.baris
        ],
        "catatan": list(st.catatan),
        **st.rincian,
    }
    return payload


def statement_csv_rows(st: Statement) -> list[list[Any]]:
    header = ["kode", *st.kolom_info, "uraian", *st.kolom]
    rows: list[list[Any]] = [header]
    for r in st.baris:
        info = list(r.info) if st.kolom_info else []
        rows.append([r.kode or "", *info, r.label, *("" if v is None else int(v) for v in r.nilai)])
    return rows


POOL_LABELS = {
    "cadangan": "Cadangan",
    "imbal_jasa_desa": "Imbal jasa Pemerintah Desa",
    "jasa_modal": "Jasa modal (simpanan)",
    "pengurus": "Dana pengurus",
    "karyawan": "Dana karyawan",
    "pendidikan": "Dana pendidikan",
    "sosial": "Dana sosial",
}
LINE_LABELS = {
    "penjualan": "Jasa usaha: belanja",
    "pinjaman": "Jasa usaha: pinjaman",
    "usaha": "Jasa usaha",
}


def _pct(value: object) -> str:
    return money.fmt_pct(Decimal(str(value)))


def _pos_json(p: Any) -> dict[str, Any]:
    return {
        "kode": p.kode,
        "nama": p.nama,
        "persen": None if p.persen is None else str(p.persen),
        "dasar": p.dasar,
        "jumlah": p.jumlah,
        "porsi_shu": str(p.porsi),
    }


def shu_json(sheet: Any) -> dict[str, Any]:
    return {
        "tahun": sheet.tahun,
        "status": sheet.status,
        "shu": sheet.shu,
        "shu_anggota": sheet.shu_anggota,
        "shu_non_anggota": sheet.shu_non_anggota,
        "pool": {
            "cadangan": sheet.cadangan,
            "jasa_modal": sheet.jasa_modal,
            "jasa_usaha": dict(sheet.jasa_usaha),
            **sheet.dana,
            **sheet.lain,
        },
        "pos": [_pos_json(p) for p in sheet.pos],
        "persen": {
            k: (str(v) if not isinstance(v, dict) else {a: str(b) for a, b in v.items()})
            for k, v in sheet.persen.items()
        },
        "dasar_total": sheet.dasar_total,
        "anggota": [
            {
                "nak": m.nak,
                "nama": m.nama,
                "simpanan": m.dasar_modal,
                "transaksi": m.dasar_usaha,
                "jasa_modal": m.jasa_modal,
                "jasa_usaha": m.jasa_usaha,
                "total": m.total,
            }
            for m in sheet.anggota
        ],
        "total_anggota": sheet.total_anggota,
        "sisa_pembulatan": sheet.sisa_pembulatan,
        "catatan": list(sheet.catatan),
    }


BASE_WORDS = {
    "shu_total": "seluruh SHU",
    "shu_anggota": "SHU anggota",
    "shu_non_anggota": "SHU non-anggota",
}


def _pos_view(p: Any) -> dict[str, str]:
    if p.persen is None:
        persen = "seluruhnya" if p.dasar == "shu_non_anggota" else ""
    else:
        persen = f"{_pct(p.persen)} dari {BASE_WORDS[p.dasar]}"
    return {
        "nama": p.nama,
        "persen": persen,
        "porsi": f"{_pct(p.porsi)} SHU",
        "jumlah": money.fmt(p.jumlah),
    }


def shu_view(sheet: Any) -> dict[str, Any]:
    """The SHU sheet with every figure formatted, for templates and tables: each pool with its
    AD/ART percentage and base, its share of the whole SHU and its rupiah (#13)."""
    lines = list(sheet.jasa_usaha)
    others = sum(sheet.dana.values(), Decimal(0)) + sum(sheet.lain.values(), Decimal(0))
    return {
        "tahun": sheet.tahun,
        "status": sheet.status,
        "shu": money.fmt(sheet.shu),
        "shu_anggota": money.fmt(sheet.shu_anggota),
        "shu_non_anggota": money.fmt(sheet.shu_non_anggota),
        "pool": [_pos_view(p) for p in sheet.pos],
        "catatan": list(sheet.catatan),
        "kolom_usaha": [LINE_LABELS.get(line, line) for line in lines],
        "anggota": [
            {
                "nak": m.nak,
                "nama": m.nama,
                "simpanan": money.fmt(m.dasar_modal),
                "jasa_modal": money.fmt(m.jasa_modal),
                "jasa_usaha": [money.fmt(m.jasa_usaha[line]) for line in lines],
                "total": money.fmt(m.total),
            }
            for m in sheet.anggota
        ],
        "total_anggota": money.fmt(sheet.total_anggota),
        "sisa_pembulatan": money.fmt(sheet.sisa_pembulatan),
        "rekonsiliasi": (
            f"{money.fmt(sheet.total_anggota)} (anggota) + {money.fmt(sheet.cadangan)} (cadangan) + "
            f"{money.fmt(others)} (dana dan pos lain) + "
            f"{money.fmt(sheet.sisa_pembulatan)} (sisa pembulatan) = {money.fmt(sheet.shu)}"
        ),
    }


def shu_rows(sheet: Any) -> tuple[list[str], list[list[Any]]]:
    """Header and rows for CSV/XLSX (whole rupiah as numbers)."""
    lines = list(sheet.jasa_usaha)
    header = [
        "nak",
        "nama",
        "simpanan",
        *[f"transaksi_{line}" for line in lines],
        "jasa_modal",
        *[f"jasa_usaha_{line}" for line in lines],
        "total",
    ]
    rows = [
        [
            m.nak,
            m.nama,
            m.dasar_modal,
            *[m.dasar_usaha[line] for line in lines],
            m.jasa_modal,
            *[m.jasa_usaha[line] for line in lines],
            m.total,
        ]
        for m in sheet.anggota
    ]
    return header, rows


# --- report packs (#14) ---


def _pack_cell(value: Any, level: int) -> str:
    if level == 0:
        return ""
    if isinstance(value, Decimal):
        return money.fmt_report(value)
    if value is None:
        return "—"
    return str(value)


def _section(heading: str, section: Any) -> dict[str, Any]:
    if isinstance(section, Statement):
        return {**statement(section), "bagian": heading}
    return {
        "bagian": heading,
        "judul": section.judul,
        "periode": "",
        "kolom": list(section.kolom),
        "kolom_info": [],
        "baris": [
            {
                "label": line.label,
                "kode": "",
                "tingkat": line.level,
                "info": [],
                "nilai": [_pack_cell(v, line.level) for v in line.cells],
            }
            for line in section.baris
        ],
        "catatan": list(section.catatan),
    }


def pack_view(pack: Any) -> dict[str, Any]:
    """A report pack for the templates: every section as a statement view."""
    return {
        "jenis": pack.jenis,
        "judul": pack.judul,
        "koperasi": pack.koperasi,
        "desa": pack.desa,
        "periode": pack.periode.label,
        "dari": pack.periode.start.strftime("%d-%m-%Y"),
        "sampai": pack.periode.end.strftime("%d-%m-%Y"),
        "bagian": [_section(h, s) for h, s in pack.bagian],
        "catatan": list(pack.catatan),
    }


def pack_sheets(pack: Any) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(sheet name, header, rows) per section for XLSX: rupiah as whole numbers."""
    sheets = []
    for heading, section in pack.bagian:
        if isinstance(section, Statement):
            rows = statement_csv_rows(section)
            sheets.append((heading, [str(c) for c in rows[0]], rows[1:]))
            continue
        header = ["uraian", *section.kolom]
        body = [
            [line.label, *("" if v is None else v for v in line.cells)] for line in section.baris
        ]
        sheets.append((heading, header, body))
    return sheets
