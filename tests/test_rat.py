"""The RAT book: complete, numbers equal to the reports, deterministic, overridable, escaped."""

from __future__ import annotations

import json
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Cli

from kkmp_cli import money

SECTIONS = [
    "isi",
    "pengantar",
    "organisasi",
    "keanggotaan",
    "usaha",
    "modal",
    "laporan",
    "calk",
    "shu",
    "kepatuhan",
    "pertanggungjawaban",
    "pengawas",
    "rencana",
    "keputusan",
    "ttd",
    "lampiran",
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.ids += [v for k, v in attrs if k == "id"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _book(demo_root: Path, tmp_path: Path, *args: str) -> str:
    out = tmp_path / "rat.html"
    r = Cli(demo_root)("rat", "2025", "-o", str(out), *args)
    assert r.exit_code == 0, r.output
    return out.read_text()


def test_all_sections_present_and_html_parses(demo_root: Path, tmp_path: Path) -> None:
    html = _book(demo_root, tmp_path)
    parser = _Collector()
    parser.feed(html)
    assert [s for s in SECTIONS if s not in parser.ids] == []
    assert "{{" not in html and "{%" not in html and "[BELUM DIISI]" not in html
    assert Cli(demo_root)("rat", "periksa", "2025").exit_code == 0


def test_numbers_equal_the_reports(demo_root: Path, tmp_path: Path) -> None:
    html = _book(demo_root, tmp_path)
    run = Cli(demo_root)
    neraca = json.loads(run("laporan", "neraca", "--tahun", "2025", "-f", "json").output)
    phu = json.loads(run("laporan", "phu", "--tahun", "2025", "-f", "json").output)
    kas = json.loads(run("laporan", "arus-kas", "--tahun", "2025", "-f", "json").output)
    sheet = json.loads(run("shu", "hitung", "2025", "-f", "json").output)
    for value in (
        neraca["total_aset"],
        neraca["total_kewajiban"],
        neraca["total_ekuitas"],
        phu["total_pendapatan"],
        phu["total_beban"],
        phu["shu"],
        kas["kas_akhir"],
        sheet["shu"],
        sheet["total_anggota"],
        sheet["pool"]["cadangan"],
        sheet["sisa_pembulatan"],
    ):
        assert money.fmt(value) in html, value
    for member in sheet["anggota"][:20]:
        assert f"<td>{member['nak']}</td>" in html
        assert money.fmt(member["total"]) in html
    portfolio = json.loads(run("pinjaman", "daftar", "--per", "31-12-2025", "-f", "json").output)
    assert money.fmt(portfolio["total_sisa_pokok"]) in html
    # The book's cash flow is the statement's, line by line: a tax withheld from wages or
    # interest is no receipt there either, and the tax paid to the state is a payment (#14).
    cash_lines = [r for r in kas["baris"] if r["akun"]]
    for r in cash_lines:
        assert f"{html_escape(r['label'])}</td>" in html, r["label"]
    assert not [r for r in cash_lines if r["label"].startswith("Penerimaan: Utang PPh")]
    assert "Penerimaan: Utang PPh" not in html
    assert "Pengeluaran: Utang PPh Pasal 21" in html


def test_byte_identical_on_rerun_and_provenance(demo_root: Path, tmp_path: Path) -> None:
    first = _book(demo_root, tmp_path)
    second = _book(demo_root, tmp_path)
    assert first == second
    assert "digest buku besar" in first
    md = tmp_path / "rat.md"
    assert Cli(demo_root)("rat", "2025", "-f", "md", "-o", str(md)).exit_code == 0
    text = md.read_text()
    assert "## 8. SHU dan usulan pembagiannya" in text and "{{" not in text


def test_cooperative_can_override_a_template(demo_copy: Path, tmp_path: Path) -> None:
    root = demo_copy
    (root / "templates").mkdir()
    (root / "templates" / "shu-isi.html.j2").write_text("<p>SHU KHUSUS {{ tahun }} {{ shu }}</p>\n")
    html = _book(root, tmp_path)
    assert "SHU KHUSUS 2025" in html


def test_gaps_are_listed_and_marked(cli: Cli, tmp_path: Path) -> None:
    for args in (
        ["anggota", "tambah", "Budi <b>& Co</b>", "--tanggal", "02-01-2025"],
        ["simpanan", "setor", "A0001", "pokok", "100rb", "--tanggal", "02-01-2025"],
        ["kas", "masuk", "lain", "1jt", "--keterangan", "x", "--tanggal", "05-01-2025"],
    ):
        assert cli(*args).exit_code == 0
    r = cli("rat", "periksa", "2025")
    assert r.exit_code == 1
    assert "tanggal RAT" in r.output and "laporan pengawas" in r.output and "pengurus" in r.output
    out = tmp_path / "rat.html"
    r = cli("rat", "2025", "-o", str(out))
    assert r.exit_code == 0 and "belum diisi" in r.output
    html = out.read_text()
    assert '<span class="gap">[BELUM DIISI]</span>' in html
    assert "Budi &lt;b&gt;&amp; Co&lt;/b&gt;" in html and "<b>& Co</b>" not in html


def test_pdf_without_weasyprint_says_how(cli: Cli, tmp_path: Path) -> None:
    pytest.importorskip("kkmp_cli")
    try:
        import weasyprint  # noqa: F401

        pytest.skip("WeasyPrint is installed here")
    except ImportError:
        pass
    assert (
        cli("kas", "masuk", "lain", "1jt", "--keterangan", "x", "--tanggal", "05-01-2025").exit_code
        == 0
    )
    r = cli("rat", "2025", "-f", "pdf", "-o", str(tmp_path / "rat.pdf"))
    assert r.exit_code == 1 and "pip install 'kkmp[pdf]'" in r.output
    assert not (tmp_path / "rat.pdf").exists()


def test_rat_for_a_year_without_books(cli: Cli) -> None:
    r = cli("rat", "2030")
    assert r.exit_code == 1 and "Tidak ada transaksi" in r.output


def test_templates_ship_with_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An installed kkmp has no repository folder: the templates come from kkmp_templates."""
    from kkmp_cli.core import templating

    monkeypatch.setattr(templating, "REPO_TEMPLATES", tmp_path / "tidak-ada")
    dirs = templating.template_dirs(None)
    assert (dirs[-1] / "rat.html.j2").exists()
    text = templating.render(
        "shu-isi.html.j2",
        {
            "tahun": 2025,
            "status": "final",
            "koperasi": "K",
            "shu": "Rp1",
            "shu_anggota": "Rp1",
            "shu_non_anggota": "Rp0",
            "pool": [],
            "kolom_usaha": [],
            "anggota": [],
            "total_anggota": "Rp1",
            "rekonsiliasi": "ok",
        },
    )
    assert "Pembagian SHU Tahun Buku 2025" in text


def _capital_rows(cli: Cli, tmp_path: Path) -> dict[str, str]:
    """The RAT book's chapter Permodalan (Markdown), label -> amount."""
    md = tmp_path / "rat.md"
    r = cli("rat", "2025", "-f", "md", "-o", str(md))
    assert r.exit_code == 0, r.output
    text = md.read_text()
    chapter = text[text.index("## 5. Permodalan") : text.index("## 6.")]
    cells = [line.strip("|").split("|") for line in chapter.splitlines() if line.startswith("| ")]
    return {label.strip(): amount.strip() for label, amount in cells}


@pytest.mark.parametrize("closed", [True, False], ids=["ditutup", "belum-ditutup"])
def test_capital_chapter_equals_the_neraca(cli: Cli, tmp_path: Path, closed: bool) -> None:
    """The chapter's modal sendiri is the neraca's equity, a closed year's SHU belum dibagi
    included, and its total is the neraca's liabilities and equity (#18)."""
    for command in (
        "kas|masuk|hibah|10jt|--tanggal|02-01-2025|--keterangan|Hibah",
        "anggota|tambah|Siti Aminah|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|sukarela|2jt|--tanggal|02-01-2025",
        "kas|masuk|lain|500.000|--tanggal|05-01-2025|--keterangan|Sewa gedung",
    ):
        assert cli(*command.split("|")).exit_code == 0, command
    if closed:
        assert cli("tutup-buku", "2025").exit_code == 0
    neraca = json.loads(cli("laporan", "neraca", "--tahun", "2025", "-f", "json").output)
    rows = _capital_rows(cli, tmp_path)
    assert rows["Jumlah modal sendiri"] == money.fmt(neraca["total_ekuitas"])
    assert rows["Jumlah modal luar"] == money.fmt(neraca["total_kewajiban"])
    both = neraca["total_kewajiban"] + neraca["total_ekuitas"]
    assert rows["Jumlah modal"] == money.fmt(both)
    shu_line = "SHU belum dibagi dan saldo lain" if closed else "SHU tahun berjalan (belum ditutup)"
    assert rows[shu_line] == "Rp500.000"


def test_demo_capital_chapter_equals_the_neraca(demo_root: Path, tmp_path: Path) -> None:
    cli = Cli(demo_root)
    neraca = json.loads(cli("laporan", "neraca", "--tahun", "2025", "-f", "json").output)
    rows = _capital_rows(cli, tmp_path)
    assert rows["Jumlah modal sendiri"] == money.fmt(neraca["total_ekuitas"])
    both = neraca["total_kewajiban"] + neraca["total_ekuitas"]
    assert rows["Jumlah modal"] == money.fmt(both)
