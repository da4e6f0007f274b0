"""The savings-and-loan unit: exact schedules, the real CLI, arrears and collectibility."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Cli, reload, snapshot, transactions
from conftest import ok as _ok
from conftest import refused as _refused
from hypothesis import given, settings
from hypothesis import strategies as st

from kkmp_cli.core import config, ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.loans import checks
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.loans import schedule as sched
from kkmp_cli.rat import rat

D = Decimal


def test_flat_example_from_domain_guide() -> None:
    s = sched.build(D(30_000_000), 12, D(1), "flat", dt.date(2025, 1, 1))
    assert {i.angsuran for i in s.angsuran} == {D(2_800_000)}
    assert {(i.pokok, i.jasa) for i in s.angsuran} == {(D(2_500_000), D(300_000))}
    assert s.total_jasa == D(3_600_000)


def test_menurun_example_from_domain_guide() -> None:
    s = sched.build(D(5_000_000), 10, D("2.2"), "menurun", dt.date(2025, 2, 1))
    assert [int(i.angsuran) for i in s.angsuran] == [
        610_000,
        599_000,
        588_000,
        577_000,
        566_000,
        555_000,
        544_000,
        533_000,
        522_000,
        511_000,
    ]
    assert s.total_jasa == D(605_000)
    assert s.angsuran[0].jatuh_tempo == dt.date(2025, 3, 1)


def test_anuitas_equal_instalments_and_month_end_dates() -> None:
    s = sched.build(D(10_000_000), 12, D(1), "anuitas", dt.date(2025, 1, 31))
    assert len({i.angsuran for i in s.angsuran[:-1]}) == 1
    assert [i.jatuh_tempo for i in s.angsuran[:3]] == [
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
        dt.date(2025, 4, 30),
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=10**10),
    st.integers(min_value=1, max_value=120),
    st.decimals(min_value=D("0.01"), max_value=D(10), places=2),
    st.sampled_from(sched.METHODS),
)
def test_any_schedule_reconciles_to_the_rupiah(
    principal: int, tenor: int, rate: Decimal, method: str
) -> None:
    s = sched.build(D(principal), tenor, rate, method, dt.date(2025, 1, 31))
    assert sum(i.pokok for i in s.angsuran) == principal
    assert sum(i.angsuran for i in s.angsuran) == principal + s.total_jasa
    assert s.angsuran[-1].sisa_pokok == 0
    assert all(i.pokok >= 0 and i.jasa >= 0 for i in s.angsuran)
    assert all(
        i.pokok == i.pokok.to_integral_value() and i.jasa == i.jasa.to_integral_value()
        for i in s.angsuran
    )


def test_simulasi_needs_no_cooperative(tmp_path: Path) -> None:
    run = Cli(tmp_path / "tidak-ada")
    r = run(
        "pinjaman",
        "simulasi",
        "30jt",
        "--tenor",
        "12",
        "--jasa",
        "1",
        "--metode",
        "flat",
        "-f",
        "json",
        koperasi=False,
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["total_jasa"] == 3_600_000
    assert {row["angsuran"] for row in data["angsuran"]} == {2_800_000}
    r = run(
        "pinjaman",
        "simulasi",
        "5jt",
        "--tenor",
        "10",
        "--jasa",
        "2,2",
        "--metode",
        "menurun",
        "-f",
        "csv",
        koperasi=False,
    )
    assert r.output.splitlines()[1].startswith("1,") and ",500000,110000,610000,4500000" in r.output
    r = run("pinjaman", "simulasi", "5jt", "--tenor", "10", "--jasa", "2,2", koperasi=False)
    assert r.exit_code == 0
    assert (
        "Rp610.000" in r.output and "Rp1.100.000" in r.output
    )  # flat by default: jasa 110.000 x 10


@pytest.fixture
def usp(cli: Cli) -> Cli:
    """A member with Rp2.100.000 of simpanan (plafon 3 x = Rp6.300.000)."""
    assert cli("anggota", "tambah", "Siti Aminah", "--tanggal", "02-01-2025").exit_code == 0
    # The USP's lending capital: cash may never go below zero.
    modal = [
        "kas",
        "masuk",
        "hibah",
        "20jt",
        "--keterangan",
        "Modal USP",
        "--tanggal",
        "02-01-2025",
    ]
    assert cli(*modal).exit_code == 0
    assert (
        cli("simpanan", "setor", "A0001", "pokok", "100rb", "--tanggal", "02-01-2025").exit_code
        == 0
    )
    assert (
        cli("simpanan", "setor", "A0001", "sukarela", "2jt", "--tanggal", "02-01-2025").exit_code
        == 0
    )
    r = cli(
        "pinjaman",
        "cair",
        "A0001",
        "5.000.000",
        "--tenor",
        "10",
        "--jasa",
        "2,2",
        "--metode",
        "menurun",
        "--tanggal",
        "01-02-2025",
    )
    assert r.exit_code == 0, r.output
    assert "PJ-2025-0001" in r.output and "Rp610.000" in r.output
    return cli


def _loan(cli: Cli, per: str) -> dict:
    r = cli("pinjaman", "jadwal", "PJ-2025-0001", "--per", per, "-f", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_disburse_pay_and_ledger_matches_schedule(usp: Cli) -> None:
    txn = transactions(usp.root)[-1]
    assert txn.links == {"PJ-2025-0001"}
    assert txn.meta["pokok"] == D(5_000_000) and txn.meta["metode"] == "menurun"
    assert txn.meta["tenor"] == 10 and txn.meta["jasa_persen"] == D("2.2")
    for k, due in enumerate(["01-03-2025", "01-04-2025", "01-05-2025"]):
        amount = ["610.000", "599.000", "588.000"][k]
        r = usp("pinjaman", "angsur", "PJ-2025-0001", amount, "--tanggal", due)
        assert r.exit_code == 0, r.output
    bal = ledger.load(Paths(usp.root), fresh=True).balances()
    assert bal["Aset:Piutang-Pinjaman:A0001"] == D(3_500_000)
    assert bal["Pendapatan:Simpan-Pinjam:Jasa"] == -D(110_000 + 99_000 + 88_000)
    loan = _loan(usp, "01-05-2025")
    assert loan["sisa_pokok"] == 3_500_000 and loan["angsuran_lunas"] == 3
    assert loan["kolektibilitas"] == "lancar" and loan["hari_tunggakan"] == 0
    assert all(txn.links == {"PJ-2025-0001"} for txn in transactions(usp.root)[-3:])


def test_late_payment_with_denda(usp: Cli) -> None:
    cfg = usp.root / "koperasi.yaml"
    cfg.write_text(
        cfg.read_text().replace("denda_persen_per_hari: 0", "denda_persen_per_hari: 0.1")
    )
    # Instalment 1 (Rp610.000) due 01-03-2025, paid 11 days late: denda 610.000 x 0,1% x 11.
    r = usp("pinjaman", "angsur", "PJ-2025-0001", "616.710", "--tanggal", "12-03-2025")
    assert r.exit_code == 0, r.output
    txn = transactions(usp.root)[-1]
    amounts = {p.account: -p.units.number for p in txn.postings if p.units.number < 0}
    assert amounts == {
        "Pendapatan:Simpan-Pinjam:Denda": D(6_710),
        "Pendapatan:Simpan-Pinjam:Jasa": D(110_000),
        "Aset:Piutang-Pinjaman:A0001": D(500_000),
    }
    assert _loan(usp, "12-03-2025")["denda_dibayar"] == 6_710


def test_partial_payment_goes_denda_jasa_pokok(usp: Cli) -> None:
    r = usp("pinjaman", "angsur", "PJ-2025-0001", "150rb", "--tanggal", "01-03-2025")
    assert r.exit_code == 0
    loan = _loan(usp, "01-03-2025")
    assert loan["jasa_dibayar"] == 110_000 and loan["pokok_dibayar"] == 40_000
    assert loan["tunggakan_pokok"] == 460_000


def test_early_payoff(usp: Cli) -> None:
    assert (
        usp("pinjaman", "angsur", "PJ-2025-0001", "610.000", "--tanggal", "01-03-2025").exit_code
        == 0
    )
    r = usp("pinjaman", "lunasi", "PJ-2025-0001", "--tanggal", "15-03-2025")
    assert r.exit_code == 0, r.output
    # berjalan rule: the remaining 4.500.000 plus the jasa of the current period (instalment 2).
    assert "Rp4.599.000" in r.output
    loan = _loan(usp, "31-12-2025")
    assert loan["status"] == "lunas" and loan["sisa_pokok"] == 0
    r = usp("pinjaman", "angsur", "PJ-2025-0001", "10rb", "--tanggal", "01-04-2025")
    assert r.exit_code == 1 and "sudah lunas" in r.output
    bal = ledger.load(Paths(usp.root), fresh=True).balances()
    assert bal["Aset:Piutang-Pinjaman:A0001"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cair", "A0009", "1jt", "--tenor", "10", "--jasa", "2"], "tidak terdaftar"),
        (["cair", "A0001", "0", "--tenor", "10", "--jasa", "2"], "lebih dari nol"),
        (["cair", "A0001", "1jt", "--tenor", "0", "--jasa", "2"], "Tenor"),
        (["cair", "A0001", "1jt", "--tenor", "10", "--jasa", "0"], "lebih dari nol"),
        (["cair", "A0001", "1jt", "--tenor", "10", "--jasa", "4"], "melebihi batas SOP"),
        (
            ["cair", "A0001", "1jt", "--tenor", "10", "--jasa", "2", "--metode", "bunga-berbunga"],
            "tidak dikenal",
        ),
        (
            ["cair", "A0001", "1jt", "--tenor", "40", "--jasa", "2", "--tanggal", "05-02-2025"],
            "tenor 40 bulan",
        ),
        (
            ["cair", "A0001", "2jt", "--tenor", "10", "--jasa", "2", "--tanggal", "05-02-2025"],
            "plafon",
        ),
        (["angsur", "PJ-2025-0099", "610rb"], "tidak ditemukan"),
        (
            ["angsur", "PJ-2025-0001", "610rb", "--tanggal", "31-01-2025"],
            "lebih awal dari pencairan",
        ),
        (
            ["angsur", "PJ-2025-0001", "9jt", "--tanggal", "01-03-2025"],
            "melebihi seluruh kewajiban",
        ),
        (["lunasi", "PJ-2025-0001", "--tanggal", "15-01-2025"], "lebih awal"),
    ],
)
def test_bad_loan_input_changes_nothing(usp: Cli, args: list[str], message: str) -> None:
    before = snapshot(usp.root)
    r = usp("pinjaman", *args)
    assert r.exit_code == 1, r.output
    assert message in r.output, r.output
    assert snapshot(usp.root) == before


def test_exception_is_recorded_and_reported(usp: Cli) -> None:
    r = usp(
        "pinjaman",
        "cair",
        "A0001",
        "2jt",
        "--tenor",
        "10",
        "--jasa",
        "2",
        "--tanggal",
        "05-02-2025",
        "--pengecualian",
        "Renovasi rumah",
        "--disetujui",
        "Ketua Pengurus",
    )
    assert r.exit_code == 0, r.output
    txn = transactions(usp.root)[-1]
    assert txn.meta["disetujui"] == "Ketua Pengurus"
    assert "Renovasi rumah" in txn.meta["pengecualian"] and "plafon" in txn.meta["pengecualian"]
    listing = json.loads(usp("pinjaman", "daftar", "--per", "05-02-2025", "-f", "json").output)
    loan = next(p for p in listing["pinjaman"] if p["id"] == "PJ-2025-0002")
    assert loan["disetujui"] == "Ketua Pengurus"


def test_overpayment_to_sukarela(usp: Cli) -> None:
    r = usp(
        "pinjaman",
        "angsur",
        "PJ-2025-0001",
        "6jt",
        "--tanggal",
        "01-03-2025",
        "--kelebihan-ke-sukarela",
    )
    assert r.exit_code == 0, r.output
    bal = ledger.load(Paths(usp.root), fresh=True).balances()
    assert bal["Aset:Piutang-Pinjaman:A0001"] == 0
    # 6.000.000 - 5.000.000 pokok - 605.000 jasa = 395.000 credited to sukarela.
    assert bal["Kewajiban:Simpanan-Sukarela:A0001"] == -D(2_000_000 + 395_000)


def test_collectibility_both_presets() -> None:
    # POJK 40/POJK.03/2019 (bank umum): 1-90 / 91-120 / 121-180 / > 180 days (#21).
    bank = config.PinjamanRules(kolektibilitas="bank-umum")
    assert [pf.classify(bank, 0, d) for d in (0, 1, 90, 91, 120, 121, 180, 181)] == [
        "lancar",
        "dalam_perhatian_khusus",
        "dalam_perhatian_khusus",
        "kurang_lancar",
        "kurang_lancar",
        "diragukan",
        "diragukan",
        "macet",
    ]
    kop = config.PinjamanRules(kolektibilitas="koperasi")
    assert [pf.classify(kop, m, 0) for m in (0, 3, 4, 6, 7, 27, 28)] == [
        "lancar",
        "lancar",
        "kurang_lancar",
        "kurang_lancar",
        "diragukan",
        "diragukan",
        "macet",
    ]


def test_collectibility_through_the_ledger(usp: Cli) -> None:
    # Nothing paid: instalment 1 due 01-03-2025.
    assert _loan(usp, "01-03-2025")["kolektibilitas"] == "lancar"  # due today, 0 days
    late = _loan(usp, "15-07-2025")  # 5 instalments unpaid (Mar..Jul)
    assert late["bulan_tunggakan"] == 5 and late["kolektibilitas"] == "kurang_lancar"
    assert late["hari_tunggakan"] == (dt.date(2025, 7, 15) - dt.date(2025, 3, 1)).days
    cfg = usp.root / "koperasi.yaml"
    cfg.write_text(cfg.read_text().replace("kolektibilitas: koperasi", "kolektibilitas: bank"))
    assert _loan(usp, "15-07-2025")["kolektibilitas"] == "diragukan"  # 136 days (POJK 40/2019)
    assert _loan(usp, "01-12-2025")["kolektibilitas"] == "macet"  # 275 days
    listing = json.loads(usp("pinjaman", "daftar", "--per", "01-12-2025", "-f", "json").output)
    assert listing["npl_persen"] == "100.00" and listing["total_penyisihan"] == 5_000_000
    assert listing["kolektibilitas_model"] == "bank-umum" and listing["catatan"]


def test_provision_write_off_and_recovery(usp: Cli) -> None:
    r = usp("pinjaman", "cadangkan", "--per", "15-07-2025")
    assert r.exit_code == 0, r.output
    bal = ledger.load(Paths(usp.root), fresh=True).balances()
    # koperasi preset (Permen KUKM 14/2009): kurang lancar 50 % of 5.000.000 (#13, #21).
    assert bal["Aset:Penyisihan-Piutang-Pinjaman"] == -D(2_500_000)
    r = usp("pinjaman", "cadangkan", "--per", "15-07-2025")
    assert r.exit_code == 1 and "sudah sesuai" in r.output
    r = usp(
        "pinjaman",
        "hapus-buku",
        "PJ-2025-0001",
        "--alasan",
        "Peminjam meninggal",
        "--tanggal",
        "20-07-2025",
    )
    assert r.exit_code == 0, r.output
    bal = ledger.load(Paths(usp.root), fresh=True).balances()
    assert bal["Aset:Piutang-Pinjaman:A0001"] == 0
    assert bal["Aset:Penyisihan-Piutang-Pinjaman"] == 0
    assert bal["Beban:Simpan-Pinjam:Penyisihan-Piutang"] == D(5_000_000)
    assert _loan(usp, "31-12-2025")["status"] == "hapus-buku"
    r = usp("pinjaman", "angsur", "PJ-2025-0001", "1jt", "--tanggal", "01-09-2025")
    assert r.exit_code == 0, r.output
    bal = ledger.load(Paths(usp.root), fresh=True).balances()
    assert bal["Pendapatan:Simpan-Pinjam:Pemulihan-Piutang"] == -D(1_000_000)
    assert usp("periksa").exit_code == 0


def test_restructure_keeps_history(usp: Cli) -> None:
    assert (
        usp("pinjaman", "angsur", "PJ-2025-0001", "610.000", "--tanggal", "01-03-2025").exit_code
        == 0
    )
    r = usp(
        "pinjaman",
        "restrukturisasi",
        "PJ-2025-0001",
        "--tenor",
        "20",
        "--jasa",
        "1,5",
        "--metode",
        "anuitas",
        "--alasan",
        "Gagal panen",
        "--tanggal",
        "01-06-2025",
        "--jasa-tertunggak",
        "hapus",
    )
    assert r.exit_code == 0, r.output
    assert "PJ-2025-0002" in r.output
    listing = json.loads(
        usp("pinjaman", "daftar", "--per", "01-06-2025", "--semua", "-f", "json").output
    )
    by_id = {p["id"]: p for p in listing["pinjaman"]}
    assert by_id["PJ-2025-0001"]["status"] == "direstrukturisasi"
    assert by_id["PJ-2025-0002"]["pokok"] == 4_500_000
    assert by_id["PJ-2025-0002"]["restrukturisasi_dari"] == "PJ-2025-0001"
    bal = ledger.load(Paths(usp.root), fresh=True).balances()
    assert bal["Aset:Piutang-Pinjaman:A0001"] == D(4_500_000)
    assert usp("periksa").exit_code == 0


def test_exit_nets_open_loan(usp: Cli) -> None:
    r = usp("anggota", "keluar", "A0001", "--tanggal", "01-03-2025")
    assert r.exit_code == 1 and "masih berutang" in r.output
    r = usp(
        "anggota", "keluar", "A0001", "--tanggal", "01-03-2025", "--kompensasi", "--via", "utang"
    )
    assert r.exit_code == 1 and "melebihi simpanannya" in r.output


def test_exit_nets_loan_when_simpanan_suffices(cli: Cli) -> None:
    for args in (
        ["anggota", "tambah", "Budi", "--tanggal", "02-01-2025"],
        ["simpanan", "setor", "A0001", "pokok", "100rb", "--tanggal", "02-01-2025"],
        ["simpanan", "setor", "A0001", "sukarela", "3jt", "--tanggal", "02-01-2025"],
        [
            "pinjaman",
            "cair",
            "A0001",
            "1jt",
            "--tenor",
            "10",
            "--jasa",
            "2",
            "--tanggal",
            "01-02-2025",
        ],
        ["anggota", "keluar", "A0001", "--tanggal", "01-03-2025", "--kompensasi"],
    ):
        r = cli(*args)
        assert r.exit_code == 0, (args, r.output)
    bal = ledger.load(Paths(cli.root), fresh=True).balances()
    assert bal["Aset:Piutang-Pinjaman:A0001"] == 0
    # Kas: 3.100.000 in, 1.000.000 lent, then 3.100.000 simpanan less the payoff paid back:
    # 1.000.000 pokok + jasa of instalment 1 (due that day) + the period now running (berjalan).
    payoff = D(1_000_000 + 20_000 + 20_000)
    assert bal["Aset:Kas"] == D(3_100_000) - D(1_000_000) - (D(3_100_000) - payoff)
    assert bal["Pendapatan:Simpan-Pinjam:Jasa"] == -D(40_000)
    listing = json.loads(
        cli("pinjaman", "daftar", "--semua", "--per", "01-03-2025", "-f", "json").output
    )
    assert listing["pinjaman"][0]["status"] == "lunas"
    entries, errors = reload(cli.root)
    assert errors == []


def test_related_party_cap(cli: Cli) -> None:
    cfg = cli.root / "koperasi.yaml"
    cfg.write_text(
        cfg.read_text().replace(
            "  pengurus: []", '  pengurus:\n    - {jabatan: Ketua, nama: "Budi", nak: A0001}'
        )
    )
    for args in (
        ["anggota", "tambah", "Budi", "--tanggal", "02-01-2025"],
        ["simpanan", "setor", "A0001", "pokok", "100rb", "--tanggal", "02-01-2025"],
        ["simpanan", "setor", "A0001", "wajib", "100rb", "--tanggal", "02-01-2025"],
    ):
        assert cli(*args).exit_code == 0
    # Modal sendiri = Rp200.000, so a related party may borrow at most Rp20.000.
    r = cli(
        "pinjaman",
        "cair",
        "A0001",
        "100rb",
        "--tenor",
        "5",
        "--jasa",
        "1",
        "--tanggal",
        "03-01-2025",
    )
    assert r.exit_code == 1 and "pengurus/pengawas" in r.output


def test_member_card_shows_loans(usp: Cli) -> None:
    data = json.loads(usp("anggota", "lihat", "A0001", "-f", "json").output)
    assert data["pinjaman"][0]["id"] == "PJ-2025-0001"
    assert data["pinjaman"][0]["sisa_pokok"] == 5_000_000


# --- issue #23: loan events judged over the loan's whole timeline ---------------------------


def _receivable(cli: Cli, nak: str = "A0001") -> Decimal:
    return ledger.load(Paths(cli.root), fresh=True).balance(f"Aset:Piutang-Pinjaman:{nak}")


def test_payment_dated_before_a_later_payoff_is_refused(kdmp: Cli) -> None:
    _ok(kdmp, "pinjaman", "lunasi", "PJ-2025-0001", "--tanggal", "15-06-2025")
    out = _refused(kdmp, "pinjaman", "angsur", "PJ-2025-0001", "500.000", "--tanggal", "01-04-2025")
    assert "sudah dilunasi pada 15-06-2025" in out and "sebelum itu" in out
    assert _receivable(kdmp) == 0
    jasa = [t for t in transactions(kdmp.root) if t.meta.get("jenis") == "pinjaman-angsur"]
    assert jasa == []


@pytest.mark.parametrize(
    "ending",
    [
        ["hapus-buku", "PJ-2025-0001", "--alasan", "Meninggal", "--tanggal", "15-06-2025"],
        [
            "restrukturisasi",
            "PJ-2025-0001",
            "--tenor",
            "12",
            "--jasa",
            "1",
            "--alasan",
            "Gagal panen",
            "--tanggal",
            "15-06-2025",
            "--jasa-tertunggak",
            "hapus",
        ],
    ],
)
def test_payment_dated_before_a_later_write_off_or_restructuring_is_refused(
    kdmp: Cli, ending: list[str]
) -> None:
    _ok(kdmp, "pinjaman", *ending)
    out = _refused(kdmp, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "01-03-2025")
    assert "15-06-2025" in out and "sebelum itu" in out
    assert _receivable(kdmp) == (0 if ending[0] == "hapus-buku" else D(1_200_000))
    listing = json.loads(kdmp("pinjaman", "daftar", "--semua", "-f", "json").output)
    assert sum(p["sisa_pokok"] for p in listing["pinjaman"]) == _receivable(kdmp)


def test_ending_dated_before_a_recorded_payment_is_refused(kdmp: Cli) -> None:
    _ok(kdmp, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "01-05-2025")
    for ending in (
        ["lunasi", "PJ-2025-0001", "--tanggal", "01-04-2025"],
        ["hapus-buku", "PJ-2025-0001", "--alasan", "Macet", "--tanggal", "01-04-2025"],
        [
            "restrukturisasi",
            "PJ-2025-0001",
            "--tenor",
            "6",
            "--jasa",
            "1",
            "--alasan",
            "x",
            "--tanggal",
            "01-04-2025",
        ],
    ):
        out = _refused(kdmp, "pinjaman", *ending)
        assert "BKM-2025-000005 (01-05-2025)" in out, out


def test_late_recorded_payment_counts_later_payments(kdmp: Cli) -> None:
    # Instalment 1 recorded on its later date first, then an earlier payment recorded late:
    # what is owed counts both, so jasa is not taken twice and the numbering goes on.
    _ok(kdmp, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "01-05-2025")
    _ok(kdmp, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "01-04-2025")
    pays = [t for t in transactions(kdmp.root) if t.meta.get("jenis") == "pinjaman-angsur"]
    assert [t.narration for t in pays] == [
        "Angsuran pinjaman PJ-2025-0001 ke-2",
        "Angsuran pinjaman PJ-2025-0001 ke-1",
    ]
    bal = ledger.load(Paths(kdmp.root), fresh=True).balances()
    assert bal["Pendapatan:Simpan-Pinjam:Jasa"] == -D(24_000)
    assert bal["Aset:Piutang-Pinjaman:A0001"] == D(1_000_000)
    # Everything still owed is 1.000.000 + 10 x 12.000; one rupiah more is refused.
    out = _refused(
        kdmp, "pinjaman", "angsur", "PJ-2025-0001", "1.120.001", "--tanggal", "01-04-2025"
    )
    assert "melebihi seluruh kewajiban" in out and "Rp1.120.000" in out
    _ok(kdmp, "pinjaman", "angsur", "PJ-2025-0001", "1.120.000", "--tanggal", "02-04-2025")
    assert _receivable(kdmp) == 0
    last = max(transactions(kdmp.root), key=lambda t: t.meta["id"])
    assert last.narration == "Angsuran pinjaman PJ-2025-0001 ke-3 s.d. ke-12 (lunas)"


def test_second_loan_back_dated_before_the_first_is_held_to_the_limits(kdmp: Cli) -> None:
    # On 15-01 alone 30.000.000 fits the plafon (3 x 10.100.000); once PJ-2025-0001 is
    # disbursed on 01-02 both are outstanding: over plafon and over one active loan.
    _ok(
        kdmp,
        "kas",
        "masuk",
        "hibah",
        "30jt",
        "--keterangan",
        "Modal USP",
        "--tanggal",
        "02-01-2025",
    )
    args = [
        "pinjaman",
        "cair",
        "A0001",
        "30jt",
        "--tenor",
        "12",
        "--jasa",
        "1",
        "--tanggal",
        "15-01-2025",
    ]
    out = _refused(kdmp, *args)
    assert "plafon" in out and "pada 01-02-2025" in out
    out = _ok(kdmp, *args, "--pengecualian", "Modal usaha", "--disetujui", "Ketua")
    assert "Pengecualian dicatat" in out
    txn = next(t for t in transactions(kdmp.root) if t.meta.get("pinjaman") == "PJ-2025-0002")
    assert "plafon" in txn.meta["pengecualian"] and txn.meta["disetujui"] == "Ketua"


def test_restructuring_keeps_the_sop_limits(kdmp: Cli) -> None:
    base = ["pinjaman", "restrukturisasi", "PJ-2025-0001", "--alasan", "Gagal panen"]
    base += ["--tanggal", "01-06-2025"]
    out = _refused(kdmp, *base, "--tenor", "12", "--jasa", "5")
    assert "melebihi batas SOP" in out
    out = _refused(kdmp, *base, "--tenor", "60", "--jasa", "1")
    assert "tenor 60 bulan melebihi batas 36 bulan" in out and "--pengecualian" in out
    _refused(kdmp, *base, "--tenor", "60", "--jasa", "1", "--pengecualian", "Bencana")
    out = _ok(
        kdmp,
        *base,
        "--tenor",
        "60",
        "--jasa",
        "1",
        "--pengecualian",
        "Bencana",
        "--disetujui",
        "Ketua",
        "--jasa-tertunggak",
        "hapus",
    )
    assert "Pengecualian dicatat" in out
    listing = json.loads(kdmp("pinjaman", "daftar", "-f", "json").output)
    loan = next(p for p in listing["pinjaman"] if p["id"] == "PJ-2025-0002")
    assert loan["tenor"] == 60 and loan["disetujui"] == "Ketua"
    assert "tenor 60" in loan["pengecualian"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cair", "A0002", "1jt", "--tenor", "12", "--jasa", "0,0000001"], "terlalu teliti"),
        (["cair", "A0002", "1jt", "--tenor", "12", "--jasa", "1e-30"], "bukan angka persen"),
    ],
)
def test_absurd_rates_are_refused_in_indonesian(kdmp: Cli, args: list[str], message: str) -> None:
    out = _refused(kdmp, "pinjaman", *args, "--tanggal", "01-02-2025")
    assert message in out


def test_simulation_with_a_tiny_rate_is_a_plain_error(tmp_path: Path) -> None:
    run = Cli(tmp_path / "tidak-ada")
    r = run(
        "pinjaman", "simulasi", "1jt", "--tenor", "12", "--jasa", "1e-30", "--metode", "anuitas"
    )
    assert r.exit_code == 1 and "bukan angka persen" in r.output, r.output
    s = sched.build(D(1_000_000), 12, D("1E-30"), "anuitas", dt.date(2025, 1, 1))
    assert sum(i.pokok for i in s.angsuran) == 1_000_000


def _append(cli: Cli, text: str) -> ledger.Book:
    """A hand edit of the journal, as `kkmp periksa` finds it."""
    path = Paths(cli.root).year_file(2025)
    path.write_text(path.read_text() + "\n" + text.strip() + "\n", encoding="utf-8")
    return ledger.load(Paths(cli.root), fresh=True)


def test_portfolio_checks_are_clean_for_what_kkmp_writes(kdmp: Cli) -> None:
    _ok(kdmp, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "01-03-2025")
    _ok(kdmp, "pinjaman", "lunasi", "PJ-2025-0001", "--tanggal", "15-06-2025")
    assert checks.findings(ledger.load(Paths(kdmp.root), fresh=True)) == []


def test_portfolio_checks_find_payments_after_payoff_and_overpayment(kdmp: Cli) -> None:
    _ok(kdmp, "pinjaman", "lunasi", "PJ-2025-0001", "--tanggal", "15-06-2025")
    book = _append(
        kdmp,
        """
2025-07-01 * "Ani" "Angsuran tulisan tangan" ^PJ-2025-0001
  id: "BKM-2025-000099"
  anggota: "A0001"
  jenis: "pinjaman-angsur"
  pinjaman: "PJ-2025-0001"
  Aset:Kas                        100000 IDR
  Aset:Piutang-Pinjaman:A0001    -100000 IDR
""",
    )
    messages = [f.message for f in checks.findings(book)]
    assert any("sisa pokok menjadi -Rp100.000" in m for m in messages), messages
    assert any("sudah selesai pada 15-06-2025" in m and "BKM-2025-000099" in m for m in messages)
    assert any("tidak sama dengan sisa pokok portofolio" in m for m in messages), messages


OVER_LIMIT = """
2025-01-15 * "Ani" "Pencairan tulisan tangan" ^PJ-2025-0002
  id: "BKK-2025-000099"
  anggota: "A0001"
  jenis: "pinjaman-cair"
  pinjaman: "PJ-2025-0002"
  pokok: 30000000
  tenor: 48
  jasa_persen: 1
  metode: "flat"
  Aset:Piutang-Pinjaman:A0001   30000000 IDR
  Aset:Kas                     -30000000 IDR
"""


def test_portfolio_checks_find_a_loan_over_the_limits_without_exception(kdmp: Cli) -> None:
    book = _append(kdmp, OVER_LIMIT)
    # Judged on what the ledger holds: on 01-02 both loans are outstanding together, so
    # PJ-2025-0001 is over the limits too from that day (it was disbursed on top of the other).
    found = checks.findings(book)
    assert sorted(f.message.split(" melanggar")[0] for f in found) == [
        "pinjaman PJ-2025-0001",
        "pinjaman PJ-2025-0002",
    ]
    assert all(f.lineno > 0 and "tanpa pengecualian" in f.message for f in found)
    message = next(f.message for f in found if "PJ-2025-0002" in f.message)
    assert "tenor 48 bulan" in message and "plafon" in message and "pada 01-02-2025" in message
    assert sorted(b.loan.id for b in checks.breaches(book)) == ["PJ-2025-0001", "PJ-2025-0002"]


def test_rat_compliance_counts_the_loans_the_ledger_holds_over_the_limits(kdmp: Cli) -> None:
    book = ledger.load(Paths(kdmp.root), fresh=True)
    row = next(
        r for r in rat.checks(book, 2025, config.RatInputs()) if "batas SOP" in r["pemeriksaan"]
    )
    assert row["hasil"] == "Sesuai" and row["angka"] == "0 pinjaman"
    book = _append(kdmp, OVER_LIMIT)
    row = next(
        r for r in rat.checks(book, 2025, config.RatInputs()) if "batas SOP" in r["pemeriksaan"]
    )
    assert row["hasil"] == "Tidak sesuai"
    assert row["angka"] == "2 pinjaman: PJ-2025-0002, PJ-2025-0001"


def test_write_off_dated_before_a_later_restructuring_is_refused(kdmp: Cli) -> None:
    _ok(
        kdmp,
        "pinjaman",
        "restrukturisasi",
        "PJ-2025-0001",
        "--tenor",
        "12",
        "--jasa",
        "1",
        "--alasan",
        "Gagal panen",
        "--tanggal",
        "15-06-2025",
        "--jasa-tertunggak",
        "hapus",
    )
    out = _refused(
        kdmp, "pinjaman", "hapus-buku", "PJ-2025-0001", "--alasan", "x", "--tanggal", "01-05-2025"
    )
    assert "sudah direstrukturisasi pada 15-06-2025" in out
    statuses = {
        p["id"]: p["status"]
        for p in json.loads(kdmp("pinjaman", "daftar", "--semua", "-f", "json").output)["pinjaman"]
    }
    assert statuses == {"PJ-2025-0001": "direstrukturisasi", "PJ-2025-0002": "berjalan"}
    assert checks.findings(ledger.load(Paths(kdmp.root), fresh=True)) == []


@pytest.fixture
def restructured(cli: Cli) -> Cli:
    """A 6jt loan of 02-01-2025 at 2 %, nothing paid, restructured on 15-04-2025: its unpaid
    jasa is added to the new principal and deferred."""
    for args in (
        ("kas", "masuk", "hibah", "100jt", "--keterangan", "Hibah", "-t", "02-01-2025"),
        ("anggota", "tambah", "Ani", "-t", "02-01-2025"),
        ("simpanan", "setor", "A0001", "pokok", "100rb", "-t", "02-01-2025"),
        ("pinjaman", "cair", "A0001", "6jt", "--tenor", "6", "--jasa", "2", "-t", "02-01-2025",
         "--pengecualian", "x", "--disetujui", "y"),
        ("pinjaman", "restrukturisasi", "PJ-2025-0001", "--tenor", "6", "--jasa", "1",
         "--alasan", "a", "-t", "15-04-2025"),
    ):  # fmt: skip
        _ok(cli, *args)
    return cli


def test_a_loan_restructured_twice_carries_its_deferred_jasa(restructured: Cli) -> None:
    """The jasa deferred by the first restructuring goes on to the next loan (it was stranded
    and periksa then kept the year from closing, found by an adversarial review, #16)."""
    deferred = "Kewajiban:Jasa-Pinjaman-Ditangguhkan"
    before = ledger.load(Paths(restructured.root), fresh=True).balance(deferred)
    assert before < 0
    _ok(restructured, "pinjaman", "restrukturisasi", "PJ-2025-0002", "--tenor", "6", "--jasa",
        "1", "--alasan", "b", "-t", "20-07-2025")  # fmt: skip
    [second] = [
        t
        for t in transactions(restructured.root)
        if t.meta.get("restrukturisasi_dari") == "PJ-2025-0002"
    ]
    assert Decimal(second.meta["jasa_ditangguhkan"]) >= -before
    assert "Buku bersih" in _ok(restructured, "periksa")
    _ok(restructured, "pinjaman", "cadangkan", "--per", "31-12-2025")
    assert "ditutup dan disegel" in " ".join(_ok(restructured, "tutup-buku", "2025").split())


def test_writing_off_a_restructured_loan_takes_out_its_unearned_jasa(restructured: Cli) -> None:
    """The capitalised jasa never earned is not a loss: the write-off clears it, and the
    expense is the principal lent (found by an adversarial review, #16)."""
    _ok(restructured, "pinjaman", "hapus-buku", "PJ-2025-0002", "--alasan", "meninggal",
        "-t", "01-12-2025")  # fmt: skip
    bal = ledger.load(Paths(restructured.root), fresh=True).balances()
    assert bal.get("Kewajiban:Jasa-Pinjaman-Ditangguhkan", 0) == 0
    assert bal["Beban:Simpan-Pinjam:Penyisihan-Piutang"] == Decimal(6_000_000)
    assert bal.get("Aset:Piutang-Pinjaman:A0001", 0) == 0
    assert "Buku bersih" in _ok(restructured, "periksa")
