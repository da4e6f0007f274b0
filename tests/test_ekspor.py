"""`kkmp ekspor simkopdes` and `kkmp ekspor parquet` (#14): the SIMKOPDES sheets with and
without NIK, the Parquet tables checked with DuckDB against `laporan neraca`, and the refusals."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from kkmp_cli.core import coop, xlsx
from tests.conftest import Cli, ok, refused, run, snapshot

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


# --- simkopdes ---


def test_simkopdes_sheets_have_the_documented_columns(kdmp: Cli, tmp_path: Path) -> None:
    out = tmp_path / "simkopdes"
    said = ok(kdmp, "ekspor", "simkopdes", "-o", str(out), "--per", "31-03-2025")
    assert "Ekspor SIMKOPDES per 31-03-2025" in said and "2 anggota, 1 pinjaman" in said
    assert sorted(p.name for p in out.iterdir()) == [
        "anggota.csv",
        "anggota.xlsx",
        "pinjaman.csv",
        "pinjaman.xlsx",
        "simpanan.csv",
        "simpanan.xlsx",
    ]
    members = _csv(out / "anggota.csv")
    assert list(members[0]) == [
        "No",
        "Nomor Anggota",
        "Nama Lengkap",
        "Jenis Kelamin",
        "Tanggal Bergabung",
        "Status Keanggotaan",
        "Tanggal Keluar",
    ]
    assert [(m["Nomor Anggota"], m["Nama Lengkap"], m["Status Keanggotaan"]) for m in members] == [
        ("A0001", "Ani", "Aktif"),
        ("A0002", "Budi", "Aktif"),
    ]
    assert members[0]["Tanggal Bergabung"] == "2025-01-02"
    simpanan = _csv(out / "simpanan.csv")
    assert "NIK" not in simpanan[0]
    first = simpanan[0]
    assert (first["Simpanan Pokok"], first["Simpanan Sukarela"], first["Total Simpanan"]) == (
        "100000",
        "10000000",
        "10100000",
    )
    loans = _csv(out / "pinjaman.csv")
    assert len(loans) == 1
    loan = loans[0]
    assert (loan["Nomor Pinjaman"], loan["Nomor Anggota"], loan["Pokok Pinjaman"]) == (
        "PJ-2025-0001",
        "A0001",
        "1200000",
    )
    assert (loan["Jangka Waktu (bulan)"], loan["Metode"], loan["Status"]) == (
        "12",
        "flat",
        "Berjalan",
    )
    # The XLSX holds the same table as the CSV, numbers as numbers.
    header, rows = xlsx.read(out / "simpanan.xlsx")
    assert header[:3] == ["no", "nomor anggota", "nama lengkap"]
    assert rows[0][1]["simpanan sukarela"] == 10_000_000
    # Without --dengan-nik no NIK column anywhere.
    assert all("NIK" not in _csv(out / f"{n}.csv")[0] for n in ("anggota", "simpanan", "pinjaman"))


def test_simkopdes_per_date_leaves_out_later_members(kdmp: Cli, tmp_path: Path) -> None:
    run(kdmp, "anggota|tambah|Citra|--tanggal|01-06-2025")
    out = tmp_path / "awal"
    ok(kdmp, "ekspor", "simkopdes", "-o", str(out), "--per", "31-01-2025")
    assert [m["Nomor Anggota"] for m in _csv(out / "anggota.csv")] == ["A0001", "A0002"]
    assert _csv(out / "pinjaman.csv") == []  # disbursed 01-02-2025


def test_simkopdes_nik_only_when_asked_from_the_private_file(kdmp: Cli, tmp_path: Path) -> None:
    run(kdmp, "anggota|tambah|Citra|--tanggal|03-01-2025|--nik|3201010101010001")
    plain = tmp_path / "tanpa"
    ok(kdmp, "ekspor", "simkopdes", "-o", str(plain), "--per", "31-12-2025")
    assert "3201010101010001" not in (plain / "anggota.csv").read_text(encoding="utf-8")
    out = tmp_path / "dengan"
    said = ok(kdmp, "ekspor", "simkopdes", "-o", str(out), "--per", "31-12-2025", "--dengan-nik")
    assert "UU 27/2022" in said and "2 anggota belum punya NIK" in said
    members = {m["Nomor Anggota"]: m for m in _csv(out / "anggota.csv")}
    assert list(next(iter(members.values())))[:2] == ["No", "NIK"]
    assert members["A0003"]["NIK"] == "3201010101010001" and members["A0001"]["NIK"] == ""
    assert _csv(out / "simpanan.csv")[2]["NIK"] == "3201010101010001"
    # Personal data: the folder and its files are the owner's only.
    assert (out.stat().st_mode & 0o777) == 0o700
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in out.iterdir())


def test_simkopdes_into_an_existing_folder_keeps_other_files(kdmp: Cli, tmp_path: Path) -> None:
    out = tmp_path / "ada"
    out.mkdir()
    (out / "catatan.txt").write_text("milik bendahara", encoding="utf-8")
    ok(kdmp, "ekspor", "simkopdes", "-o", str(out))
    assert (out / "catatan.txt").read_text(encoding="utf-8") == "milik bendahara"
    assert (out / "anggota.csv").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_folder_that_cannot_be_written_is_refused(kdmp: Cli, tmp_path: Path) -> None:
    a_file = tmp_path / "berkas.txt"
    a_file.write_text("x", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    said = refused(kdmp, "ekspor", "simkopdes", "-o", str(a_file), says="bukan folder")
    assert said.count("Galat:") == 1
    said = refused(
        kdmp, "ekspor", "simkopdes", "-o", str(a_file / "keluaran"), says="tidak dapat ditulis"
    )
    assert "tidak ada yang ditulis" in said
    refused(kdmp, "ekspor", "parquet", "-o", str(a_file / "pq"), says="tidak dapat ditulis")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert a_file.read_text(encoding="utf-8") == "x"


# --- parquet ---


def _cooperative(root: Path, name: str, scale: int, *, next_year: bool = False) -> Cli:
    """A small cooperative: members, simpanan, a loan, income and costs; `scale` varies it."""
    coop.init(root, name, 2025)
    cli = Cli(root)
    for i in range(scale + 1):
        run(cli, f"anggota|tambah|Anggota {i}|--tanggal|02-01-2025")
        run(cli, f"simpanan|setor|A000{i + 1}|pokok|100.000|--tanggal|02-01-2025")
        run(cli, f"simpanan|setor|A000{i + 1}|sukarela|{scale}jt|--tanggal|03-01-2025")
    run(
        cli,
        f"kas|masuk|hibah|{10 * scale}jt|--tanggal|04-01-2025",
        f"kas|keluar|listrik|{150 * scale}rb|--tanggal|05-02-2025",
        f"pinjaman|cair|A0001|{scale}jt|--tenor|10|--jasa|1|--metode|flat|--tanggal|01-03-2025",
    )
    if next_year:
        run(cli, "kas|keluar|atk|25rb|--tanggal|10-01-2026")
    return cli


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> list[Cli]:
    """Three cooperatives of one kecamatan, built once (the tests only read them)."""
    base = tmp_path_factory.mktemp("kecamatan")
    return [
        _cooperative(base / "sukamaju", "KDMP Sukamaju", 1),
        _cooperative(base / "sukasari", "KDMP Sukasari", 2, next_year=True),
        _cooperative(base / "mekarsari", "KKMP Mekarsari", 3),
    ]


def _neraca(cli: Cli, year: int) -> dict[str, int]:
    return json.loads(ok(cli, "laporan", "neraca", "--tahun", str(year), "-f", "json"))


def test_parquet_totals_per_cooperative_equal_laporan_neraca(
    three: list[Cli], tmp_path: Path
) -> None:
    out = tmp_path / "dinas"
    said = ok(three[0], "ekspor", "parquet", "-o", str(out), *(str(c.root) for c in three))
    assert "3 koperasi (mekarsari, sukamaju, sukasari)" in said
    postings = f"read_parquet('{out}/posting/*/*/*.parquet', hive_partitioning=true)"
    for year in (2025, 2026):
        got = {
            row[0]: row[1:]
            for row in duckdb.sql(
                f"""SELECT koperasi,
                    sum(jumlah) FILTER (WHERE golongan_utama = 'Aset'),
                    -sum(jumlah) FILTER (WHERE golongan_utama = 'Kewajiban'),
                    -sum(jumlah) FILTER (WHERE golongan_utama IN ('Ekuitas', 'Pendapatan', 'Beban'))
                FROM {postings} WHERE tanggal <= DATE '{year}-12-31' GROUP BY koperasi"""
            ).fetchall()
        }
        assert set(got) == {"sukamaju", "sukasari", "mekarsari"}
        for cli in three:
            neraca = _neraca(cli, year)
            aset, kewajiban, ekuitas = got[cli.root.name]
            assert neraca["total_aset"] > 0
            assert (aset, kewajiban, ekuitas) == (
                Decimal(neraca["total_aset"]),
                Decimal(neraca["total_kewajiban"]),
                Decimal(neraca["total_ekuitas"]),
            ), cli.root.name


def test_parquet_partitions_and_tables(three: list[Cli], tmp_path: Path) -> None:
    out = tmp_path / "dinas"
    ok(three[1], "ekspor", "parquet", "-o", str(out))  # the chosen cooperative (-k)
    assert sorted(p.name for p in out.iterdir()) == ["anggota", "pinjaman", "posting", "transaksi"]
    assert sorted(p.name for p in (out / "posting" / "koperasi=sukasari").iterdir()) == [
        "tahun=2025",
        "tahun=2026",
    ]
    ok(three[0], "ekspor", "parquet", "-o", str(out), str(three[0].root), str(three[2].root))
    # A second export into the same folder adds its partitions beside the first's.
    assert sorted(p.name for p in (out / "anggota").iterdir()) == [
        "koperasi=mekarsari",
        "koperasi=sukamaju",
        "koperasi=sukasari",
    ]

    def rows(sql: str) -> list[tuple[object, ...]]:
        return duckdb.sql(sql.replace("T(", f"read_parquet('{out}/")).fetchall()

    members = rows(
        "SELECT koperasi, tahun, count(*), sum(simpanan_pokok) FROM T(anggota/*/*/*.parquet', "
        "hive_partitioning=true) GROUP BY ALL ORDER BY ALL"
    )
    assert ("sukamaju", 2025, 2, Decimal(200_000)) in members
    assert ("mekarsari", 2025, 4, Decimal(400_000)) in members
    loans = rows(
        "SELECT koperasi, pinjaman, nak, pokok, status FROM T(pinjaman/*/*/*.parquet', "
        "hive_partitioning=true) WHERE tahun = 2025 ORDER BY ALL"
    )
    assert loans == [
        ("mekarsari", "PJ-2025-0001", "A0001", Decimal(3_000_000), "berjalan"),
        ("sukamaju", "PJ-2025-0001", "A0001", Decimal(1_000_000), "berjalan"),
        ("sukasari", "PJ-2025-0001", "A0001", Decimal(2_000_000), "berjalan"),
    ]
    # Each transaction balances; its postings add up to zero and carry the transaction's id.
    unbalanced = rows(
        "SELECT koperasi, transaksi, sum(jumlah) s FROM T(posting/*/*/*.parquet', "
        "hive_partitioning=true) GROUP BY ALL HAVING s <> 0"
    )
    assert unbalanced == []
    counted = rows(
        "SELECT count(*) FROM T(transaksi/*/*/*.parquet', hive_partitioning=true) "
        "WHERE koperasi = 'sukamaju' AND jenis <> ''"
    )
    assert counted[0][0] > 0
    member_postings = rows(
        "SELECT DISTINCT anggota FROM T(posting/*/*/*.parquet', hive_partitioning=true) "
        "WHERE koperasi = 'sukamaju' AND akun LIKE 'Ekuitas:Simpanan-Pokok:%' ORDER BY 1"
    )
    assert member_postings == [("A0001",), ("A0002",)]


def test_parquet_refuses_a_folder_that_is_not_a_cooperative(
    three: list[Cli], tmp_path: Path
) -> None:
    stray = tmp_path / "bukan-koperasi"
    stray.mkdir()
    out = tmp_path / "dinas"
    before = snapshot(three[0].root)
    said = refused(
        three[0],
        "ekspor",
        "parquet",
        "-o",
        str(out),
        str(three[0].root),
        str(stray),
        says="bukan folder koperasi",
    )
    assert "koperasi.yaml" in said
    assert not out.exists() and snapshot(three[0].root) == before
    refused(
        three[0],
        "ekspor",
        "parquet",
        "-o",
        str(out),
        str(three[0].root),
        str(three[0].root),
        says="bernama sama",
    )
    assert not out.exists()


def test_parquet_without_pyarrow_says_how_to_install_it(
    kdmp: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now fails
    out = tmp_path / "pq"
    refused(kdmp, "ekspor", "parquet", "-o", str(out), says="pip install 'kkmp[parquet]'")
    assert not out.exists()
