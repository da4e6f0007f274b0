"""`kkmp aset` (#11): fixed assets, depreciation (UU PPh Pasal 11) and disposal."""

from __future__ import annotations

import json
from decimal import Decimal

from conftest import Cli, ok, refused, run, transactions

from kkmp_cli.core.ledger import Paths

GEDUNG = "aset|tambah|Gedung gerai|--kelompok|bangunan|--harga|240jt|--tanggal|10-01-2025|--umur|240|--unit|sembako|--via|kas"


def _modal(cli: Cli) -> None:
    run(cli, "kas|masuk|hibah|500jt|--tanggal|02-01-2025|--keterangan|Modal awal")


def _depreciation(root) -> list:
    return [t for t in transactions(root) if t.meta.get("jenis") == "aset-susut"]


def test_building_depreciation_2025_and_a_second_run_adds_nothing(cli: Cli) -> None:
    _modal(cli)
    run(cli, GEDUNG)
    out = ok(cli, "aset", "susut", "--sampai", "2025-12")
    assert "12 bulan penyusutan" in out and "Rp12.000.000" in out
    again = ok(cli, "aset", "susut", "--sampai", "2025-12")
    assert "tidak ada yang dicatat" in again
    entries = _depreciation(cli.root)
    assert len(entries) == 12
    assert {e.meta["bulan"] for e in entries} == {f"2025-{m:02d}" for m in range(1, 13)}
    assert all(e.meta["unit"] == "sembako" for e in entries)
    total = sum(
        p.units.number
        for e in entries
        for p in e.postings
        if p.account == "Beban:Penyusutan:Sembako"  # the unit's own share of the expense
    )
    assert total == Decimal(12_000_000)
    row = json.loads(ok(cli, "aset", "daftar", "--per", "31-12-2025", "--format", "json"))["aset"][
        0
    ]
    assert (row["harga"], row["akumulasi"], row["nilai_buku"]) == (
        240_000_000,
        12_000_000,
        228_000_000,
    )
    assert row["unit"] == "sembako" and row["sumber"] == "kas"
    assert ok(cli, "periksa").strip().startswith("Buku bersih")


def test_grant_land_supplier_and_disposal_with_its_loss(cli: Cli) -> None:
    _modal(cli)
    run(
        cli,
        "aset|tambah|Cold storage|--kelompok|mesin|--harga|96jt|--tanggal|01-06-2025|--via|hibah|--pemberi|Dinas Koperasi",
        "aset|tambah|Tanah gudang|--kelompok|tanah|--harga|50jt|--tanggal|01-06-2025|--via|utang|--pemberi|Pak Haji",
        "aset|tambah|Pick-up|--kelompok|kendaraan|--harga|180jt|--tanggal|15-03-2025|--residu|20jt",
    )
    txns = transactions(cli.root)
    grant = next(t for t in txns if t.meta.get("aset") == "AT-2025-0001")
    assert {p.account: p.units.number for p in grant.postings} == {
        "Aset:Aset-Tetap:Mesin": Decimal(96_000_000),
        "Ekuitas:Hibah": Decimal(-96_000_000),
    }
    assert grant.meta["umur"] == 96 and grant.meta["pemberi"] == "Dinas Koperasi"
    land = next(t for t in txns if t.meta.get("aset") == "AT-2025-0002")
    assert land.meta["umur"] == 0
    assert "Kewajiban:Utang-Aset:Pak-Haji" in {p.account for p in land.postings}
    ok(cli, "aset", "susut", "--sampai", "2025-11")
    # (180 - 20) jt / 96 = 1.666.666 a month; March..November = 9 months; December's share is
    # booked on the disposal day, so the disposal takes 10 months out.
    out = ok(cli, "aset", "lepas", "AT-2025-0003", "--tanggal", "20-12-2025", "--harga", "150jt")
    assert "Rp16.666.660" in out and "Rp13.333.340" in out
    disposal = next(t for t in transactions(cli.root) if t.meta.get("jenis") == "aset-lepas")
    assert {p.account: p.units.number for p in disposal.postings} == {
        "Aset:Akumulasi-Penyusutan:Kendaraan": Decimal(16_666_660),
        "Aset:Kas": Decimal(150_000_000),
        "Aset:Aset-Tetap:Kendaraan": Decimal(-180_000_000),
        "Beban:Rugi-Pelepasan-Aset": Decimal(13_333_340),
    }
    land_deps = [e for e in _depreciation(cli.root) if e.meta["aset"] == "AT-2025-0002"]
    assert land_deps == []
    refused(cli, "aset", "lepas", "AT-2025-0003", "--tanggal", "21-12-2025", says="sudah dilepas")
    ok(cli, "aset", "susut", "--sampai", "2025-12")
    assert ok(cli, "periksa").strip().startswith("Buku bersih")


def test_bad_assets_are_refused_and_change_nothing(cli: Cli) -> None:
    _modal(cli)
    base = ("aset", "tambah", "X", "--tanggal", "10-01-2025")
    refused(cli, *base, "--kelompok", "bangunan", "--harga", "0", says="lebih dari nol")
    refused(cli, *base, "--kelompok", "bangunan", "--harga", "-5jt", says="Galat")
    refused(cli, *base, "--kelompok", "mesin", "--harga", "10jt", "--residu", "11jt", says="residu")
    refused(
        cli, *base, "--kelompok", "mesin", "--harga", "10jt", "--umur", "0", says="Umur manfaat"
    )
    refused(cli, *base, "--kelompok", "kapal", "--harga", "10jt", says="Kelompok")
    refused(
        cli, *base, "--kelompok", "mesin", "--harga", "10jt", "--via", "hibah", says="--pemberi"
    )
    refused(cli, "aset", "lepas", "AT-2025-0009", "--tanggal", "10-02-2025", says="tidak ada")


def test_periksa_catches_depreciation_above_cost(cli: Cli) -> None:
    _modal(cli)
    run(
        cli,
        "aset|tambah|Laptop|--kelompok|inventaris-kantor|--harga|4.800.000|--tanggal|10-01-2025",
    )
    path = Paths(cli.root).year_file(2025)
    path.write_text(
        path.read_text()
        + '\n2025-02-28 * "Penyusutan berlebih (diedit tangan)"\n  id: "BM-2025-000099"\n'
        + '  jenis: "aset-susut"\n  aset: "AT-2025-0001"\n  bulan: "2025-02"\n'
        + "  Beban:Penyusutan  5000000 IDR\n"
        + "  Aset:Akumulasi-Penyusutan:Inventaris-Kantor  -5000000 IDR\n"
    )
    r = cli("periksa")
    assert r.exit_code != 0
    assert "melebihi harga perolehan" in r.output
