"""The only importer of WeasyPrint: HTML to a PDF file, written whole or not at all."""

from __future__ import annotations

from pathlib import Path

from kkmp_cli.core import fsutil
from kkmp_cli.errors import KkmpError


def write(html: str, target: Path, *, base_url: Path | None = None) -> None:
    """Print `html` to the PDF `target` (A4 and margins come from the page's own CSS)."""
    try:
        import weasyprint  # type: ignore[import-not-found]
    except ImportError as exc:
        raise KkmpError(
            "Format pdf memerlukan WeasyPrint, yang belum terpasang. Pasang dengan: "
            "pip install 'kkmp[pdf]', atau pakai --format html lalu cetak dari peramban."
        ) from exc
    except OSError as exc:  # WeasyPrint is there, its system libraries (pango) are not
        raise KkmpError(
            "WeasyPrint tidak menemukan pustaka sistemnya (pango); di Debian/Ubuntu: "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 "
            "(atau pakai --format html lalu cetak dari peramban)."
        ) from exc
    document = weasyprint.HTML(string=html, base_url=None if base_url is None else str(base_url))
    target.parent.mkdir(parents=True, exist_ok=True)
    fsutil.atomic_write(target, document.write_pdf())
