"""kkmp's reports agree with each other (#14), found by an adversarial review of the reports:
the monthly pack's stock is the neraca's, the member register as of a date judges an exit on
that date, the general ledger of a result account starts each book year at zero as the trial
balance does, February's trial balance compares with the same day as the neraca, and a
fixed-asset sale is one receipt of the cash received."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

from kkmp_cli import money
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.fava import extension
from tests.conftest import Cli, ok, refused, run

ZERO = Decimal(0)


def _stocked(cli: Cli, year: int, sale: str) -> None:
    """A grant, 50 sacks of rice bought at 60.000 on 3 January and 10 sold on `sale`."""
    run(
        cli,
        f"kas|masuk|hibah|10jt|--keterangan|Hibah|--tanggal|02-01-{year}",
        "gerai|barang|tambah|BERAS-5KG|--nama|Beras 5 kg|--satuan|karung|--harga-jual|70.000",
        f"gerai|beli|BERAS-5KG|50|--harga|60.000|--pemasok|Toko Grosir|--tanggal|03-01-{year}",
        f"gerai|jual|BERAS-5KG|10|--tanggal|{sale}",
    )


def _older(tmp_path: Path, year: int) -> Cli:
    root = tmp_path / "ledgers" / "lama"
    coop.init(root, "KKMP Lama", year)
    return Cli(root)


def _row(statement: dict, account: str) -> list:
    return next(r["nilai"] for r in statement["baris"] if r["akun"] == account)


# --- 1. the monthly pack's stock is the neraca's ---


def _pack_stock(cli: Cli, month: str, out: Path) -> list[str]:
    ok(cli, "laporan", "bulanan", month, "-f", "md", "-o", str(out))
    text = out.read_text()
    section = text[text.index("Persediaan barang per unit") :]
    line = next(ln for ln in section.splitlines() if ln.startswith("| Gerai sembako"))
    return [c.strip() for c in line.strip("|").split("|")][1:]


def test_monthly_pack_stock_is_the_neraca_stock_at_cost(cli: Cli, tmp_path: Path) -> None:
    _stocked(cli, 2025, "05-01-2025")
    stock = "Aset:Persediaan:Sembako"
    jan = json.loads(ok(cli, "laporan", "neraca", "--bulan", "2025-01", "-f", "json"))
    feb = json.loads(ok(cli, "laporan", "neraca", "--bulan", "2025-02", "-f", "json"))
    at_end = Decimal(_row(jan, stock)[0])
    assert at_end == 40 * 60_000
    assert "Rp2.400.000" in ok(cli, "gerai", "stok", "--per", "31-01-2025")
    # January: nothing before the books, the neraca's stock at the month's end.
    assert _pack_stock(cli, "2025-01", tmp_path / "jan.md") == ["Rp0", money.fmt(at_end)]
    # February opens with January's closing stock.
    assert _pack_stock(cli, "2025-02", tmp_path / "feb.md") == [
        money.fmt(at_end),
        money.fmt(Decimal(_row(feb, stock)[0])),
    ]


# --- 2. the member register as of a date ---


def test_register_as_of_a_date_shows_a_later_exit_as_active(cli: Cli, tmp_path: Path) -> None:
    run(
        cli,
        "anggota|tambah|Siti Aminah|--tanggal|02-01-2025|--jk|P",
        "anggota|tambah|Budi Santoso|--tanggal|03-01-2025|--jk|L",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|03-01-2025",
        "simpanan|setor|A0002|pokok|100.000|--tanggal|03-01-2025",
        "anggota|keluar|A0002|--tanggal|31-10-2025|--alasan|Pindah domisili",
    )
    june = json.loads(ok(cli, "anggota", "daftar", "--per", "30-06-2025", "-f", "json"))
    assert [(a["nak"], a["status"], a["keluar"]) for a in june["anggota"]] == [
        ("A0001", "aktif", None),
        ("A0002", "aktif", None),
    ]
    assert (
        ok(cli, "anggota", "daftar", "--per", "30-06-2025")
        .strip()
        .endswith("2 anggota tercatat, 2 aktif.")
    )
    book = ledger.load(Paths(cli.root))
    page = extension.register_page(book, dt.date(2025, 6, 30))
    assert [r[3] for r in page.tabel[0].baris] == ["aktif", "aktif"]
    assert page.tabel[0].jumlah[3] == "2 aktif"
    ok(cli, "ekspor", "simkopdes", "--per", "30-06-2025", "-o", str(tmp_path / "ex"))
    csv = (tmp_path / "ex" / "anggota.csv").read_text()
    assert csv.count(",Aktif,") == 2
    # On the exit day and after it, the member has left.
    for day in ("31-10-2025", "31-12-2025"):
        after = json.loads(ok(cli, "anggota", "daftar", "--per", day, "-f", "json"))
        assert [(a["nak"], a["status"], a["keluar"]) for a in after["anggota"]] == [
            ("A0001", "aktif", None),
            ("A0002", "keluar", "2025-10-31"),
        ]
    page = extension.register_page(book, dt.date(2025, 12, 31))
    assert page.tabel[0].baris[1][3] == "keluar 31-10-2025" and page.tabel[0].jumlah[3] == "1 aktif"


# --- 3. the general ledger and the trial balance ---


def _closed_2024(tmp_path: Path) -> Cli:
    cli = _older(tmp_path, 2024)
    _stocked(cli, 2024, "10-03-2024")
    run(
        cli,
        "gerai|opname|BERAS-5KG|40|--tanggal|31-12-2024",
        "tutup-buku|2024",
        "gerai|jual|BERAS-5KG|10|--tanggal|10-03-2025",
    )
    assert ok(cli, "periksa").strip().endswith("tidak ada temuan.")
    return cli


def _trial(cli: Cli, per: str) -> dict:
    return json.loads(ok(cli, "laporan", "neraca-saldo", "--per", per, "-f", "json"))


def _trial_balance(trial: dict, account: str) -> Decimal:
    """An account's balance in the trial balance (debit positive); zero when not listed."""
    rows = [r["nilai"] for r in trial["baris"] if r["akun"] == account]
    return Decimal(rows[0][0]) - Decimal(rows[0][1]) if rows else ZERO


def test_ledger_of_a_result_account_starts_each_book_year_at_zero(tmp_path: Path) -> None:
    cli = _closed_2024(tmp_path)
    start, end = _trial(cli, "31-12-2024"), _trial(cli, "31-12-2025")
    income = "Pendapatan:Sembako:Non-Anggota"
    assert _trial_balance(start, income) == -10 * 70_000
    for account in (income, "Ekuitas:SHU-Tahun-Berjalan", "Aset:Kas", "Aset:Persediaan:Sembako"):
        ledger_2025 = json.loads(
            ok(cli, "laporan", "buku-besar", account, "--tahun", "2025", "-f", "json")
        )
        opening = ZERO if account.startswith(("Pendapatan", "Ekuitas")) else None
        expected_opening = opening if opening is not None else _trial_balance(start, account)
        assert Decimal(ledger_2025["saldo_awal"]) == expected_opening, account
        assert Decimal(ledger_2025["saldo_akhir"]) == _trial_balance(end, account), account
    assert (
        Decimal(
            json.loads(ok(cli, "laporan", "buku-besar", income, "--tahun", "2025", "-f", "json"))[
                "saldo_akhir"
            ]
        )
        == -10 * 70_000
    )


def test_ledger_over_two_book_years_starts_the_second_at_zero(tmp_path: Path) -> None:
    cli = _closed_2024(tmp_path)
    income = "Pendapatan:Sembako:Non-Anggota"
    got = json.loads(
        ok(
            cli,
            "laporan",
            "buku-besar",
            income,
            "--dari",
            "01-03-2024",
            "--sampai",
            "31-03-2025",
            "-f",
            "json",
        )  # fmt: skip
    )
    assert Decimal(got["saldo_akhir"]) == _trial_balance(_trial(cli, "31-03-2025"), income)
    labels = [r["label"] for r in got["baris"]]
    assert "Saldo awal tahun buku 2025" in labels
    opened = got["baris"][labels.index("Saldo awal tahun buku 2025")]
    assert opened["nilai"][2] == 0
    # Debit and credit add up the entries only.
    assert Decimal(got["total_kredit"]) == 2 * 10 * 70_000
    text = ok(cli, "laporan", "buku-besar", income, "--dari", "01-03-2024", "--sampai",
              "31-03-2025")  # fmt: skip
    assert "Saldo awal tahun buku 2025" in text


# --- 4. February's trial balance compares with the neraca's day ---


def test_february_trial_balance_compares_with_the_month_end_a_year_earlier(
    tmp_path: Path,
) -> None:
    cli = _older(tmp_path, 2024)
    _stocked(cli, 2024, "29-02-2024")
    neraca = json.loads(ok(cli, "laporan", "neraca", "--bulan", "2025-02", "-f", "json"))
    trial = json.loads(ok(cli, "laporan", "neraca-saldo", "--bulan", "2025-02", "-f", "json"))
    assert neraca["kolom"][1] == "29-02-2024"
    assert trial["kolom"][2] == "Saldo 29-02-2024"
    for account in ("Aset:Kas", "Aset:Persediaan:Sembako"):
        assert _row(trial, account)[2] == _row(neraca, account)[1], account
    assert _row(trial, "Aset:Persediaan:Sembako")[2] == 40 * 60_000
    # A day given with --per is compared with the same day a year earlier.
    day = json.loads(ok(cli, "laporan", "neraca-saldo", "--per", "28-02-2025", "-f", "json"))
    assert day["kolom"][2] == "Saldo 28-02-2024"


def test_a_trial_balance_before_the_books_start_is_refused_as_the_neraca_is(cli: Cli) -> None:
    """`neraca-saldo --bulan 2024-02` on books from 2025 printed an empty table and exit 0,
    where `neraca` refuses (found by an adversarial review, #14)."""
    for report in ("neraca", "neraca-saldo"):
        refused(cli, "laporan", report, "--bulan", "2024-02", says="sebelum buku koperasi dimulai")


# --- fixed-asset sales in the cash flow ---


def test_a_fixed_asset_sale_is_one_receipt_of_the_cash_received(cli: Cli) -> None:
    run(
        cli,
        "kas|masuk|hibah|300jt|--keterangan|Hibah|--tanggal|02-01-2025",
        "aset|tambah|Gedung|--kelompok|bangunan|--harga|240jt|--tanggal|10-01-2025|--via|kas",
        "aset|tambah|Tanah|--kelompok|tanah|--harga|50jt|--tanggal|10-01-2025|--via|kas",
        "aset|susut|--sampai|2025-05",
        "aset|lepas|AT-2025-0001|--tanggal|30-06-2025|--harga|150jt",  # a loss
        "aset|lepas|AT-2025-0002|--tanggal|30-06-2025|--harga|60jt",  # a gain
    )
    kas = json.loads(
        ok(cli, "laporan", "arus-kas", "--tahun", "2025", "--banding", "tidak", "-f", "json")
    )
    receipts = {
        r["akun"]: r["nilai"][0] for r in kas["baris"] if r["label"].startswith("Penerimaan")
    }
    assert receipts == {
        "Aset:Aset-Tetap:Bangunan": 150_000_000,
        "Aset:Aset-Tetap:Tanah": 60_000_000,
        "Ekuitas:Hibah": 300_000_000,
    }
    assert kas["penerimaan_investasi"] == 210_000_000
    assert kas["kas_bersih_operasi"] == 0
    assert not [r for r in kas["baris"] if re.search("Pelepasan", r["akun"] or "")]


# --- 5. the loan table's allowance, and NPL in gabung's JSON ---


def test_monthly_pack_tells_the_required_allowance_from_the_booked(
    kdmp: Cli, tmp_path: Path
) -> None:
    from kkmp_cli.loans import portfolio

    out = tmp_path / "juli.md"
    ok(kdmp, "laporan", "bulanan", "2025-07", "-o", str(out), "-f", "md")
    text = out.read_text()
    section = text[text.index("Portofolio pinjaman anggota") :]
    assert "| Jumlah pinjaman | Sisa pokok | Penyisihan wajib |" in section
    book = ledger.load(Paths(kdmp.root))
    required = portfolio.portfolio(book, dt.date(2025, 7, 31)).total_penyisihan
    assert required > 0  # nothing paid since March
    assert f"Penyisihan wajib menurut kolektibilitas {money.fmt(required)}" in section
    assert "yang sudah dibukukan di neraca Rp0" in section
    ok(kdmp, "pinjaman", "cadangkan", "--per", "31-07-2025")
    ok(kdmp, "laporan", "bulanan", "2025-07", "-o", str(out), "-f", "md")
    text = out.read_text()
    assert f"yang sudah dibukukan di neraca {money.fmt(required)}" in text
    # The pack's neraca shows the allowance booked.
    assert (
        f"| Penyisihan piutang pinjaman tak tertagih (kontra aset) | ({money.fmt(required)})"
        in text
    )


def test_gabung_gives_npl_as_text_with_two_decimals_everywhere(tmp_path: Path) -> None:
    clis = []
    for name, loan in (("KDMP Satu", True), ("KDMP Dua", False)):
        root = tmp_path / name.split()[1].lower()
        coop.init(root, name, 2025)
        cli = Cli(root)
        run(
            cli,
            "anggota|tambah|Ani|--tanggal|02-01-2025",
            "kas|masuk|hibah|10jt|--tanggal|02-01-2025",
            "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
            "simpanan|setor|A0001|sukarela|1jt|--tanggal|02-01-2025",
        )
        if loan:
            run(
                cli,
                "pinjaman|cair|A0001|1jt|--tenor|10|--jasa|1|--metode|flat|--tanggal|01-03-2025",
            )
        clis.append(cli)
    got = json.loads(
        ok(clis[0], "gabung", *(str(c.root) for c in clis), "--tahun", "2025", "-f", "json")
    )
    assert [k["npl_persen"] for k in got["koperasi"]] == ["100.00", "0.00"]
    assert got["jumlah"]["npl_persen"] == "100.00"
    # As `pinjaman daftar` gives it, a portfolio without loans included.
    listing = json.loads(ok(clis[1], "pinjaman", "daftar", "--per", "31-12-2025", "-f", "json"))
    assert listing["npl_persen"] == "0.00"
