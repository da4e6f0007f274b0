"""Statements as plain, already formatted data for renderers and templates (which do no
arithmetic and format nothing themselves)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kkmp_cli import money
from kkmp_cli.statements import Statement


def cell(value: Decimal | None) -> str:
    return "" if value is None else money.fmt(value)


def statement(st: Statement) -> dict[str, Any]:
    """Everything a template needs, every number already written as Rupiah."""
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
                "nilai": [cell(v) for v in r.nilai],
            }
            for r in st.baris
        ],
        "catatan": list(st.catatan),
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
    }
    return payload


def statement_csv_rows(st: Statement) -> list[list[Any]]:
    header = ["kode", *st.kolom_info, "uraian", *st.kolom]
    rows: list[list[Any]] = [header]
    for r in st.baris:
        info = list(r.info) if st.kolom_info else []
        rows.append([r.kode or "", *info, r.label, *("" if v is None else int(v) for v in r.nilai)])
    return rows
