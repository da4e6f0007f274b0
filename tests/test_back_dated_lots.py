"""A back-dated sale takes the lots of its own day — first expiry first in the FEFO apotek, first
in first out elsewhere — and leaves every later entry's lots as they were; when it cannot, it is
refused with one sentence (#10). Each case checks what beancount books on a fresh load against
what kkmp planned: no error, `periksa` clean, and the HPP of `laporan phu` equal to the cost of
the lots the sales took."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from conftest import Cli, copy_of, ok, refused, reload, run, transactions

from kkmp_cli.core import coop

D = Decimal
APOTEK = "Aset:Persediaan:Apotek"
SEMBAKO = "Aset:Persediaan:Sembako"
A = "A ED 2026-06-30"  # bought 03-01-2025, 20 @3.000
B = "B ED 2025-12-31"  # bought 04-01-2025, 20 @3.200: expires first


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Capital; PCT-500 in the FEFO apotek (batch A, ED 30-06-2026, 20 @3.000 on 03-01 and
    batch B, ED 31-12-2025, 20 @3.200 on 04-01); BERAS in the FIFO sembako (10 @60.000 on 03-01,
    10 @62.000 on 04-01)."""
    root = tmp_path_factory.mktemp("mundur") / "kop"
    coop.init(root, "KKMP Uji Tanggal Mundur", 2025)
    run(
        Cli(root),
        "kas|masuk|hibah|5jt|--tanggal|02-01-2025",
        "gerai|barang|tambah|PCT-500|--nama|Paracetamol 500 mg|--satuan|strip|--harga-jual|5.000"
        "|--unit|apotek|--tanggal|02-01-2025",
        "gerai|barang|tambah|BERAS|--nama|Beras 5 kg|--satuan|karung|--harga-jual|70.000"
        "|--tanggal|02-01-2025",
        "gerai|beli|PCT-500|20|--harga|3.000|--pemasok|PBF Sehat|--batch|A"
        "|--kedaluwarsa|30-06-2026|--tanggal|03-01-2025",
        "gerai|beli|PCT-500|20|--harga|3.200|--pemasok|PBF Sehat|--batch|B"
        "|--kedaluwarsa|31-12-2025|--tanggal|04-01-2025",
        "gerai|beli|BERAS|10|--harga|60.000|--pemasok|Grosir|--tanggal|03-01-2025",
        "gerai|beli|BERAS|10|--harga|62.000|--pemasok|Grosir|--tanggal|04-01-2025",
    )
    return root


@pytest.fixture
def cli(base: Path, tmp_path: Path) -> Cli:
    return copy_of(base, tmp_path)


def _sell(cli: Cli, *args: str) -> str:
    """Record a sale; its id."""
    out = ok(cli, "gerai", "jual", *args)
    return out.split("Dicatat: ", 1)[1].split()[0]


def _by_id(root: Path, doc: str) -> data.Transaction:
    return next(t for t in transactions(root) if t.meta.get("id") == doc)


def _lots(root: Path, doc: str, account: str = APOTEK) -> list[tuple[Decimal, str | None, D]]:
    """The lots an entry moved, as beancount books them on a fresh load."""
    return [
        (p.units.number, p.cost.label, p.cost.number)
        for p in _by_id(root, doc).postings
        if p.account == account and isinstance(p.cost, data.Cost)
    ]


def _as_planned(cli: Cli) -> None:
    """Beancount loads the books without an error, `periksa` finds nothing, and the HPP of the
    year's PHU is what the lots that left through sales and came back through returns cost."""
    entries, errors = reload(cli.root)
    assert errors == []
    consumed = D(0)
    for t in entries:
        if isinstance(t, data.Transaction) and t.meta.get("jenis") in (
            "gerai-jual",
            "gerai-retur-jual",
        ):
            for p in t.postings:
                if p.account in (APOTEK, SEMBAKO) and isinstance(p.cost, data.Cost):
                    consumed -= p.units.number * p.cost.number
    assert "tidak ada temuan" in ok(cli, "periksa")
    phu = json.loads(ok(cli, "laporan", "phu", "--tahun", "2025", "-f", "json"))
    hpp = [
        row["nilai"][0]
        for row in phu["baris"]
        if (row["akun"] or "").startswith("Beban:HPP-") and "Pemusnahan" not in row["akun"]
    ]
    assert -sum(D(str(n)) for n in hpp) == consumed  # the PHU shows costs negative


# --- FEFO: the first-expiring batch of the sale's own day ----------------------------------


def test_a_back_dated_sale_takes_the_batch_that_expires_first_on_its_day(cli: Cli) -> None:
    later = _sell(cli, "PCT-500", "5", "--tanggal", "10-01-2025")
    # On 05-01 B holds 20 and the sale of 10-01 needs 5 of them: 15 are free, all from B.
    early = _sell(cli, "PCT-500", "10", "--tanggal", "05-01-2025")
    assert _lots(cli.root, early) == [(D(-10), B, D(3_200))]
    # On 06-01 B holds 10, but 5 of them are the 10-01 sale's: 5 more may leave, not 10.
    says = refused(
        cli, "gerai", "jual", "PCT-500", "10", "--tanggal", "06-01-2025", says="Batch B PCT-500"
    )
    assert f"{later} (10-01-2025)" in says and "10-01-2025 atau sesudahnya" in says
    _sell(cli, "PCT-500", "5", "--tanggal", "06-01-2025")
    assert _lots(cli.root, later) == [(D(-5), B, D(3_200))]
    _as_planned(cli)


def test_a_back_dated_sale_does_not_skip_a_batch_a_later_sale_took(cli: Cli) -> None:
    """The defect: B, first to expire, was on hand on 05-01, but the sale of 10-01 took all of
    it; the back-dated sale took A instead and `periksa` said nothing."""
    later = _sell(cli, "PCT-500", "20", "--tanggal", "10-01-2025")
    says = refused(
        cli, "gerai", "jual", "PCT-500", "5", "--tanggal", "05-01-2025", says="Batch B PCT-500"
    )
    assert f"{later} (10-01-2025)" in says and "10-01-2025 atau sesudahnya" in says
    # On the day the later sale left it, the sale is FEFO again: A, as nothing else is left.
    doc = _sell(cli, "PCT-500", "5", "--tanggal", "10-01-2025")
    assert _lots(cli.root, doc) == [(D(-5), A, D(3_000))]
    _as_planned(cli)


def test_stock_of_the_day_taken_by_later_sales_is_refused_by_name(cli: Cli) -> None:
    """Enough goods on 05-01 and on every later day counted together, but the batches held on
    05-01 all belong to the sale of 10-01: the batch bought on 08-01 cannot be sold on 05-01."""
    run(
        cli,
        "gerai|beli|PCT-500|20|--harga|3.100|--pemasok|PBF Sehat|--batch|C"
        "|--kedaluwarsa|31-12-2027|--tanggal|08-01-2025",
    )
    later = _sell(cli, "PCT-500", "40", "--tanggal", "10-01-2025")
    assert _lots(cli.root, later) == [(D(-20), B, D(3_200)), (D(-20), A, D(3_000))]
    says = refused(cli, "gerai", "jual", "PCT-500", "5", "--tanggal", "05-01-2025", says="Batch B")
    assert later in says
    _as_planned(cli)


def test_a_back_dated_sale_never_takes_a_batch_bought_after_it(cli: Cli) -> None:
    run(
        cli,
        "gerai|beli|PCT-500|10|--harga|3.300|--pemasok|PBF Sehat|--batch|E"
        "|--kedaluwarsa|31-03-2025|--tanggal|08-01-2025",
    )
    _sell(cli, "PCT-500", "2", "--tanggal", "09-01-2025")
    # E expires first but came on 08-01: a sale of 06-01 takes B.
    doc = _sell(cli, "PCT-500", "3", "--tanggal", "06-01-2025")
    assert _lots(cli.root, doc) == [(D(-3), B, D(3_200))]
    _as_planned(cli)


def test_goods_put_back_later_are_not_free_on_an_earlier_day(cli: Cli) -> None:
    """B sold out on 10-01 and 5 returned on 12-01: B shows 5 today, none of them free on 05-01
    (the sale of 10-01 needs them all); kkmp took them and beancount refused the books."""
    later = _sell(cli, "PCT-500", "20", "--tanggal", "10-01-2025")
    ok(cli, "gerai", "retur-jual", later, "--item", "PCT-500:5", "--tanggal", "12-01-2025")
    says = refused(cli, "gerai", "jual", "PCT-500", "5", "--tanggal", "05-01-2025", says="Batch B")
    assert later in says
    doc = _sell(cli, "PCT-500", "5", "--tanggal", "12-01-2025")
    assert _lots(cli.root, doc) == [(D(-5), B, D(3_200))]
    _as_planned(cli)


def test_a_batch_expired_on_the_sales_day(cli: Cli) -> None:
    # B expired on 31-12-2025 and is still on hand: a sale of 05-01-2026 is refused, naming it.
    refused(
        cli,
        *("gerai", "jual", "PCT-500", "1", "--tanggal", "05-01-2026"),
        says="Batch B PCT-500 sudah kedaluwarsa pada 31-12-2025",
    )
    # Written off on 10-01-2026, it is no longer free on 05-01-2026: the sale takes A.
    ok(
        cli,
        *("gerai", "musnahkan", "PCT-500", "20", "--batch", "B", "--alasan", "Kedaluwarsa"),
        *("--tanggal", "10-01-2026"),
    )
    doc = _sell(cli, "PCT-500", "1", "--tanggal", "05-01-2026")
    assert _lots(cli.root, doc) == [(D(-1), A, D(3_000))]
    entries, errors = reload(cli.root)
    assert errors == []
    assert "tidak ada temuan" in ok(cli, "periksa")


# --- FIFO: beancount books `{}` on the sale's day; nothing pinned to a lot may move ----------


def test_a_back_dated_fifo_sale_moves_later_sales_onto_newer_lots(cli: Cli) -> None:
    later = _sell(cli, "BERAS", "5", "--tanggal", "10-01-2025")
    early = _sell(cli, "BERAS", "8", "--tanggal", "05-01-2025")
    assert _lots(cli.root, early, SEMBAKO) == [(D(-8), None, D(60_000))]
    assert _lots(cli.root, later, SEMBAKO) == [(D(-2), None, D(60_000)), (D(-3), None, D(62_000))]
    _as_planned(cli)


def test_a_back_dated_fifo_sale_keeps_the_lots_a_later_return_names(cli: Cli) -> None:
    """The 10-01 sale's goods went back to its lot on 12-01; a sale of 05-01 that moved the
    10-01 sale to another lot left the return in the old one: HPP 6.000 too high, unseen."""
    later = _sell(cli, "BERAS", "5", "--tanggal", "10-01-2025")
    ok(cli, "gerai", "retur-jual", later, "--tanggal", "12-01-2025")
    ret = transactions(cli.root)[-1].meta["id"]
    says = refused(cli, "gerai", "jual", "BERAS", "8", "--tanggal", "05-01-2025", says=ret)
    assert "12-01-2025 atau sesudahnya" in says
    # 5 of the first lot are free on 05-01 (the 10-01 sale takes the other 5): booked as is.
    early = _sell(cli, "BERAS", "5", "--tanggal", "05-01-2025")
    assert _lots(cli.root, early, SEMBAKO) == [(D(-5), None, D(60_000))]
    assert _lots(cli.root, later, SEMBAKO) == [(D(-5), None, D(60_000))]
    _as_planned(cli)


def test_a_back_dated_nota_of_two_units_costs_the_lots_of_its_day(cli: Cli) -> None:
    later = _sell(cli, "BERAS", "8", "--tanggal", "10-01-2025")
    nota = _sell(cli, "--item", "BERAS:5", "--item", "PCT-500:2", "--tanggal", "05-01-2025")
    assert _lots(cli.root, nota, SEMBAKO) == [(D(-5), None, D(60_000))]
    assert _lots(cli.root, nota) == [(D(-2), B, D(3_200))]
    assert _lots(cli.root, later, SEMBAKO) == [(D(-5), None, D(60_000)), (D(-3), None, D(62_000))]
    hpp = {p.account: p.units.number for p in _by_id(cli.root, nota).postings}
    assert hpp["Beban:HPP-Sembako:Non-Anggota"] == D(5 * 60_000)
    assert hpp["Beban:HPP-Apotek:Non-Anggota"] == D(2 * 3_200)
    _as_planned(cli)


def test_a_back_dated_sale_may_not_move_a_later_nota_of_two_units(cli: Cli) -> None:
    """A nota across units writes its HPP out: moving its lots would unbalance it."""
    nota = _sell(cli, "--item", "BERAS:8", "--item", "PCT-500:2", "--tanggal", "10-01-2025")
    says = refused(cli, "gerai", "jual", "BERAS", "5", "--tanggal", "05-01-2025", says=nota)
    assert "10-01-2025 atau sesudahnya" in says
    _sell(cli, "BERAS", "2", "--tanggal", "05-01-2025")
    assert _lots(cli.root, nota, SEMBAKO) == [(D(-8), None, D(60_000))]
    _as_planned(cli)


def test_lots_of_one_day_are_taken_in_the_order_they_were_bought(cli: Cli) -> None:
    """Two purchases on 04-01 at two prices: beancount's FIFO takes the first bought first, also
    on a back-dated day whose lots a later sale has emptied since."""
    run(
        cli,
        "gerai|beli|BERAS|10|--harga|61.000|--pemasok|Grosir|--tanggal|04-01-2025",
        "gerai|beli|BERAS|10|--harga|63.000|--pemasok|Grosir|--tanggal|06-01-2025",
    )
    later = _sell(cli, "BERAS", "20", "--tanggal", "10-01-2025")
    nota = _sell(cli, "--item", "BERAS:12", "--item", "PCT-500:1", "--tanggal", "05-01-2025")
    assert _lots(cli.root, nota, SEMBAKO) == [(D(-10), None, D(60_000)), (D(-2), None, D(62_000))]
    hpp = {p.account: p.units.number for p in _by_id(cli.root, nota).postings}
    assert hpp["Beban:HPP-Sembako:Non-Anggota"] == D(10 * 60_000 + 2 * 62_000)
    assert _lots(cli.root, later, SEMBAKO) == [
        (D(-8), None, D(62_000)),
        (D(-10), None, D(61_000)),
        (D(-2), None, D(63_000)),
    ]
    _as_planned(cli)


# --- periksa: books an earlier kkmp wrote this way are reported -----------------------------


def _hand_made_sale(day: str, doc: str, unit: str, amount: int, goods: str) -> str:
    """A non-member sale as journal text, the way an earlier kkmp wrote it (appended by hand)."""
    lines = [
        f'{day} * "Non-anggota" "Penjualan nota {doc}"',
        f'  id: "{doc}"',
        '  jenis: "gerai-jual"',
        f"  Aset:Kas  {amount} IDR",
        f"  Pendapatan:{unit}:Non-Anggota  -{amount} IDR",
        f"  Aset:Persediaan:{unit}  {goods}",
        f"  Beban:HPP-{unit}:Non-Anggota",
    ]
    return "\n" + "\n".join(lines) + "\n"


# Taken from A on 05-01 while B, expiring first, stayed on hand for the sale of 10-01.
SKIPPED_B = _hand_made_sale(
    "2025-01-05", "BKM-2025-000090", "Apotek", 25_000, f'-5 PCT-500 {{3000 IDR, 2025-01-03, "{A}"}}'
)
# Booked FIFO before a sale whose goods a return put back: that sale moves to another lot.
MOVED_BEFORE_A_RETURN = _hand_made_sale(
    "2025-01-05", "BKM-2025-000091", "Sembako", 560_000, "-8 BERAS {}"
)


def _periksa_says(cli: Cli, appended: str) -> str:
    year = cli.root / "jurnal" / "2025.beancount"
    year.write_text(year.read_text(encoding="utf-8") + appended, encoding="utf-8")
    entries, errors = reload(cli.root)
    assert errors == []
    r = cli("periksa")
    assert r.exit_code == 1, r.output
    return " ".join(r.output.split())


def test_periksa_reports_a_fefo_sale_that_left_an_earlier_batch(cli: Cli) -> None:
    _sell(cli, "PCT-500", "20", "--tanggal", "10-01-2025")
    says = _periksa_says(cli, SKIPPED_B)
    assert (
        "penjualan BKM-2025-000090 mengambil PCT-500 batch A padahal batch B, yang kedaluwarsa "
        "lebih dulu (31-12-2025), masih ada (FEFO)" in says
    )


def test_periksa_reports_a_return_into_a_lot_its_sale_no_longer_took(cli: Cli) -> None:
    sale = _sell(cli, "BERAS", "5", "--tanggal", "10-01-2025")
    ok(cli, "gerai", "retur-jual", sale, "--tanggal", "12-01-2025")
    ret = transactions(cli.root)[-1].meta["id"]
    says = _periksa_says(cli, MOVED_BEFORE_A_RETURN)
    assert (
        f"retur {ret} mengembalikan BERAS ke lot 03-01-2025 Rp60.000 melebihi yang diambil "
        f"{sale} dari lot itu" in says
    )


def test_back_dated_count_costs_its_shortfall_on_the_lots_of_its_day(cli: Cli) -> None:
    """A count of 05-01 recorded after the 60.000 lot was sold out on 12-01: its shortfall of 2
    karung is of that day's oldest lot (2 × 60.000), not of today's (2 × 62.000) (#10)."""
    run(
        cli,
        "gerai|beli|BERAS|10|--harga|65.000|--pemasok|Grosir|--tanggal|10-01-2025",
        "gerai|jual|BERAS|10|--tanggal|12-01-2025",
    )
    ok(cli, "gerai", "opname", "BERAS", "18", "--tanggal", "05-01-2025")
    (counted,) = [t for t in transactions(cli.root) if t.meta.get("jenis") == "gerai-opname"]
    out = [p for p in counted.postings if p.account == SEMBAKO]
    assert [(p.units.number, p.cost.number) for p in out] == [(D(-2), D(60_000))]
    (variance,) = [p for p in counted.postings if p.account != SEMBAKO]
    assert variance.units.number == D(120_000)
    ok(cli, "periksa")
