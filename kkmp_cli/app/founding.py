"""Use case: found a new cooperative folder (`kkmp init`, `kkmp latihan mulai`)."""

from __future__ import annotations

from pathlib import Path

from kkmp_cli import text
from kkmp_cli.core import coop
from kkmp_cli.core.ledger import Paths
from kkmp_cli.errors import KkmpError


def found_cooperative(folder: Path, nama: str, tahun: int) -> Paths:
    """Create the folder of a new cooperative (koperasi.yaml, chart, first year's journal) in one
    all-or-nothing commit; the name is cleaned and the year checked before anything is written."""
    if not 2000 <= tahun <= 2100:
        raise KkmpError(f"Tahun buku {tahun} tidak masuk akal.")
    return coop.init(folder, text.clean(nama, field="nama koperasi", max_len=120), tahun)
