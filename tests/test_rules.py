"""One definition per rule (#19): every caller of a rule gets the same answer from one function."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from conftest import Cli, snapshot, transactions

from kkmp_cli import accounts, chart, errors
from kkmp_cli.cli.common import to_json
from kkmp_cli.cli.output import as_json
from kkmp_cli.core import config, ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.loans import operations as loan_ops
from kkmp_cli.rat import rat
from kkmp_cli.reports import statements

# Rp10.000.000 of equity accounts and Rp1.500.000 of this year's result not yet closed.
UNCLOSED_YEAR = """
    2025-01-02 * "Hibah modal usaha"
      Aset:Kas                            10000000 IDR
      Ekuitas:Hibah                      -10000000 IDR

    2025-03-01 * "Jasa pinjaman"
      Aset:Kas                             2000000 IDR
      Pendapatan:Simpan-Pinjam:Jasa       -2000000 IDR

    2025-03-02 * "Gaji pengelola"
      Beban:Gaji                            500000 IDR
      Aset:Kas                             -500000 IDR
    """
END = dt.date(2025, 12, 31)


@pytest.fixture
def book(coop_dir, ledger_from_text):
    cfg = coop_dir / "koperasi.yaml"
    cfg.write_text(
        cfg.read_text().replace(
            "  pengurus: []", '  pengurus:\n    - {jabatan: Ketua, nama: "Budi", nak: A0001}'
        )
    )
    return ledger_from_text(UNCLOSED_YEAR)


def test_modal_sendiri_is_the_neraca_equity_with_the_unclosed_result(book) -> None:
    assert statements.unclosed_result(statements.sums(book, None, END)) == 1_500_000
    assert statements.modal_sendiri(book, END) == 11_500_000
    assert statements.neraca(book, 2025).total["total_ekuitas"] == 11_500_000
    assert statements.modal_sendiri(book, dt.date(2025, 1, 1)) == 0


def test_related_party_cap_and_audit_threshold_use_the_same_modal_sendiri(book) -> None:
    # Before #19 the loan cap counted the equity accounts only (10% of Rp10.000.000).
    found = loan_ops.breaches_on(book, "A0001", Decimal(1_200_000), END, None)
    related = [f for f in found if "pengurus/pengawas" in f]
    assert related and "modal sendiri (Rp1.150.000)" in related[0]
    audit = next(
        r for r in rat.checks(book, 2025, config.RatInputs()) if "Audit" in r["pemeriksaan"]
    )
    assert audit["angka"].startswith("modal sendiri Rp11.500.000;")


VIA_REFUSED = (
    "Galat: Pilihan 'dompet' tidak dikenal untuk kas/bank (--via); pilih kas, bank atau qris."
)


@pytest.fixture
def funded(cli: Cli) -> Cli:
    for args in (
        ["anggota", "tambah", "Siti Aminah", "--tanggal", "02-01-2025"],
        ["kas", "masuk", "hibah", "20jt", "--keterangan", "Modal", "--tanggal", "02-01-2025"],
        ["simpanan", "setor", "A0001", "pokok", "100rb", "--tanggal", "02-01-2025"],
        ["gerai", "barang", "tambah", "GULA-1KG", "--nama", "Gula", "--harga-jual", "18rb"],
    ):
        r = cli(*args)
        assert r.exit_code == 0, r.output
    return cli


@pytest.mark.parametrize(
    "args",
    [
        ["simpanan", "setor", "A0001", "wajib", "10rb", "--via", "dompet"],
        ["simpanan", "tarik", "A0001", "10rb", "--via", "dompet"],
        ["kas", "keluar", "listrik", "10rb", "--via", "dompet"],
        ["kas", "masuk", "hibah", "10rb", "--via", "dompet"],
        ["kas", "pindah", "kas", "dompet", "10rb"],
        ["pinjaman", "cair", "A0001", "100rb", "--tenor", "2", "--jasa", "1", "--via", "dompet"],
        [
            "gerai",
            "beli",
            "GULA-1KG",
            "1",
            "--harga",
            "15rb",
            "--pemasok",
            "Toko",
            "--via",
            "dompet",
        ],
    ],
)
def test_every_command_refuses_an_unknown_via_in_one_sentence(funded: Cli, args) -> None:
    before = snapshot(funded.root)
    r = funded(*args, "--tanggal", "03-01-2025")
    assert r.exit_code == 1, r.output
    assert VIA_REFUSED in " ".join(r.output.split()), r.output
    assert snapshot(funded.root) == before


def test_via_is_read_in_any_case(funded: Cli) -> None:
    r = funded("kas", "pindah", "KAS", " Bank", "1jt", "--tanggal", "03-01-2025")
    assert r.exit_code == 0, r.output
    moved = transactions(funded.root)[-1]
    assert {(p.account, int(p.units.number)) for p in moved.postings} == {
        ("Aset:Kas", -1_000_000),
        ("Aset:Bank", 1_000_000),
    }
    book = ledger.load(Paths(funded.root))
    assert accounts.via(book, "Bank").akun == chart.BANK
    with pytest.raises(errors.PilihanKasTidakDikenal):
        accounts.via(book, "utang")


@dataclass(frozen=True)
class _Line:
    akun: str
    jumlah: Decimal
    tanggal: dt.date


def test_one_json_serializer_for_dataclasses_decimals_and_dates() -> None:
    line = _Line("Aset:Kas", Decimal("1500000.00"), dt.date(2025, 1, 2))
    expected = {"akun": "Aset:Kas", "jumlah": 1500000, "tanggal": "2025-01-02"}
    # A dataclass renders exactly as its __dict__ did, nested or not.
    assert json.loads(to_json(line)) == expected
    assert json.loads(to_json({"baris": [line]})) == {"baris": [expected]}
    assert to_json(line) == to_json(line.__dict__)
    assert json.loads(to_json(Decimal("0.5"))) == "0.5"
    assert as_json([line]) == to_json([line]) + "\n"
    with pytest.raises(TypeError):
        to_json({1, 2})


def test_kas_saldo_json_renders_the_rows_themselves(funded: Cli) -> None:
    r = funded("kas", "saldo", "--per", "31-01-2025", "-f", "json")
    assert r.exit_code == 0, r.output
    payload = json.loads(r.output)
    assert payload["per"] == "2025-01-31"
    assert payload["akun"][0] == {"akun": "Aset:Kas", "uraian": "Kas", "saldo": 20_100_000}
    assert payload["total"] == 20_100_000
