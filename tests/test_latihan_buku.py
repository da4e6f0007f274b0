"""The printed workbook (#20): every exercise, an empty journal to fill in by hand, the
question, a glossary; the key only with --kunci; A4; no template text left unrendered."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from conftest import Cli, latihan_shu

from kkmp_cli import money
from kkmp_cli.workshop import exercises, workbook


def kkmp(*args: str):
    return Cli(Path("."))(*args, koperasi=False)


def test_the_workbook_for_participants(tmp_path: Path) -> None:
    target = tmp_path / "buku.html"
    r = kkmp("latihan", "buku", "-o", str(target))
    found = exercises.load(None)
    assert r.exit_code == 0 and f"{len(found.daftar)} latihan, untuk peserta" in r.output
    html = target.read_text(encoding="utf-8")
    assert "@page { size: A4" in html
    for ex in found.daftar:
        assert f"Latihan {ex.nomor}: " in html
        assert ex.pertanyaan.split()[0] in html
    assert html.count('<table class="jurnal">') == len(found.daftar)
    assert html.count("<th>Debit (Rp)</th><th>Kredit (Rp)</th>") == len(found.daftar)
    for term, _ in workbook.GLOSSARY:
        assert term in html
    for word in ("Kolektibilitas", "HPP", "SHU", "Ekuitas", "Kewajiban", "Debit dan kredit"):
        assert word in html
    assert "Kunci jawaban" not in html and "Jawaban:" not in html
    assert "kkmp anggota tambah" in html  # the commands to use, not the key
    assert not re.search(r"\{\{|\{%|%\}|\}\}", html)


def test_the_trainers_workbook_has_the_key(tmp_path: Path) -> None:
    target = tmp_path / "kunci.md"
    r = kkmp("latihan", "buku", "-o", str(target), "--format", "md", "--kunci")
    assert r.exit_code == 0 and "dengan kunci jawaban" in r.output
    text = target.read_text(encoding="utf-8")
    found = exercises.load(None)
    assert text.count("### Kunci jawaban") == len(found.daftar)
    assert text.count("| Akun | Debit (Rp) | Kredit (Rp) |") == len(found.daftar)
    assert "kkmp pembiayaan cair BRI-LATIHAN 60jt" in text
    assert f"SHU tahun ini: {money.fmt(latihan_shu())}" in text and "**Jawaban:**" in text
    assert "Perlu latihan 7 sudah dikerjakan" in text
    assert not re.search(r"\{\{|\{%|%\}|\}\}", text)
    html = tmp_path / "kunci.html"
    assert kkmp("latihan", "buku", "-o", str(html), "--kunci").exit_code == 0
    assert html.read_text(encoding="utf-8").count('<div class="kunci">') == len(found.daftar)


@pytest.mark.skipif(importlib.util.find_spec("weasyprint") is not None, reason="has WeasyPrint")
def test_pdf_without_weasyprint_says_how(tmp_path: Path) -> None:
    r = kkmp("latihan", "buku", "-o", str(tmp_path / "buku.pdf"), "-f", "pdf")
    assert r.exit_code == 1 and "Galat: Format pdf memerlukan WeasyPrint" in r.output
    assert not (tmp_path / "buku.pdf").exists()


def test_a_bad_format_or_exercise_file(tmp_path: Path) -> None:
    r = kkmp("latihan", "buku", "-o", str(tmp_path / "b.doc"), "-f", "doc")
    assert r.exit_code == 2 and "Traceback" not in r.output
    root = tmp_path / "latihan"
    assert kkmp("latihan", "mulai", str(root)).exit_code == 0
    own = root / "templates" / "latihan.yaml"
    own.parent.mkdir()
    own.write_text(
        "tahun: 2025\nlatihan:\n  - judul: A\n    cerita: B\n    kunci: [x]\n"
        "    per: 01-01-2025\n    butuh: [1]\n    harapan: {Aset:Kas: '1.000'}\n",
        encoding="utf-8",
    )
    r = Cli(root)("latihan", "buku", "-o", str(tmp_path / "b.html"))
    assert r.exit_code == 1 and "'latihan 1.butuh' berisi '1'; latihan pertama" in r.output
    assert "Galat:" in r.output and not (tmp_path / "b.html").exists()
