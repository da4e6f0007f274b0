"""Running time deposits in the opening balances (`saldo-awal`, #22; simpanan berjangka, #12): a
KDMP whose USP already holds members' deposits enters them in its opening document, and each
then behaves like one opened with `simpanan berjangka buka`: listed by `daftar`, accrued by
`akrual` from the opening day on (never again for the months before, which the opening carries
as accrued interest), cashed by `cair` with the full tenor's jasa, shown on the member's card."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Cli, ok, refused, reload, run, today_is, transactions

from kkmp_cli import chart

DEP = chart.BERJANGKA
BUNGA = chart.BUNGA_BERJANGKA

# Two deposits of the older books, opened before the books start on 01-01-2025:
#   A0001: 12.000.000 from 15-08-2024, 12 months at 6 % a year (due 15-08-2025);
#   A0002:  6.000.000 from 01-10-2024, 24 months at 7,5 % a year (due 01-10-2026).
# Interest earned by the opening day 31-12-2024, whole months held (kkmp's rule, rounded down):
#   A0001: 15-08 to 15-12 = 4 months: 12.000.000 × 6 % × 4 ÷ 12   = 240.000
#   A0002: 01-10 to 01-12 = 2 months:  6.000.000 × 7,5 % × 2 ÷ 12 =  75.000
P1, P2 = 12_000_000, 6_000_000
EARNED_1 = P1 * 6 * 4 // (100 * 12)
EARNED_2 = P2 * 75 * 2 // (1000 * 12)
KAS, BANK, POKOK = 2_500_000, 20_000_000, 100_000
# The balance sheet: kas + bank = pokok ×2 + deposits + their earned interest + cadangan.
CADANGAN = KAS + BANK - 2 * POKOK - P1 - P2 - EARNED_1 - EARNED_2

OPENING = f"""\
tanggal: 31-12-2024
kas: 2.500.000
bank: 20.000.000
simpanan:
  - nak: A0001
    pokok: 100.000
  - nak: A0002
    pokok: 100.000
berjangka:
  - nak: A0001
    jumlah: 12.000.000
    dibuka: 15-08-2024
    tenor: 12
    bunga: 6
  - nak: A0002
    jumlah: 6.000.000
    dibuka: 01-10-2024
    tenor: 24
    bunga: "7,5"
cadangan: {CADANGAN}
"""


@pytest.fixture
def members(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Siti and Budi, members since 2023 (the old register's dates)."""
    today_is(monkeypatch, dt.date(2026, 12, 31))
    run(
        cli,
        "anggota|tambah|Siti Aminah|--tanggal|10-03-2023|--jk|P",
        "anggota|tambah|Budi Santoso|--tanggal|05-05-2023|--jk|L",
    )
    return cli


def _write(tmp_path: Path, text: str) -> str:
    src = tmp_path / "saldo-awal.yaml"
    src.write_text(text, encoding="utf-8")
    return str(src)


def _amounts(entry) -> dict[str, int]:
    result: dict[str, int] = {}
    for p in entry.postings:
        result[p.account] = result.get(p.account, 0) + int(p.units.number)
    return result


def _of(root: Path, jenis: str, sid: str):
    return next(
        t
        for t in transactions(root)
        if t.meta.get("jenis") == jenis and t.meta.get("berjangka") == sid
    )


def test_running_deposits_are_carried_over_and_behave_like_opened_ones(
    members: Cli, tmp_path: Path
) -> None:
    cli = members
    ok(cli, "saldo-awal", _write(tmp_path, OPENING))
    # Each deposit is its own entry against Ekuitas:Saldo-Awal, with its interest earned
    # before the books as a payable of its own: the saldo awal account nets to nothing.
    first = _of(cli.root, "berjangka-buka", "SB-2024-0001")
    assert first.date == dt.date(2024, 12, 31)
    assert first.meta["dibuka"] == dt.date(2024, 8, 15)
    assert first.meta["jatuh_tempo"] == dt.date(2025, 8, 15)
    assert _amounts(first) == {
        f"{DEP}:A0001": -P1,
        BUNGA: -EARNED_1,
        chart.SALDO_AWAL: P1 + EARNED_1,
    }
    second = _of(cli.root, "berjangka-buka", "SB-2024-0002")
    assert _amounts(second)[BUNGA] == -EARNED_2 == -75_000
    entries, errors = reload(cli.root)
    assert errors == []
    saldo_awal = sum(
        (
            p.units.number
            for t in transactions(cli.root)
            for p in t.postings
            if p.account == chart.SALDO_AWAL
        ),
        Decimal(0),
    )
    assert saldo_awal == 0
    assert "Buku bersih" in ok(cli, "periksa")

    # daftar on 31-03-2025: A0001 has held 7 whole months (15-08-2024 to 15-03-2025).
    daftar = ok(cli, "simpanan", "berjangka", "daftar", "--per", "31-03-2025")
    earned_7 = P1 * 6 * 7 // (100 * 12)  # 420.000
    assert "SB-2024-0001" in daftar and "SB-2024-0002" in daftar
    assert "15-08-2025" in daftar and "01-10-2026" in daftar
    assert f"Rp{earned_7:,}".replace(",", ".") in daftar
    lihat = ok(cli, "anggota", "lihat", "A0002")
    assert "Saldo simpanan berjangka: Rp6.000.000" in lihat
    assert "Simpanan berjangka SB-2024-0002 (01-10-2024): Rp6.000.000, 24 bulan" in lihat

    # cair at maturity: the full tenor's jasa, 12.000.000 × 6 % × 12 ÷ 12 = 720.000, of which
    # the 240.000 earned before the books comes from the payable and only 480.000 is an
    # expense of 2025. 60.000 a month is below Rp240.000: no PPh.
    jasa_1 = P1 * 6 * 12 // (100 * 12)
    out = ok(
        cli, "simpanan", "berjangka", "cair", "SB-2024-0001", "--tanggal", "15-08-2025",
        "--via", "bank",
    )  # fmt: skip
    assert "jasa Rp720.000, PPh final Rp0, penalti Rp0, dibayar Rp12.720.000" in out
    assert _amounts(_of(cli.root, "berjangka-cair", "SB-2024-0001")) == {
        f"{DEP}:A0001": P1,
        BUNGA: EARNED_1,
        chart.BEBAN_JASA_SIMPANAN: jasa_1 - EARNED_1,
        "Aset:Bank": -(P1 + jasa_1),
    }

    # akrual 2025: A0002 has held 14 whole months by 31-12-2025 (6.000.000 × 7,5 % × 14 ÷ 12 =
    # 525.000); the 75.000 of 2024 was carried by the opening: 450.000 (its twelve months of
    # 2025) is the year's expense. A0001, cashed, is not accrued.
    accrued_2025 = P2 * 75 * 14 // (1000 * 12) - EARNED_2
    assert accrued_2025 == P2 * 75 // 1000
    out = ok(cli, "simpanan", "berjangka", "akrual", "--tahun", "2025")
    assert "Bunga simpanan berjangka 2025 diakrualkan: Rp450.000." in out
    accrual = next(t for t in transactions(cli.root) if t.meta.get("jenis") == "berjangka-akrual")
    assert _amounts(accrual) == {chart.BEBAN_JASA_SIMPANAN: accrued_2025, BUNGA: -accrued_2025}
    # The RAT book: the CaLK's savings by kind (2025 beside the opening) and the member annex.
    rat = tmp_path / "rat.md"
    ok(cli, "rat", "2025", "-f", "md", "-o", str(rat))
    book = rat.read_text(encoding="utf-8")
    assert "| Simpanan berjangka | Rp6.000.000 | Rp18.000.000 |" in book
    assert "| A0002 | Budi Santoso | 05-05-2023 | Rp100.000 | Rp0 | Rp0 | Rp6.000.000 |" in book

    # cair A0002 at maturity: 6.000.000 × 7,5 % × 24 ÷ 12 = 900.000; 525.000 from the payable
    # (2024 and 2025), 375.000 an expense of 2026; 37.500 a month: no PPh.
    jasa_2 = P2 * 75 * 24 // (1000 * 12)
    out = ok(
        cli, "simpanan", "berjangka", "cair", "SB-2024-0002", "--tanggal", "01-10-2026",
        "--via", "bank",
    )  # fmt: skip
    assert "jasa Rp900.000, PPh final Rp0, penalti Rp0, dibayar Rp6.900.000" in out
    assert _amounts(_of(cli.root, "berjangka-cair", "SB-2024-0002")) == {
        f"{DEP}:A0002": P2,
        BUNGA: EARNED_2 + accrued_2025,
        chart.BEBAN_JASA_SIMPANAN: jasa_2 - EARNED_2 - accrued_2025,
        "Aset:Bank": -(P2 + jasa_2),
    }
    _, errors = reload(cli.root)
    assert errors == []
    assert "Buku bersih" in ok(cli, "periksa")


def test_the_opening_balance_sheet_counts_the_interest_earned_before_the_books(
    members: Cli, tmp_path: Path
) -> None:
    """Left out, the interest earned before the books unbalances the opening by its amount,
    and the refusal names it."""
    short = OPENING.replace(f"cadangan: {CADANGAN}", f"cadangan: {CADANGAN + EARNED_1 + EARNED_2}")
    refused(
        members, "saldo-awal", _write(tmp_path, short),
        says="Neraca awal tidak seimbang: aset Rp22.500.000",
    )  # fmt: skip
    out = refused(members, "saldo-awal", _write(tmp_path, short))
    assert "bunganya yang sudah berjalan sampai 31-12-2024 Rp315.000" in out


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("    bunga: 6\n", "    bunga: 6\n    bilyet: 17\n", "kunci 'bilyet' tidak dikenal di "
         "'berjangka ke-1' (yang dikenal: nak, jumlah, dibuka, tenor, bunga)"),
        ("    dibuka: 15-08-2024\n", "", "'berjangka ke-1.dibuka' wajib diisi"),
        ("dibuka: 15-08-2024", "dibuka: 02-01-2025", "'berjangka ke-1.dibuka' harus paling "
         "lambat tanggal saldo awal 31-12-2024, bukan 02-01-2025"),
        ("dibuka: 15-08-2024", "dibuka: 31-02-2024", "'berjangka ke-1.dibuka'"),
        ("    tenor: 12\n", "    tenor: 0\n", "'berjangka ke-1.tenor' harus bilangan bulat"),
        ("    bunga: 6\n", "    bunga: enam\n", "'berjangka ke-1.bunga': Bunga 'enam' tidak sah"),
        ("    bunga: 6\n", "    bunga: 0\n", "'berjangka ke-1.bunga': Bunga '0' tidak sah"),
        ("    bunga: 6\n", "    bunga: 15\n", "'berjangka ke-1.bunga': Bunga 15% setahun di luar "
         "batas SOP: lebih dari 0 sampai 9% (simpanan.berjangka_bunga_maks_persen_tahun)"),
        ("    jumlah: 12.000.000\n", "    jumlah: -5\n", "'berjangka ke-1.jumlah'"),
        ("  - nak: A0001\n    jumlah", "  - nak: A0009\n    jumlah", "A0009"),
        ("    tenor: 12\n", "    tenor: 601\n", "'berjangka ke-1.tenor' harus bilangan bulat 1 "
         "sampai 600"),
    ],
)  # fmt: skip
def test_a_wrong_deposit_row_is_refused_and_changes_nothing(
    members: Cli, tmp_path: Path, old: str, new: str, says: str
) -> None:
    assert old in OPENING
    refused(members, "saldo-awal", _write(tmp_path, OPENING.replace(old, new, 1)), says=says)
    assert transactions(members.root) == []


def test_a_member_who_joined_after_the_opening_cannot_hold_a_deposit_in_it(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, dt.date(2026, 12, 31))
    run(
        cli,
        "anggota|tambah|Siti Aminah|--tanggal|10-03-2023|--jk|P",
        "anggota|tambah|Budi Santoso|--tanggal|02-01-2025|--jk|L",
    )
    text = OPENING.replace("  - nak: A0002\n    pokok: 100.000\n", "")
    refused(cli, "saldo-awal", _write(tmp_path, text), says="A0002 (Budi Santoso) baru menjadi")


def test_the_sop_for_new_deposits_does_not_refuse_one_of_the_older_books(
    members: Cli, tmp_path: Path
) -> None:
    """The minimum and the longest tenor are the SOP of opening a deposit now; one opened
    under the older books' rules is what it is (as a running loan is not checked against the
    plafon again). 500.000 for 36 months from 01-06-2024 at 6 %: 6 whole months by 31-12-2024,
    500.000 × 6 % × 6 ÷ 12 = 15.000 earned."""
    small = P1 // 24
    earned = small * 6 * 6 // (100 * 12)
    text = (
        OPENING.replace("jumlah: 12.000.000", "jumlah: 500.000")
        .replace("dibuka: 15-08-2024", "dibuka: 01-06-2024")
        .replace("    tenor: 12\n", "    tenor: 36\n")
        .replace(f"cadangan: {CADANGAN}", f"cadangan: {CADANGAN + P1 + EARNED_1 - small - earned}")
    )
    refused(members, "simpanan", "berjangka", "buka", "A0001", "500.000", "--tenor", "36",
            "--bunga", "6", "--tanggal", "02-01-2025", says="paling sedikit")  # fmt: skip
    ok(members, "saldo-awal", _write(tmp_path, text))
    first = _of(members.root, "berjangka-buka", "SB-2024-0001")
    assert _amounts(first) == {
        f"{DEP}:A0001": -small,
        BUNGA: -earned,
        chart.SALDO_AWAL: small + earned,
    }
    assert first.meta["jatuh_tempo"] == dt.date(2027, 6, 1)
    assert "Buku bersih" in ok(members, "periksa")
