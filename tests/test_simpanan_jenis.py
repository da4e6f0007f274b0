"""Simpanan berjangka is a kind of simpanan (domain.md §2, #12): every listing of savings by kind
(the RAT book's capital chapter, its CaLK note and member annex, the Fava register, `anggota
daftar`, `simpanan rekap`) reads the same kinds, files berjangka with sukarela among the
liabilities, and totals to the ledger as beancount loads it (found by an adversarial review)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from conftest import Cli, copy_of, ok, reload, run

from kkmp_cli import money
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.fava import extension

END = dt.date(2025, 12, 31)
# The parents, spelled here as the chart names them, so the test does not read kkmp's own list.
PARENTS = {
    "pokok": "Ekuitas:Simpanan-Pokok",
    "wajib": "Ekuitas:Simpanan-Wajib",
    "sukarela": "Kewajiban:Simpanan-Sukarela",
    "berjangka": "Kewajiban:Simpanan-Berjangka",
}
LABELS = {k: f"Simpanan {k}" for k in PARENTS}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ani (pokok, wajib, sukarela 10jt; a 5jt time deposit from 01-02 cashed at maturity on
    01-05) and Budi (pokok; a 20jt time deposit from 02-07-2025, accrued), the year closed."""
    root = tmp_path_factory.mktemp("jenis") / "kop"
    coop.init(root, "KKMP Uji Jenis", 2025)
    run(
        Cli(root),
        "anggota|tambah|Ani|--tanggal|02-01-2025|--jk|P",
        "anggota|tambah|Budi|--tanggal|02-01-2025|--jk|L",
        "simpanan|setor|A0001|pokok|100000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|pokok|100000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|wajib|50000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|sukarela|10jt|--tanggal|02-01-2025",
        "kas|masuk|lain|2jt|--tanggal|05-01-2025",
        "simpanan|berjangka|buka|A0001|5jt|--tenor|3|--bunga|6|--tanggal|01-02-2025",
        "simpanan|berjangka|cair|SB-2025-0001|--tanggal|01-05-2025",
        "simpanan|berjangka|buka|A0002|20jt|--tenor|12|--bunga|6|--tanggal|02-07-2025",
        "simpanan|berjangka|akrual|--tahun|2025",
        "tutup-buku|2025",
    )
    return root


@pytest.fixture
def jenis(base: Path, tmp_path: Path) -> Cli:
    return copy_of(base, tmp_path)


def _ledger(
    root: Path, per: dt.date = END
) -> tuple[dict[str, Decimal], dict[tuple[str, str], Decimal]]:
    """From the journal as beancount loads it: each kind's total and each (kind, member)'s
    balance on `per` (credit positive)."""
    entries, errors = reload(root)
    assert errors == []
    total = dict.fromkeys(PARENTS, Decimal(0))
    own: dict[tuple[str, str], Decimal] = {}
    for e in entries:
        if not isinstance(e, data.Transaction) or e.date > per:
            continue
        for p in e.postings:
            for kind, parent in PARENTS.items():
                if p.account.startswith(parent + ":"):
                    total[kind] -= p.units.number
                    key = (kind, p.account.rpartition(":")[2])
                    own[key] = own.get(key, Decimal(0)) - p.units.number
    return total, own


def _liabilities(root: Path) -> Decimal:
    entries, _ = reload(root)
    return -sum(
        (
            p.units.number
            for e in entries
            if isinstance(e, data.Transaction) and e.date <= END
            for p in e.postings
            if p.account.startswith("Kewajiban:")
        ),
        Decimal(0),
    )


def _rows(md: str) -> list[list[str]]:
    """The cells of every Markdown table row (bold marks dropped), separators skipped."""
    return [
        [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
        for line in md.splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]


def _section(md: str, start: str, stop: str) -> str:
    return md[md.index(start) : md.index(stop, md.index(start) + 1)]


def _rat_md(cli: Cli, tmp_path: Path) -> str:
    out = tmp_path / "rat.md"
    ok(cli, "rat", "2025", "-f", "md", "-o", str(out))
    return out.read_text(encoding="utf-8")


def test_the_rat_book_lists_berjangka_as_simpanan_with_sukarela(jenis: Cli, tmp_path: Path) -> None:
    total, own = _ledger(jenis.root)
    assert total["berjangka"] == 20_000_000 and own[("berjangka", "A0001")] == 0
    md = _rat_md(jenis, tmp_path)
    neraca = json.loads(ok(jenis, "laporan", "neraca", "--tahun", "2025", "-f", "json"))
    lines = {b["akun"]: Decimal(str(b["nilai"][0])) for b in neraca["baris"] if b.get("akun")}
    for kind, parent in PARENTS.items():
        assert abs(lines[parent]) == total[kind], kind

    # Capital: pokok and wajib in modal sendiri; sukarela and berjangka in modal luar; the rest
    # of the liabilities apart, and modal luar the neraca's liabilities.
    capital = _rows(_section(md, "## 5. Permodalan", "## 6."))
    names = [r[0] for r in capital]
    amounts = {r[0]: r[1] for r in capital}
    outside = names.index("Modal luar")
    assert names.index("Simpanan pokok") < names.index("Simpanan wajib") < outside
    assert outside < names.index("Simpanan sukarela") < names.index("Simpanan berjangka")
    for kind in PARENTS:
        assert amounts[LABELS[kind]] == money.fmt(total[kind]), kind
    assert amounts["Utang usaha, dana SHU dan kewajiban lain"] == money.fmt(
        _liabilities(jenis.root) - total["sukarela"] - total["berjangka"]
    )
    assert amounts["Jumlah modal luar"] == money.fmt(_liabilities(jenis.root))

    # The CaLK note: one row per kind, its total every simpanan in the ledger.
    note = _section(md, "Simpanan anggota\n", "## 8.")
    assert "pokok dan wajib dalam ekuitas, sukarela dan berjangka dalam kewajiban" in note
    rows = {r[0]: r[1] for r in _rows(note)[1:]}
    assert rows == {
        **{LABELS[k]: money.fmt(v) for k, v in total.items()},
        "Jumlah": money.fmt(sum(total.values(), Decimal(0))),
    }
    assert rows["Jumlah"] == "Rp30.250.000"

    # Lampiran 1: a Berjangka column, each member's balance, and totals equal to the ledger's.
    annex = _rows(md[md.index("### Lampiran 1.") :])
    assert annex[0] == [
        "NAK", "Nama", "Masuk", "Pokok", "Wajib", "Sukarela", "Berjangka", "Sisa pinjaman"
    ]  # fmt: skip
    for row in annex[1:-1]:
        assert row[3:7] == [money.fmt(own.get((k, row[0]), Decimal(0))) for k in PARENTS], row
    assert annex[-1][:3] == ["", "Jumlah", ""]
    assert annex[-1][3:7] == [money.fmt(total[k]) for k in PARENTS]


def test_the_html_book_has_the_same_tables(jenis: Cli, tmp_path: Path) -> None:
    total, _ = _ledger(jenis.root)
    out = tmp_path / "rat.html"
    ok(jenis, "rat", "2025", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    capital = html[html.index('id="modal"') : html.index('id="laporan"')]
    assert re.search(r"Simpanan berjangka</td>\s*<td[^>]*>Rp20\.000\.000<", capital)
    note = html[html.index('id="calk-simpanan"') :]
    note = note[: note.index("</table>")]
    assert re.search(r"Simpanan berjangka</td>\s*<td[^>]*>Rp20\.000\.000<", note)
    assert money.fmt(sum(total.values(), Decimal(0))) in note
    annex = html[html.index('id="lampiran-1"') :]
    assert "<th" in annex and ">Berjangka</th>" in annex[: annex.index("</thead>")]


def test_the_registers_list_berjangka(jenis: Cli) -> None:
    total, own = _ledger(jenis.root)
    # Fava's Buku Daftar Anggota.
    book = ledger.load(Paths(jenis.root))
    page = extension.page(book, {"halaman": "anggota", "per": "31-12-2025"}, dt.date(2026, 1, 15))
    table = page.tabel[0]
    assert table.kolom[4:] == ["Pokok", "Wajib", "Sukarela", "Berjangka", "Jumlah"]
    for row in table.baris:
        kinds = [own.get((k, row[0]), Decimal(0)) for k in PARENTS]
        assert row[4:] == [*(money.fmt(v) for v in kinds), money.fmt(sum(kinds, Decimal(0)))]
    assert table.jumlah is not None
    assert table.jumlah[4:] == [
        *(money.fmt(total[k]) for k in PARENTS),
        money.fmt(sum(total.values(), Decimal(0))),
    ]
    # `anggota daftar`: the terminal table, JSON and CSV.
    text = ok(jenis, "anggota", "daftar", "--per", "31-12-2025")
    assert re.search(r"Pokok\s+┃\s+Wajib\s+┃\s+Sukarela\s+┃\s+Berjangka", text)
    assert re.search(r"A0002 .*Rp100\.000 .*Rp0 .*Rp0 .*Rp20\.000\.000", text)
    listed = json.loads(ok(jenis, "anggota", "daftar", "--per", "31-12-2025", "-f", "json"))
    for m in listed["anggota"]:
        assert m["simpanan"] == {k: own.get((k, m["nak"]), 0) for k in PARENTS}
    out = jenis.root.parent / "daftar.csv"
    ok(jenis, "anggota", "daftar", "--per", "31-12-2025", "-f", "csv", "-o", str(out))
    csv_rows = [line.split(",") for line in out.read_text(encoding="utf-8").splitlines()]
    header = next(r for r in csv_rows if r[0] == "NAK")
    assert header[4:] == ["Pokok", "Wajib", "Sukarela", "Berjangka", "Jumlah"]
    last = next(r for r in csv_rows if r[0] == "Jumlah")
    assert [Decimal(v) for v in last[4:]] == [
        *(total[k] for k in PARENTS),
        sum(total.values(), Decimal(0)),
    ]
    # `simpanan rekap`: the cards equal the ledger for every kind.
    recap = json.loads(ok(jenis, "simpanan", "rekap", "--per", "31-12-2025", "-f", "json"))
    assert recap["simpanan"] == recap["saldo_buku"] == {k: total[k] for k in PARENTS}
    assert recap["cocok"] is True


def test_berjangka_only_once_a_member_has_had_one(jenis: Cli, kdmp: Cli, tmp_path: Path) -> None:
    """Before the first time deposit (and in a cooperative without one) nothing says
    berjangka: no empty column, row or line."""
    before = ok(jenis, "anggota", "daftar", "--per", "31-01-2025")
    assert "Sukarela" in before and "Berjangka" not in before
    listed = json.loads(ok(jenis, "anggota", "daftar", "--per", "31-01-2025", "-f", "json"))
    assert all("berjangka" not in m["simpanan"] for m in listed["anggota"])
    md = _rat_md(kdmp, tmp_path)
    assert "Simpanan berjangka" not in _section(md, "## 5. Permodalan", "## 6.")
    note = _section(md, "Simpanan anggota\n", "## 8.")
    assert "pokok dan wajib dalam ekuitas, sukarela dalam kewajiban" in note
    assert "erjangka" not in note and "Berjangka" not in md[md.index("### Lampiran 1.") :]


def test_the_member_lists_fit_80_columns_with_berjangka(jenis: Cli) -> None:
    """The extra column does not cut an amount: at 80 columns the joining date (then the
    status) is left out and named, as `pinjaman daftar` does."""
    total, _ = _ledger(jenis.root)
    for args in (("daftar", "--per", "31-12-2025"), ("cari", "a")):
        out = ok(jenis, "anggota", *args, "--lebar", "80")
        assert max(len(line) for line in out.splitlines()) <= 80, out
        assert "…" not in out and "Berjangka" in out, out
        assert "disembunyikan agar muat 80 huruf" in " ".join(out.split())
    out = ok(jenis, "anggota", "daftar", "--per", "31-12-2025", "--lebar", "80")
    assert "Kolom Masuk disembunyikan" in out and "Status" in out
    assert money.fmt(total["berjangka"]) in out and money.fmt(total["sukarela"]) in out


def test_the_monthly_pack_parquet_and_gabung_count_berjangka(jenis: Cli, tmp_path: Path) -> None:
    import duckdb

    total, _ = _ledger(jenis.root)
    june, _ = _ledger(jenis.root, dt.date(2025, 6, 30))
    out = tmp_path / "juli.md"
    ok(jenis, "laporan", "bulanan", "2025-07", "-o", str(out))
    pack = _rows(_section(out.read_text(encoding="utf-8"), "Rekap simpanan anggota", "\n\n**"))
    recap = {r[0]: r[1:] for r in pack[1:]}
    for kind in PARENTS:
        assert recap[LABELS[kind]][:2] == [money.fmt(june[kind]), money.fmt(total[kind])], kind
    assert recap["Jumlah"][1] == money.fmt(sum(total.values(), Decimal(0)))

    folder = tmp_path / "dinas"
    ok(jenis, "ekspor", "parquet", "-o", str(folder))
    got = duckdb.sql(
        "SELECT sum(simpanan_pokok), sum(simpanan_wajib), sum(simpanan_sukarela), "
        f"sum(simpanan_berjangka) FROM read_parquet('{folder}/anggota/*/*/*.parquet', "
        "hive_partitioning=true) WHERE tahun = 2025"
    ).fetchall()
    assert got == [tuple(total[k] for k in PARENTS)]
    # `gabung`: a row per kind.
    heads = json.loads(ok(jenis, "gabung", str(jenis.root), "--tahun", "2025", "-f", "json"))
    assert {k: heads["jumlah"][f"simpanan_{k}"] for k in PARENTS} == total
