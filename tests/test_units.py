"""Units by kind (#10): koperasi.yaml `unit:`, `kkmp jasa`, `--unit` on expenses, and each
unit's net result in the PHU adding up to the SHU."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from beancount.core import data
from conftest import Cli, ok, refused, reload, run, transactions

from kkmp_cli import money
from kkmp_cli.core import config, ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.reports import statements
from kkmp_cli.units import registry

D = Decimal
GENERAL = 161_000  # the general costs of the net-result test: listrik 131.000, ATK 30.000


def _balances(root: Path) -> dict[str, Decimal]:
    book = ledger.load(Paths(root), fresh=True)
    return {a: book.balance(a) for a in book.opens()}


def _opens(root: Path) -> dict[str, data.Open]:
    entries, errors = reload(root)
    assert errors == []
    return {e.account: e for e in entries if isinstance(e, data.Open)}


def _edit(root: Path, old: str, new: str) -> None:
    cfg = root / "koperasi.yaml"
    text = cfg.read_text(encoding="utf-8")
    assert old in text, old
    cfg.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- koperasi.yaml ---


def test_init_writes_the_seven_kdmp_units(coop_dir: Path) -> None:
    cfg = config.load(coop_dir)
    assert [(u.kode, u.jenis) for u in cfg.units] == [
        ("kantor", "kantor"),
        ("sembako", "barang"),
        ("simpan-pinjam", "simpan-pinjam"),
        ("klinik", "jasa"),
        ("apotek", "barang"),
        ("cold-storage", "jasa"),
        ("logistik", "jasa"),
    ]
    assert cfg.gerai.unit == ("sembako", "apotek") and cfg.gerai.unit_bawaan == "sembako"
    assert [u.kode for u in cfg.barang_units] == ["sembako", "apotek"]
    assert cfg.unit_keluar("apotek") == "fefo" and cfg.unit_keluar("sembako") == "fifo"
    assert cfg.unit("klinik") is not None and cfg.unit("salon") is None
    assert cfg.alokasi.dasar == "pendapatan"


def test_an_old_gerai_unit_config_keeps_working(cli: Cli) -> None:
    text = (cli.root / "koperasi.yaml").read_text(encoding="utf-8")
    start, end = text.index("unit:\n  - {kode: kantor"), text.index("# --- Gerai")
    old = text[:start] + text[end:]
    old = old.replace("  unit_bawaan: sembako", "  unit: [sembako, lpg]\n  unit_bawaan: lpg")
    (cli.root / "koperasi.yaml").write_text(old, encoding="utf-8")
    cfg = config.load(cli.root)
    assert [(u.kode, u.jenis) for u in cfg.units] == [
        ("kantor", "kantor"),
        ("sembako", "barang"),
        ("lpg", "barang"),
        ("simpan-pinjam", "simpan-pinjam"),
    ]
    assert cfg.gerai.unit == ("sembako", "lpg") and cfg.gerai.unit_bawaan == "lpg"
    run(
        cli,
        "kas|masuk|hibah|1.000.000|--tanggal|02-01-2025",
        "gerai|barang|tambah|LPG-3KG|--nama|LPG 3 kg|--harga-jual|22.000|--tanggal|02-01-2025",
        "gerai|beli|LPG-3KG|10|--harga|18.000|--pemasok|Pangkalan|--tanggal|02-01-2025",
        "gerai|jual|LPG-3KG|2|--tanggal|03-01-2025",
        "gaji|bayar|Petugas LPG|100.000|--bulan|2025-01|--pegawai|bukan-pegawai|--unit|lpg"
        "|--tanggal|04-01-2025",
    )
    refused(cli, "jasa", "catat", "klinik", "1000", "--layanan", "x", says="Unit 'klinik' tidak")
    phu = json.loads(ok(cli, "laporan", "phu", "--tahun", "2025", "-f", "json"))
    lpg = next(u for u in phu["unit"] if u["kode"] == "lpg")
    assert (lpg["pendapatan"], lpg["hpp"], lpg["beban_langsung"]) == (44_000, 36_000, 100_000)
    assert sum(u["hasil_bersih"] for u in phu["unit"]) == phu["shu"]


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "{kode: klinik, nama: Klinik desa, jenis: jasa}",
            "{kode: klinik, nama: Klinik desa, jenis: jasa, warna: merah}",
            "kunci 'warna' tidak dikenal di 'unit ke-4'",
        ),
        ("{kode: klinik,", "{kode: sembako,", "'unit ke-4.kode' 'sembako' sudah dipakai"),
        ("jenis: jasa}", "jenis: jasa, keluar: fefo}", "hanya untuk unit berjenis barang"),
        ("{kode: klinik,", "{kode: Klinik Desa,", "'unit ke-4.kode' 'Klinik Desa' tidak sah"),
        ("  unit_bawaan: sembako", "  unit_bawaan: klinik", "'gerai.unit_bawaan' pilih"),
        ("  unit_bawaan: sembako", "  unit: [klinik]", "klinik yang bukan unit berjenis barang"),
        ("  dasar: pendapatan", "  dasar: luas", "'alokasi.dasar' pilih pendapatan"),
        (
            "  dasar: pendapatan",
            "  dasar: persen\n  persen: {sembako: 60, klinik: 30}",
            "'alokasi.persen' jumlahnya harus tepat 100, sekarang 90",
        ),
        (
            "  dasar: pendapatan",
            "  dasar: persen\n  persen: {sembako: 60, kantor: 40}",
            "kunci 'kantor' tidak dikenal di 'alokasi.persen'",
        ),
    ],
)
def test_wrong_units_config_is_refused_by_name(cli: Cli, old: str, new: str, says: str) -> None:
    _edit(cli.root, old, new)
    refused(cli, "anggota", "daftar", says=says)


# --- jasa ---


def test_jasa_services_receivables_and_refusals(kdmp: Cli) -> None:
    cli = kdmp
    out = ok(
        cli,
        *"jasa catat klinik 150.000 --layanan".split(),
        "Periksa umum",
        *"--anggota a0001 --tanggal 03-02-2025".split(),
    )
    assert "Pendapatan:Klinik:Anggota" in out
    run(
        cli,
        "jasa|catat|klinik|2.000.000|--layanan|Kapitasi BPJS Februari|--pelanggan|BPJS Kesehatan"
        "|--kredit|--tanggal|28-02-2025",
        "jasa|catat|cold-storage|300.000|--layanan|Sewa rak beku|--anggota|A0002|--kredit"
        "|--tanggal|05-02-2025",
        "jasa|catat|logistik|75.000|--layanan|Antar pupuk|--via|bank|--tanggal|06-02-2025",
    )
    bal = _balances(cli.root)
    assert bal["Pendapatan:Klinik:Anggota"] == -150_000
    assert bal["Pendapatan:Klinik:Non-Anggota"] == -2_000_000
    assert bal["Aset:Piutang-Pelanggan:BPJS-Kesehatan"] == 2_000_000
    assert bal["Aset:Piutang-Dagang:A0002"] == 300_000
    assert bal["Pendapatan:Logistik:Non-Anggota"] == -75_000
    opened = _opens(cli.root)["Pendapatan:Cold-Storage:Anggota"].meta
    assert (opened["unit"], opened["pihak"], opened["golongan"]) == (
        "cold-storage",
        "anggota",
        "pendapatan",
    )
    klinik = next(t for t in transactions(cli.root) if t.meta.get("layanan") == "Periksa umum")
    assert klinik.meta["anggota"] == "A0001" and klinik.meta["unit"] == "klinik"

    run(
        cli,
        "jasa|terima-piutang|--pelanggan|bpjs kesehatan|1.500.000|--via|bank|--tanggal|10-03-2025",
        "jasa|terima-piutang|A0002|300.000|--tanggal|10-03-2025",
    )
    bal = _balances(cli.root)
    assert bal["Aset:Piutang-Pelanggan:BPJS-Kesehatan"] == 500_000
    assert bal["Aset:Piutang-Dagang:A0002"] == 0

    amount = ("1000", "--layanan", "x", "--tanggal", "10-03-2025")
    refused(cli, "jasa", "catat", "salon", *amount, says="Unit 'salon' tidak ada di koperasi.yaml")
    refused(cli, "jasa", "catat", "sembako", *amount, says="berjenis barang (gerai), bukan jasa")
    refused(cli, "jasa", "catat", "klinik", *amount, "--kredit", says="harus atas nama anggota")
    refused(
        cli,
        *("jasa", "catat", "klinik", *amount, "--anggota", "A0001", "--pelanggan", "Warung"),
        says="bukan keduanya",
    )
    refused(cli, "jasa", "catat", "klinik", *amount, "--anggota", "A0099", says="tidak terdaftar")
    refused(cli, "jasa", "catat", "klinik", *amount, "--via", "dompet", says="--via")
    refused(
        cli,
        *("jasa", "terima-piutang", "--pelanggan", "BPJS Kesehatan", "600.000"),
        *("--tanggal", "11-03-2025"),
        says="melebihi piutang Pelanggan BPJS Kesehatan sebesar Rp500.000",
    )
    refused(
        cli,
        *("jasa", "terima-piutang", "A0001", "1000", "--tanggal", "11-03-2025"),
        says="tidak punya piutang",
    )
    refused(
        cli,
        *("jasa", "terima-piutang", "--pelanggan", "Warung Bu Sri", "1000"),
        says="Pelanggan Warung Bu Sri tidak punya piutang",
    )
    assert "tidak ada temuan" in ok(cli, "periksa")


def test_jasa_on_credit_refuses_a_way_of_paying(kdmp: Cli) -> None:
    """`--via bank --kredit` booked a receivable and dropped the bank without a word (#23)."""
    service = ("jasa", "catat", "klinik", "150.000", "--layanan", "Periksa", "--anggota", "A0001")
    service += ("--tanggal", "03-02-2025")
    refused(kdmp, *service, "--kredit", "--via", "bank", says="Kredit berarti belum dibayar")
    ok(kdmp, *service, "--kredit")
    assert _balances(kdmp.root)["Aset:Piutang-Dagang:A0001"] == 150_000


# --- --unit and each unit's net result ---


def test_unit_expenses_and_net_results_add_up_to_shu(kdmp: Cli) -> None:
    cli = kdmp
    run(
        cli,
        "pinjaman|angsur|PJ-2025-0001|112.000|--tanggal|01-03-2025",
        "pinjaman|cadangkan|--per|31-12-2025",
        "jasa|catat|klinik|150.000|--layanan|Periksa|--anggota|A0001|--tanggal|03-03-2025",
        "jasa|catat|klinik|2.000.000|--layanan|Kapitasi|--pelanggan|BPJS|--kredit|--tanggal|04-03-2025",
        "jasa|catat|logistik|500.000|--layanan|Antar|--pelanggan|Warung Bu Sri|--kredit|--tanggal|05-03-2025",
        "jasa|catat|cold-storage|300.000|--layanan|Sewa|--anggota|A0002|--tanggal|06-03-2025",
        "gaji|bayar|Perawat|700.000|--bulan|2025-03|--pegawai|bukan-pegawai|--unit|klinik"
        "|--tanggal|25-03-2025",
        "kas|keluar|listrik|131.000|--tanggal|25-03-2025",
        "jurnal|--posting|Beban:Transportasi=50.000|--posting|Aset:Kas=-50.000|--keterangan"
        "|Solar armada|--unit|logistik|--tanggal|26-03-2025",
    )
    sheet = cli.root.parent / "biaya.csv"
    sheet.write_text(
        "tanggal,akun,jumlah,keterangan,unit\n"
        "27-03-2025,atk,20.000,Kertas resep,klinik\n"
        "27-03-2025,atk,30.000,Map,\n",
        encoding="utf-8",
    )
    ok(cli, "impor", str(sheet), "--jenis", "biaya")
    opened = _opens(cli.root)
    assert opened["Beban:ATK:Klinik"].meta["unit"] == "klinik"
    assert opened["Beban:Gaji:Klinik"].meta["unit"] == "klinik"
    assert opened["Beban:Transportasi:Logistik"].meta["unit"] == "logistik"
    bal = _balances(cli.root)
    assert bal["Beban:Gaji:Klinik"] == 700_000 and bal["Beban:Gaji"] == 0
    assert bal["Beban:Transportasi:Logistik"] == 50_000
    assert bal["Beban:ATK:Klinik"] == 20_000 and bal["Beban:ATK"] == 30_000

    phu = json.loads(ok(cli, "laporan", "phu", "--tahun", "2025", "-f", "json"))
    units = {u["kode"]: u for u in phu["unit"]}
    assert sum(u["hasil_bersih"] for u in phu["unit"]) == phu["shu"]
    usp = units["simpan-pinjam"]
    allowance = bal["Beban:Simpan-Pinjam:Penyisihan-Piutang"]
    assert usp["pendapatan"] == 12_000 and usp["beban_langsung"] == allowance > 0
    klinik = units["klinik"]
    assert (klinik["pendapatan_anggota"], klinik["pendapatan_non_anggota"]) == (150_000, 2_000_000)
    assert (klinik["laba_kotor"], klinik["beban_langsung"]) == (2_150_000, 720_000)
    assert units["logistik"]["beban_langsung"] == 50_000
    # 161.000 of general costs (listrik 131.000, ATK 30.000) shared by revenue (12.000 + 2.150.000 + 500.000 + 300.000),
    # each share rounded toward zero; the remainder stays with kantor and is stated.
    revenue = {
        "simpan-pinjam": 12_000,
        "klinik": 2_150_000,
        "logistik": 500_000,
        "cold-storage": 300_000,
    }
    total = sum(revenue.values())
    for kode, r in revenue.items():
        assert units[kode]["beban_alokasi"] == int(Fraction(GENERAL * r, total)), kode
    shared = sum(units[k]["beban_alokasi"] for k in revenue)
    assert units["kantor"]["beban_alokasi"] == -shared
    assert units["kantor"]["hasil_bersih"] == -(GENERAL - shared)
    assert f"sisa pembulatan Rp{GENERAL - shared}" in " ".join(phu["catatan"])
    text = ok(cli, "laporan", "phu", "--tahun", "2025")
    assert "Hasil unit klinik" in text and "Jumlah hasil bersih unit (= SHU)" in text

    # Fixed percentages instead of revenue shares.
    _edit(
        cli.root,
        "  dasar: pendapatan",
        "  dasar: persen\n  persen: {klinik: 50, logistik: 30, cold-storage: 20}",
    )
    phu = json.loads(ok(cli, "laporan", "phu", "--tahun", "2025", "-f", "json"))
    units = {u["kode"]: u for u in phu["unit"]}
    assert [units[k]["beban_alokasi"] for k in ("klinik", "logistik", "cold-storage")] == [
        80_500,
        48_300,
        32_200,
    ]
    assert sum(u["hasil_bersih"] for u in phu["unit"]) == phu["shu"]

    # Jasa bought by members counts as business with members for the SHU (jasa usaha).
    sheet = json.loads(ok(cli, "shu", "hitung", "2025", "-f", "json"))
    base = {m["nak"]: m["transaksi"]["penjualan"] for m in sheet["anggota"]}
    assert base == {"A0001": 150_000, "A0002": 300_000}

    refused(cli, "kas", "keluar", "atk", "1000", "--unit", "salon", says="Unit 'salon' tidak ada")
    refused(
        cli,
        *("jurnal", "--posting", "Aset:Bank=1000", "--posting", "Aset:Kas=-1000"),
        *("--keterangan", "Setor", "--unit", "klinik"),
        says="--unit hanya untuk jurnal yang memuat posting beban",
    )
    refused(
        cli,
        *("jurnal", "--posting", "Beban:Gaji:Klinik=1000", "--posting", "Aset:Kas=-1000"),
        *("--keterangan", "Gaji", "--unit", "logistik"),
        says="milik unit klinik",
    )
    assert "tidak ada temuan" in ok(cli, "periksa")


def test_roles_and_allocation_on_an_inline_ledger(ledger_from_text) -> None:
    """The planner's view: accounts by unit from their names and `unit:` metadata, and an
    allocation whose shares are rounded toward zero with the remainder kept general."""
    book = ledger_from_text(
        """
        2025-01-01 open Pendapatan:Klinik:Anggota IDR
          unit: "klinik"
          pihak: "anggota"
        2025-01-01 open Beban:Gaji:Klinik IDR
          unit: "klinik"
        2025-01-01 open Beban:Sewa:Rumah IDR
          unit: "rumah"

        2025-02-01 * "Periksa"
          Aset:Kas                      1000 IDR
          Pendapatan:Klinik:Anggota    -1000 IDR
        2025-02-02 * "Honor"
          Beban:Gaji:Klinik              400 IDR
          Beban:Sewa:Rumah               100 IDR
          Beban:ATK                      100 IDR
          Aset:Kas                      -600 IDR
        """
    )
    roles = registry.roles(book)
    assert roles["Pendapatan:Klinik:Anggota"] == registry.Role("klinik", "pendapatan", "anggota")
    assert roles["Beban:Gaji:Klinik"] == registry.Role("klinik", "beban")
    assert "Beban:Sewa:Rumah" not in roles  # a unit koperasi.yaml does not know is general
    assert "Pendapatan:Sembako:Anggota" in registry.member_revenue(book)
    shares, rest = statements.allocate(book, D(100), {"klinik": D(2), "logistik": D(1)})
    assert shares == {"klinik": 66, "logistik": 33} and rest == 1
    flows = statements.sums(book, *statements.year_bounds(2025), skip_closing=True)
    units, _ = statements.unit_results(book, flows)
    assert sum((u.hasil_bersih for u in units), D(0)) == statements.results(book, 2025).shu == 400


def test_the_early_withdrawal_penalty_is_the_savings_units_income(cli: Cli, tmp_path: Path) -> None:
    """Adversarial review (#12): the penalty kept from a time deposit cashed early is the
    simpan-pinjam unit's income, as the deposit's interest is its cost; it showed under the
    general income and ended as the kantor unit's result, in the PHU, the village report and
    the RAT book. The per-unit results still add up to the SHU."""
    run(
        cli,
        "anggota|tambah|Rina|--tanggal|02-01-2025|--jk|P",
        "simpanan|setor|A0001|pokok|100rb|--tanggal|02-01-2025",
        "simpanan|berjangka|buka|A0001|10jt|--tenor|12|--bunga|6|--tanggal|02-01-2025",
        "simpanan|berjangka|cair|SB-2025-0001|--tanggal|02-04-2025",
        "jasa|catat|klinik|1jt|--layanan|Periksa|--anggota|A0001|--tanggal|05-04-2025",
        "kas|keluar|atk|200rb|--keterangan|ATK|--tanggal|06-04-2025",
    )
    posted = {
        p.account: -p.units.number
        for t in transactions(cli.root)
        if t.meta.get("jenis") == "berjangka-cair"
        for p in t.postings
        if p.account.startswith("Pendapatan:") or p.account.startswith("Beban:")
    }
    penalty = posted["Pendapatan:Simpan-Pinjam:Penalti-Berjangka"]
    interest = -posted["Beban:Simpan-Pinjam:Jasa-Simpanan"]
    assert penalty > 0 and interest > 0
    phu = json.loads(ok(cli, "laporan", "phu", "--tahun", "2025", "-f", "json"))
    units = {u["kode"]: u for u in phu["unit"]}
    usp, kantor = units["simpan-pinjam"], units["kantor"]
    assert usp["pendapatan_anggota"] == usp["pendapatan"] == penalty
    assert usp["beban_langsung"] == interest
    assert usp["hasil_bersih"] == penalty - interest - usp["beban_alokasi"]
    assert kantor["pendapatan"] == 0
    assert sum(u["hasil_bersih"] for u in phu["unit"]) == phu["shu"]
    labels = [r["label"] for r in phu["baris"]]
    general = labels.index("Pendapatan dan beban umum")
    assert labels.index("Hasil unit simpan pinjam") < general
    assert "Pendapatan penalti" not in " ".join(labels[general:])
    # The village report's table per unit and the RAT book show the same unit result.
    ok(cli, "laporan", "desa", "2025-Q2", "-o", str(tmp_path / "desa.md"))
    desa = (tmp_path / "desa.md").read_text(encoding="utf-8")
    assert f"| Unit simpan pinjam | {money.fmt(penalty)} |" in desa
    ok(cli, "rat", "2025", "-f", "md", "-o", str(tmp_path / "rat.md"))
    book = (tmp_path / "rat.md").read_text(encoding="utf-8")
    usp_part = book[
        book.index("**Unit simpan pinjam**") : book.index("**Hasil unit simpan pinjam**")
    ]
    assert "Pendapatan penalti pencairan simpanan berjangka" in usp_part
