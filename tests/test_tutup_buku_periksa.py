"""The year-end checklist (#11): `tutup-buku TAHUN --periksa`, and the refusal to close while
an item is open unless it is waived with a reason kept on the seal."""

from __future__ import annotations

from beancount.core import data
from conftest import Cli, ok, refused, reload, run


def _seal(root) -> data.Custom:
    entries, errors = reload(root)
    assert errors == []
    return next(e for e in entries if isinstance(e, data.Custom) and e.type == "tutup-buku")


def test_open_items_block_the_closing_until_settled(cli: Cli) -> None:
    run(
        cli,
        "kas|masuk|hibah|500jt|--tanggal|02-01-2025|--keterangan|Modal awal",
        "aset|tambah|Gedung|--kelompok|bangunan|--harga|240jt|--tanggal|10-01-2025",
        "pembiayaan|tambah|BRI-1|--kreditur|BRI|--plafon|1M|--bunga|6|--tenor|24|--masa-tenggang|6|--tanggal|10-01-2025",
        "pembiayaan|cair|BRI-1|100jt|--tanggal|10-01-2025",
    )
    out = ok(cli, "tutup-buku", "2025", "--periksa")
    for line in ("penyusutan", "bunga", "terbuka", "kkmp aset susut --sampai 2025-12"):
        assert line in out, out
    assert "rekonsiliasi-bank" in out and "tidak berlaku" in out
    said = refused(cli, "tutup-buku", "2025", says="masih terbuka")
    assert "penyusutan" in said and "bunga" in said and "--abaikan" in said
    run(cli, "aset|susut|--sampai|2025-12", "pembiayaan|akrual|--bulan|2025-12")
    out = ok(cli, "tutup-buku", "2025", "--periksa")
    assert "siap ditutup" in out
    ok(cli, "tutup-buku", "2025")
    assert not any(k.startswith("abaikan_") for k in _seal(cli.root).meta)


def test_a_waived_item_is_kept_on_the_seal(kdmp: Cli) -> None:
    # The kdmp fixture has a loan and no allowance booked: penyisihan is open.
    assert "penyisihan" in refused(kdmp, "tutup-buku", "2025", says="masih terbuka")
    refused(kdmp, "tutup-buku", "2025", "--abaikan", "penyisihan", says="--alasan")
    refused(kdmp, "tutup-buku", "2025", "--alasan", "x", says="--abaikan")
    refused(
        kdmp, "tutup-buku", "2025", "--abaikan", "kopi", "--alasan", "x", says="tidak ada di daftar"
    )
    out = ok(
        kdmp, "tutup-buku", "2025", "--abaikan", "penyisihan", "--alasan",
        "Diputuskan rapat pengurus 5 Januari 2026",
    )  # fmt: skip
    assert "penyisihan" in out
    assert _seal(kdmp.root).meta["abaikan_penyisihan"] == "Diputuskan rapat pengurus 5 Januari 2026"
    assert ok(kdmp, "periksa").strip().startswith("Buku bersih")


def test_the_allowance_item_is_settled_by_cadangkan(kdmp: Cli) -> None:
    run(kdmp, "pinjaman|cadangkan|--per|31-12-2025")
    out = ok(kdmp, "tutup-buku", "2025", "--periksa")
    assert "siap ditutup" in out


def test_the_rat_book_prints_what_was_waived(kdmp: Cli) -> None:
    ok(kdmp, "tutup-buku", "2025", "--abaikan", "penyisihan", "--alasan", "Keputusan pengurus")
    from kkmp_cli.core import ledger
    from kkmp_cli.core.ledger import Paths
    from kkmp_cli.rat import rat

    rows = rat.waived_checks(ledger.load(Paths(kdmp.root)), 2025)
    assert rows == [
        {
            "pemeriksaan": "Tutup buku tanpa butir daftar periksa 'penyisihan' "
            "(alasan: Keputusan pengurus)",
            "angka": "dilewati",
            "batas": "-",
            "hasil": "Dilewati",
        }
    ]
