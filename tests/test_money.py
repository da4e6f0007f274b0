from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kkmp_cli import money
from kkmp_cli.errors import JumlahTidakValid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10000", 10_000),
        ("10.000", 10_000),
        ("Rp10.000", 10_000),
        ("Rp 1.500.000,00", 1_500_000),
        ("rp1.500.000,-", 1_500_000),
        ("250rb", 250_000),
        ("1,5jt", 1_500_000),
        ("2 jt", 2_000_000),
        ("1,25 juta", 1_250_000),
        ("Rp 30jt", 30_000_000),
        ("100.000", 100_000),
        ("7", 7),
    ],
)
def test_parse_accepts_indonesian_forms(text: str, expected: int) -> None:
    assert money.parse(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1.5", "ambigu"),
        ("1,500", "ambigu"),
        ("0", "lebih dari nol"),
        ("-10000", "negatif"),
        ("Rp", "kosong"),
        ("sepuluh ribu", "bukan angka"),
        ("10.00", "ambigu"),
        ("1.000,50", "tanpa sen"),
        ("0,0001rb", "rupiah utuh"),
        ("1.5jt", "bukan angka"),
    ],
)
def test_parse_refuses_bad_input_with_accepted_forms(text: str, why: str) -> None:
    with pytest.raises(JumlahTidakValid) as exc:
        money.parse(text)
    assert why in str(exc.value)
    assert "Bentuk yang diterima" in str(exc.value)


def test_fmt() -> None:
    assert money.fmt(Decimal(1_250_000)) == "Rp1.250.000"
    assert money.fmt(0) == "Rp0"
    assert money.fmt(Decimal(-500)) == "-Rp500"


@given(st.integers(min_value=1, max_value=10**13))
def test_fmt_then_parse_round_trips(n: int) -> None:
    assert money.parse(money.fmt(n)) == n
    assert money.parse(str(n)) == n


@given(st.text(max_size=20))
def test_parse_never_crashes_on_any_text(text: str) -> None:
    try:
        value = money.parse(text)
    except JumlahTidakValid:
        return
    assert value > 0 and value == value.to_integral_value()


def test_fmt_report_parentheses_and_dash() -> None:
    assert money.fmt_report(Decimal("-320659")) == "(Rp320.659)"
    assert money.fmt_report(Decimal("1250000")) == "Rp1.250.000"
    assert money.fmt_report(0) == "Rp0"
    assert money.fmt_report(Decimal("-0.4")) == "Rp0"
    assert money.fmt_report(None) == "\u2014"
