"""`kkmp pembiayaan` (#11): the cooperative's own bank financing under PMK 49/2025."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from conftest import Cli, ok, refused, run, transactions
from hypothesis import given, settings
from hypothesis import strategies as st

from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.financing import facility as fac

BIG = "pembiayaan|tambah|BRI-1|--kreditur|BRI|--plafon|3M|--bunga|6|--tenor|72|--masa-tenggang|6|--tanggal|10-01-2025"


@pytest.fixture
def funded(cli: Cli) -> Cli:
    """The issue's facility: 3.000.000.000 at 6 %, 72 months, 6 of grace, drawn in full."""
    run(cli, BIG, "pembiayaan|cair|BRI-1|3M|--tanggal|10-01-2025|--untuk|Gedung dan modal kerja")
    return cli


def _payload(cli: Cli, *args: str) -> dict:
    return json.loads(ok(cli, *args, "--format", "json"))


def test_the_issue_schedule_to_the_rupiah(funded: Cli) -> None:
    rows = _payload(funded, "pembiayaan", "jadwal", "BRI-1")["angsuran"]
    assert len(rows) == 72
    assert all(r["bunga"] == 15_000_000 and r["pokok"] == 0 for r in rows[:6])
    assert all(r["angsuran"] == 53_478_818 for r in rows[6:71])
    assert rows[6]["pokok"] == 38_478_818 and rows[6]["jatuh_tempo"] == "2025-08-10"
    assert sum(r["pokok"] for r in rows) == 3_000_000_000
    assert rows[-1]["sisa_pokok"] == 0 and rows[-1]["angsuran"] != 53_478_818
    text = ok(funded, "pembiayaan", "jadwal", "BRI-1")
    assert "Rp53.478.818" in text and "Rp15.000.000" in text


def test_drawdown_payment_accrual_and_talangan_in_the_ledger(funded: Cli) -> None:
    out = ok(funded, "pembiayaan", "bayar", "BRI-1", "15jt", "--tanggal", "10-02-2025")
    assert "Beban:Bunga-Pinjaman" in out
    # March is not paid: accrual makes it a payable; a second run adds nothing.
    ok(funded, "pembiayaan", "akrual", "--bulan", "2025-03")
    again = ok(funded, "pembiayaan", "akrual", "--bulan", "2025-03")
    assert "Tidak ada bunga" in again
    # The village pays the missed instalment (Permendesa 10/2025): the payable falls.
    ok(
        funded, "pembiayaan", "talangan", "BRI-1", "15jt", "--tanggal", "01-04-2025",
        "--dari", "Pemerintah Desa",
    )  # fmt: skip
    txns = {t.meta["jenis"]: t for t in transactions(funded.root) if "jenis" in t.meta}
    draw = txns["pembiayaan-cair"]
    assert {p.account: p.units.number for p in draw.postings} == {
        "Aset:Bank": Decimal(3_000_000_000),
        "Kewajiban:Utang-Bank:BRI-1": Decimal(-3_000_000_000),
    }
    assert draw.meta["untuk"] == "Gedung dan modal kerja"
    accrual = txns["pembiayaan-akrual"]
    assert {p.account: p.units.number for p in accrual.postings} == {
        "Beban:Bunga-Pinjaman": Decimal(15_000_000),
        "Kewajiban:Utang-Bunga:BRI-1": Decimal(-15_000_000),
    }
    bailout = txns["pembiayaan-talangan"]
    assert {p.account: p.units.number for p in bailout.postings} == {
        "Kewajiban:Utang-Bunga:BRI-1": Decimal(15_000_000),
        "Kewajiban:Utang-Talangan:Pemerintah-Desa": Decimal(-15_000_000),
    }
    # From month 7 a payment splits interest first, then principal.
    for month in range(4, 9):
        ok(funded, "pembiayaan", "bayar", "BRI-1", "53.478.818" if month == 8 else "15jt",
           "--tanggal", f"10-{month:02d}-2025")  # fmt: skip
    last = [t for t in transactions(funded.root) if t.meta.get("jenis") == "pembiayaan-bayar"][-1]
    assert last.meta["bunga"] == Decimal(15_000_000) and last.meta["pokok"] == Decimal(38_478_818)
    listing = _payload(funded, "pembiayaan", "daftar", "--per", "31-08-2025")["pembiayaan"][0]
    assert listing["sisa_pokok"] == 3_000_000_000 - 38_478_818
    assert listing["tunggakan_pokok"] == 0 and listing["tunggakan_bunga"] == 0
    assert listing["jatuh_tempo_berikut"] == "2025-09-10"
    assert ok(funded, "periksa").strip().startswith("Buku bersih")


def test_current_portion_is_the_schedule_principal_of_the_next_twelve_months(funded: Cli) -> None:
    book = ledger.load(Paths(funded.root))
    f = fac.require(book, "BRI-1")
    rows = fac.plan_of(book, f)
    end = dt.date(2025, 12, 31)
    expected = sum(r.pokok for r in rows if end < r.jatuh_tempo <= dt.date(2026, 12, 31))
    # Nothing was paid: August to December 2025 are in arrears, and current too.
    arrears = sum(r.pokok for r in rows if r.jatuh_tempo <= end)
    current = fac.current_portion(book, end)
    assert current == expected + arrears
    assert current == fac.current_portion(book, end, "BRI-1")
    assert 3_000_000_000 - current > 0  # the rest is long-term
    listing = _payload(funded, "pembiayaan", "daftar", "--per", "31-12-2025")["pembiayaan"][0]
    assert listing["jangka_pendek"] == current
    assert listing["tunggakan_pokok"] == arrears


def test_bad_input_is_refused_and_changes_nothing(funded: Cli) -> None:
    refused(
        funded,
        "pembiayaan",
        "cair",
        "BRI-1",
        "1",
        "--tanggal",
        "10-02-2025",
        says="melebihi plafon",
    )
    refused(
        funded,
        "pembiayaan",
        "bayar",
        "BNI-9",
        "1jt",
        "--tanggal",
        "10-02-2025",
        says="tidak dikenal",
    )
    refused(
        funded, "pembiayaan", "tambah", "BRI-2", "--kreditur", "BRI", "--plafon", "4M", "--bunga", "6",
        "--tenor", "72", "--tanggal", "10-01-2025", says="PMK 49/2025",
    )  # fmt: skip
    refused(
        funded, "pembiayaan", "tambah", "BRI-1", "--kreditur", "BRI", "--plafon", "1M", "--bunga", "6",
        "--tenor", "72", "--tanggal", "10-01-2025", says="sudah tercatat",
    )  # fmt: skip
    refused(
        funded, "pembiayaan", "tambah", "BRI-3", "--kreditur", "BRI", "--plafon", "1M", "--bunga", "6",
        "--tenor", "72", "--masa-tenggang", "9", "--tanggal", "10-01-2025", says="Masa tenggang",
    )  # fmt: skip
    refused(
        funded,
        "pembiayaan",
        "bayar",
        "BRI-1",
        "4M",
        "--tanggal",
        "10-02-2025",
        says="melebihi utang",
    )
    refused(funded, "pembiayaan", "akrual", "--bulan", "2025-13", says="Bulan")


def test_drawdown_before_the_facility_or_above_the_operating_share(cli: Cli) -> None:
    run(cli, BIG)
    refused(
        cli,
        "pembiayaan",
        "cair",
        "BRI-1",
        "1jt",
        "--tanggal",
        "09-01-2025",
        says="sebelum pembiayaan",
    )
    refused(
        cli, "pembiayaan", "cair", "BRI-1", "1jt", "--tanggal", "11-07-2025", says="masa tenggang"
    )
    run(cli, "pembiayaan|cair|BRI-1|400jt|--tanggal|10-01-2025|--operasional|--unit|sembako")
    refused(
        cli, "pembiayaan", "cair", "BRI-1", "150jt", "--tanggal", "10-02-2025", "--operasional",
        says="belanja operasional",
    )  # fmt: skip
    draw = next(t for t in transactions(cli.root) if t.meta.get("jenis") == "pembiayaan-cair")
    assert draw.meta["unit"] == "sembako" and draw.meta["operasional"] == "ya"


def _periksa_after_a_hand_written_payment(
    cli: Cli, date: str, account: str | None, *, pokok: int = 0, bunga: int = 0
):
    """`periksa` after a facility payment written by hand (or by an older kkmp) into 2025:
    all of it to `account`, or (None) its interest to expense and its principal to the debt."""
    legs = (
        [(account, pokok + bunga)]
        if account
        else [("Beban:Bunga-Pinjaman", bunga), ("Kewajiban:Utang-Bank:BRI-1", pokok)]
    )
    path = Paths(cli.root).year_file(2025)
    path.write_text(
        path.read_text()
        + f'\n{date} * "Bayar (diedit tangan)"\n  id: "BBK-2025-000099"\n'
        + f'  jenis: "pembiayaan-bayar"\n  pembiayaan: "BRI-1"\n  pokok: {pokok}\n  bunga: {bunga}\n'
        + "".join(f"  {leg}  {amount} IDR\n" for leg, amount in legs if amount)
        + f"  Aset:Bank  -{pokok + bunga} IDR\n"
    )
    return cli("periksa")


def test_periksa_catches_a_facility_paid_above_its_debt(funded: Cli) -> None:
    r = _periksa_after_a_hand_written_payment(
        funded, "2025-03-01", "Kewajiban:Utang-Bank:BRI-1", pokok=3_100_000_000
    )
    assert r.exit_code != 0
    assert "Kewajiban:Utang-Bank:BRI-1" in r.output and "melebihi yang dicairkan" in r.output


def test_a_bank_rounding_is_an_instalment_and_more_is_a_prepayment(funded: Cli) -> None:
    """Up to Rp1.000 of principal ahead of the schedule is a bank's rounding of its debit, an
    ordinary instalment; more is a prepayment (pelunasan dipercepat), recorded as such."""
    ok(funded, "pembiayaan", "bayar", "BRI-1", "15.000.500", "--tanggal", "10-02-2025")
    assert "dipercepat" not in _payments(funded)[-1].meta
    ok(funded, "pembiayaan", "bayar", "BRI-1", "20jt", "--tanggal", "10-03-2025")
    ahead = _payments(funded)[-1].meta
    assert ahead["bunga"] == 15_000_000 and ahead["pokok"] == 5_000_000
    assert ahead["dipercepat"] == 5_000_000 and ahead["kurangi"] == "angsuran"
    assert "Buku bersih" in ok(funded, "periksa")


@settings(max_examples=60, deadline=None)
@given(
    plafon=st.integers(1_000_000, 3_000_000_000),
    tenor=st.integers(2, 72),
    grace=st.integers(0, 8),
    rate=st.sampled_from(["6", "5.5", "3", "0.25"]),
    metode=st.sampled_from(fac.METHODS),
)
def test_schedule_principal_always_sums_to_what_was_drawn(
    plafon: int, tenor: int, grace: int, rate: str, metode: str
) -> None:
    grace = min(grace, tenor - 1)
    start = dt.date(2025, 1, 31)
    f = fac.Facility("X", "Bank", start, Decimal(plafon), Decimal(rate), tenor, grace, metode, None)
    rows = fac.schedule(f, [(start, Decimal(plafon))])
    assert len(rows) == tenor
    assert sum(r.pokok for r in rows) == plafon and rows[-1].sisa_pokok == 0
    assert all(r.pokok == 0 for r in rows[:grace]) and all(r.pokok >= 0 for r in rows)
    if metode == "anuitas" and tenor - grace > 1:
        assert len({r.angsuran for r in rows[grace:-1]}) == 1


@settings(max_examples=60, deadline=None)
@given(
    plafon=st.integers(1_000_000, 3_000_000_000),
    tenor=st.integers(2, 72),
    grace=st.integers(0, 8),
    metode=st.sampled_from(fac.METHODS),
    ahead=st.lists(
        st.tuples(st.integers(1, 72), st.integers(1, 60), st.sampled_from(fac.REDUCE)),
        max_size=3,
    ),
)
def test_prepayments_keep_the_schedule_whole(
    plafon: int, tenor: int, grace: int, metode: str, ahead: list[tuple[int, int, str]]
) -> None:
    """Whatever is repaid ahead, and whichever way, the principal parts still sum to what was
    drawn, none is negative, the last leaves nothing, and no instalment falls after the tenor."""
    grace = min(grace, tenor - 1)
    start = dt.date(2025, 1, 31)
    f = fac.Facility("X", "Bank", start, Decimal(plafon), Decimal(6), tenor, grace, metode, None)
    prepaid = tuple(
        fac.Prepayment(
            f.due(min(month, tenor)) - dt.timedelta(days=3), Decimal(plafon * share // 100),
            mode, False,
        )
        for month, share, mode in ahead
    )  # fmt: skip
    rows = fac.schedule(f, [(start, Decimal(plafon))], prepaid)
    assert sum(r.pokok for r in rows) == plafon and rows[-1].sisa_pokok == 0
    assert all(r.pokok >= 0 and r.bunga >= 0 for r in rows)
    numbered = [r.ke for r in rows if not r.dipercepat]
    assert numbered == list(range(1, len(numbered) + 1)) and len(numbered) <= tenor
    if (
        all(mode == "angsuran" for _, _, mode in ahead)
        and rows[-1].pokok
        and not rows[-1].dipercepat
    ):
        assert len(numbered) == tenor  # the tenor stays


def test_the_neraca_splits_the_facility_into_current_and_long_term(funded: Cli) -> None:
    """Laporan posisi keuangan at 31-12: the principal due within 12 months (by the schedule,
    with arrears) is a current liability, the rest long-term, to the rupiah (#11)."""
    book = ledger.load(Paths(funded.root))
    current = fac.current_portion(book, dt.date(2025, 12, 31))
    neraca = _payload(funded, "laporan", "neraca", "--tahun", "2025")
    assert current > 0
    assert neraca["total_kewajiban_panjang"] == 3_000_000_000 - current
    [line] = [r for r in neraca["baris"] if "jatuh tempo dalam 12 bulan" in r["label"]]
    assert line["nilai"][0] == current
    assert (
        neraca["total_kewajiban"]
        == neraca["total_kewajiban_pendek"] + neraca["total_kewajiban_panjang"]
    )


# --- pelunasan dipercepat (#11): a payment above what is due reduces the principal ---

R = Decimal(6) / 100 / 12  # 6 % a year, monthly


def _annuity(principal: Decimal, months: int) -> Decimal:
    """The instalment of `principal` over `months` at R, rounded to the rupiah (halves up)."""
    exact = principal * R / (1 - (1 + R) ** -months)
    return exact.quantize(Decimal(1), rounding="ROUND_HALF_UP")


def _grace_paid(cli: Cli) -> None:
    """The six grace months' interest paid on their due dates (10-02 to 10-07-2025)."""
    for month in range(2, 8):
        ok(cli, "pembiayaan", "bayar", "BRI-1", "15jt", "--tanggal", f"10-{month:02d}-2025")


def _instalments(cli: Cli) -> list[dict]:
    return [r for r in _payload(cli, "pembiayaan", "jadwal", "BRI-1")["angsuran"] if r["ke"]]


def _payments(cli: Cli) -> list:
    return [t for t in transactions(cli.root) if t.meta.get("jenis") == "pembiayaan-bayar"]


def test_a_partial_prepayment_keeps_the_tenor_and_lowers_the_instalment(funded: Cli) -> None:
    """The sembako unit's surplus repays 500 juta with the first instalment (10-08-2025): the
    principal falls, and the schedule, the accrual, the current portion and the next payment
    all follow the lower principal; the tenor stays 72 months by default."""
    _grace_paid(funded)
    first = _instalments(funded)[6]
    extra = Decimal(500_000_000)
    out = ok(
        funded, "pembiayaan", "bayar", "BRI-1", str(first["angsuran"] + extra), "--tanggal",
        "10-08-2025",
    )  # fmt: skip
    assert "Pelunasan dipercepat" in out and "Rp500.000.000" in out
    paid = _payments(funded)[-1]
    assert paid.meta["pokok"] == first["pokok"] + extra and paid.meta["bunga"] == first["bunga"]
    assert paid.meta["dipercepat"] == extra and paid.meta["kurangi"] == "angsuran"
    rest = Decimal(3_000_000_000 - first["pokok"]) - extra
    rows = _instalments(funded)
    assert len(rows) == 72 and rows[6] == first  # the instalment paid stays as it was
    lower = _annuity(rest, 65)
    assert all(r["angsuran"] == lower for r in rows[7:-1])
    assert rows[7]["bunga"] == (rest * R).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    schedule = _payload(funded, "pembiayaan", "jadwal", "BRI-1")["angsuran"]
    [ahead] = [r for r in schedule if r["dipercepat"]]
    assert ahead["pokok"] == extra and ahead["jatuh_tempo"] == "2025-08-10"
    assert sum(r["pokok"] for r in schedule) == 3_000_000_000 and rows[-1]["sisa_pokok"] == 0
    assert "dipercepat" in ok(funded, "pembiayaan", "jadwal", "BRI-1")
    # September is not paid: the accrual books the lower interest.
    ok(funded, "pembiayaan", "akrual", "--bulan", "2025-09")
    accrual = [t for t in transactions(funded.root) if t.meta.get("jenis") == "pembiayaan-akrual"]
    assert [p.units.number for p in accrual[-1].postings if p.account.startswith("Beban")] == [
        rows[7]["bunga"]
    ]
    # September's instalment, paid late, splits by the new schedule (interest from the payable).
    ok(funded, "pembiayaan", "bayar", "BRI-1", str(lower), "--tanggal", "05-10-2025")
    late = _payments(funded)[-1]
    assert late.meta["bunga"] == rows[7]["bunga"] and late.meta["pokok"] == rows[7]["pokok"]
    assert "dipercepat" not in late.meta
    listing = _payload(funded, "pembiayaan", "daftar", "--per", "31-12-2025")["pembiayaan"][0]
    assert listing["sisa_pokok"] == rest - rows[7]["pokok"]
    ahead_of_2026 = [r for r in rows[8:] if r["jatuh_tempo"] <= "2026-12-31"]
    arrears = [r for r in rows[8:] if r["jatuh_tempo"] <= "2025-12-31"]
    assert listing["tunggakan_pokok"] == sum(r["pokok"] for r in arrears)
    assert listing["jangka_pendek"] == sum(r["pokok"] for r in ahead_of_2026)
    assert listing["angsuran_berikut"] == lower
    assert ok(funded, "periksa").strip().startswith("Buku bersih")


def test_a_partial_prepayment_may_keep_the_instalment_and_shorten_the_tenor(funded: Cli) -> None:
    _grace_paid(funded)
    first = _instalments(funded)[6]
    extra = Decimal(1_000_000_000)
    ok(
        funded, "pembiayaan", "bayar", "BRI-1", str(first["angsuran"] + extra), "--tanggal",
        "10-08-2025", "--kurangi", "tenor",
    )  # fmt: skip
    assert _payments(funded)[-1].meta["kurangi"] == "tenor"
    rows = _instalments(funded)
    assert all(r["angsuran"] == first["angsuran"] for r in rows[6:-1])
    assert rows[-1]["sisa_pokok"] == 0 and rows[-1]["angsuran"] <= first["angsuran"]
    # What is left after the prepayment, repaid at the same instalment: the months it takes.
    rest = Decimal(3_000_000_000 - first["pokok"]) - extra
    months = 0
    while rest > 0:
        months += 1
        rest -= min(rest, first["angsuran"] - (rest * R).quantize(Decimal(1), "ROUND_HALF_UP"))
    assert len(rows) == 7 + months < 72
    # A later prepayment in the other mode lowers the instalment over the shortened tenor.
    ok(funded, "pembiayaan", "bayar", "BRI-1", str(rows[7]["angsuran"] + 100_000_000),
       "--tanggal", "10-09-2025", "--kurangi", "angsuran")  # fmt: skip
    after = _instalments(funded)
    assert len(after) == len(rows) and after[8]["angsuran"] < first["angsuran"]
    assert after[-1]["sisa_pokok"] == 0
    assert ok(funded, "periksa").strip().startswith("Buku bersih")


def test_a_full_payoff_closes_the_schedule(funded: Cli) -> None:
    """Pelunasan dipercepat in full in the middle of a month: that month's interest first,
    then every rupiah of principal; no more instalments, accruals or current portion."""
    _grace_paid(funded)
    ok(funded, "kas", "masuk", "hibah", "200jt", "--via", "bank", "--tanggal", "01-07-2025")
    bunga = Decimal(15_000_000)  # the month from 10-07 began before the payoff
    out = ok(funded, "pembiayaan", "bayar", "BRI-1", str(3_000_000_000 + bunga), "--tanggal",
             "20-07-2025", "--biaya", "1.500.000")  # fmt: skip
    assert "lunas" in out
    paid = _payments(funded)[-1]
    assert paid.meta["lunas"] == "ya" and paid.meta["pokok"] == 3_000_000_000
    assert paid.meta["bunga"] == bunga and paid.meta["biaya"] == Decimal(1_500_000)
    assert {p.account: p.units.number for p in paid.postings} == {
        "Kewajiban:Utang-Bank:BRI-1": Decimal(3_000_000_000),
        "Beban:Bunga-Pinjaman": bunga,
        "Beban:Administrasi-Bank": Decimal(1_500_000),
        "Aset:Bank": -(3_000_000_000 + bunga + 1_500_000),
    }
    schedule = _payload(funded, "pembiayaan", "jadwal", "BRI-1")["angsuran"]
    assert schedule[-1]["dipercepat"] and schedule[-1]["sisa_pokok"] == 0
    # The month from 10-07 had begun: its instalment is paid in full, then the rest at once.
    assert [r["ke"] for r in schedule] == [1, 2, 3, 4, 5, 6, 7, 0]
    assert schedule[-1]["pokok"] == 3_000_000_000 - schedule[6]["pokok"]
    assert "Tidak ada bunga" in ok(funded, "pembiayaan", "akrual", "--bulan", "2025-12")
    listing = _payload(funded, "pembiayaan", "daftar", "--per", "31-12-2025")["pembiayaan"][0]
    assert listing["sisa_pokok"] == 0 and listing["jangka_pendek"] == 0
    assert listing["tunggakan_pokok"] == 0 and listing["tunggakan_bunga"] == 0
    assert listing["jatuh_tempo_berikut"] is None
    refused(funded, "pembiayaan", "bayar", "BRI-1", "1jt", "--tanggal", "10-08-2025",
            says="sudah lunas")  # fmt: skip
    assert ok(funded, "periksa").strip().startswith("Buku bersih")


def test_a_prepayment_out_of_order_is_refused(funded: Cli) -> None:
    _grace_paid(funded)
    refused(funded, "pembiayaan", "bayar", "BRI-1", "600jt", "--tanggal", "10-08-2025",
            "--kurangi", "bulan", says="pilih tenor")  # fmt: skip
    refused(funded, "pembiayaan", "bayar", "BRI-1", "600jt", "--tanggal", "01-06-2025",
            says="10-07-2025")  # a later payment is booked already  # fmt: skip
    refused(funded, "pembiayaan", "talangan", "BRI-1", "600jt", "--tanggal", "10-08-2025",
            "--dari", "Pemerintah Desa", says="talangan")  # fmt: skip
    ok(funded, "pembiayaan", "bayar", "BRI-1", "600jt", "--tanggal", "10-08-2025")
    r = funded("koreksi", _payments(funded)[-1].meta["id"], "--alasan", "salah",
               "--tanggal", "10-08-2025")  # fmt: skip
    assert r.exit_code == 0, r.output  # nothing after it yet: the schedule goes back
    assert not [r for r in _payload(funded, "pembiayaan", "jadwal", "BRI-1")["angsuran"]
                if r["dipercepat"]]  # fmt: skip
    assert ok(funded, "periksa").strip().startswith("Buku bersih")


def test_a_drawdown_after_a_prepayment_is_refused(cli: Cli) -> None:
    run(cli, BIG, "pembiayaan|cair|BRI-1|1M|--tanggal|10-01-2025")
    ok(cli, "pembiayaan", "bayar", "BRI-1", "305jt", "--tanggal", "10-02-2025")
    refused(cli, "pembiayaan", "cair", "BRI-1", "1M", "--tanggal", "10-03-2025",
            says="dipercepat")  # fmt: skip


# --- a back-dated instalment before a booked accrual (#11) ---


def test_an_instalment_dated_before_a_booked_accrual_is_refused_with_the_way_out(
    funded: Cli,
) -> None:
    """March's interest is accrued at 31-03; an instalment then recorded as paid on 14-03
    settled the payable before the accrual existed: the payable was a debit for 17 days."""
    ok(funded, "pembiayaan", "bayar", "BRI-1", "15jt", "--tanggal", "10-02-2025")
    ok(funded, "pembiayaan", "akrual", "--bulan", "2025-03")
    [accrual] = [t for t in transactions(funded.root) if t.meta.get("jenis") == "pembiayaan-akrual"]
    doc = accrual.meta["id"]
    for command in ("bayar", "talangan"):
        args = ["--dari", "Pemerintah Desa"] if command == "talangan" else []
        said = refused(funded, "pembiayaan", command, "BRI-1", "15jt", "--tanggal", "14-03-2025",
                       *args, says=f"kkmp koreksi {doc} --tanggal 31-03-2025")  # fmt: skip
        assert "kkmp pembiayaan akrual --bulan 2025-03" in said
    # The way out the message names: the accrual reversed on its day, the payment, the accrual.
    ok(
        funded,
        "koreksi",
        doc,
        "--tanggal",
        "31-03-2025",
        "--alasan",
        "angsuran 14-03 terlambat dicatat",
    )
    ok(funded, "pembiayaan", "bayar", "BRI-1", "15jt", "--tanggal", "14-03-2025")
    assert "Tidak ada bunga" in ok(funded, "pembiayaan", "akrual", "--bulan", "2025-03")
    book = ledger.load(Paths(funded.root))
    payable = "Kewajiban:Utang-Bunga:BRI-1"
    for day in range(1, 32):
        assert book.balance_on(payable, dt.date(2025, 3, day)) <= 0
    assert ok(funded, "periksa").strip().startswith("Buku bersih")


def test_periksa_reports_an_interest_payable_that_turns_debit(funded: Cli) -> None:
    """A payable below zero on some days (the books an older kkmp wrote for the case above)."""
    ok(funded, "pembiayaan", "bayar", "BRI-1", "15jt", "--tanggal", "10-02-2025")
    ok(funded, "pembiayaan", "akrual", "--bulan", "2025-03")
    r = _periksa_after_a_hand_written_payment(
        funded, "2025-03-14", "Kewajiban:Utang-Bunga:BRI-1", bunga=15_000_000
    )
    assert r.exit_code != 0
    assert "Kewajiban:Utang-Bunga:BRI-1" in r.output and "14-03-2025" in r.output


# --- an instalment recorded late, dated before a later payment (#11) ---


def _pay(cli: Cli, amount: object, date: str, *args: str) -> str:
    return ok(cli, "pembiayaan", "bayar", "BRI-1", str(amount), "--tanggal", date, *args)


def test_an_instalment_dated_before_a_later_payment_is_refused_with_the_way_out(
    funded: Cli,
) -> None:
    """Instalments 7 and 9 are recorded, 9 paying the interest of the unpaid 8 first; then 8
    is recorded as paid on 10-09. Split as if 9 did not exist, 8's interest would be booked
    twice and its principal never: the payment dated later must be recorded again first."""
    _grace_paid(funded)
    rows = _instalments(funded)
    _pay(funded, rows[6]["angsuran"], "10-08-2025")
    _pay(funded, rows[8]["angsuran"], "10-10-2025")
    later = _payments(funded)[-1]
    assert later.meta["bunga"] == rows[7]["bunga"] + rows[8]["bunga"]  # 8 unpaid as it stood
    doc = later.meta["id"]
    for command in ("bayar", "talangan"):
        args = ["--dari", "Pemerintah Desa"] if command == "talangan" else []
        said = refused(funded, "pembiayaan", command, "BRI-1", str(rows[7]["angsuran"]),
                       "--tanggal", "10-09-2025", *args,
                       says=f"kkmp koreksi {doc} --tanggal 10-10-2025")  # fmt: skip
        assert said.count("Galat:") == 1 and "10-10-2025" in said
    # The way out the message names: the later payment taken back on its day, then both in order.
    ok(
        funded,
        "koreksi",
        doc,
        "--tanggal",
        "10-10-2025",
        "--alasan",
        "angsuran 8 terlambat dicatat",
    )
    _pay(funded, rows[7]["angsuran"], "10-09-2025")
    _pay(funded, rows[8]["angsuran"], "10-10-2025")
    book = ledger.load(Paths(funded.root))
    f = fac.require(book, "BRI-1")
    kept = [t for t in fac.entries_of(book, "BRI-1", fac.PAY) if t.date >= dt.date(2025, 8, 1)]
    assert [(t.meta["bunga"], t.meta["pokok"]) for t in kept] == [
        (r["bunga"], r["pokok"]) for r in rows[6:9]
    ]
    assert -book.balance(f.account) == 3_000_000_000 - sum(r["pokok"] for r in rows[6:9])
    assert ok(funded, "periksa").strip().startswith("Buku bersih")


def test_an_instalment_dated_before_a_recorded_prepayment_is_refused(funded: Cli) -> None:
    """The prepayment of 20-08 paid instalment 8 (its month had begun) and put the rest ahead
    of the schedule; an instalment 8 dated 15-08 recorded after it would pay 8 twice."""
    _grace_paid(funded)
    rows = _instalments(funded)
    _pay(funded, rows[6]["angsuran"], "10-08-2025")
    _pay(funded, "600jt", "20-08-2025")
    ahead = _payments(funded)[-1]
    assert ahead.meta["bunga"] == rows[7]["bunga"] and "dipercepat" in ahead.meta
    refused(funded, "pembiayaan", "bayar", "BRI-1", str(rows[7]["angsuran"]), "--tanggal",
            "15-08-2025", says=f"kkmp koreksi {ahead.meta['id']} --tanggal 20-08-2025")  # fmt: skip


def test_an_instalment_recorded_late_that_changes_nothing_later_is_recorded(funded: Cli) -> None:
    """Grace months 1 and 3 paid, then 2 dated between them: the payment of month 3 paid
    interest only, as it still does in date order, so nothing needs correcting."""
    _pay(funded, "15jt", "10-02-2025")
    _pay(funded, "15jt", "10-04-2025")
    _pay(funded, "15jt", "10-03-2025")
    assert [t.meta["bunga"] for t in _payments(funded)] == [15_000_000] * 3
    assert ok(funded, "periksa").strip().startswith("Buku bersih")


def test_periksa_finds_a_split_an_older_kkmp_left_wrong(funded: Cli) -> None:
    """The books an older kkmp wrote for the first case: instalment 8 dated 10-09 recorded
    after 9 (10-10), which had paid 8's interest already. `periksa` names the payment whose
    split a replay in date order changes, and how to mend it."""
    _grace_paid(funded)
    rows = _instalments(funded)
    _pay(funded, rows[6]["angsuran"], "10-08-2025")
    _pay(funded, rows[8]["angsuran"], "10-10-2025")
    later = _payments(funded)[-1]
    bunga = rows[7]["bunga"]
    r = _periksa_after_a_hand_written_payment(
        funded, "2025-09-10", None, pokok=rows[7]["angsuran"] - bunga, bunga=bunga
    )
    assert r.exit_code != 0
    said = " ".join(r.output.split())
    doc = later.meta["id"]
    assert f"{doc} (10-10-2025)" in said and f"kkmp koreksi {doc} --tanggal 10-10-2025" in said
    wrong = f"bunga Rp{later.meta['bunga']:,}".replace(",", ".")
    right = f"bunga Rp{rows[8]['bunga']:,}".replace(",", ".")
    assert wrong in said and right in said
    assert "BBK-2025-000099" not in said.split(doc)[0]  # the late one is split right


def test_a_koreksi_of_an_instalment_a_later_split_counted_is_refused(funded: Cli) -> None:
    """Instalment 8 was split with 7 paid; taking 7 back on its day would leave 8's split
    wrong (it would owe 7's interest first): 8 is corrected first, then 7."""
    _grace_paid(funded)
    rows = _instalments(funded)
    _pay(funded, rows[6]["angsuran"], "10-08-2025")
    _pay(funded, rows[7]["angsuran"], "10-09-2025")
    seventh, eighth = (t.meta["id"] for t in _payments(funded)[-2:])
    refused(funded, "koreksi", seventh, "--tanggal", "10-08-2025", "--alasan", "salah",
            says=f"{eighth} (10-09-2025)")  # fmt: skip
    ok(funded, "koreksi", eighth, "--tanggal", "10-09-2025", "--alasan", "salah")
    ok(funded, "koreksi", seventh, "--tanggal", "10-08-2025", "--alasan", "salah")
    assert ok(funded, "periksa").strip().startswith("Buku bersih")


# --- the next instalment after one paid early (#11) ---


@pytest.mark.parametrize("kurangi", fac.REDUCE)
def test_daftar_shows_the_next_instalment_not_one_already_paid(funded: Cli, kurangi: str) -> None:
    """A prepayment on 20-08 pays instalment 8 (due 10-09, its month begun) and lowers the
    principal: the list then shows instalment 9 and its amount after the prepayment."""
    _grace_paid(funded)
    rows = _instalments(funded)
    _pay(funded, rows[6]["angsuran"], "10-08-2025")
    _pay(funded, "600jt", "20-08-2025", "--kurangi", kurangi)
    after = _instalments(funded)
    assert after[7] == rows[7]  # paid with the prepayment
    listing = _payload(funded, "pembiayaan", "daftar", "--per", "31-08-2025")["pembiayaan"][0]
    assert listing["jatuh_tempo_berikut"] == after[8]["jatuh_tempo"] == "2025-10-10"
    assert listing["angsuran_berikut"] == after[8]["angsuran"]
    assert listing["tunggakan_pokok"] == 0 and listing["tunggakan_bunga"] == 0
    text = " ".join(ok(funded, "pembiayaan", "daftar", "--per", "31-08-2025").split())
    assert "10-10-2025" in text and "10-09-2025" not in text


def test_daftar_after_an_instalment_paid_before_it_falls_due(funded: Cli) -> None:
    _grace_paid(funded)
    rows = _instalments(funded)
    _pay(funded, rows[6]["angsuran"], "10-08-2025")
    _pay(funded, rows[7]["angsuran"], "25-08-2025")  # instalment 8, due 10-09
    assert "dipercepat" not in _payments(funded)[-1].meta
    listing = _payload(funded, "pembiayaan", "daftar", "--per", "31-08-2025")["pembiayaan"][0]
    assert listing["jatuh_tempo_berikut"] == rows[8]["jatuh_tempo"]
    assert listing["angsuran_berikut"] == rows[8]["angsuran"]


# --- a drawdown recorded late, dated before a later payment (#11) ---


@pytest.fixture
def half(cli: Cli) -> Cli:
    """The issue's facility with 1 miliar drawn on its first day: 5 juta of grace interest."""
    run(cli, BIG, "pembiayaan|cair|BRI-1|1M|--tanggal|10-01-2025")
    return cli


def _interest_paid(cli: Cli, months: range) -> None:
    """The grace months' interest on 1 miliar paid on their due dates (10-MM-2025)."""
    for month in months:
        _pay(cli, "5jt", f"10-{month:02d}-2025")


def _draw(cli: Cli, date: str, *args: str) -> str:
    return ok(cli, "pembiayaan", "cair", "BRI-1", "1M", "--tanggal", date, *args)


def test_a_drawdown_dated_before_a_later_payment_is_refused_with_the_way_out(half: Cli) -> None:
    """Instalment 7 was split on the 1 miliar drawn; a second miliar then recorded as drawn
    on 10-07 (the last day of the grace period) raises instalment 7's interest: its split would
    no longer be the schedule's, so the payment is taken back first, as for an instalment."""
    _interest_paid(half, range(2, 8))
    rows = _instalments(half)
    _pay(half, rows[6]["angsuran"], "10-08-2025")
    doc = _payments(half)[-1].meta["id"]
    for date in ("10-07-2025", "01-05-2025"):
        said = refused(half, "pembiayaan", "cair", "BRI-1", "1M", "--tanggal", date,
                       says=f"kkmp koreksi {doc} --tanggal 10-08-2025")  # fmt: skip
        assert said.count("Galat:") == 1 and f"{doc} (10-08-2025)" in said
        assert "catat pencairan ini" in said
    # The way out the message names: the instalment taken back on its day, then both in order.
    ok(half, "koreksi", doc, "--tanggal", "10-08-2025", "--alasan", "pencairan terlambat dicatat")
    _draw(half, "10-07-2025")
    rows = _instalments(half)
    _pay(half, rows[6]["angsuran"], "10-08-2025")
    book = ledger.load(Paths(half.root))
    f = fac.require(book, "BRI-1")
    [last] = [t for t in fac.entries_of(book, "BRI-1", fac.PAY) if t.date.month == 8]
    assert (last.meta["bunga"], last.meta["pokok"]) == (rows[6]["bunga"], rows[6]["pokok"])
    assert -book.balance(f.account) == 2_000_000_000 - rows[6]["pokok"]
    assert ok(half, "periksa").strip().startswith("Buku bersih")


def test_a_drawdown_that_changes_no_booked_split_is_recorded(half: Cli) -> None:
    """After the last payment, or dated between grace payments that each paid interest only
    (as they still do in date order), a drawdown changes nothing already booked."""
    _interest_paid(half, range(2, 5))
    _draw(half, "15-02-2025")  # before the payments of 10-03 and 10-04, which pay interest only
    _draw(half, "15-04-2025")  # after the last payment
    book = ledger.load(Paths(half.root))
    f = fac.require(book, "BRI-1")
    assert -book.balance(f.account) == 3_000_000_000
    assert [(t.meta["bunga"], t.meta["pokok"]) for t in fac.entries_of(book, "BRI-1", fac.PAY)] == [
        (5_000_000, 0)
    ] * 3
    assert ok(half, "periksa").strip().startswith("Buku bersih")


def test_a_koreksi_of_a_drawdown_a_later_split_counted_is_refused(half: Cli) -> None:
    """Instalment 7 was split on 2 miliar; taking the second miliar back would leave its
    interest too high: the payments dated on or after the drawdown are corrected first, the
    last first (the same-day grace payment too, as a member loan's instalments before its
    disbursement), then the drawdown."""
    _draw(half, "10-07-2025")
    _interest_paid(half, range(2, 8))
    rows = _instalments(half)
    _pay(half, rows[6]["angsuran"], "10-08-2025")
    second = [t for t in transactions(half.root) if t.meta.get("jenis") == fac.DRAW][-1]
    sixth, seventh = (t.meta["id"] for t in _payments(half)[-2:])
    refused(half, "koreksi", second.meta["id"], "--tanggal", "10-07-2025", "--alasan", "salah",
            says=f"{seventh} (10-08-2025)")  # fmt: skip
    ok(half, "koreksi", seventh, "--tanggal", "10-08-2025", "--alasan", "salah")
    refused(half, "koreksi", second.meta["id"], "--tanggal", "10-07-2025", "--alasan", "salah",
            says=f"{sixth} (10-07-2025)")  # fmt: skip
    ok(half, "koreksi", sixth, "--tanggal", "10-07-2025", "--alasan", "salah")
    ok(half, "koreksi", second.meta["id"], "--tanggal", "10-07-2025", "--alasan", "salah")
    assert ok(half, "periksa").strip().startswith("Buku bersih")


@pytest.mark.parametrize(
    "args",
    [
        ("kas", "keluar", "Beban:Bunga-Pinjaman", "15jt", "--via", "bank"),
        ("kas", "keluar", "Beban:Bunga-Pinjaman", "15jt", "--via", "bank", "--unit", "sembako"),
        ("jurnal", "--posting", "Beban:Bunga-Pinjaman=15jt", "--posting", "Aset:Bank=-15jt"),
    ],
)
def test_bank_interest_is_paid_only_through_pembiayaan_bayar(funded: Cli, args: tuple) -> None:
    """Adversarial review (#11): February's interest paid with `kas keluar
    Beban:Bunga-Pinjaman` (or `jurnal`) was accepted; the facility still owed it, so `akrual`
    expensed it again and `periksa` was clean. It is refused, pointing to `pembiayaan bayar`,
    which pays it once."""
    said = refused(funded, *args, "--keterangan", "Bunga BRI Februari", "--tanggal", "10-02-2025",
                   says="kkmp pembiayaan bayar")  # fmt: skip
    assert said.count("Galat:") == 1 and "Beban:Bunga-Pinjaman" in said
    ok(funded, "pembiayaan", "bayar", "BRI-1", "15jt", "--tanggal", "10-02-2025")
    assert "Tidak ada bunga" in ok(funded, "pembiayaan", "akrual", "--bulan", "2025-02")
    interest = sum(
        p.units.number
        for t in transactions(funded.root)
        for p in t.postings
        if p.account.startswith("Beban:Bunga-Pinjaman")
    )
    assert interest == 15_000_000
    assert "Buku bersih" in ok(funded, "periksa")


def test_the_talangan_is_still_repaid_with_jurnal(funded: Cli) -> None:
    """Refusing the interest accounts leaves `jurnal` the way to repay the village its
    talangan (no command keeps that debt)."""
    ok(funded, "pembiayaan", "talangan", "BRI-1", "15jt", "--tanggal", "10-02-2025",
       "--dari", "Pemerintah Desa")  # fmt: skip
    ok(funded, "jurnal", "--posting", "Kewajiban:Utang-Talangan:Pemerintah-Desa=15jt",
       "--posting", "Aset:Bank=-15jt", "--keterangan", "Pelunasan talangan desa",
       "--tanggal", "20-02-2025")  # fmt: skip
    book = ledger.load(Paths(funded.root), fresh=True)
    assert book.balance("Kewajiban:Utang-Talangan:Pemerintah-Desa") == 0
