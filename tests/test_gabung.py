"""`kkmp gabung` (#14): several cooperatives' headline figures side by side and their total,
equal to each one's own `laporan`, in every format, and the refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kkmp_cli.core import coop, xlsx
from tests.conftest import Cli, ok, refused, run


def _cooperative(root: Path, name: str, scale: int) -> Cli:
    coop.init(root, name, 2025)
    cli = Cli(root)
    for i in range(scale + 1):
        run(cli, f"anggota|tambah|Anggota {i}|--tanggal|02-01-2025")
        run(cli, f"simpanan|setor|A000{i + 1}|pokok|100.000|--tanggal|02-01-2025")
    run(
        cli,
        f"simpanan|setor|A0001|sukarela|{scale}jt|--tanggal|03-01-2025",
        f"kas|masuk|hibah|{10 * scale}jt|--tanggal|04-01-2025",
        f"kas|keluar|listrik|{150 * scale}rb|--tanggal|05-02-2025",
        f"pinjaman|cair|A0001|{scale}jt|--tenor|10|--jasa|1|--metode|flat|--tanggal|01-03-2025",
    )
    return cli


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> list[Cli]:
    base = tmp_path_factory.mktemp("kabupaten")
    return [
        _cooperative(base / "sukamaju", "KDMP Sukamaju", 1),
        _cooperative(base / "sukasari", "KDMP Sukasari", 2),
    ]


def _report(cli: Cli, name: str) -> dict[str, int]:
    return json.loads(ok(cli, "laporan", name, "--tahun", "2025", "-f", "json"))


def _gabung(two: list[Cli], *args: str) -> str:
    return ok(two[0], "gabung", *(str(c.root) for c in two), "--tahun", "2025", *args)


def test_gabung_json_equals_each_cooperatives_statements(two: list[Cli]) -> None:
    got = json.loads(_gabung(two, "-f", "json"))
    assert got["tahun"] == 2025
    assert [k["nama"] for k in got["koperasi"]] == ["KDMP Sukamaju", "KDMP Sukasari"]
    for key, report in (
        ("total_aset", "neraca"),
        ("total_kewajiban", "neraca"),
        ("total_ekuitas", "neraca"),
        ("total_pendapatan", "phu"),
        ("total_beban", "phu"),
        ("shu", "phu"),
    ):
        each = [_report(c, report)[key] for c in two]
        assert [k[key] for k in got["koperasi"]] == each, key
        assert got["jumlah"][key] == sum(each), key
    assert [k["anggota_aktif"] for k in got["koperasi"]] == [2, 3]
    assert got["jumlah"]["anggota_aktif"] == 5
    assert [k["simpanan_pokok"] for k in got["koperasi"]] == [200_000, 300_000]
    assert got["jumlah"]["simpanan_sukarela"] == 3_000_000
    assert got["jumlah"]["pinjaman_beredar"] == 3_000_000
    # No instalment paid by December: every loan is non-performing.
    assert got["jumlah"]["pinjaman_bermasalah"] == 3_000_000
    assert got["jumlah"]["npl_persen"] == "100.00"


def test_gabung_text_shows_the_cooperatives_and_the_total(two: list[Cli]) -> None:
    said = _gabung(two)
    assert "Gabungan 2 koperasi - tahun buku 2025" in said
    assert "KDMP Sukamaju" in said and "KDMP Sukasari" in said and "Jumlah" in said
    assert "Anggota aktif per 31 Desember" in said
    assert "Rp3.000.000" in said  # loans outstanding: Rp1.000.000 + Rp2.000.000


def test_gabung_csv_xlsx_and_html(two: list[Cli], tmp_path: Path) -> None:
    lines = _gabung(two, "-f", "csv").splitlines()
    assert lines[0] == "kode,uraian,KDMP Sukamaju,KDMP Sukasari,jumlah"
    assert "anggota_aktif,Anggota aktif per 31 Desember,2,3,5" in lines
    book = tmp_path / "gabung.xlsx"
    said = _gabung(two, "-f", "xlsx", "-o", str(book))
    assert f"Ditulis ke {book}" in said
    header, rows = xlsx.read(book)
    assert header == ["kode", "uraian", "kdmp sukamaju", "kdmp sukasari", "jumlah"]
    assert rows[0][1]["jumlah"] == 5
    page = tmp_path / "gabung.html"
    _gabung(two, "-f", "html", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert '<th class="n">KDMP Sukasari</th>' in html and "Rp3.000.000" in html


def test_gabung_tells_apart_two_cooperatives_of_the_same_name(
    two: list[Cli], tmp_path: Path
) -> None:
    other = _cooperative(tmp_path / "lain", "KDMP Sukamaju", 1)
    said = ok(two[0], "gabung", str(two[0].root), str(other.root), "--tahun", "2025", "-f", "csv")
    assert said.splitlines()[0] == (
        "kode,uraian,KDMP Sukamaju (sukamaju),KDMP Sukamaju (lain),jumlah"
    )


def test_gabung_refuses_a_folder_that_is_not_a_cooperative(two: list[Cli], tmp_path: Path) -> None:
    stray = tmp_path / "arsip"
    stray.mkdir()
    out = tmp_path / "gabung.html"
    said = refused(
        two[0],
        "gabung",
        str(two[0].root),
        str(stray),
        "--tahun",
        "2025",
        "-f",
        "html",
        "-o",
        str(out),
        says=f"Folder '{stray}' bukan folder koperasi",
    )
    assert said.count("Galat:") == 1 and not out.exists()
    refused(two[0], "gabung", str(tmp_path / "tidak-ada"), "--tahun", "2025", says="bukan folder")


def test_gabung_refuses_a_year_before_the_books(two: list[Cli]) -> None:
    refused(two[0], "gabung", str(two[0].root), "--tahun", "2024", says="baru dimulai tahun 2025")


def test_gabung_output_that_cannot_be_written(two: list[Cli], tmp_path: Path) -> None:
    a_file = tmp_path / "berkas"
    a_file.write_text("x", encoding="utf-8")
    r = two[0](
        "gabung", str(two[0].root), "--tahun", "2025", "-f", "csv", "-o", str(a_file / "x.csv")
    )
    assert r.exit_code == 1 and r.output.startswith("Galat: ") and "Traceback" not in r.output
    assert a_file.read_text(encoding="utf-8") == "x"


def test_gabung_xlsx_needs_an_output_file(two: list[Cli]) -> None:
    r = two[0]("gabung", str(two[0].root), "--tahun", "2025", "-f", "xlsx")
    assert r.exit_code == 2 and "xlsx perlu -o" in r.output
