"""The RAT book's notes (CaLK), accountability, pengawas report and annexes (#18, #21): each
present only when it applies, its numbers equal to the statements and the registers, and the
rat.yaml parts it reads checked like every document."""

from __future__ import annotations

import importlib.abc
import json
import re
import sys
from pathlib import Path

import pytest
from conftest import Cli

from kkmp_cli import money

GAP = "[BELUM DIISI]"


def _html(run: Cli, tmp_path: Path, name: str = "rat.html") -> str:
    out = tmp_path / name
    r = run("rat", "2025", "-o", str(out))
    assert r.exit_code == 0, r.output
    return out.read_text()


def _ids(html: str, prefix: str) -> list[str]:
    return re.findall(rf'id="({prefix}[a-z0-9-]*)"', html)


def _note(html: str, key: str) -> str:
    """The HTML of one note (up to the next note or the chapter's end)."""
    start = html.index(f'id="calk-{key}"')
    end = html.find('<div class="catatan-lk"', start + 1)
    return html[start : end if end > 0 else html.index("</section>", start)]


def test_demo_notes_equal_the_statements_and_registers(demo_root: Path, tmp_path: Path) -> None:
    run = Cli(demo_root)
    html = _html(run, tmp_path)
    assert _ids(html, "calk-") == [
        "calk-umum",
        "calk-kebijakan",
        "calk-kas",
        "calk-piutang",
        "calk-persediaan",
        "calk-aset-tetap",
        "calk-pinjaman-diterima",
        "calk-simpanan",
        "calk-hibah",
        "calk-pajak",
        "calk-komitmen",
        "calk-peristiwa",
    ]
    # Fixed assets: the note's book value and the annex equal `aset daftar`.
    assets = json.loads(run("aset", "daftar", "--per", "31-12-2025", "-f", "json").output)["aset"]
    book_value = sum(a["nilai_buku"] for a in assets)
    assert money.fmt(book_value) in _note(html, "aset-tetap")
    annex = html[html.index('id="lampiran"') :]
    for a in assets:
        assert f"<td>{a['kode']}</td>" in annex and money.fmt(a["nilai_buku"]) in annex
    # Borrowings: sisa pokok split into current and long-term as `pembiayaan daftar`.
    facilities = json.loads(
        run("pembiayaan", "daftar", "--per", "31-12-2025", "-f", "json").output
    )["pembiayaan"]
    borrowings = _note(html, "pinjaman-diterima")
    for f in facilities:
        assert money.fmt(f["sisa_pokok"]) in borrowings
        assert money.fmt(f["jangka_pendek"]) in borrowings
        assert money.fmt(f["sisa_pokok"] - f["jangka_pendek"]) in borrowings
    # Cash and savings: their totals are the neraca's lines.
    neraca = json.loads(run("laporan", "neraca", "--tahun", "2025", "-f", "json").output)
    lines = {b["akun"]: b["nilai"][0] for b in neraca["baris"] if b.get("akun")}
    for account in ("Ekuitas:Simpanan-Pokok", "Ekuitas:Simpanan-Wajib"):
        if account in lines:
            assert money.fmt(abs(lines[account])) in _note(html, "simpanan")
    kas = json.loads(run("laporan", "arus-kas", "--tahun", "2025", "-f", "json").output)
    assert money.fmt(kas["kas_akhir"]) in _note(html, "kas")
    # Receivables: the collectibility table names its preset and source (#21) and totals the
    # portfolio of `pinjaman daftar`.
    receivables = _note(html, "piutang")
    portfolio = json.loads(run("pinjaman", "daftar", "--per", "31-12-2025", "-f", "json").output)
    assert money.fmt(portfolio["total_sisa_pokok"]) in receivables
    assert "Kolektibilitas menurut preset &#39;bank-umum&#39;" in receivables
    assert "POJK 40/POJK.03/2019" in receivables


def test_demo_print_conventions(demo_root: Path, tmp_path: Path) -> None:
    html = _html(Cli(demo_root), tmp_path)
    # The first year: the comparative column has no books, so "—", never Rp0 as a figure.
    neraca = html[html.index("Laporan Posisi Keuangan") : html.index("Perhitungan Hasil Usaha")]
    assert '<td class="n">—</td>' in neraca and "Tahun 2024 belum ada pembukuan" in neraca
    # Negatives in parentheses, never a minus sign.
    assert "-Rp" not in html and re.search(r"\(Rp[\d.]+\)", html)
    # The SHU pool table closes with the SHU it divides.
    sheet = json.loads(Cli(demo_root)("shu", "hitung", "2025", "-f", "json").output)
    pool = html[html.index('id="shu"') : html.index("<p>Rekonsiliasi")]
    assert re.search(
        rf"<td>Jumlah \(SHU dibagi\)</td>.*{re.escape(money.fmt(sheet['shu']))}", pool, re.S
    )
    # Capital with modal sendiri and modal luar subtotals.
    capital = html[html.index('id="modal"') : html.index('id="laporan"')]
    assert "Jumlah modal sendiri" in capital and "Jumlah modal luar" in capital
    # The pengawas' report in its parts, signed by each pengawas and noting the kepala desa.
    report = html[html.index('id="pengawas"') : html.index('id="rencana"')]
    for part in ("Ruang lingkup pemeriksaan", "Temuan", "Rekomendasi", "Tanggapan pengurus"):
        assert f"<h3>{part}</h3>" in report
    assert "Tuti Kusuma" in report and "Sri Rohman" in report and "Kepala Desa" in report
    # Accountability: first RAT, financing and its use, the village's share, USP health.
    duty = html[html.index('id="pertanggungjawaban"') : html.index('id="pengawas"')]
    assert "RAT pertama" in duty and "Penggunaan dana" in duty
    assert "Imbal jasa untuk Pemerintah Desa" in duty and "Permendesa 10/2025" in duty
    assert "Pinjaman bermasalah (NPL)" in duty and "LDR" in duty and "Rasio modal" in duty
    # Contents list each chapter; the Markdown copy has the same chapters.
    assert html.count('<li><a href="#') == 15
    md = tmp_path / "rat.md"
    assert Cli(demo_root)("rat", "2025", "-f", "md", "-o", str(md)).exit_code == 0
    text = md.read_text()
    for heading in (
        "## 7. Catatan",
        "### 7.6 Aset tetap",
        "## 10. Pertanggungjawaban",
        "**Temuan**",
    ):
        assert heading in text, heading
    assert "## 15. Lampiran" in text and "{{" not in text and "-Rp" not in text


def test_notes_and_annexes_only_when_they_apply(kdmp: Cli, tmp_path: Path) -> None:
    html = _html(kdmp, tmp_path)
    assert _ids(html, "calk-") == [
        "calk-umum",
        "calk-kebijakan",
        "calk-kas",
        "calk-piutang",
        "calk-simpanan",
    ]
    assert _ids(html, "lampiran-") == ["lampiran-1"]  # members only: no stock, assets, officers
    assert "Penggunaan dana" not in html and "Imbal jasa untuk" not in html
    assert "Aset tetap" not in html and "Perpajakan" not in html
    # Only Ani has a loan; the annex lists both members with their balances.
    annex = html[html.index('id="lampiran-1"') :]
    assert "<td>A0001</td>" in annex and "<td>A0002</td>" in annex
    assert "Rp10.000.000" in annex


def test_tax_payables_are_listed(cli: Cli, tmp_path: Path) -> None:
    """The tax feature's `Kewajiban:Utang-Pajak:*` accounts appear in the tax note."""
    steps = [
        ("akun", "tambah", "Kewajiban:Utang-Pajak:PPh-Final", "--kode", "2191"),
        ("--golongan", "kewajiban-pendek", "--tanggal", "01-01-2025"),
    ]
    r = cli(*steps[0], *steps[1])
    assert r.exit_code == 0, r.output
    for args in (
        ["kas", "masuk", "lain", "40jt", "--keterangan", "x", "--tanggal", "05-01-2025"],
        [
            "jurnal",
            "--posting",
            "Beban:Pajak=200000",
            "--posting",
            "Kewajiban:Utang-Pajak:PPh-Final=-200000",
            "--keterangan",
            "PPh final Januari",
            "--tanggal",
            "31-01-2025",
        ],
    ):
        r = cli(*args)
        assert r.exit_code == 0, r.output
    html = _html(cli, tmp_path)
    tax = _note(html, "pajak")
    assert "PPh Final" in tax and "Rp200.000" in tax and "Beban pajak tahun 2025" in tax


def test_related_party_loans_in_note_and_annex(kdmp: Cli, tmp_path: Path) -> None:
    config = kdmp.root / "koperasi.yaml"
    text = config.read_text()
    text = text.replace(
        "  pengurus: []",
        '  pengurus:\n  - {jabatan: Ketua, nama: "Ani", nak: A0001}',
        1,
    )
    config.write_text(text)
    html = _html(kdmp, tmp_path)
    note = _note(html, "pihak-berelasi")
    assert "Permenkop 8/2023" in note and "dari batas 10% modal sendiri" in note
    annex = html[html.index('id="lampiran"') :]
    assert "Pinjaman kepada pengurus dan pengawas" in annex and "PJ-2025-0001" in annex


def _rat_yaml(root: Path, text: str) -> None:
    (root / "rat.yaml").write_text(text, encoding="utf-8")


def test_structured_pengawas_report_and_follow_ups(kdmp: Cli, tmp_path: Path) -> None:
    _rat_yaml(
        kdmp.root,
        """rat: {ke: 2, tanggal: 15-03-2026, tempat: Balai Desa}
laporan_pengawas:
  ruang_lingkup: Kas dan pinjaman
  temuan: [Kas cocok]
  rekomendasi: [Tagih tunggakan]
  tanggapan_pengurus: Disetujui
  tanggal: 01-03-2026
keputusan_lalu:
- {keputusan: Menaikkan simpanan wajib, tindak_lanjut: Berlaku sejak Maret}
komitmen: [Sewa gudang Rp12.000.000 setahun]
peristiwa_setelah: [Gudang terbakar 10-01-2026]
""",
    )
    r = kdmp("rat", "periksa", "2025")
    assert r.exit_code == 1
    assert "program kerja tahun lalu (program_lalu)" in r.output
    assert "laporan pengawas" not in r.output and "keputusan_lalu" not in r.output
    html = _html(kdmp, tmp_path)
    assert "<h3>Temuan</h3>" in html and "Kas cocok" in html
    assert "Menaikkan simpanan wajib" in html and "Berlaku sejak Maret" in html
    assert _ids(html, "calk-")[-2:] == ["calk-komitmen", "calk-peristiwa"]
    assert "Gudang terbakar 10-01-2026" in html
    assert f'<span class="gap">{GAP}</span>' in html  # the missing programme is marked


def test_plain_text_pengawas_report_still_reads(kdmp: Cli, tmp_path: Path) -> None:
    _rat_yaml(kdmp.root, "laporan_pengawas: Semua baik.\n")
    html = _html(kdmp, tmp_path)
    report = html[html.index('id="pengawas"') : html.index('id="rencana"')]
    assert "<p>Semua baik.</p>" in report
    r = kdmp("rat", "periksa", "2025")
    assert "laporan pengawas (laporan_pengawas)" not in r.output
    assert "daftar pengawas" in r.output  # the signature block still needs the pengawas


def test_bad_rat_yaml_parts_are_refused_by_name(kdmp: Cli) -> None:
    for text, words in (
        ("laporan_pengawas: {temuan: [a], kesimpulan: b}\n", "kesimpulan"),
        ("program_lalu:\n- {realisasi: selesai}\n", "program"),
        ("keputusan_lalu: [teks saja]\n", "keputusan_lalu"),
        ("laporan_pengawas: {kepala_desa: {peran: Kades}}\n", "nama"),
        ("komitmen: {a: 1}\n", "komitmen"),
    ):
        _rat_yaml(kdmp.root, text)
        r = kdmp("rat", "periksa", "2025")
        assert r.exit_code == 1, text
        assert "Galat:" in r.output and words in r.output and "Traceback" not in r.output, (
            text,
            r.output,
        )


def test_pdf_without_system_libraries_says_which(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint installed without pango fails at import with OSError: one Galat line naming
    the Debian packages, no traceback, no file."""

    class NoPango(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: object, target: object = None) -> None:
            if name == "weasyprint":
                raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    r = cli("kas", "masuk", "lain", "1jt", "--keterangan", "x", "--tanggal", "05-01-2025")
    assert r.exit_code == 0, r.output
    r = cli("rat", "2025", "-f", "pdf", "-o", str(tmp_path / "rat.pdf"))
    assert r.exit_code == 1 and "Galat:" in r.output and "libpango-1.0-0" in r.output
    assert "Traceback" not in r.output and not (tmp_path / "rat.pdf").exists()
