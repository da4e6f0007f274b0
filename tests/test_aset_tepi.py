"""Fixed assets at their edges, found by an adversarial review (#11, #14): a depreciation month
of a closed year left unbooked, the result of a unit's asset sold, an asset bought on credit in
the cash flow, the register of a past day, and a unit removed from koperasi.yaml."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import Cli, ok, refused, reload, run, transactions

from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Paths

PICKUP = (
    "aset|tambah|Pick-up|--kelompok|kendaraan|--harga|96jt|--tanggal|10-01-2025|--unit|logistik"
)


@pytest.fixture
def funded(cli: Cli) -> Cli:
    run(cli, "kas|masuk|hibah|500jt|--tanggal|02-01-2025|--keterangan|Modal awal")
    return cli


def _clean(cli: Cli) -> None:
    r = cli("periksa")
    assert r.exit_code == 0 and "Buku bersih" in r.output, r.output


def _doc(said: str, prefix: str) -> str:
    found = [w.strip(".,:()") for w in said.split() if w.strip(".,:()").startswith(prefix)]
    assert found, said
    return found[0]


def _months(cli: Cli, kode: str = "AT-2025-0001") -> dict[str, list]:
    """Depreciation entries of an asset by their month (`bulan`), reversed ones included."""
    found: dict[str, list] = {}
    for t in transactions(cli.root):
        if t.meta.get("jenis") == "aset-susut" and t.meta.get("aset") == kode:
            found.setdefault(t.meta["bulan"], []).append(t)
    return found


def _depreciation_item(cli: Cli, year: str) -> str:
    shown = ok(cli, "tutup-buku", year, "--periksa")
    return next(line for line in shown.splitlines() if "penyusutan" in line)


# --- 1: a month of a closed year left unbooked ---


def test_a_month_waived_at_closing_is_caught_up_in_the_first_open_month(funded: Cli) -> None:
    run(
        funded,
        "anggota|tambah|Siti|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100rb|--tanggal|02-01-2025",
        "jasa|catat|logistik|30jt|--layanan|Antar|--anggota|A0001|--tanggal|15-06-2025",
        PICKUP,
        "aset|susut|--sampai|2025-11",  # December forgotten
        "tutup-buku|2025|--abaikan|penyusutan|--alasan|Penyusutan Desember terlupa",
        "shu|bagikan|2025|--tanggal|15-03-2026|--ke|utang",  # 2025 cannot be reopened now
    )
    # A run through a month of the closed year says where the missed month goes.
    refused(funded, "aset", "susut", "--sampai", "2025-12", says="2026-01")
    out = ok(funded, "aset", "susut", "--sampai", "2026-02")
    assert "3 bulan" in out and "Rp3.000.000" in out, out
    months = _months(funded)
    [december] = months["2025-12"]
    assert december.date.isoformat() == "2026-01-31"  # booked in the first open month
    assert "Desember 2025" in december.narration
    assert [months[m][0].date.isoformat() for m in ("2026-01", "2026-02")] == [
        "2026-01-31",
        "2026-02-28",
    ]
    assert "tidak ada yang dicatat" in ok(funded, "aset", "susut", "--sampai", "2026-02")
    # The sale in the open year: 11 + 1 + 3 months = 15jt booked, book value 81jt.
    said = ok(funded, "aset", "lepas", "AT-2025-0001", "--tanggal", "10-03-2026", "--harga", "80jt")
    assert "Rp81.000.000" in said, said
    assert "terbuka" not in _depreciation_item(funded, "2026")
    _clean(funded)


def test_a_closed_month_taken_back_in_the_open_year_is_booked_again_there(funded: Cli) -> None:
    run(funded, PICKUP, "aset|susut|--sampai|2025-12", "tutup-buku|2025")
    [december] = _months(funded)["2025-12"]
    ok(funded, "koreksi", december.meta["id"], "--alasan", "dicatat dua kali?",
       "--tanggal", "05-03-2026")  # fmt: skip
    # Not before the koreksi that took it back: January's run leaves it for March.
    ok(funded, "aset", "susut", "--sampai", "2026-01")
    assert len(_months(funded)["2025-12"]) == 1
    # Nor may the asset leave before that koreksi.
    refused(funded, "aset", "lepas", "AT-2025-0001", "--tanggal", "28-02-2026", says="05-03-2026")
    said = ok(funded, "aset", "lepas", "AT-2025-0001", "--tanggal", "10-03-2026", "--harga", "80jt")
    assert "Rp81.000.000" in said, said  # 12 + the December again + 2 + March = 15jt
    again = [t for t in _months(funded)["2025-12"] if t is not december]
    assert [t.date.isoformat() for t in again if "dicatat ulang" in t.narration] == ["2026-03-10"]
    _clean(funded)


def test_a_sale_right_after_the_closing_books_the_missed_month_on_its_day(funded: Cli) -> None:
    run(
        funded,
        PICKUP,
        "aset|susut|--sampai|2025-11",
        "tutup-buku|2025|--abaikan|penyusutan|--alasan|Lupa",
        "aset|lepas|AT-2025-0001|--tanggal|15-01-2026|--harga|80jt",
    )
    months = _months(funded)
    assert months["2025-12"][0].date.isoformat() == "2026-01-15"
    assert months["2026-01"][0].date.isoformat() == "2026-01-15"
    _clean(funded)


def test_a_booked_month_points_to_koreksi_not_to_a_later_date(funded: Cli) -> None:
    run(funded, PICKUP, "aset|susut|--sampai|2025-03")
    said = refused(
        funded, "aset", "lepas", "AT-2025-0001", "--tanggal", "10-03-2025", says="koreksi"
    )
    assert "kkmp koreksi" in said and "10-03-2025" in said, said


# --- 3: the result of a unit's asset sold ---


def test_the_loss_on_a_units_asset_is_the_units(funded: Cli) -> None:
    run(
        funded,
        "jasa|catat|logistik|30jt|--layanan|Antar|--tanggal|15-02-2025",
        "jasa|catat|klinik|10jt|--layanan|Periksa|--tanggal|15-02-2025",
        PICKUP,
        "aset|lepas|AT-2025-0001|--tanggal|28-02-2025|--harga|50jt",
        "aset|tambah|Motor|--kelompok|kendaraan|--harga|20jt|--tanggal|10-01-2025|--unit|klinik",
        "aset|lepas|AT-2025-0002|--tanggal|28-02-2025|--harga|25jt",
    )
    sold = [t for t in transactions(funded.root) if t.meta.get("jenis") == "aset-lepas"]
    posted = {p.account: p.units.number for t in sold for p in t.postings}
    assert posted["Beban:Rugi-Pelepasan-Aset:Logistik"] == Decimal(44_000_000)
    assert posted["Pendapatan:Laba-Pelepasan-Aset:Klinik"] == Decimal(-5_416_666)
    phu = json.loads(ok(funded, "laporan", "phu", "--tahun", "2025", "--banding", "tidak",
                        "-f", "json"))  # fmt: skip
    units = {u["kode"]: u for u in phu["unit"]}
    # logistik: 30jt income, 2jt depreciation and the 44jt loss are its own; nothing general.
    assert units["logistik"]["beban_langsung"] == 46_000_000
    assert units["logistik"]["beban_alokasi"] == 0 and units["kantor"]["beban_langsung"] == 0
    assert units["logistik"]["hasil_bersih"] == -16_000_000
    # The cash flow still shows each sale as one investing receipt of its price.
    flow = json.loads(ok(funded, "laporan", "arus-kas", "--tahun", "2025", "--banding", "tidak",
                         "-f", "json"))  # fmt: skip
    assert (flow["penerimaan_investasi"], flow["pengeluaran_investasi"]) == (
        75_000_000,
        -116_000_000,
    ), flow
    _clean(funded)


# --- 4: an asset bought on credit ---


def test_an_asset_bought_on_credit_is_paid_as_an_investing_outflow(funded: Cli) -> None:
    run(
        funded,
        "kas|pindah|kas|bank|300jt|--tanggal|02-01-2025",
        "aset|tambah|Mesin cold storage|--kelompok|mesin|--harga|120jt|--tanggal|05-02-2025"
        "|--via|utang|--pemberi|PT Dingin Jaya|--unit|cold-storage",
        "aset|tambah|Motor|--kelompok|kendaraan|--harga|20jt|--tanggal|05-02-2025|--via|kas",
        "gerai|bayar-pemasok|PT Dingin Jaya|100jt|--tanggal|05-03-2025|--via|bank",
    )
    bought = next(t for t in transactions(funded.root) if t.meta.get("aset") == "AT-2025-0001")
    assert "Kewajiban:Utang-Aset:PT-Dingin-Jaya" in {p.account for p in bought.postings}
    flow = json.loads(ok(funded, "laporan", "arus-kas", "--tahun", "2025", "--banding", "tidak",
                         "-f", "json"))  # fmt: skip
    total = flow
    assert total["pengeluaran_investasi"] == -120_000_000, total
    assert total["pengeluaran_operasi"] == 0, total
    ok(funded, "laporan", "desa", "2025-Q1", "--format", "md", "-o", str(funded.root / "d.md"))
    desa = (funded.root / "d.md").read_text(encoding="utf-8")
    assert "pemasok" not in desa.split("Penggunaan dana")[1].split("Dana pembiayaan")[0], desa
    # The rest is owed as a payable for a fixed asset, paid the same way.
    refused(funded, "gerai", "bayar-pemasok", "PT Dingin Jaya", "30jt", "--tanggal",
            "05-04-2025", says="Rp20.000.000")  # fmt: skip
    ok(funded, "gerai", "bayar-pemasok", "PT Dingin Jaya", "20jt", "--tanggal", "05-04-2025")
    assert ledger.load(Paths(funded.root), fresh=True).balance(
        "Kewajiban:Utang-Aset:PT-Dingin-Jaya"
    ) == Decimal(0)
    _clean(funded)


def test_a_supplier_of_goods_and_of_an_asset_is_paid_by_what_is_named(funded: Cli) -> None:
    run(
        funded,
        "gerai|barang|tambah|BERAS-5KG|--nama|Beras|--satuan|karung|--harga-jual|65.000"
        "|--tanggal|02-01-2025",
        "gerai|beli|BERAS-5KG|10|--harga|60.000|--pemasok|Toko Jaya|--kredit|--tanggal|03-01-2025",
        "aset|tambah|Etalase|--kelompok|peralatan|--harga|4jt|--tanggal|03-01-2025|--via|utang"
        "|--pemberi|Toko Jaya",
        "gerai|bayar-pemasok|Toko Jaya|600rb|--tanggal|10-01-2025",
        "gerai|bayar-pemasok|Toko Jaya|4jt|--aset|--tanggal|10-01-2025",
    )
    book = ledger.load(Paths(funded.root), fresh=True)
    assert book.balance("Kewajiban:Utang-Usaha:Toko-Jaya") == 0
    assert book.balance("Kewajiban:Utang-Aset:Toko-Jaya") == 0
    flow = json.loads(ok(funded, "laporan", "arus-kas", "--tahun", "2025", "--banding", "tidak",
                         "-f", "json"))  # fmt: skip
    total = flow
    assert (total["pengeluaran_operasi"], total["pengeluaran_investasi"]) == (-600_000, -4_000_000)
    _clean(funded)


# --- 6: the register of a past day ---


def test_the_register_of_a_day_leaves_out_later_corrections(funded: Cli) -> None:
    run(
        funded,
        "aset|tambah|Pick-up|--kelompok|kendaraan|--harga|96jt|--tanggal|10-01-2025",
        "aset|tambah|Motor|--kelompok|kendaraan|--harga|24jt|--tanggal|10-01-2025",
        "aset|susut|--sampai|2025-04",
    )
    sale = ok(funded, "aset", "lepas", "AT-2025-0002", "--tanggal", "30-04-2025", "--harga", "20jt")
    ok(funded, "aset", "susut", "--sampai", "2025-06")
    [june] = _months(funded)["2025-06"]
    ok(funded, "koreksi", june.meta["id"], "--alasan", "salah bulan", "--tanggal", "15-08-2025")
    ok(funded, "koreksi", _doc(sale, "BKM-"), "--alasan", "batal", "--tanggal", "15-08-2025")
    entries, errors = reload(funded.root)
    assert not errors

    def held(day: str, account: str) -> Decimal:
        return sum(
            (
                p.units.number
                for e in entries
                if hasattr(e, "postings") and e.date.isoformat() <= day
                for p in e.postings
                if p.account == account
            ),
            Decimal(0),
        )

    for day, per in (("2025-06-30", "30-06-2025"), ("2025-08-31", "31-08-2025")):
        rows = json.loads(ok(funded, "aset", "daftar", "--per", per, "-f", "json"))["aset"]
        active = [r for r in rows if r["status"] == "aktif"]
        assert sum(r["harga"] for r in active) == held(day, "Aset:Aset-Tetap:Kendaraan"), rows
        assert sum(r["akumulasi"] for r in active) == -held(
            day, "Aset:Akumulasi-Penyusutan:Kendaraan"
        ), rows
    june_rows = json.loads(ok(funded, "aset", "daftar", "--per", "30-06-2025", "-f", "json"))
    status = {r["kode"]: (r["status"], r["akumulasi"]) for r in june_rows["aset"]}
    assert status == {"AT-2025-0001": ("aktif", 6_000_000), "AT-2025-0002": ("dilepas", 1_000_000)}


# --- 7: a unit removed from koperasi.yaml ---


def test_a_unit_removed_from_the_config_blocks_nothing_and_periksa_names_it(funded: Cli) -> None:
    run(
        funded,
        PICKUP,
        "aset|tambah|Gedung kantor|--kelompok|bangunan|--harga|240jt|--tanggal|10-01-2025",
        "aset|susut|--sampai|2025-03",
    )
    config = funded.root / "koperasi.yaml"
    config.write_text(
        "".join(
            line
            for line in config.read_text(encoding="utf-8").splitlines(keepends=True)
            if "kode: logistik" not in line
        ),
        encoding="utf-8",
    )
    out = ok(funded, "aset", "susut", "--sampai", "2025-04")
    assert "2 bulan" in out, out
    april = {
        t.meta["aset"]: t for t in transactions(funded.root) if t.meta.get("bulan") == "2025-04"
    }
    assert "Beban:Penyusutan:Logistik" in {p.account for p in april["AT-2025-0001"].postings}
    assert "Beban:Penyusutan" in {p.account for p in april["AT-2025-0002"].postings}
    ok(funded, "aset", "lepas", "AT-2025-0001", "--tanggal", "20-05-2025", "--harga", "80jt")
    r = funded("periksa")
    assert r.exit_code != 0, r.output
    folded = " ".join(r.output.split())
    assert "logistik" in folded and "koperasi.yaml" in folded, folded
    assert "Beban:Penyusutan:Logistik" in folded, folded


def test_an_older_ledgers_asset_payable_is_paid_as_before_and_the_note_says_so(
    funded: Cli,
) -> None:
    """Books from a kkmp that kept an asset bought on credit on the supplier's trade payable:
    it is paid there as before (operating), and the cash flow's notes name the asset."""
    run(
        funded,
        "aset|tambah|Tanah gudang|--kelompok|tanah|--harga|50jt|--tanggal|01-09-2025|--via|utang"
        "|--pemberi|Pak Haji",
    )
    paths = Paths(funded.root)
    for path in (paths.chart, paths.year_file(2025)):  # as an older kkmp wrote it
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("Kewajiban:Utang-Aset:Pak-Haji ", "Kewajiban:Utang-Usaha:Pak-Haji"),
            encoding="utf-8",
        )
    _clean(funded)
    ok(funded, "gerai", "bayar-pemasok", "Pak Haji", "50jt", "--tanggal", "01-10-2025")
    flow = json.loads(ok(funded, "laporan", "arus-kas", "--tahun", "2025", "--banding", "tidak",
                         "-f", "json"))  # fmt: skip
    assert flow["pengeluaran_operasi"] == -50_000_000, flow
    assert any("AT-2025-0001" in note and "operasi" in note for note in flow["catatan"]), flow
    _clean(funded)
