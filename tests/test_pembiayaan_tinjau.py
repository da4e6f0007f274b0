"""Bank financing (#11) after an adversarial review: a report as of a day reads the schedule
known that day, a drawdown's koreksi takes back the interest accrued on it, and `periksa` holds
each facility's interest payable to its schedule."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from conftest import Cli, close_2025, ok, periksa_finds, refused, run, transactions

from kkmp_cli import money

R = Decimal(6) / 100 / 12  # 6 % a year, monthly
FACILITY = (
    "pembiayaan|tambah|BRI|--kreditur|BRI|--plafon|500jt|--bunga|6|--tenor|{tenor}"
    "|--masa-tenggang|6|--jatuh-tempo|12|--tanggal|12-07-2025"
)
GRANT = "kas|masuk|hibah|10jt|--via|bank|--keterangan|Hibah|--tanggal|02-01-2025"


def _half_up(x: Decimal) -> Decimal:
    return x.quantize(Decimal(1), rounding="ROUND_HALF_UP")


def _principal_parts(principal: Decimal, months: int) -> list[Decimal]:
    """By hand: the annuity's principal parts (instalment rounded to the rupiah, interest of
    each month on what is left, the last taking the remainder)."""
    payment = _half_up(principal * R / (1 - (1 + R) ** -months))
    parts, left = [], principal
    for k in range(months):
        pokok = left if k == months - 1 else payment - _half_up(left * R)
        parts.append(pokok)
        left -= pokok
    return parts


def _json(cli: Cli, *args: str) -> dict:
    return json.loads(ok(cli, *args, "-f", "json"))


def _current_line(neraca: dict) -> list:
    [line] = [r for r in neraca["baris"] if "jatuh tempo dalam 12 bulan" in r["label"]]
    return line["nilai"]


def _as_of_2025(cli: Cli, tmp_path: Path) -> tuple:
    """The 31-12-2025 split of the bank debt as every report shows it."""
    neraca = _json(cli, "laporan", "neraca", "--tahun", "2025", "--banding", "tidak")
    [listed] = _json(cli, "pembiayaan", "daftar", "--per", "31-12-2025")["pembiayaan"]
    january = _json(cli, "laporan", "neraca", "--bulan", "2026-01", "--banding", "periode-lalu")
    out = tmp_path / "rat.html"
    ok(cli, "rat", "2025", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    start = html.index('id="calk-pinjaman-diterima"')
    note = html[start : html.index('<div class="catatan-lk"', start + 1)]
    return (
        _current_line(neraca)[0],
        neraca["total_kewajiban_panjang"],
        listed["jangka_pendek"],
        listed["dicairkan"],
        _current_line(january)[1],
        note,
    )


def test_a_closed_years_split_of_the_bank_debt_ignores_a_drawdown_of_the_next_year(
    cli: Cli, tmp_path: Path
) -> None:
    """The 31-12-2025 neraca of a closed year, `daftar --per 31-12-2025`, the 2026 neraca's
    comparative column and the RAT book's note read the schedule of the drawdowns made by that
    day: a drawdown dated 10-01-2026 changes none of them."""
    run(
        cli,
        GRANT,
        FACILITY.format(tenor=72),
        "pembiayaan|cair|BRI|100jt|--tanggal|12-07-2025",
        "pembiayaan|akrual|--bulan|2025-12",
    )
    close_2025(cli)
    # By hand: 100.000.000 over 66 months after 6 months' grace; within 12 months after
    # 31-12-2025 fall instalment 6 (12-01-2026, interest only) and 7..17 (12-02..12-12-2026).
    current = sum(_principal_parts(Decimal(100_000_000), 66)[:11], Decimal(0))
    long_term = 100_000_000 - current
    before = _as_of_2025(cli, tmp_path)
    assert before[:5] == (current, long_term, current, 100_000_000, current)
    assert money.fmt(current) in before[5] and money.fmt(long_term) in before[5]

    run(cli, "pembiayaan|cair|BRI|400jt|--tanggal|10-01-2026")
    assert _as_of_2025(cli, tmp_path) == before
    # The new drawdown counts from its own day: 500.000.000 over the same 66 months, of which
    # instalments 7..18 (12-02-2026..12-01-2027) fall within 12 months after 31-01-2026.
    january = _json(cli, "laporan", "neraca", "--bulan", "2026-01", "--banding", "tidak")
    assert _current_line(january)[0] == sum(
        _principal_parts(Decimal(500_000_000), 66)[:12], Decimal(0)
    )
    assert ok(cli, "periksa").strip().startswith("Buku bersih")


# --- a koreksi of a drawdown takes back the interest accrued on it (#11) ---


def _drawn(cli: Cli, *draws: str) -> list[str]:
    """The facility (24 months, 6 of grace, due on the 12th) drawn by `draws` ("AMOUNT DATE"):
    the drawdowns' document numbers."""
    run(cli, GRANT, FACILITY.format(tenor=24))
    for draw in draws:
        amount, date = draw.split()
        run(cli, f"pembiayaan|cair|BRI|{amount}|--tanggal|{date}")
    return [
        t.meta["id"] for t in transactions(cli.root) if t.meta.get("jenis") == "pembiayaan-cair"
    ]


def _payable(cli: Cli) -> Decimal:
    return -sum(
        (
            p.units.number
            for t in transactions(cli.root)
            for p in t.postings
            if p.account == "Kewajiban:Utang-Bunga:BRI"
        ),
        Decimal(0),
    )


def test_a_koreksi_of_a_drawdown_takes_back_the_interest_accrued_on_it(cli: Cli) -> None:
    """The review's case: 100.000.000 drawn on 12-07-2025, August accrued (instalment 1 of
    12-08: 100.000.000 × 6 % / 12 = 500.000), the drawdown taken back on 05-09-2025."""
    [draw] = _drawn(cli, "100jt 12-07-2025")
    ok(cli, "pembiayaan", "akrual", "--bulan", "2025-08")
    assert _payable(cli) == 500_000
    out = ok(cli, "koreksi", draw, "--tanggal", "05-09-2025", "--alasan", "belum cair")
    assert f"Penyesuaian akrual bunga pembiayaan BRI: bunga atas pencairan {draw}" in " ".join(
        out.split()
    )
    [adjusted] = [
        t for t in transactions(cli.root) if t.meta.get("jenis") == "pembiayaan-akrual-sesuai"
    ]
    assert adjusted.date.isoformat() == "2025-09-05"
    assert adjusted.meta["pembiayaan"] == "BRI" and adjusted.meta["pencairan"] == draw
    assert {p.account: p.units.number for p in adjusted.postings} == {
        "Kewajiban:Utang-Bunga:BRI": Decimal(500_000),
        "Beban:Bunga-Pinjaman": Decimal(-500_000),
    }
    assert _payable(cli) == 0
    assert "Tidak ada bunga" in ok(cli, "pembiayaan", "akrual", "--bulan", "2025-12")
    [listed] = _json(cli, "pembiayaan", "daftar", "--per", "31-12-2025")["pembiayaan"]
    assert (listed["dicairkan"], listed["bunga_terutang"]) == (0, 0)
    phu = ok(cli, "laporan", "phu", "--tahun", "2025", "--banding", "tidak")
    neraca = ok(cli, "laporan", "neraca", "--tahun", "2025", "--banding", "tidak")
    assert "Beban bunga pembiayaan" not in phu and "Utang bunga pembiayaan" not in neraca
    assert ok(cli, "periksa").strip().startswith("Buku bersih")
    refused(
        cli, "koreksi", adjusted.meta["id"], "--tanggal", "05-09-2025", "--alasan", "x",
        says="menyertai koreksi pencairan",
    )  # fmt: skip


def test_a_koreksi_of_one_of_two_drawdowns_takes_back_only_its_interest(cli: Cli) -> None:
    """100.000.000 on 12-07-2025 and 50.000.000 on 12-08-2025 (interest from instalment 2, the
    month that begins on 12-08): August and September accrued = 500.000 + 750.000; the koreksi
    of the second takes back 50.000.000 × 0,5 % = 250.000 and leaves 1.000.000 owed."""
    first, second = _drawn(cli, "100jt 12-07-2025", "50jt 12-08-2025")
    ok(cli, "pembiayaan", "akrual", "--bulan", "2025-09")
    assert _payable(cli) == 500_000 + 750_000
    # Dated before September's accrual, which reckoned interest on it: refused, with the way.
    refused(
        cli, "koreksi", second, "--tanggal", "20-09-2025", "--alasan", "salah",
        says="pada atau sesudah 30-09-2025",
    )  # fmt: skip
    ok(cli, "koreksi", second, "--tanggal", "01-10-2025", "--alasan", "salah")
    assert _payable(cli) == 1_000_000
    assert ok(cli, "periksa").strip().startswith("Buku bersih")
    # An instalment paid after a drawdown was split with it: that payment is taken back first.
    ok(cli, "pembiayaan", "bayar", "BRI", "1jt", "--tanggal", "12-10-2025")
    refused(
        cli, "koreksi", first, "--tanggal", "13-10-2025", "--alasan", "salah",
        says="koreksi dulu pembayaran pembiayaan itu",
    )  # fmt: skip


def test_periksa_finds_interest_payable_the_schedule_does_not_owe(cli: Cli) -> None:
    """The books an older kkmp left: the drawdown reversed, its accrued 500.000 still owed."""
    [draw] = _drawn(cli, "100jt 12-07-2025")
    ok(cli, "pembiayaan", "akrual", "--bulan", "2025-08")
    path = Path(cli.root) / "jurnal" / "2025.beancount"
    path.write_text(
        path.read_text(encoding="utf-8")
        + f'\n2025-09-05 * "Koreksi {draw}: belum cair"\n  id: "BM-2025-000099"\n'
        + f'  jenis: "koreksi"\n  koreksi: "{draw}"\n  jenis_asal: "pembiayaan-cair"\n'
        + "  Aset:Bank  -100000000 IDR\n  Kewajiban:Utang-Bank:BRI  100000000 IDR\n",
        encoding="utf-8",
    )
    found = periksa_finds(cli)
    assert "Kewajiban:Utang-Bunga:BRI" in found and "Rp500.000" in found
    assert "Rp0" in found


# --- the year-end accrual reaches 31 December (#11, SAK EP accrual basis) ---


def test_the_december_accrual_takes_the_interest_run_since_the_last_due_date(
    cli: Cli, tmp_path: Path
) -> None:
    """3.000.000.000 at 6 %, due on the 12th, the grace instalments of August to December paid:
    the interest of 12-12-2025..31-12-2025 belongs to 2025. By hand: the January instalment's
    interest 3.000.000.000 × 6 % / 12 = 15.000.000 over its month of 31 days (12-12..12-01),
    19 of them run by 31-12: 15.000.000 × 19 / 31 = 9.193.548,39 → 9.193.548."""
    run(
        cli,
        "kas|masuk|hibah|50jt|--via|bank|--keterangan|Hibah|--tanggal|02-01-2025",
        "pembiayaan|tambah|BRI|--kreditur|BRI|--plafon|3M|--bunga|6|--tenor|72"
        "|--masa-tenggang|6|--jatuh-tempo|12|--tanggal|12-07-2025",
        "pembiayaan|cair|BRI|3M|--tanggal|12-07-2025",
        *(f"pembiayaan|bayar|BRI|15jt|--tanggal|12-{m:02d}-2025" for m in range(8, 13)),
    )
    stub = _half_up(Decimal(15_000_000) * 19 / 31)
    checklist = " ".join(ok(cli, "tutup-buku", "2025", "--periksa").split())
    assert f"BRI: bunga {money.fmt(stub)} belum dibayar atau diakrualkan" in checklist
    ok(cli, "pembiayaan", "akrual", "--bulan", "2025-12")
    [accrual] = [t for t in transactions(cli.root) if t.meta.get("jenis") == "pembiayaan-akrual"]
    assert accrual.date.isoformat() == "2025-12-31"
    assert {p.account: p.units.number for p in accrual.postings} == {
        "Beban:Bunga-Pinjaman": stub,
        "Kewajiban:Utang-Bunga:BRI": -stub,
    }
    assert "Tidak ada bunga" in ok(cli, "pembiayaan", "akrual", "--bulan", "2025-12")
    checklist = " ".join(ok(cli, "tutup-buku", "2025", "--periksa").split())
    assert "BRI: bunga" not in checklist
    phu = _json(cli, "laporan", "phu", "--tahun", "2025", "--banding", "tidak")
    [expense] = [r for r in phu["baris"] if r.get("akun") == "Beban:Bunga-Pinjaman"]
    assert abs(expense["nilai"][0]) == 5 * 15_000_000 + stub
    [listed] = _json(cli, "pembiayaan", "daftar", "--per", "31-12-2025")["pembiayaan"]
    assert (listed["bunga_terutang"], listed["tunggakan_bunga"]) == (stub, 0)
    out = tmp_path / "rat.html"
    ok(cli, "rat", "2025", "-o", str(out))
    assert money.fmt(stub) in out.read_text(encoding="utf-8")
    assert ok(cli, "periksa").strip().startswith("Buku bersih")
    # January's instalment settles the accrued part first, the rest is January's expense.
    ok(cli, "pembiayaan", "bayar", "BRI", "15jt", "--tanggal", "12-01-2026")
    january = [t for t in transactions(cli.root) if t.date.isoformat() == "2026-01-12"][-1]
    assert {p.account: p.units.number for p in january.postings} == {
        "Kewajiban:Utang-Bunga:BRI": stub,
        "Beban:Bunga-Pinjaman": 15_000_000 - stub,
        "Aset:Bank": Decimal(-15_000_000),
    }
    assert _payable(cli) == 0
    assert ok(cli, "periksa").strip().startswith("Buku bersih")
