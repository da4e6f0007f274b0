"""Terminal tables that fit (#18 part 7): `pinjaman daftar` and `pinjaman jadwal` at 80 columns.

tests/conftest.py makes the CLI's console 200 wide; `--lebar` draws the table for a narrower
terminal, dropping secondary columns (never the loan ID) and wrapping only names."""

from __future__ import annotations

import re

from tests.conftest import Cli, ok, run

LONG_NAME = "Siti Nurhaliza Kusumawardhani Prameswari Wulandari"


def _loans(kdmp: Cli) -> Cli:
    run(
        kdmp,
        f"anggota|tambah|{LONG_NAME}|--tanggal|02-01-2025",
        "simpanan|setor|A0003|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0003|sukarela|10jt|--tanggal|02-01-2025",
        "pinjaman|cair|A0003|2.400.000|--tenor|24|--jasa|1,5|--metode|menurun|--tanggal|03-02-2025",
    )
    return kdmp


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").splitlines()


def test_daftar_fits_80_columns_and_keeps_ids_whole(kdmp: Cli) -> None:
    cli = _loans(kdmp)
    out = ok(cli, "pinjaman", "daftar", "--per", "31-12-2025", "--lebar", "80")
    assert max(len(line) for line in _lines(out)) <= 80, out
    ids = re.findall(r"PJ-2025-\d{4}", out)
    assert sorted(set(ids)) == ["PJ-2025-0001", "PJ-2025-0002"], out
    assert "…" not in out  # nothing cut with an ellipsis
    # The name wraps over lines, every word of it whole.
    for word in LONG_NAME.split():
        assert word in out, (word, out)
    assert "Sisa pokok" in out and "Tunggakan" in out
    folded = " ".join(out.split())
    assert "Kolom Cair, Pokok, Hari" in folded and "disembunyikan agar muat 80 huruf" in folded


def test_daftar_wide_terminal_shows_every_column(kdmp: Cli) -> None:
    out = ok(_loans(kdmp), "pinjaman", "daftar", "--per", "31-12-2025")
    for col in ("ID", "NAK", "Nama", "Cair", "Pokok", "Sisa pokok", "Hari", "Penyisihan"):
        assert col in out
    assert "disembunyikan" not in out
    assert LONG_NAME in out


def test_daftar_very_narrow_keeps_id_name_and_balance(kdmp: Cli) -> None:
    out = ok(_loans(kdmp), "pinjaman", "daftar", "--per", "31-12-2025", "--lebar", "40")
    assert max(len(line) for line in _lines(out)) <= 40, out
    assert "PJ-2025-0001" in out and "PJ-2025-0002" in out
    assert "Sisa pokok" in out


def test_jadwal_fits_80_columns(kdmp: Cli) -> None:
    cli = _loans(kdmp)
    out = ok(cli, "pinjaman", "jadwal", "PJ-2025-0002", "--per", "31-12-2025", "--lebar", "80")
    lines = _lines(out)
    assert max(len(line) for line in lines) <= 80, out
    assert "PJ-2025-0002" in out
    assert "…" not in out
    # one row per instalment (24) plus the total, each amount whole
    rows = [line for line in lines if re.match(r"│\s+\d+ │ \d\d-\d\d-\d{4}", line)]
    assert len(rows) == 24, out
    assert all(re.search(r"Rp\d[\d.]*\d? ", r) for r in rows)
    assert "Angsuran" in out and "Status" in out


def test_jadwal_40_columns_keeps_due_date_and_instalment(kdmp: Cli) -> None:
    out = ok(kdmp, "pinjaman", "jadwal", "PJ-2025-0001", "--lebar", "40")
    assert max(len(line) for line in _lines(out)) <= 40, out
    assert "Jatuh tempo" in out and "Angsuran" in out and "Rp112.000" in out


def test_a_width_outside_40_to_400_is_one_sentence(kdmp: Cli) -> None:
    for width in ("39", "401"):
        r = kdmp("pinjaman", "daftar", "--lebar", width)
        assert r.exit_code == 1 and "pilih 40 sampai 400 huruf" in r.output
