"""The direct cash flow shows cash that moved (#14, #12): tax withheld inside a payment, a fee
deducted from a loan, a penalty kept from a time deposit, a loan set off against a leaving
member's deposits are netted inside their transaction, never shown as a receipt; a tax is an
outflow when it is paid to the state."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal as D
from pathlib import Path

from beancount.core import data
from conftest import Cli, ok, reload, transactions

from kkmp_cli import chart
from kkmp_cli.reports import statements

CLASSES = ("operasi", "investasi", "pendanaan")


def _cash_accounts(root: Path) -> set[str]:
    """The cash, bank and e-wallet accounts, as the reloaded ledger's opens class them."""
    entries, errors = reload(root)
    assert errors == []
    return {
        e.account for e in entries if isinstance(e, data.Open) and e.meta.get("arus-kas") == "kas"
    }


def _cash_moved(root: Path) -> dict[str, tuple[D, D]]:
    """Per `jenis` of transaction: the cash that came in and the cash that went out (negative),
    read from the reloaded ledger's postings to cash accounts."""
    cash = _cash_accounts(root)
    moved: dict[str, list[D]] = defaultdict(lambda: [D(0), D(0)])
    for e in transactions(root):
        for p in e.postings:
            if p.account in cash:
                moved[e.meta["jenis"]][0 if p.units.number > 0 else 1] += p.units.number
    return {k: (v[0], v[1]) for k, v in moved.items()}


def _posted(root: Path, jenis: str, account: str) -> D:
    """What the transactions of one `jenis` posted to an account (and its sub-accounts)."""
    return sum(
        (
            p.units.number
            for e in transactions(root)
            if e.meta["jenis"] == jenis
            for p in e.postings
            if p.account == account or p.account.startswith(f"{account}:")
        ),
        D(0),
    )


def _flows(cli: Cli) -> tuple[dict, dict[tuple[str, str], D]]:
    """The year's cash flow as JSON, and its lines keyed by (Penerimaan/Pengeluaran, account)."""
    kas = json.loads(ok(cli, "laporan", "arus-kas", "--tahun", "2025", "-f", "json"))
    lines = {
        (r["label"].split(":")[0], r["akun"]): D(str(r["nilai"][0]))
        for r in kas["baris"]
        if r["akun"]
    }
    return kas, lines


def _reconciles(kas: dict, root: Path) -> None:
    """Every activity's receipts and payments make its net, the nets make the change in cash,
    and gross receipts and payments are the cash postings of the year (no transfers here)."""
    for cls in CLASSES:
        assert D(str(kas[f"penerimaan_{cls}"])) + D(str(kas[f"pengeluaran_{cls}"])) == D(
            str(kas[f"kas_bersih_{cls}"])
        )
    assert sum(D(str(kas[f"kas_bersih_{c}"])) for c in CLASSES) == D(str(kas["kenaikan_kas"]))
    assert D(str(kas["kas_awal"])) + D(str(kas["kenaikan_kas"])) == D(str(kas["kas_akhir"]))
    moved = _cash_moved(root).values()
    assert sum(D(str(kas[f"penerimaan_{c}"])) for c in CLASSES) == sum(i for i, _ in moved)
    assert sum(D(str(kas[f"pengeluaran_{c}"])) for c in CLASSES) == sum(o for _, o in moved)


def test_tax_withheld_is_no_receipt_and_is_paid_out_when_paid_to_the_state(cli: Cli) -> None:
    ok(cli, "anggota", "tambah", "Ani", "--tanggal", "02-01-2025")
    ok(cli, "simpanan", "setor", "A0001", "sukarela", "50jt", "--tanggal", "03-01-2025")
    ok(cli, "simpanan", "berjangka", "buka", "A0001", "40jt", "--tenor", "3", "--bunga", "9",
       "--tanggal", "04-01-2025")  # fmt: skip
    ok(cli, "gaji", "bayar", "Hendra Gunawan", "8jt", "--bulan", "2025-01", "--jabatan",
       "Manajer", "--status-ptkp", "TK/0", "--unit", "kantor", "--tanggal", "31-01-2025")  # fmt: skip
    ok(cli, "pajak", "setor", "pph-21", "120rb", "--masa", "2025-01", "--tanggal", "10-02-2025",
       "--via", "kas")  # fmt: skip
    ok(cli, "simpanan", "berjangka", "cair", "SB-2025-0001", "--tanggal", "04-04-2025")
    root = cli.root
    withheld_21 = -_posted(root, "gaji-bayar", chart.UTANG_PPH_21)
    withheld_bunga = -_posted(root, "berjangka-cair", chart.UTANG_PPH_BUNGA)
    assert withheld_21 > 0 and withheld_bunga > 0  # the case: both payments withhold a tax
    moved = _cash_moved(root)
    kas, lines = _flows(cli)

    # No tax payable is a receipt: no cash came in from withholding.
    assert [k for k in lines if k[0] == "Penerimaan" and k[1].startswith(chart.UTANG_PAJAK)] == []
    # The wage and the interest are the cash paid, net of the tax withheld.
    wage = _posted(root, "gaji-bayar", "Beban:Gaji")
    assert lines[("Pengeluaran", "Beban:Gaji:Kantor")] == moved["gaji-bayar"][1]
    assert moved["gaji-bayar"][1] == -(wage - withheld_21)
    interest = _posted(root, "berjangka-cair", "Beban:Simpan-Pinjam:Jasa-Simpanan")
    assert lines[("Pengeluaran", "Beban:Simpan-Pinjam:Jasa-Simpanan")] == -(
        interest - withheld_bunga
    )
    principal = _posted(root, "berjangka-cair", chart.BERJANGKA)
    assert lines[("Pengeluaran", chart.BERJANGKA)] == -principal
    assert -principal - (interest - withheld_bunga) == moved["berjangka-cair"][1]
    # The PPh 21 is an outflow when it is paid to the state; the PPh on interest, not yet paid,
    # is no line at all.
    assert lines[("Pengeluaran", chart.UTANG_PPH_21)] == moved["pajak-setor"][1] == -withheld_21
    assert not [k for k in lines if k[1] == chart.UTANG_PPH_BUNGA]
    _reconciles(kas, root)


def test_a_deducted_fee_penalty_or_set_off_loan_is_netted(cli: Cli) -> None:
    for name in ("Ani", "Budi"):
        ok(cli, "anggota", "tambah", name, "--tanggal", "02-01-2025")
    ok(cli, "simpanan", "setor", "A0001", "sukarela", "20jt", "--tanggal", "03-01-2025")
    ok(cli, "simpanan", "setor", "A0002", "pokok", "100rb", "--tanggal", "03-01-2025")
    ok(cli, "simpanan", "setor", "A0002", "wajib", "400rb", "--tanggal", "03-01-2025")
    ok(cli, "simpanan", "setor", "A0002", "sukarela", "2jt", "--tanggal", "03-01-2025")
    ok(cli, "pinjaman", "cair", "A0002", "1jt", "--tenor", "10", "--jasa", "1", "--metode",
       "flat", "--biaya-admin", "20rb", "--tanggal", "05-01-2025")  # fmt: skip
    ok(cli, "simpanan", "berjangka", "buka", "A0001", "5jt", "--tenor", "12", "--bunga", "9",
       "--tanggal", "05-04-2025")  # fmt: skip
    ok(cli, "simpanan", "berjangka", "cair", "SB-2025-0001", "--tanggal", "06-08-2025")
    ok(cli, "anggota", "keluar", "A0002", "--kompensasi", "--tanggal", "01-09-2025")
    root = cli.root
    fee = -_posted(root, "pinjaman-cair", "Pendapatan:Simpan-Pinjam:Administrasi")
    penalty = -_posted(root, "berjangka-cair", "Pendapatan:Simpan-Pinjam:Penalti-Berjangka")
    # The leaving member's loan and its jasa are set off against the deposits paid back.
    set_off = -_posted(root, "keluar-anggota", chart.PIUTANG_PINJAMAN) - _posted(
        root, "keluar-anggota", "Pendapatan"
    )
    assert fee > 0 and penalty > 0 and set_off > 0
    moved = _cash_moved(root)
    kas, lines = _flows(cli)

    # Nothing came in: no receipt from the fee, the penalty or the loan set off.
    assert not [k for k in lines if k[0] == "Penerimaan" and k[1].startswith("Pendapatan:")]
    assert ("Penerimaan", chart.PIUTANG_PINJAMAN) not in lines
    # The loan paid out is the cash the member got, net of the fee.
    assert lines[("Pengeluaran", chart.PIUTANG_PINJAMAN)] == moved["pinjaman-cair"][1]
    assert moved["pinjaman-cair"][1] == -(
        _posted(root, "pinjaman-cair", chart.PIUTANG_PINJAMAN) - fee
    )
    # The early cashing: the principal in full; the interest net of the penalty.
    interest = _posted(root, "berjangka-cair", "Beban:Simpan-Pinjam:Jasa-Simpanan")
    assert lines[("Pengeluaran", chart.BERJANGKA)] == -_posted(
        root, "berjangka-cair", chart.BERJANGKA
    )
    assert lines[("Pengeluaran", "Beban:Simpan-Pinjam:Jasa-Simpanan")] == -(interest - penalty)
    # The leaving member: the deposits paid back are the cash refunded, the loan set off against
    # them moved no cash.
    returned = sum(
        (lines.get(("Pengeluaran", a), D(0)) for a in (chart.POKOK, chart.WAJIB, chart.SUKARELA)),
        D(0),
    )
    assert returned == moved["keluar-anggota"][1]
    assert moved["keluar-anggota"][1] == -(
        sum(_posted(root, "keluar-anggota", a) for a in (chart.POKOK, chart.WAJIB, chart.SUKARELA))
        - set_off
    )
    _reconciles(kas, root)


def test_each_line_is_cash_that_moved_whatever_the_shape(ledger_from_text) -> None:
    """Inline shapes: two cash postings in one entry keep their gross lines; a transfer between
    cash accounts is only its fee; a sale whose buyer withheld a tax and a car sold with the
    bank loan on it paid off by the buyer are received net."""
    book = ledger_from_text(
        """
        2025-01-01 open Aset:Pajak-Dibayar-Dimuka IDR
          golongan: "aset-lancar"
          arus-kas: "operasi"
        2025-01-01 open Kewajiban:Simpanan-Sukarela:A0001 IDR
        2025-01-01 open Kewajiban:Utang-Bank IDR
          golongan: "kewajiban-panjang"
          arus-kas: "pendanaan"
        2025-01-02 * "Hibah"
          Aset:Kas  200000000 IDR
          Ekuitas:Hibah  -200000000 IDR
        2025-01-03 * "Setoran dan belanja ATK dicatat dalam satu jurnal"
          Aset:Kas  1000000 IDR
          Aset:Kas  -200000 IDR
          Kewajiban:Simpanan-Sukarela:A0001  -1000000 IDR
          Beban:ATK  200000 IDR
        2025-01-04 * "Pindah kas ke bank, biaya transfer"
          Aset:Kas  -5000000 IDR
          Aset:Bank  4993500 IDR
          Beban:Administrasi-Bank  6500 IDR
        2025-01-05 * "Jasa angkut, pembeli memotong PPh 23"
          Aset:Bank  980000 IDR
          Aset:Pajak-Dibayar-Dimuka  20000 IDR
          Pendapatan:Lain-Lain  -1000000 IDR
        2025-01-06 * "Mobil dijual, pembeli melunasi utang bank atasnya"
          Aset:Bank  40000000 IDR
          Kewajiban:Utang-Bank  60000000 IDR
          Aset:Aset-Tetap:Kendaraan  -100000000 IDR
        """
    )
    flows = statements._cash_flows(book, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert flows["operasi"] == {
        "Beban:ATK": (D(0), D(-200_000)),
        "Beban:Administrasi-Bank": (D(0), D(-6_500)),
        "Pendapatan:Lain-Lain": (D(980_000), D(0)),
    }
    assert flows["investasi"] == {"Aset:Aset-Tetap:Kendaraan": (D(40_000_000), D(0))}
    assert flows["pendanaan"] == {
        "Ekuitas:Hibah": (D(200_000_000), D(0)),
        chart.SUKARELA: (D(1_000_000), D(0)),
    }
    st = statements.arus_kas(book, 2025, banding="tidak")
    assert st.total["kenaikan_kas"] == D(200_000_000 + 800_000 - 6_500 + 980_000 + 40_000_000)
