"""The printed RAT book, page by page (#18): the HTML printed by Chromium and the PDF made by
WeasyPrint are rendered to images (pypdfium2) and checked: a sensible page count, no page more
than 80 % empty except the cover and a section's last page before a forced break, no heading
alone at a page foot, and (WeasyPrint) contents whose page numbers point at the chapters.

These tests need system software that CI installs (see the lead's .ci/run): WeasyPrint's
libraries (pango) and Debian's `chromium`; without them they skip and say why."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

PAGE_HEIGHT_CM = 29.7
MARGIN_TOP_CM, MARGIN_BOTTOM_CM = 2.0, 2.4  # as @page in templates/rat.html.j2
MOST_EMPTY = 0.80
# A4 pages at the demo's size: 19 when the book had fewer parts; the notes and annexes add some.
PAGES = range(15, 30)
FOOTER = re.compile(r"^(Buku RAT .*|Halaman( \d+)?|\d+|yang belum di-commit\))$")


def _pdfium() -> Any:
    return pytest.importorskip(
        "pypdfium2", reason="pypdfium2 is not installed (pip install '.[pdf]')"
    )


def _weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: the pango libraries are missing
        pytest.skip(
            f"WeasyPrint is not usable here ({type(exc).__name__}): pip install '.[pdf]' and "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
        )


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (apt-get install chromium)")


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def forced_headings(html: str) -> list[str]:
    """The h2 of each chapter that starts a page (`section.putus`)."""
    return [
        _text(h)
        for h in re.findall(
            r'<section class="bab putus" id="[^"]+">\s*<h2>(.*?)</h2>', html, flags=re.S
        )
    ]


def headings(html: str) -> set[str]:
    return {_text(h) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, flags=re.S)}


def pages(pdf: Path) -> list[tuple[float, list[str]]]:
    """(share of the text area used, the page's text lines without the footer) per page."""
    pdfium = _pdfium()
    doc = pdfium.PdfDocument(str(pdf))
    result = []
    for i in range(len(doc)):
        page = doc[i]
        image = page.render(scale=0.5).to_pil().convert("L")
        width, height = image.size
        top = int(height * MARGIN_TOP_CM / PAGE_HEIGHT_CM)
        bottom = int(height * (PAGE_HEIGHT_CM - MARGIN_BOTTOM_CM) / PAGE_HEIGHT_CM)
        px = image.load()
        last = next(
            (y for y in range(bottom - 1, top - 1, -1) if any(px[x, y] < 200 for x in range(0, width, 2))),
            None,
        )  # fmt: skip
        used = 0.0 if last is None else (last - top) / (bottom - top)
        text = page.get_textpage().get_text_range()
        lines = [s.strip() for s in text.replace("\r", "\n").split("\n")]
        result.append((used, [s for s in lines if s and not FOOTER.match(s)]))
    doc.close()
    return result


def check_pages(pdf: Path, html: str) -> list[tuple[float, list[str]]]:
    found = pages(pdf)
    assert len(found) in PAGES, f"{len(found)} pages"
    breaks = forced_headings(html)
    assert len(breaks) >= 3, breaks  # the statements, the SHU list, the annexes
    titles = headings(html)
    for i, (used, lines) in enumerate(found):
        number = i + 1
        if 0 < i < len(found) - 1:
            section_end = any(h in found[i + 1][1] for h in breaks)
            assert used >= 1 - MOST_EMPTY or section_end, (
                f"page {number} is {100 - used * 100:.0f} % empty and not a section end"
            )
        if i < len(found) - 1 and lines:
            assert lines[-1] not in titles, f"page {number} ends on the heading {lines[-1]!r}"
    # Long tables (the SHU list, the member annex) repeat their header on every page they span.
    continued = [
        i + 1 for i, (_, lines) in enumerate(found) if lines and lines[0].startswith("NAK Nama")
    ]
    assert len(continued) >= 2, continued
    return found


def test_weasyprint_pdf_page_by_page(demo_root: Path, tmp_path: Path) -> None:
    _weasyprint()
    _pdfium()
    html_path, pdf = tmp_path / "rat.html", tmp_path / "rat.pdf"
    run = Cli(demo_root)
    assert run("rat", "2025", "-o", str(html_path)).exit_code == 0
    r = run("rat", "2025", "-f", "pdf", "-o", str(pdf))
    assert r.exit_code == 0, r.output
    html = html_path.read_text()
    found = check_pages(pdf, html)
    again = tmp_path / "lagi.pdf"
    assert run("rat", "2025", "-f", "pdf", "-o", str(again)).exit_code == 0
    assert again.read_bytes() == pdf.read_bytes()  # the PDF, too, is the same on a re-run
    # The contents carry page numbers (CSS target-counter): each chapter's number is the page
    # its heading is on.
    toc = found[1][1]
    for heading in forced_headings(html):
        line = next(s for s in toc if s.startswith(heading))
        page = int(re.findall(r"(\d+)$", line)[0])
        assert heading in found[page - 1][1], (heading, page)


def test_chromium_print_page_by_page(demo_root: Path, tmp_path: Path) -> None:
    browser = _chromium()
    _pdfium()
    html_path, pdf = tmp_path / "rat.html", tmp_path / "chromium.pdf"
    assert Cli(demo_root)("rat", "2025", "-o", str(html_path)).exit_code == 0
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profil'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html_path.as_uri(),
        ],
        capture_output=True,
        timeout=240,
        check=False,
    )
    assert pdf.exists(), done.stderr.decode(errors="replace")[-2000:]
    check_pages(pdf, html_path.read_text())


def test_forced_breaks_are_only_statements_shu_and_annexes(demo_root: Path, tmp_path: Path) -> None:
    """Without any renderer: the HTML itself breaks pages only before those three chapters."""
    out = tmp_path / "rat.html"
    assert Cli(demo_root)("rat", "2025", "-o", str(out)).exit_code == 0
    html = out.read_text()
    assert forced_headings(html) == [
        "6. Laporan Keuangan",
        "8. Sisa Hasil Usaha dan Usulan Pembagiannya",
        "15. Lampiran",
    ]
    assert "break-after: avoid" in html and "display: table-header-group" in html
    assert "target-counter(attr(href url), page)" in html
