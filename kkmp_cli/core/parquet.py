"""Parquet files (the only importer of pyarrow, imported only when a file is written): typed
columns, decimals for money (never floats), one file per table partition."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from kkmp_cli.errors import KkmpError

# Money as decimal(38, 6): whole rupiah stay exact, and a lot's weight at cost (quantity x
# price) keeps six places; a seventh would be rounded half to even. Never a binary float.
PRECISION, SCALE = 38, 6
_QUANTUM = Decimal(1).scaleb(-SCALE)


class ParquetTidakTersedia(KkmpError):
    """pyarrow is not installed."""


def _arrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:
        raise ParquetTidakTersedia(
            "Ekspor Parquet memerlukan paket pyarrow; pasang dengan pip install 'kkmp[parquet]'."
        ) from exc
    return pyarrow


def _type(pa: Any, kind: str) -> Any:
    return {
        "text": pa.string(),
        "date": pa.date32(),
        "int": pa.int64(),
        "rupiah": pa.decimal128(PRECISION, SCALE),
        "jumlah": pa.decimal128(PRECISION, SCALE),
    }[kind]


def _value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("rupiah", "jumlah"):
        return Decimal(value).quantize(_QUANTUM, rounding=ROUND_HALF_EVEN)
    if kind == "int":
        return int(value)
    if kind == "text":
        return str(value)
    return value


def check() -> None:
    """Refuse early, before anything is computed or written, when pyarrow is missing."""
    _arrow()


def write(path: Path, columns: tuple[tuple[str, str], ...], rows: list[dict[str, Any]]) -> None:
    """One Parquet file of `rows` (dicts by column name) with the given (name, kind) columns."""
    pa = _arrow()
    schema = pa.schema([(name, _type(pa, kind)) for name, kind in columns])
    arrays = {name: [_value(kind, r.get(name)) for r in rows] for name, kind in columns}
    table = pa.Table.from_pydict(arrays, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pa.parquet.write_table(table, str(path), compression="zstd")
