from __future__ import annotations

import datetime as dt

import pytest
from conftest import Cli

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


@pytest.mark.parametrize(
    "args",
    [
        ("gabung", ".", "--tahun", "20255"),
        ("tutup-buku", "20255", "--periksa"),
        ("laporan", "pajak", "--tahun", "20255"),
        ("sampel", "--tahun", "20255", "--jumlah", "3"),
        ("simpanan", "berjangka", "akrual", "--tahun", "20255", "--coba"),
        ("aset", "susut", "--sampai", "9999-12", "--coba"),
        ("pembiayaan", "akrual", "--bulan", "9999-12", "--coba"),
        ("pajak", "hitung", "--bulan", "9999-12"),
    ],
)
def test_a_year_out_of_range_is_one_sentence(cli: Cli, args: tuple[str, ...]) -> None:
    """A typo in a year (20255, 9999) is refused in one sentence, not with a traceback
    (found by an adversarial review, #16)."""
    if args[0] == "gabung":
        args = ("gabung", str(cli.root), *args[2:])
    r = cli(*args)
    assert r.exit_code == 1 and "tidak masuk akal" in r.output, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "1999-04",
            "tahunnya harus antara 2000 dan 2100",
        ),  # the form is right (adversarial review)
        ("2025-13", "tulis YYYY-MM"),
        ("April 2025", "tulis YYYY-MM"),
    ],
)
def test_a_month_out_of_range_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(TanggalTidakValid) as caught:
        dates.parse_month(text)
    assert says in str(caught.value)
