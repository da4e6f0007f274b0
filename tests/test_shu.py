"""Statements, closing and SHU: the domain guide's examples built through the ledger with kkmp."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import convert, realization
from conftest import Cli, reload, snapshot
from conftest import ok as _ok
from conftest import refused as _refused
from conftest import run as _run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kkmp_cli import app, money
from kkmp_cli.core import config, coop
from kkmp_cli.core.ledger import Paths, load
from kkmp_cli.errors import KkmpError
from kkmp_cli.journal import journal
from kkmp_cli.members import deposits
from kkmp_cli.members import register as members
from kkmp_cli.reports import statements
from kkmp_cli.shu import distributions, shu

D = Decimal

SHU_CONFIG = """\
shu:
  pembagian:
{pools}
  jasa_modal_dari: [pokok, wajib]
  dasar_jasa_pinjaman: {dasar}
  pembulatan: bawah
  bagian_non_anggota: proporsional
"""


def _configure(root: Path, pools: dict, dasar: str = "jasa", pokok: int = 100_000) -> None:
    cfg = root / "koperasi.yaml"
    text = cfg.read_text()
    head = text[: text.index("shu:\n")]
    lines = []
    for k, v in pools.items():
        if isinstance(v, dict):
            lines.append(f"    {k}:")
            lines += [f"      {a}: {b}" for a, b in v.items()]
        else:
            lines.append(f"    {k}: {v}")
    head = head.replace("pokok: 100000 ", f"pokok: {pokok} ")
    cfg.write_text(head + SHU_CONFIG.format(pools="\n".join(lines), dasar=dasar))


def _sheet(cli: Cli, year: int = 2025) -> dict:
    r = cli("shu", "hitung", str(year), "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def _member(sheet: dict, nak: str) -> dict:
    return next(m for m in sheet["anggota"] if m["nak"] == nak)


def test_example_1_loans_by_principal(cli: Cli) -> None:
    # SHU 60.000.000; simpanan 100.000.000; member loans 75.000.000; JM 20 %, JU (loans) 25 %.
    _configure(
        cli.root,
        {"cadangan": 55, "jasa_modal": 20, "jasa_usaha": {"pinjaman": 25}},
        "pinjaman",
        pokok=200_000,
    )
    _run(
        cli,
        "anggota|tambah|Anggota Satu|--tanggal|02-01-2025",
        "anggota|tambah|Anggota Dua|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|200.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|wajib|1.800.000|--tanggal|03-01-2025",
        "simpanan|setor|A0002|pokok|200.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|wajib|97.800.000|--tanggal|03-01-2025",
        "kas|masuk|lain|60jt|--keterangan|Pendapatan lain|--tanggal|10-01-2025",
        "pinjaman|cair|A0001|5jt|--tenor|10|--jasa|1|--tanggal|01-12-2025",
        "pinjaman|cair|A0002|70jt|--tenor|10|--jasa|1|--tanggal|01-12-2025",
    )
    sheet = _sheet(cli)
    assert sheet["shu"] == 60_000_000
    a = _member(sheet, "A0001")
    assert a["jasa_modal"] == 240_000 and a["jasa_usaha"] == {"pinjaman": 1_000_000}
    assert a["total"] == 1_240_000


def test_example_2(cli: Cli) -> None:
    # SHU 2.000.000; simpanan 10.000.000; loans 15.000.000; JM 20, JU 30; member 500.000 / 1.000.000.
    _configure(
        cli.root, {"cadangan": 50, "jasa_modal": 20, "jasa_usaha": {"pinjaman": 30}}, "pinjaman"
    )
    _run(
        cli,
        "anggota|tambah|Satu|--tanggal|02-01-2025",
        "anggota|tambah|Dua|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|wajib|400.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|wajib|9.400.000|--tanggal|02-01-2025",
        "kas|masuk|lain|2jt|--keterangan|x|--tanggal|05-01-2025",
        "kas|masuk|hibah|5jt|--keterangan|Modal USP|--tanggal|05-01-2025",  # cash to lend
        "pinjaman|cair|A0001|1jt|--tenor|10|--jasa|1|--tanggal|01-12-2025",
        "pinjaman|cair|A0002|14jt|--tenor|10|--jasa|1|--tanggal|01-12-2025",
    )
    a = _member(_sheet(cli), "A0001")
    assert (a["jasa_modal"], a["jasa_usaha"]["pinjaman"], a["total"]) == (20_000, 40_000, 60_000)


def test_example_3(cli: Cli) -> None:
    # SHU 6.400.000; simpanan 16.000.000; JM 25 %; member 8.000.000 -> 800.000.
    _configure(cli.root, {"cadangan": 75, "jasa_modal": 25})
    _run(
        cli,
        "anggota|tambah|Satu|--tanggal|02-01-2025",
        "anggota|tambah|Dua|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|wajib|7.900.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|wajib|7.900.000|--tanggal|02-01-2025",
        "kas|masuk|lain|6,4jt|--keterangan|x|--tanggal|05-01-2025",
    )
    sheet = _sheet(cli)
    assert _member(sheet, "A0001")["jasa_modal"] == 800_000
    assert sheet["pool"]["jasa_modal"] == 1_600_000


def test_example_4_multi_service(cli: Cli) -> None:
    # Gross profit 4.000.000 (outlet) + jasa 3.000.000 + other 500.000, costs 750.000 + 1.750.000:
    # SHU 5.000.000. JM 25, belanja 20, pinjaman 20. Member: simpanan 8.000.000 of 20.000.000,
    # belanja 1.000.000 of 40.000.000, pinjaman 2.400.000 of 12.000.000 -> 500.000 + 25.000 + 200.000.
    _configure(
        cli.root,
        {"cadangan": 35, "jasa_modal": 25, "jasa_usaha": {"penjualan": 20, "pinjaman": 20}},
        "pinjaman",
    )
    commands = [
        "anggota|tambah|Satu|--tanggal|02-01-2025",
        "anggota|tambah|Dua|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|wajib|7.900.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|wajib|11.900.000|--tanggal|02-01-2025",
        "gerai|barang|tambah|PAKET|--nama|Paket sembako|--harga-jual|100.000|--tanggal|02-01-2025",
        "gerai|beli|PAKET|400|--harga|90.000|--pemasok|Grosir|--kredit|--tanggal|03-01-2025",
        "gerai|jual|PAKET|10|--anggota|A0001|--tanggal|04-01-2025",
        "gerai|jual|PAKET|390|--anggota|A0002|--tanggal|04-01-2025",
        "pinjaman|cair|A0001|2,4jt|--tenor|10|--jasa|2,5|--tanggal|05-01-2025",
        "pinjaman|cair|A0002|9,6jt|--tenor|10|--jasa|2,5|--tanggal|05-01-2025",
        "kas|masuk|lain|500rb|--keterangan|x|--tanggal|06-01-2025",
        "gaji|bayar|Pengelola|750rb|--bulan|2025-01|--pegawai|bukan-pegawai|--tanggal|30-01-2025",
        "kas|keluar|listrik|1,75jt|--keterangan|Listrik|--tanggal|30-01-2025",
    ]
    for k in range(1, 11):
        due = f"{5:02d}-{1 + k:02d}-2025"
        commands.append(f"pinjaman|angsur|PJ-2025-0001|300.000|--tanggal|{due}")
        commands.append(f"pinjaman|angsur|PJ-2025-0002|1.200.000|--tanggal|{due}")
    _run(cli, *commands)
    phu = json.loads(cli("laporan", "phu", "--tahun", "2025", "-f", "json").output)
    assert phu["shu"] == 5_000_000 and phu["shu_non_anggota"] == 0
    sheet = _sheet(cli)
    a = _member(sheet, "A0001")
    assert a["jasa_modal"] == 500_000
    assert a["jasa_usaha"] == {"penjualan": 25_000, "pinjaman": 200_000}
    assert a["total"] == 725_000
    total = (
        sum(m["total"] for m in sheet["anggota"])
        + sheet["pool"]["cadangan"]
        + sheet["sisa_pembulatan"]
    )
    total += sum(
        sheet["pool"][k]
        for k in ("pengurus", "karyawan", "pendidikan", "sosial")
        if k in sheet["pool"]
    )
    assert total == sheet["shu"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(min_value=1, max_value=50_000_000), min_size=1, max_size=6),
    st.integers(min_value=1, max_value=900_000_000),
    st.lists(st.integers(min_value=0, max_value=40), min_size=6, max_size=6),
)
def test_any_cooperative_sheet_reconciles(
    deposits_wajib: list[int], income: int, pcts: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "k"
        paths = coop.init(root, "Uji", 2025)
        used = sum(pcts[:5])
        if used > 100:
            pcts = [p * 100 // used for p in pcts[:5]] + [0]
        cadangan = 100 - sum(pcts[:5])
        pools = {
            "cadangan": cadangan,
            "jasa_modal": pcts[0],
            "jasa_usaha": {"penjualan": pcts[1], "pinjaman": pcts[2]},
            "pengurus": pcts[3],
            "pendidikan": pcts[4],
        }
        _configure(root, pools)
        for i, w in enumerate(deposits_wajib):
            app.record(paths, lambda b, i=i: members.add(b, f"A {i}", dt.date(2025, 1, 2)))
            app.record(
                paths,
                lambda b, i=i, w=w: deposits.deposit(
                    b, f"A{i + 1:04d}", "wajib", D(w), dt.date(2025, 1, 3)
                ),
            )
        app.record(
            paths,
            lambda b: journal.cash_in(b, "lain", D(income), dt.date(2025, 2, 1), keterangan="x"),
        )
        sheet = shu.compute(load(paths), 2025)
        assert sheet.reconciles()
        assert all(m.total >= 0 and m.jasa_modal >= 0 for m in sheet.anggota)
        assert sheet.sisa_pembulatan >= 0 and sheet.cadangan >= 0


@pytest.mark.parametrize(
    ("pools", "message"),
    [
        (
            {
                "cadangan": 40,
                "jasa_modal": 20,
                "jasa_usaha": {"penjualan": 10, "pinjaman": 10},
                "pengurus": 5,
                "karyawan": 5,
                "pendidikan": 5,
                "sosial": 10,
            },
            "sekarang 105",
        ),
        ({"cadangan": 80, "bonus": 20}, "'shu.pembagian.bonus' bukan pos yang dikenal"),
        (
            {"cadangan": 80, "jasa_usaha": {"arisan": 20}},
            "kunci 'arisan' tidak dikenal di 'shu.pembagian.jasa_usaha'",
        ),
    ],
)
def test_bad_shu_config(cli: Cli, pools: dict, message: str) -> None:
    _configure(cli.root, pools)
    r = cli("shu", "hitung", "2025")
    assert r.exit_code == 1 and message in r.output, r.output


def test_loss_has_nothing_to_distribute(cli: Cli) -> None:
    _run(
        cli,
        "kas|masuk|hibah|1jt|--keterangan|Modal|--tanggal|02-01-2025",
        "kas|keluar|listrik|100rb|--keterangan|x|--tanggal|05-01-2025",
    )
    r = cli("shu", "hitung", "2025")
    assert r.exit_code == 1 and "rugi" in r.output and "-Rp100.000" in r.output


def _realized_root(entries, root: str) -> Decimal:
    real = realization.realize(entries)
    node = realization.get(real, root)
    inventory = realization.compute_balance(node).reduce(convert.get_cost)
    return sum((pos.units.number for pos in inventory if pos.units.currency == "IDR"), D(0))


def test_statement_totals_agree_with_beancount(demo_root: Path) -> None:
    run = Cli(demo_root)
    neraca = json.loads(run("laporan", "neraca", "--tahun", "2025", "-f", "json").output)
    assert neraca["total_aset"] == neraca["total_kewajiban"] + neraca["total_ekuitas"]
    entries, errors, _ = loader.load_file(str(demo_root / "buku.beancount"))
    assert errors == []
    upto = [e for e in entries if e.date <= dt.date(2025, 12, 31)]
    assert neraca["total_aset"] == _realized_root(upto, "Aset")
    assert neraca["total_kewajiban"] == -_realized_root(upto, "Kewajiban")
    phu = json.loads(run("laporan", "phu", "--tahun", "2025", "-f", "json").output)
    year = [e for e in upto if getattr(e, "meta", {}).get("jenis") != "tutup-buku"]
    assert phu["total_pendapatan"] == -_realized_root(year, "Pendapatan")
    assert phu["total_beban"] == _realized_root(year, "Beban")
    assert phu["shu"] == phu["total_pendapatan"] - phu["total_beban"]
    sheet = json.loads(run("shu", "hitung", "2025", "-f", "json").output)
    assert sheet["shu"] == phu["shu"] and sheet["status"] == "final"
    kas = json.loads(run("laporan", "arus-kas", "--tahun", "2025", "-f", "json").output)
    assert kas["kas_akhir"] == _realized_root(upto, "Aset:Kas") + _realized_root(upto, "Aset:Bank")


def test_balance_sheet_balances_on_every_month_end(demo_root: Path) -> None:
    book = load(Paths(demo_root))
    for month in range(1, 13):
        end = dt.date(2025, month, 28)
        s = statements.sums(book, None, end)
        assert sum(s.values(), D(0)) == 0  # double entry: assets = liabilities + equity + results


def test_closed_year_stays_closed(demo_copy: Path) -> None:
    root = demo_copy
    run = Cli(root)
    r = run("simpanan", "setor", "A0002", "wajib", "10rb", "--tanggal", "01-12-2025")
    assert r.exit_code == 1 and "sudah ditutup" in r.output
    r = run("tutup-buku", "2025")
    assert r.exit_code == 1 and "sudah ditutup" in r.output
    r = run("shu", "bagikan", "2025", "--tanggal", "20-03-2026")
    assert r.exit_code == 1 and "dua kali" in r.output
    # Reports still work across years, with the closed year beside.
    neraca = json.loads(run("laporan", "neraca", "--tahun", "2026", "-f", "json").output)
    assert neraca["tahun_lalu"]["total_aset"] > 0
    assert neraca["total_aset"] == neraca["total_kewajiban"] + neraca["total_ekuitas"]
    # Changing a sealed year by hand is found.
    journal_file = root / "jurnal" / "2025.beancount"
    journal_file.write_text(
        journal_file.read_text().replace('Kebutuhan akhir tahun"', 'Kebutuhan akhir taun"', 1)
    )
    r = run("periksa")
    assert r.exit_code == 1 and "sudah ditutup tetapi isinya berubah" in r.output


def test_close_and_distribute_round_trip(cli: Cli) -> None:
    _configure(cli.root, {"cadangan": 60, "jasa_modal": 40})
    _run(
        cli,
        "anggota|tambah|Satu|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "kas|masuk|lain|1jt|--keterangan|x|--tanggal|05-01-2025",
    )
    r = cli("shu", "bagikan", "2025", "--tanggal", "15-03-2026")
    assert r.exit_code == 1 and "belum ditutup" in r.output
    assert _sheet(cli)["status"] == "sementara"
    before = snapshot(cli.root)
    path = Paths(cli.root).year_file(2025)
    path.write_text(path.read_text() + '\n2025-02-30 * "rusak"\n')
    r = cli("tutup-buku", "2025")
    assert r.exit_code == 1 and "belum bersih" in r.output
    path.write_text(path.read_text().replace('\n2025-02-30 * "rusak"\n', ""))
    assert snapshot(cli.root) == before
    r = cli("tutup-buku", "2025")
    assert r.exit_code == 0, r.output
    assert cli("periksa").exit_code == 0
    assert _sheet(cli)["status"] == "final"
    r = cli("shu", "bagikan", "2025", "--tanggal", "15-03-2026", "--ke", "utang")
    assert r.exit_code == 0, r.output
    bal = load(Paths(cli.root), fresh=True).balances()
    assert bal["Kewajiban:Utang-SHU:A0001"] == -D(400_000)
    assert bal["Ekuitas:Cadangan"] == -D(600_000)
    assert bal["Ekuitas:SHU-Belum-Dibagi:2025"] == 0
    r = cli("shu", "bayar", "A0001", "--tanggal", "16-03-2026")
    assert r.exit_code == 0, r.output
    assert load(Paths(cli.root), fresh=True).balances()["Kewajiban:Utang-SHU:A0001"] == 0
    data = json.loads(cli("anggota", "lihat", "A0001", "-f", "json").output)
    assert data["shu"] == [{"tahun": 2025, "jumlah": 400000, "ke": "utang", "belum_dibayar": 0}]


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_statement_formats(demo_root: Path, fmt: str, tmp_path: Path) -> None:
    run = Cli(demo_root)
    for report in ("neraca", "phu", "ekuitas", "arus-kas"):
        out = tmp_path / f"{report}.{fmt}"
        r = run("laporan", report, "--tahun", "2025", "-f", fmt, "-o", str(out))
        assert r.exit_code == 0, r.output
        text = out.read_text()
        assert "{{" not in text and "{%" not in text
        if fmt in ("md", "html"):
            assert "Rp" in text and "KDMP Sukamaju" in text
    r = run("laporan", "buku-besar", "Aset:Kas", "--tahun", "2025", "-f", "json")
    data = json.loads(r.output)
    assert data["saldo_akhir"] == data["saldo_awal"] + data["total_debit"] - data["total_kredit"]
    r = run("laporan", "neraca-saldo", "--per", "30-06-2025", "-f", "json")
    data = json.loads(r.output)
    assert data["total_debit"] == data["total_kredit"]


def test_shu_xlsx(demo_root: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "shu-2025.xlsx"
    r = Cli(demo_root)("shu", "hitung", "2025", "--format", "xlsx", "-o", str(out))
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "nak" and ws["A2"].value.startswith("A")
    sheet = json.loads(Cli(demo_root)("shu", "hitung", "2025", "-f", "json").output)
    assert sum(row[-1].value for row in ws.iter_rows(min_row=2)) == sheet["total_anggota"]


def test_statements_refuse_nonsense_year(demo_root: Path) -> None:
    r = Cli(demo_root)("laporan", "neraca", "--tahun", "1900")
    assert r.exit_code == 1
    with pytest.raises(KkmpError):
        statements.buku_besar(load(Paths(demo_root)), "Aset:Tidak-Ada", 2025)


def test_time_weighted_capital(cli: Cli) -> None:
    _configure(cli.root, {"cadangan": 50, "jasa_modal": 50})
    _run(
        cli,
        "anggota|tambah|Awal|--tanggal|02-01-2025",
        "anggota|tambah|Akhir|--tanggal|02-01-2025",
        "simpanan|setor|A0001|wajib|1,2jt|--tanggal|05-01-2025",
        "simpanan|setor|A0002|wajib|1,2jt|--tanggal|05-12-2025",
        "kas|masuk|lain|2,6jt|--keterangan|x|--tanggal|06-01-2025",
    )
    year_end = _sheet(cli)
    assert _member(year_end, "A0001")["jasa_modal"] == _member(year_end, "A0002")["jasa_modal"]
    cfg = cli.root / "koperasi.yaml"
    cfg.write_text(
        cfg.read_text().replace(
            "  pembulatan: bawah", "  jasa_modal_waktu: rata_rata\n  pembulatan: bawah"
        )
    )
    weighted = _sheet(cli)
    # A0001 held 1,2jt for 12 month-ends, A0002 for 1: shares 12 : 1 of the 1.300.000 pool.
    assert _member(weighted, "A0001")["jasa_modal"] == 1_200_000
    assert _member(weighted, "A0002")["jasa_modal"] == 100_000


# --- issue #23 item 9 and "Also": the loan base, SHU payments, bad years --------------------


def test_loan_base_skips_cancelled_and_opening_loans(cli: Cli, tmp_path: Path) -> None:
    _configure(cli.root, {"cadangan": 75, "jasa_usaha": {"pinjaman": 25}}, "pinjaman")
    _run(
        cli,
        "anggota|tambah|Satu|--tanggal|01-12-2024",
        "anggota|tambah|Dua|--tanggal|01-12-2024",
    )
    src = tmp_path / "saldo.yaml"
    src.write_text(
        "tanggal: 01-01-2025\n"
        "kas: 4.000.000\n"
        "simpanan:\n"
        "  - {nak: A0001, pokok: 100.000, sukarela: 2.400.000}\n"
        "  - {nak: A0002, pokok: 100.000, sukarela: 2.900.000}\n"
        "pinjaman:\n"
        "  - {nak: A0001, sisa_pokok: 1.500.000, sisa_tenor: 6, jasa: 1, metode: flat}\n"
        "cadangan: 0\n"
    )
    r = cli("saldo-awal", str(src))
    assert r.exit_code == 0, r.output
    _run(
        cli,
        "pinjaman|cair|A0002|2jt|--tenor|10|--jasa|1|--tanggal|01-02-2025",
        "koreksi|BKK-2025-000001|--alasan|salah anggota|--tanggal|02-02-2025",
        "pinjaman|cair|A0002|1jt|--tenor|10|--jasa|1|--tanggal|03-02-2025",
        "kas|masuk|lain|1jt|--keterangan|x|--tanggal|10-02-2025",
    )
    sheet = _sheet(cli)
    assert sheet["dasar_total"]["pinjaman"] == 1_000_000
    assert _member(sheet, "A0002")["transaksi"]["pinjaman"] == 1_000_000
    assert _member(sheet, "A0001")["transaksi"]["pinjaman"] == 0
    assert (
        _member(sheet, "A0002")["jasa_usaha"]["pinjaman"] == sheet["pool"]["jasa_usaha"]["pinjaman"]
    )


# One member with pokok 100.000 and a year's SHU of 1.000.000, closed.
ONE_MEMBER_CLOSED = (
    "anggota|tambah|Satu|--tanggal|02-01-2025",
    "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
    "kas|masuk|lain|1jt|--keterangan|x|--tanggal|05-01-2025",
    "tutup-buku|2025",
)


def test_shu_payment_before_distribution_is_refused(cli: Cli) -> None:
    _configure(cli.root, {"cadangan": 60, "jasa_modal": 40})
    _run(
        cli,
        *ONE_MEMBER_CLOSED,
        "shu|bagikan|2025|--tanggal|15-03-2026|--ke|utang",
    )
    before = snapshot(cli.root)
    r = cli("shu", "bayar", "A0001", "--tanggal", "01-03-2026")
    assert r.exit_code == 1, r.output
    assert "baru dibagikan pada 15-03-2026" in r.output
    assert snapshot(cli.root) == before
    r = cli("shu", "bayar", "A0001", "--tanggal", "15-03-2026")
    assert r.exit_code == 0, r.output
    assert load(Paths(cli.root), fresh=True).balances()["Kewajiban:Utang-SHU:A0001"] == 0


@pytest.mark.parametrize("ke", ["sukarela", "utang"])
def test_a_member_who_left_before_the_rat_gets_the_share_as_a_payable(cli: Cli, ke: str) -> None:
    """A member who leaves after the year's end but before the RAT (dies, moves) is owed the
    year's share: it goes to the SHU payable, opened the day after the exit. The payable was
    opened at the start of the open books, before the exit, so every distribution was refused
    (found by an adversarial review, #23)."""
    _configure(cli.root, {"cadangan": 60, "jasa_modal": 40})
    _run(
        cli,
        "anggota|tambah|Dua|--tanggal|02-01-2025",
        *ONE_MEMBER_CLOSED[:2],
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
        *ONE_MEMBER_CLOSED[2:],
        "anggota|keluar|A0001|--tanggal|10-03-2026|--alasan|Meninggal dunia",
    )
    r = cli("shu", "bagikan", "2025", "--tanggal", "15-03-2026", "--ke", ke)
    assert r.exit_code == 0, r.output
    book = load(Paths(cli.root), fresh=True)
    assert book.errors == []
    opened = book.opens()["Kewajiban:Utang-SHU:A0001"]
    assert opened.date == dt.date(2026, 3, 11)
    shares = {m["nak"]: Decimal(str(m["total"])) for m in _sheet(cli)["anggota"]}
    assert -book.balances()["Kewajiban:Utang-SHU:A0001"] == shares["A0001"] > 0
    r = cli("periksa")
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("year", ["0", "99999"])
def test_shu_of_a_nonsense_year_is_a_plain_error(cli: Cli, year: str) -> None:
    r = cli("shu", "hitung", year)
    assert (
        r.exit_code == 1 and r.output.startswith("Galat: Tahun") and "tidak masuk akal" in r.output
    )


def _without_recorded_rules(root: Path) -> None:
    """The distribution as a kkmp older than #13 wrote it: without its SHU rules."""
    year = Paths(root).year_file(2026)
    lines = year.read_text().splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("  shu-")]
    assert len(kept) < len(lines)
    year.write_text("".join(kept))


def test_periksa_says_when_an_older_distribution_no_longer_matches_its_sheet(
    demo_copy: Path,
) -> None:
    """A distribution written by an older kkmp has no SHU rules with it: its year's sheet is
    still computed by koperasi.yaml, and when the rules changed after it (the RAT sets the
    next year's), `periksa` says that `shu hitung` and the RAT book of that year print other
    numbers than the journal posted, in a note that does not keep the books from closing
    (found by adversarial reviews, #16)."""
    cli = Cli(demo_copy)
    _without_recorded_rules(demo_copy)
    assert "Buku bersih" in cli("periksa").output
    assert "Catatan: pembagian SHU" not in cli("periksa").output
    cfg = demo_copy / "koperasi.yaml"
    text = cfg.read_text()
    assert "cadangan: 40" in text and "pendidikan: 5" in text
    cfg.write_text(
        text.replace("cadangan: 40", "cadangan: 35").replace("pendidikan: 5", "pendidikan: 10")
    )
    r = cli("periksa")
    folded = " ".join(r.output.split())
    # A note, not a finding: the rules may change for the next year, which must still close.
    assert r.exit_code == 0 and "Buku bersih" in folded, r.output
    assert "Catatan: pembagian SHU 2025 (BM-2026-000001) dicatat kkmp lama" in folded, folded
    assert "buku RAT 2025 mencetak angka" in folded


def test_a_distribution_keeps_its_rules_in_the_demo(demo_copy: Path) -> None:
    """The same change of rules on the demo as kkmp writes it now: the distribution carries
    its rules, so 2025's sheet is unchanged and periksa has nothing to say (#13)."""
    cli = Cli(demo_copy)

    def phu(year: int) -> dict:
        return json.loads(cli("laporan", "phu", "--tahun", str(year), "-f", "json").output)

    before, phu_before = _sheet(cli), phu(2025)
    cfg = demo_copy / "koperasi.yaml"
    text = cfg.read_text()
    assert "bagian_non_anggota: proporsional" in text
    cfg.write_text(
        text.replace("cadangan: 40", "cadangan: 35")
        .replace("pendidikan: 5", "pendidikan: 10")
        .replace("bagian_non_anggota: proporsional", "bagian_non_anggota: laba_kotor")
    )
    after = _sheet(cli)
    assert after["anggota"] == before["anggota"] and after["pool"] == before["pool"]
    assert after["shu_anggota"] == before["shu_anggota"]
    # The PHU of the distributed year splits members and non-members by its recorded rule;
    # the next year's, by the new one (its previous-year column still by 2025's).
    assert phu(2025) == phu_before and phu_before["shu_anggota"] > 0
    later = phu(2026)
    assert "aturan 'laba_kotor'" in later["catatan"][0]
    assert later["tahun_lalu"]["shu_anggota"] == phu_before["shu_anggota"]
    r = cli("periksa")
    assert r.exit_code == 0 and "Catatan: pembagian SHU" not in r.output, r.output


def test_anggota_lihat_says_where_a_members_share_went(demo_root: Path) -> None:
    """A member who had left got a payable, whatever the distribution's destination for the
    others (it said "ke sukarela", found by an adversarial review, #16)."""
    # The share is the one the sheet reckons by the rules and the distribution posted as the
    # member's payable (not a figure copied here: the demo's SHU moves with its books, #11).
    share = int(_member(_sheet(Cli(demo_root)), "A0007")["total"])
    bal = load(Paths(demo_root), fresh=True).balances()
    assert share > 0 and -bal["Kewajiban:Utang-SHU:A0007"] == share
    out = " ".join(Cli(demo_root)("anggota", "lihat", "A0007").output.split())
    assert f"SHU 2025: {money.fmt(share)} (utang SHU, belum dibayar)" in out, out
    data = json.loads(Cli(demo_root)("anggota", "lihat", "A0007", "-f", "json").output)
    assert data["shu"] == [
        {"tahun": 2025, "jumlah": share, "ke": "utang", "belum_dibayar": share}
    ], data


# --- issue #13/#18: a distributed year keeps the SHU rules it was distributed by ------------


def _distributed_then_rules_changed(cli: Cli) -> None:
    """SHU 2025 of 1.000.000 split 60/40 (cadangan/jasa modal) and distributed; then the
    RAT changes the rules to 50/50 and the loan base to principal for 2026."""
    _configure(cli.root, {"cadangan": 60, "jasa_modal": 40})
    _run(
        cli,
        "anggota|tambah|Satu|--tanggal|02-01-2025",
        "anggota|tambah|Dua|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|wajib|200.000|--tanggal|02-01-2025",
        "kas|masuk|lain|1jt|--keterangan|x|--tanggal|05-01-2025",
        "tutup-buku|2025",
        "shu|bagikan|2025|--tanggal|15-03-2026|--ke|utang",
    )
    _configure(cli.root, {"cadangan": 50, "jasa_modal": 50}, "pinjaman")


def test_a_distributed_years_sheet_keeps_the_rules_it_was_distributed_by(cli: Cli) -> None:
    """Changing the SHU rules for the next year does not change the sheet of a year whose SHU
    was already paid: `shu hitung` prints what the journal posted (#13)."""
    _distributed_then_rules_changed(cli)
    bal = load(Paths(cli.root), fresh=True).balances()
    paid = {nak: -bal[f"Kewajiban:Utang-SHU:{nak}"] for nak in ("A0001", "A0002")}
    assert paid == {"A0001": D(100_000), "A0002": D(300_000)}  # 400.000 by 100 : 300
    sheet = _sheet(cli)
    assert {m["nak"]: m["total"] for m in sheet["anggota"]} == paid
    assert sheet["pool"]["cadangan"] == -bal["Ekuitas:Cadangan"] == 600_000
    out = " ".join(cli("shu", "hitung", "2025").output.split())
    assert "aturan SHU yang dicatat bersama pembagiannya" in out, out
    # The new rules are the next year's: the sheet of 2026 uses them.
    _run(cli, "kas|masuk|lain|2jt|--keterangan|x|--tanggal|05-04-2026")
    later = _sheet(cli, 2026)
    assert later["pool"]["cadangan"] == later["pool"]["jasa_modal"] == 1_000_000
    r = cli("periksa")
    assert r.exit_code == 0 and "Buku bersih" in r.output, r.output
    assert "Catatan: pembagian SHU" not in r.output


def test_the_rat_book_of_a_distributed_year_keeps_its_rules(cli: Cli, tmp_path: Path) -> None:
    """The RAT book of the distributed year prints the shares the members were paid, and the
    pool percentages the distribution used (#18)."""
    _distributed_then_rules_changed(cli)
    out = tmp_path / "rat.md"
    r = cli("rat", "2025", "-f", "md", "-o", str(out))
    assert r.exit_code == 0, r.output
    book = out.read_text()
    section = book[book.index("## 8. SHU") :]
    assert "Rp100.000" in section and "Rp300.000" in section, section
    assert "Rp125.000" not in section and "Rp375.000" not in section
    assert "60%" in section.replace(" ", "") and "Rp600.000" in section, section


def _distribution_text(root: Path) -> tuple[Path, str]:
    path = Paths(root).year_file(2026)
    return path, path.read_text()


def test_a_distribution_that_its_recorded_rules_no_longer_give_is_a_finding(cli: Cli) -> None:
    """With the rules kept beside it, a distribution its year's sheet no longer gives means the
    books were changed after it: a finding of `periksa`, at the distribution's line (#13)."""
    _distributed_then_rules_changed(cli)
    path, text = _distribution_text(cli.root)
    assert 'shu-pembagian-cadangan: "60"' in text
    edited = text.replace('cadangan: "60"', 'cadangan: "50"').replace(
        'jasa_modal: "40"', 'jasa_modal: "50"'
    )
    assert edited.count('"50"') == 2
    path.write_text(edited)
    r = cli("periksa")
    folded = " ".join(r.output.split())
    assert r.exit_code == 1, r.output
    assert (
        "2026.beancount:" in folded and "pembagian SHU 2025 (BM-2026-000001) tidak sama" in folded
    )
    assert "Catatan: pembagian SHU" not in folded


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('  shu-warna: "merah"\n', "kunci 'warna' tidak dikenal di 'shu'"),
        ('  shu-pembagian-jasa_usaha-simpanan: "5"\n', "kunci 'simpanan' tidak dikenal"),
        ('  shu-pembagian-cadangan-persen: "60"\n', "kunci 'shu-pembagian-cadangan-persen'"),
        ('  shu-jasa_modal_waktu: "harian"\n', "'shu.jasa_modal_waktu' pilih akhir_tahun"),
    ],
)
def test_a_recorded_rule_that_cannot_be_read_is_refused_by_name(
    cli: Cli, line: str, says: str
) -> None:
    """The rules are read back by koperasi.yaml's own reader: an unknown key or a wrong value
    is refused by name, at the distribution's file and line (#13)."""
    _distributed_then_rules_changed(cli)
    path, text = _distribution_text(cli.root)
    anchor = '  shu-anggota_keluar: "ikut"\n'
    text = text.replace(anchor, anchor + line)
    if "jasa_modal_waktu" in line:
        text = text.replace('  shu-jasa_modal_waktu: "akhir_tahun"\n', "")
    path.write_text(text)
    r = cli("shu", "hitung", "2025")
    assert r.exit_code == 1 and r.output.startswith("Galat: "), r.output
    folded = " ".join(r.output.split())
    assert says in folded and "2026.beancount baris" in folded, folded
    r = cli("periksa")
    folded = " ".join(r.output.split())
    assert r.exit_code == 1 and "aturan SHU pembagian 2025 (BM-2026-000001) tidak terbaca" in folded
    assert says in folded


def test_recorded_rules_are_escaped_and_read_back_as_they_were(cli: Cli) -> None:
    """Every rule is recorded (defaults too), text escaped for beancount, and read back to the
    same rules: named pools, a pool from the whole SHU, one jasa usaha pool, sukarela counted,
    time-weighted capital (#13)."""
    _configure(
        cli.root,
        {
            "cadangan": {"persen": 30, "nama": 'Cadangan "umum" \\ AD/ART', "dasar": "shu_total"},
            "jasa_modal": 40,
            "jasa_usaha": 30,
            "dana_masjid": {"persen": 15, "nama": "Dana masjid", "akun": "Kewajiban:Dana-Masjid"},
            "sosial": "7.5",
            "pendidikan": "7.5",
        },
    )
    cfg = cli.root / "koperasi.yaml"
    cfg.write_text(
        cfg.read_text()
        .replace("[pokok, wajib]", "[pokok, wajib, sukarela]")
        .replace("  pembulatan: bawah", "  jasa_modal_waktu: rata_rata\n  pembulatan: bawah")
    )
    _run(
        cli,
        *ONE_MEMBER_CLOSED,
        "shu|bagikan|2025|--tanggal|15-03-2026",
    )
    entries, errors = reload(cli.root)
    assert errors == []
    txn = next(e for e in entries if getattr(e, "meta", {}).get("jenis") == "shu-bagi")
    assert txn.meta["shu-pembagian-cadangan-nama"] == 'Cadangan "umum" \\ AD/ART'
    assert txn.meta["shu-pembagian-cadangan-dasar"] == "shu_total"
    assert txn.meta["shu-pembagian-jasa_usaha"] == "30"
    assert txn.meta["shu-jasa_modal_dari"] == "pokok, wajib, sukarela"
    today = load(Paths(cli.root), fresh=True).config.shu
    assert distributions.recorded(txn) == today
    assert config.shu_record(config.ShuRules()) == config.shu_record(
        config.shu_from_record(config.shu_record(config.ShuRules()), "uji", 1) or today
    )
    assert cli("periksa").exit_code == 0


# --- an adversarial review of the SHU (#13, #5) ----------------------------------------------


def test_average_capital_is_exact(cli: Cli) -> None:
    """jasa_modal_waktu: rata_rata divided the twelve month-end balances by 12 in Decimal and
    two equal members lost a rupiah each; the shares are exact, rounded once at the end."""
    cfg = cli.root / "koperasi.yaml"
    cfg.write_text(
        cfg.read_text().replace("jasa_modal_waktu: akhir_tahun", "jasa_modal_waktu: rata_rata")
    )
    _run(
        cli,
        "anggota|tambah|Ani|--tanggal|02-03-2025",
        "anggota|tambah|Budi|--tanggal|02-03-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-03-2025",
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-03-2025",
        "kas|masuk|lain|10jt|--keterangan|Pendapatan sewa|--tanggal|10-03-2025",
    )
    sheet = _sheet(cli)
    assert sheet["shu"] == sheet["shu_anggota"] == 10_000_000
    assert [m["jasa_modal"] for m in sheet["anggota"]] == [1_000_000, 1_000_000]
    # Ten month-ends of 100.000 out of twelve: the average shown, exact to the sen.
    assert [m["simpanan"] for m in sheet["anggota"]] == ["83333.33", "83333.33"]
    assert sheet["sisa_pembulatan"] == 2_000_000  # the jasa usaha pools nobody earned
    assert sum(p["jumlah"] for p in sheet["pos"]) == sheet["shu"]


LOSS_2025 = (
    "anggota|tambah|Satu|--tanggal|02-01-2024",
    "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2024",
    "kas|masuk|lain|5jt|--keterangan|Sewa gedung|--tanggal|03-02-2024",
    "tutup-buku|2024",
    "shu|bagikan|2024|--tanggal|15-03-2025|--ke|sukarela",  # cadangan 60 % = 3.000.000
)


def _books_from_2024(tmp_path: Path, loss: str) -> Cli:
    """2024: SHU 5.000.000 (cadangan 3.000.000); 2025: a loss of `loss`, closed."""
    root = tmp_path / "rugi"
    coop.init(root, "KKMP Uji Rugi", 2024)
    cli = Cli(root)
    _configure(root, {"cadangan": 60, "jasa_modal": 40})
    _run(cli, *LOSS_2025, f"kas|keluar|listrik|{loss}|--keterangan|Listrik|--tanggal|20-03-2025")
    return cli


@pytest.fixture
def loss_year(tmp_path: Path) -> Cli:
    cli = _books_from_2024(tmp_path, "2jt")
    r = cli("tutup-buku", "2025")
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    # The closing points to a command that works.
    assert "Rugi Rp2.000.000 menunggu keputusan RAT" in said, said
    assert "kkmp shu bagikan 2025 --tutup-dari cadangan" in said, said
    return cli


def test_a_loss_needs_the_rats_decision(loss_year: Cli) -> None:
    """A loss year could not be settled at all: `shu bagikan` refused 'rugi' and `jurnal`
    refuses the kept account (found by an adversarial review, #5)."""
    _refused(loss_year, "shu", "bagikan", "2025", "--tanggal", "10-03-2026", says="--tutup-dari")
    _refused(
        loss_year, "shu", "bagikan", "2025", "--tanggal", "10-03-2026", "--tutup-dari", "laba",
        says="--tutup-dari",
    )  # fmt: skip


def test_a_loss_covered_from_the_reserve(loss_year: Cli) -> None:
    out = _ok(loss_year, "shu", "bagikan", "2025", "--tanggal", "10-03-2026",
              "--tutup-dari", "cadangan")  # fmt: skip
    assert "Rugi 2025 Rp2.000.000 ditutup dari dana cadangan" in " ".join(out.split()), out
    book = load(Paths(loss_year.root), fresh=True)
    assert book.errors == []
    bal = book.balances()
    assert bal["Ekuitas:SHU-Belum-Dibagi:2025"] == 0
    assert bal["Ekuitas:Cadangan"] == -D(1_000_000)
    assert reload(loss_year.root)[1] == []
    assert _ok(loss_year, "periksa").strip().endswith("tidak ada temuan.")
    _refused(loss_year, "shu", "bagikan", "2025", "--tanggal", "11-03-2026",
             "--tutup-dari", "cadangan", says="sudah")  # fmt: skip
    # The equity statement shows the reserve moved onto the loss.
    eq = json.loads(_ok(loss_year, "laporan", "ekuitas", "--tahun", "2026", "-f", "json"))
    year_rows = eq["baris"][: next(i for i, r in enumerate(eq["baris"]) if r["tingkat"] == 2)]
    rows = {r["akun"]: r["nilai"] for r in year_rows if r["akun"]}
    assert rows["Ekuitas:Cadangan"] == [3_000_000, 0, 0, -2_000_000, 1_000_000]
    assert rows["Ekuitas:SHU-Belum-Dibagi"] == [-2_000_000, 0, 0, 2_000_000, 0]


def test_a_loss_carried_forward(loss_year: Cli) -> None:
    _ok(loss_year, "shu", "bagikan", "2025", "--tanggal", "10-03-2026",
        "--tutup-dari", "ditangguhkan")  # fmt: skip
    bal = load(Paths(loss_year.root), fresh=True).balances()
    assert bal["Ekuitas:SHU-Belum-Dibagi:2025"] == 0
    assert bal["Ekuitas:Rugi-Belum-Ditutup"] == D(2_000_000)
    assert bal["Ekuitas:Cadangan"] == -D(3_000_000)
    assert _ok(loss_year, "periksa").strip().endswith("tidak ada temuan.")
    eq = json.loads(_ok(loss_year, "laporan", "ekuitas", "--tahun", "2026", "-f", "json"))
    shown = {r["akun"]: r["nilai"] for r in eq["baris"][:6] if r["akun"]}
    assert shown["Ekuitas:Rugi-Belum-Ditutup"] == [0, 0, 0, -2_000_000, -2_000_000]
    book_md = loss_year.root / "rat-2025.md"
    _ok(loss_year, "rat", "2025", "-o", str(book_md))
    assert (
        "Keputusan RAT: Rugi 2025 Rp2.000.000 dibawa sebagai rugi belum ditutup "
        "(Ekuitas:Rugi-Belum-Ditutup), dibukukan BM-2026-000001 pada 10-03-2026."
    ) in " ".join(book_md.read_text().split())
    # A later RAT covers it from the reserve by jurnal: the account is not kept.
    _ok(loss_year, "jurnal", "--posting", "Ekuitas:Cadangan=2jt",
        "--posting", "Ekuitas:Rugi-Belum-Ditutup=-2jt", "--keterangan", "Rugi 2025 ditutup",
        "--tanggal", "10-04-2026")  # fmt: skip
    assert _ok(loss_year, "periksa").strip().endswith("tidak ada temuan.")


def test_a_loss_larger_than_the_reserve_is_refused(tmp_path: Path) -> None:
    cli = _books_from_2024(tmp_path, "4jt")
    _ok(cli, "tutup-buku", "2025")
    _refused(cli, "shu", "bagikan", "2025", "--tanggal", "10-03-2026", "--tutup-dari",
             "cadangan", says="Rp3.000.000")  # fmt: skip


def test_a_profit_year_takes_no_tutup_dari(cli: Cli) -> None:
    _configure(cli.root, {"cadangan": 60, "jasa_modal": 40})
    _run(cli, *ONE_MEMBER_CLOSED)
    _refused(cli, "shu", "bagikan", "2025", "--tanggal", "15-03-2026", "--tutup-dari",
             "cadangan", says="rugi")  # fmt: skip


def test_member_card_says_whether_the_shu_payable_was_paid(cli: Cli) -> None:
    """`anggota lihat` said 'utang SHU, belum dibayar' after `shu bayar` (or the exit) paid it
    (found by an adversarial review, #13)."""
    _configure(cli.root, {"cadangan": 60, "jasa_modal": 40})
    _run(
        cli,
        "anggota|tambah|Dua|--tanggal|02-01-2025",
        "anggota|tambah|Tiga|--tanggal|02-01-2025",
        *ONE_MEMBER_CLOSED[:2],
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0003|pokok|100.000|--tanggal|02-01-2025",
        *ONE_MEMBER_CLOSED[2:],
        "shu|bagikan|2025|--tanggal|15-03-2026|--ke|utang",
        "shu|bayar|A0001|--tanggal|20-03-2026",
        "anggota|keluar|A0002|--tanggal|25-03-2026|--alasan|Pindah",
    )
    said = {
        n: " ".join(_ok(cli, "anggota", "lihat", n).split()) for n in ("A0001", "A0002", "A0003")
    }
    assert "SHU 2025: Rp133.333 (utang SHU, sudah dibayar)" in said["A0001"], said
    assert "SHU 2025: Rp133.333 (utang SHU, sudah dibayar)" in said["A0002"], said
    assert "SHU 2025: Rp133.333 (utang SHU, belum dibayar)" in said["A0003"], said
    data = json.loads(_ok(cli, "anggota", "lihat", "A0001", "-f", "json"))
    assert data["shu"] == [{"tahun": 2025, "jumlah": 133333, "ke": "utang", "belum_dibayar": 0}]
    data = json.loads(_ok(cli, "anggota", "lihat", "A0003", "-f", "json"))
    assert data["shu"][0]["belum_dibayar"] == 133333


def test_the_rat_pays_shu_partly_in_cash_and_partly_to_sukarela(cli: Cli) -> None:
    """A RAT decision 'half the SHU in cash, half into simpanan sukarela' had no command (found
    by an adversarial review, #13): `shu bayar NAK JUMLAH --ke sukarela`, then the rest."""
    _configure(cli.root, {"cadangan": 60, "jasa_modal": 40})
    _run(
        cli,
        "anggota|tambah|Dua|--tanggal|02-01-2025",
        *ONE_MEMBER_CLOSED[:2],
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
        *ONE_MEMBER_CLOSED[2:],
        "anggota|keluar|A0002|--tanggal|10-03-2026|--alasan|Pindah",
        "shu|bagikan|2025|--tanggal|15-03-2026|--ke|utang",  # 200.000 each
    )
    _refused(cli, "shu", "bayar", "A0001", "200.001", "--tanggal", "20-03-2026",
             says="melebihi SHU yang belum dibayar")  # fmt: skip
    out = _ok(
        cli, "shu", "bayar", "A0001", "100.000", "--ke", "sukarela", "--tanggal", "20-03-2026"
    )
    assert "Kewajiban:Simpanan-Sukarela:A0001" in out, out
    said = " ".join(_ok(cli, "anggota", "lihat", "A0001").split())
    assert "SHU 2025: Rp200.000 (utang SHU, Rp100.000 belum dibayar)" in said, said
    _refused(cli, "shu", "bayar", "A0001", "--ke", "sukarela", "--via", "bank",
             "--tanggal", "21-03-2026", says="--via hanya untuk pembayaran tunai")  # fmt: skip
    _ok(cli, "shu", "bayar", "A0001", "--tanggal", "21-03-2026")
    bal = load(Paths(cli.root), fresh=True).balances()
    assert bal["Kewajiban:Utang-SHU:A0001"] == 0
    assert bal["Kewajiban:Simpanan-Sukarela:A0001"] == -D(100_000)
    # pokok 200.000 + 1jt; A0002 left with the pokok; A0001 took 100.000 in cash
    assert bal["Aset:Kas"] == D(1_200_000 - 100_000 - 100_000)
    assert cli("periksa").exit_code == 0
    # A member who left is paid in cash, not into a closed simpanan.
    _refused(cli, "shu", "bayar", "A0002", "--ke", "sukarela", "--tanggal", "22-03-2026",
             says="sudah keluar")  # fmt: skip
