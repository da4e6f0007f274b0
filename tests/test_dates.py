from __future__ import annotations

import datetime as dt

import pytest

from kkmp_cli import dates
from kkmp_cli.errors import TanggalTidakValid


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-02",
        "02-01-2025",
        "02/01/2025",
        "2-1-2025",
        "2 Januari 2025",
        "2 jan 2025",
        "02/01/25",
    ],
)
def test_parse_forms(text: str) -> None:
    assert dates.parse(text) == dt.date(2025, 1, 2)


@pytest.mark.parametrize("text", ["31-02-2025", "2025/13/01", "kemarin lusa", "02-01-025", "2-1"])
def test_parse_refuses(text: str) -> None:
    with pytest.raises(TanggalTidakValid):
        dates.parse(text)


def test_default_is_today() -> None:
    assert dates.parse(None) == dt.date.today()
    assert dates.parse("hari ini") == dates.parse("Hari Ini") == dt.date.today()
    assert dates.parse("kemarin") == dt.date.today() - dt.timedelta(days=1)
    assert dates.fmt_long(dt.date(2025, 3, 15)) == "15 Maret 2025"
