"""Apotek lots (batch, expiry, FEFO, kedaluwarsa, musnahkan), returns and named customers on
credit through the real CLI (#10, parts 4 and 5)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from conftest import Cli, copy_of, ok, refused, run, snapshot, transactions

from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.outlet import lots

D = Decimal
STOCK = "Aset:Persediaan:Apotek"
LOSS = "Beban:HPP-Apotek:Pemusnahan-Persediaan"


def _bal(root: Path) -> dict[str, Decimal]:
    return ledger.load(Paths(root), fresh=True).balances()


APOTEK_LINE = "{kode: apotek, nama: Apotek desa, jenis: barang, keluar: fefo}"


def _configure(
    root: Path, *, replace: tuple[str, str] | None = None, batas: str = "300000"
) -> None:
    """The apotek of `kkmp init`'s seven units is FEFO already; `replace` edits one line."""
    path = root / "koperasi.yaml"
    text = path.read_text(encoding="utf-8")
    assert APOTEK_LINE in text
    if replace is not None:
        assert replace[0] in text
        text = text.replace(*replace, 1)
    text = re.sub(
        r"^batas_kredit_pelanggan: \d+",
        f"batas_kredit_pelanggan: {batas}",
        text,
        count=1,
        flags=re.M,
    )
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def apotek_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Capital, member A0001, PCT-500 in the FEFO apotek; batch A (ED 30-06-2026, 20 @3.000,
    cash) bought before batch B (ED 31-12-2025, 20 @3.200, on credit from PBF Sehat)."""
    root = tmp_path_factory.mktemp("apotek") / "kop"
    coop.init(root, "KKMP Uji Apotek", 2025)
    _configure(root)
    run(
        Cli(root),
        "kas|masuk|hibah|5jt|--tanggal|02-01-2025",
        "anggota|tambah|Ani|--tanggal|02-01-2025",
        "gerai|barang|tambah|PCT-500|--nama|Paracetamol 500 mg|--satuan|strip|--harga-jual|5.000"
        "|--harga-anggota|4.500|--unit|apotek|--tanggal|02-01-2025",
        "gerai|beli|PCT-500|20|--harga|3.000|--pemasok|PBF Sehat|--batch|A"
        "|--kedaluwarsa|30-06-2026|--tanggal|03-01-2025",
        "gerai|beli|PCT-500|20|--harga|3.200|--pemasok|PBF Sehat|--batch|B"
        "|--kedaluwarsa|31-12-2025|--kredit|--tanggal|04-01-2025",
    )
    return root


@pytest.fixture
def apotek(apotek_base: Path, tmp_path: Path) -> Cli:
    return copy_of(apotek_base, tmp_path)


def _lots(sale: data.Transaction, account: str = STOCK) -> list[tuple[Decimal, str]]:
    return [
        (p.units.number, p.cost.label)
        for p in sale.postings
        if p.account == account and isinstance(p.cost, data.Cost)
    ]


def _idr(entry: data.Transaction) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = {}
    for p in entry.postings:
        if p.units.currency == "IDR":
            amounts[p.account] = amounts.get(p.account, D(0)) + p.units.number
    return amounts


def _by_id(root: Path, doc: str) -> data.Transaction:
    return next(t for t in transactions(root) if t.meta.get("id") == doc)


def test_fefo_sells_the_first_expiring_batch(apotek: Cli) -> None:
    """The issue's case: A (ED 30-06-2026) bought before B (ED 31-12-2025); 5 sold come from B."""
    ok(apotek, "gerai", "jual", "PCT-500", "5", "--tanggal", "05-01-2025")
    sale = transactions(apotek.root)[-1]
    assert _lots(sale) == [(D(-5), "B ED 2025-12-31")]
    assert _idr(sale)["Beban:HPP-Apotek:Non-Anggota"] == D(5 * 3_200)
    # Past what B holds the sale goes on into A, at A's cost.
    ok(apotek, "gerai", "jual", "PCT-500", "20", "--tanggal", "06-01-2025")
    sale = transactions(apotek.root)[-1]
    assert _lots(sale) == [(D(-15), "B ED 2025-12-31"), (D(-5), "A ED 2026-06-30")]
    assert _idr(sale)["Beban:HPP-Apotek:Non-Anggota"] == D(15 * 3_200 + 5 * 3_000)
    stock = json.loads(ok(apotek, "gerai", "stok", "-f", "json"))
    pct = next(b for b in stock["barang"] if b["kode"] == "PCT-500")
    assert pct["jumlah"] == 15 and pct["nilai"] == 15 * 3_000
    assert "tidak ada temuan" in ok(apotek, "periksa")


def test_a_fifo_unit_keeps_purchase_order_with_batches(apotek: Cli) -> None:
    run(
        apotek,
        "kas|masuk|hibah|1jt|--tanggal|02-01-2025",
        "gerai|barang|tambah|SUSU|--nama|Susu kaleng|--harga-jual|12.000|--tanggal|02-01-2025",
        "gerai|beli|SUSU|5|--harga|9.000|--pemasok|CV Susu|--batch|S1|--kedaluwarsa|31-12-2026"
        "|--tanggal|03-01-2025",
        "gerai|beli|SUSU|5|--harga|9.500|--pemasok|CV Susu|--batch|S2|--kedaluwarsa|30-06-2025"
        "|--tanggal|04-01-2025",
        "gerai|jual|SUSU|3|--tanggal|05-01-2025",
    )
    sale = transactions(apotek.root)[-1]
    assert _lots(sale, "Aset:Persediaan:Sembako") == [(D(-3), "S1 ED 2026-12-31")]
    # FIFO reaches S2 only after S1; past S2's expiry the sale is refused, naming it.
    refused(
        apotek,
        *("gerai", "jual", "SUSU", "4", "--tanggal", "01-07-2025"),
        says="Batch S2 SUSU sudah kedaluwarsa pada 30-06-2025",
    )


def test_selling_an_expired_batch_is_refused(apotek: Cli) -> None:
    says = refused(apotek, "gerai", "jual", "PCT-500", "1", "--tanggal", "02-01-2026")
    assert "Batch B PCT-500 sudah kedaluwarsa pada 31-12-2025" in says
    assert "kkmp gerai musnahkan PCT-500 20 --batch B" in says
    # The expiry day itself is the last day it may be sold.
    ok(apotek, "gerai", "jual", "PCT-500", "1", "--tanggal", "31-12-2025")


def test_kedaluwarsa_lists_what_expires_soon_and_what_has(apotek: Cli) -> None:
    out = ok(apotek, "gerai", "kedaluwarsa", "--per", "01-12-2025", "--hari", "60")
    assert "B" in out and "31-12-2025" in out and "30 hari lagi" in out and "30-06-2026" not in out
    rows = json.loads(
        ok(apotek, "gerai", "kedaluwarsa", "--per", "02-01-2026", "--hari", "365", "-f", "json")
    )["batch"]
    assert [(r["batch"], r["jumlah"], r["nilai"], r["sisa_hari"]) for r in rows] == [
        ("B", 20, 64_000, -2),
        ("A", 20, 60_000, 179),
    ]
    assert "sudah kedaluwarsa" in ok(apotek, "gerai", "kedaluwarsa", "--per", "02-01-2026")
    empty = ok(apotek, "gerai", "kedaluwarsa", "--per", "01-01-2025", "--hari", "30")
    assert "Tidak ada batch" in empty


def test_musnahkan_writes_the_batch_off_at_cost(apotek: Cli) -> None:
    ok(apotek, "gerai", "jual", "PCT-500", "5", "--tanggal", "05-01-2025")
    ok(
        apotek,
        *("gerai", "musnahkan", "PCT-500", "15", "--batch", "b", "--alasan", "Kedaluwarsa"),
        *("--tanggal", "02-01-2026"),
    )
    entry = transactions(apotek.root)[-1]
    assert entry.meta["jenis"] == "gerai-musnahkan" and entry.meta["batch"] == "B"
    assert _lots(entry) == [(D(-15), "B ED 2025-12-31")]
    assert _bal(apotek.root)[LOSS] == D(15 * 3_200)
    # With B gone, the next sale is A's.
    ok(apotek, "gerai", "jual", "PCT-500", "2", "--tanggal", "03-01-2026")
    assert _lots(transactions(apotek.root)[-1]) == [(D(-2), "A ED 2026-06-30")]
    refused(
        apotek,
        *("gerai", "musnahkan", "PCT-500", "1", "--batch", "B", "--alasan", "x"),
        says="Tidak ada stok PCT-500 batch B",
    )
    refused(
        apotek,
        *("gerai", "musnahkan", "PCT-500", "19", "--batch", "A", "--alasan", "rusak"),
        *("--tanggal", "04-01-2026"),
        says="tinggal 18 strip",
    )
    # koreksi puts the batch back in its own lot, with its label.
    ok(apotek, "koreksi", entry.meta["id"], "--alasan", "salah hitung", "--tanggal", "04-01-2026")
    assert _lots(transactions(apotek.root)[-1]) == [(D(15), "B ED 2025-12-31")]
    assert "tidak ada temuan" in ok(apotek, "periksa")


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--batch", "C"], "sebutkan --kedaluwarsa batch C"),
        ([], "(FEFO); sebutkan --batch dan --kedaluwarsa"),
        (["--batch", "B", "--kedaluwarsa", "30-12-2025"], "sudah tercatat dengan kedaluwarsa"),
        (["--batch", "C", "--kedaluwarsa", "01-01-2025"], "sudah kedaluwarsa pada 01-01-2025"),
        (["--batch", "C D", "--kedaluwarsa", "01-01-2027"], "Nomor batch 'C D' tidak sah"),
    ],
)
def test_bad_purchases_of_batches_are_refused(apotek: Cli, extra: list[str], says: str) -> None:
    refused(
        apotek,
        *("gerai", "beli", "PCT-500", "1", "--harga", "3.000", "--pemasok", "PBF Sehat"),
        *("--tanggal", "10-01-2025", *extra),
        says=says,
    )


def test_a_sale_return_puts_goods_back_in_their_lot(apotek: Cli) -> None:
    ok(apotek, "gerai", "jual", "PCT-500", "25", "--tanggal", "05-01-2025")
    sale = transactions(apotek.root)[-1]
    doc = sale.meta["id"]
    # The last lots sold come back first: A's 5, then B's.
    ok(apotek, "gerai", "retur-jual", doc, "--item", "PCT-500:7", "--tanggal", "06-01-2025")
    ret = transactions(apotek.root)[-1]
    assert ret.meta["jenis"] == "gerai-retur-jual" and ret.meta["retur_dari"] == doc
    assert _lots(ret) == [(D(5), "A ED 2026-06-30"), (D(2), "B ED 2025-12-31")]
    assert _idr(ret) == {
        "Pendapatan:Apotek:Non-Anggota": D(7 * 5_000),
        "Aset:Kas": -D(7 * 5_000),
        "Beban:HPP-Apotek:Non-Anggota": -D(5 * 3_000 + 2 * 3_200),
    }
    says = refused(apotek, "gerai", "retur-jual", doc, "--item", "PCT-500:19")
    assert "25 dikurangi retur sebelumnya 7 = 18" in says
    refused(apotek, "koreksi", doc, "--alasan", "x", says="koreksi dulu retur itu")
    # Without --item: everything left.
    ok(apotek, "gerai", "retur-jual", doc, "--tanggal", "07-01-2025")
    assert _lots(transactions(apotek.root)[-1]) == [(D(18), "B ED 2025-12-31")]
    refused(apotek, "gerai", "retur-jual", doc, says="sudah diretur")
    bal = _bal(apotek.root)
    assert bal["Pendapatan:Apotek:Non-Anggota"] == 0 and bal["Beban:HPP-Apotek:Non-Anggota"] == 0
    assert "tidak ada temuan" in ok(apotek, "periksa")
    # A return corrected no longer counts: the goods may be returned again.
    last = transactions(apotek.root)[-1].meta["id"]
    ok(apotek, "koreksi", last, "--alasan", "belum jadi", "--tanggal", "08-01-2025")
    ok(apotek, "gerai", "retur-jual", doc, "--item", "PCT-500:1", "--tanggal", "08-01-2025")
    assert "tidak ada temuan" in ok(apotek, "periksa")


def test_a_member_credit_return_reduces_the_receivable(apotek: Cli) -> None:
    ok(
        apotek,
        *("gerai", "jual", "PCT-500", "4", "--anggota", "A0001", "--kredit"),
        *("--tanggal", "05-01-2025"),
    )
    doc = transactions(apotek.root)[-1].meta["id"]
    ok(apotek, "gerai", "terima-piutang", "A0001", "9.000", "--tanggal", "06-01-2025")
    ok(apotek, "gerai", "retur-jual", doc, "--tanggal", "07-01-2025")
    ret = transactions(apotek.root)[-1]
    # 4 x 4.500 sold, 9.000 paid: 9.000 off the receivable, 9.000 back in cash.
    assert ret.meta["anggota"] == "A0001" and ret.meta["id"].startswith("BKK-")
    assert _idr(ret)["Aset:Piutang-Dagang:A0001"] == -D(9_000)
    assert _idr(ret)["Aset:Kas"] == -D(9_000)
    assert _idr(ret)["Pendapatan:Apotek:Anggota"] == D(18_000)
    assert _bal(apotek.root)["Aset:Piutang-Dagang:A0001"] == 0


def test_a_back_dated_return_meets_the_later_payment(apotek: Cli) -> None:
    """Paid in full on 10-01, returned as of 07-01: the receivable cannot take it (it would be
    below zero from 10-01 on), so the money goes back in cash."""
    ok(
        apotek,
        *("gerai", "jual", "PCT-500", "4", "--anggota", "A0001", "--kredit"),
        *("--tanggal", "05-01-2025"),
    )
    doc = transactions(apotek.root)[-1].meta["id"]
    ok(apotek, "gerai", "terima-piutang", "A0001", "18.000", "--tanggal", "10-01-2025")
    ok(apotek, "gerai", "retur-jual", doc, "--item", "PCT-500:1", "--tanggal", "07-01-2025")
    ret = next(t for t in transactions(apotek.root) if t.meta.get("jenis") == "gerai-retur-jual")
    assert _idr(ret)["Aset:Kas"] == -D(4_500) and "Aset:Piutang-Dagang:A0001" not in _idr(ret)
    assert "tidak ada temuan" in ok(apotek, "periksa")


def test_a_purchase_return_reduces_the_payable(apotek: Cli) -> None:
    purchase = next(
        t
        for t in transactions(apotek.root)
        if t.meta.get("jenis") == "gerai-beli" and "B" in t.narration.split()
    )
    doc = purchase.meta["id"]
    ok(apotek, "gerai", "retur-beli", doc, "--item", "PCT-500:5", "--tanggal", "06-01-2025")
    ret = transactions(apotek.root)[-1]
    assert ret.meta["retur_dari"] == doc and ret.meta["pemasok"] == "PBF Sehat"
    assert _lots(ret) == [(D(-5), "B ED 2025-12-31")]
    assert _bal(apotek.root)["Kewajiban:Utang-Usaha:PBF-Sehat"] == -D(15 * 3_200)
    refused(apotek, "gerai", "retur-beli", doc, "--item", "PCT-500:16", says="= 15")
    ok(apotek, "gerai", "jual", "PCT-500", "10", "--tanggal", "07-01-2025")
    refused(
        apotek,
        "gerai",
        "retur-beli",
        doc,
        "--tanggal",
        "08-01-2025",
        says="tinggal 5 di persediaan",
    )
    refused(apotek, "gerai", "retur-jual", doc, says="bukan penjualan gerai")
    assert "tidak ada temuan" in ok(apotek, "periksa")


def test_named_customers_buy_on_credit_within_the_limit(apotek: Cli) -> None:
    sell = ("gerai", "jual", "PCT-500", "--pelanggan", "Klinik Bu Sri", "--kredit")
    ok(apotek, *sell[:3], "20", *sell[3:], "--tanggal", "05-01-2025")
    sale = transactions(apotek.root)[-1]
    assert sale.payee == "Klinik Bu Sri" and sale.meta["pelanggan"] == "Klinik Bu Sri"
    account = "Aset:Piutang-Pelanggan:Klinik-Bu-Sri"
    assert _bal(apotek.root)[account] == D(100_000)
    says = refused(apotek, *sell[:3], "1", *sell[3:], "--harga", "200.001", "-t", "06-01-2025")
    assert "Rp100.000 ditambah Rp200.001 melebihi batas kredit pelanggan Rp300.000" in says
    ok(
        apotek,
        "gerai",
        "terima-piutang",
        "--pelanggan",
        "klinik bu sri",
        "60rb",
        "-t",
        "06-01-2025",
    )
    assert _bal(apotek.root)[account] == D(40_000)
    refused(
        apotek, "gerai", "terima-piutang", "--pelanggan", "Klinik Bu Sri", "41rb", says="melebihi"
    )
    refused(
        apotek,
        "gerai",
        "terima-piutang",
        "--pelanggan",
        "Warung",
        "1rb",
        says="tidak punya piutang",
    )
    refused(apotek, *sell, "1", "--anggota", "A0001", says="Pilih salah satu")
    refused(apotek, "gerai", "jual", "PCT-500", "1", "--kredit", says="pelanggan bernama")
    assert "tidak ada temuan" in ok(apotek, "periksa")


def test_no_customer_credit_without_a_limit(tmp_path: Path) -> None:
    root = tmp_path / "kop"
    coop.init(root, "KKMP Tanpa Batas", 2025)
    _configure(root, batas="0")
    cli = Cli(root)
    run(
        cli,
        "kas|masuk|hibah|1jt|--tanggal|02-01-2025",
        "gerai|barang|tambah|GULA|--nama|Gula|--harga-jual|18rb|--tanggal|02-01-2025",
        "gerai|beli|GULA|5|--harga|15rb|--pemasok|X|--tanggal|02-01-2025",
    )
    refused(
        cli,
        *("gerai", "jual", "GULA", "1", "--pelanggan", "Warung", "--kredit"),
        says="belum menetapkan batas kredit pelanggan",
    )


def test_opname_takes_fefo_lots_and_keeps_batches(apotek: Cli) -> None:
    ok(apotek, "gerai", "opname", "PCT-500", "37", "--tanggal", "10-01-2025")
    count = transactions(apotek.root)[-1]
    assert _lots(count) == [(D(-3), "B ED 2025-12-31")]
    assert _bal(apotek.root)["Beban:HPP-Apotek:Selisih-Persediaan"] == D(3 * 3_200)
    ok(apotek, "gerai", "opname", "PCT-500", "38", "--tanggal", "11-01-2025")
    assert _lots(transactions(apotek.root)[-1]) == [(D(1), "B ED 2025-12-31")]
    assert "tidak ada temuan" in ok(apotek, "periksa")


HAND_MADE = """
2025-01-05 * "Non-anggota" "Penjualan dari batch kedaluwarsa"
  id: "BKM-2025-000090"
  jenis: "gerai-jual"
  Aset:Kas                                                      5000 IDR
  Pendapatan:Apotek:Non-Anggota                                -5000 IDR
  Aset:Persediaan:Apotek                                          -1 PCT-500 {3200 IDR, 2025-01-04, "B ED 2025-01-04"}
  Beban:HPP-Apotek:Non-Anggota

2025-01-06 * "Non-anggota" "Retur lebih dari penjualan"
  id: "BKK-2025-000090"
  jenis: "gerai-retur-jual"
  retur_dari: "BKM-2025-000090"
  Pendapatan:Apotek:Non-Anggota                                10000 IDR
  Aset:Kas                                                    -10000 IDR
  Aset:Persediaan:Apotek                                           2 PCT-500 {3200 IDR, 2025-01-04, "B ED 2025-01-04"}
  Beban:HPP-Apotek:Non-Anggota                                 -6400 IDR
"""


def test_periksa_catches_an_expired_sale_and_an_excess_return(tmp_path: Path) -> None:
    root = tmp_path / "kop"
    coop.init(root, "KKMP Uji Periksa", 2025)
    _configure(root)
    cli = Cli(root)
    run(
        cli,
        "kas|masuk|hibah|1jt|--tanggal|02-01-2025",
        "gerai|barang|tambah|PCT-500|--nama|Paracetamol|--harga-jual|5.000|--unit|apotek"
        "|--tanggal|02-01-2025",
        "gerai|beli|PCT-500|20|--harga|3.200|--pemasok|PBF|--batch|B|--kedaluwarsa|04-01-2025"
        "|--tanggal|04-01-2025",
    )
    year = Paths(root).year_file(2025)
    year.write_text(year.read_text(encoding="utf-8") + HAND_MADE, encoding="utf-8")
    r = cli("periksa")
    assert r.exit_code == 1, r.output
    out = " ".join(r.output.split())
    assert "mengambil PCT-500 batch B yang sudah kedaluwarsa pada 04-01-2025" in out
    assert "melebihi yang tercatat di sana (1)" in out


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("jenis: jasa}", "jenis: jasa, keluar: fefo}", "hanya untuk unit berjenis barang"),
        ("keluar: fefo}", "keluar: lifo}", "fifo atau fefo"),
    ],
)
def test_a_bad_issue_rule_is_refused_by_name(tmp_path: Path, old: str, new: str, says: str) -> None:
    root = tmp_path / "kop"
    coop.init(root, "KKMP Uji Konfigurasi", 2025)
    _configure(root, replace=(old, new))
    before = snapshot(root)
    r = Cli(root)("gerai", "stok")
    assert r.exit_code == 1 and says in " ".join(r.output.split()), r.output
    assert snapshot(root) == before


def test_pick_names_lots_in_expiry_order(ledger_from_text) -> None:
    """The planner alone, on an inline ledger: FEFO order, lots without an expiry last, what an
    earlier line took no longer free, and the label read back as batch and expiry."""
    book = ledger_from_text(
        """
        2025-01-01 commodity OBAT
        2025-01-01 open Aset:Persediaan:Apotek
        2025-01-01 open Aset:Kas IDR
        2025-01-02 * "Beli"
          id: "BKK-2025-000001"
          Aset:Persediaan:Apotek   5 OBAT {100 IDR, "X"}
          Aset:Persediaan:Apotek   5 OBAT {100 IDR, "L ED 2026-01-31"}
          Aset:Persediaan:Apotek   5 OBAT {100 IDR, "K ED 2025-09-30"}
          Aset:Kas
        """
    )
    taken: lots.Taken = {}
    first = lots.pick(book, STOCK, "OBAT", D(7), dt.date(2025, 3, 1), "fefo", taken)
    assert [(p.units.number, p.cost.label) for p in first] == [
        (D(-5), "K ED 2025-09-30"),
        (D(-2), "L ED 2026-01-31"),
    ]
    second = lots.pick(book, STOCK, "OBAT", D(4), dt.date(2025, 3, 1), "fefo", taken)
    assert [(p.units.number, p.cost.label) for p in second] == [
        (D(-3), "L ED 2026-01-31"),
        (D(-1), "X"),
    ]
    with pytest.raises(lots.LotKedaluwarsa, match="Batch K OBAT"):
        lots.pick(book, STOCK, "OBAT", D(1), dt.date(2025, 10, 1), "fefo", {})
    assert lots.parse_label("L ED 2026-01-31") == lots.Batch("L", dt.date(2026, 1, 31))
    assert lots.parse_label("X") == lots.Batch("X", None)


def test_the_demo_runs_an_apotek(demo_root: Path) -> None:
    book = ledger.load(Paths(demo_root))
    kinds = Counter(str(t.meta.get("jenis")) for t in book.transactions())
    assert kinds["gerai-musnahkan"] == 1
    assert kinds["gerai-retur-jual"] == 1 and kinds["gerai-retur-beli"] == 1
    assert book.config.unit_keluar("apotek") == "fefo"
    credit = [
        t
        for t in book.transactions()
        if t.meta.get("pelanggan") == "Posyandu Melati" and t.meta.get("jenis") == "gerai-jual"
    ]
    assert credit and all(
        any(p.account == "Aset:Piutang-Pelanggan:Posyandu-Melati" for p in t.postings)
        for t in credit
    )
