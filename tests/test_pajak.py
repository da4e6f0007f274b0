"""PPh Final UMKM (#12, PP 55/2022): 0,5 % of a month's gross turnover, booked once per month,
the difference after a back-dated sale, the window of a cooperative's 4 tax years, paying a
payable, and the year-end checklist."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Cli, ok, refused, today_is, transactions

from kkmp_cli import chart
from kkmp_cli.app import closing as closing_app
from kkmp_cli.core.ledger import Paths, load
from kkmp_cli.errors import KkmpError
from kkmp_cli.tax import pphfinal

D = Decimal


def _pajak(root: Path, **values: object) -> None:
    """Switch PPh final on (and set other pajak keys) in koperasi.yaml."""
    cfg = root / "koperasi.yaml"
    text = cfg.read_text().replace("  pph_final: false", "  pph_final: true")
    for key, value in values.items():
        text = re.sub(rf"(?m)^  {key}: \S+", f"  {key}: {value}", text)
    cfg.write_text(text)


def _balance(root: Path, account: str) -> Decimal:
    return sum(
        (p.units.number for e in transactions(root) for p in e.postings if p.account == account),
        D(0),
    )


@pytest.fixture
def taxed(cli: Cli) -> Cli:
    _pajak(cli.root)
    return cli


def test_march_turnover_of_40_million_owes_200_000(taxed: Cli) -> None:
    """domain.md's worked example: turnover 40.000.000 in March → 200.000 PPh final."""
    ok(taxed, "jasa", "catat", "klinik", "40jt", "--layanan", "Periksa", "--tanggal", "14-03-2025")
    out = ok(taxed, "pajak", "hitung", "--bulan", "2025-03")
    assert "peredaran bruto Rp40.000.000, PPh final 0,5% = Rp200.000" in out
    assert _balance(taxed.root, chart.UTANG_PPH_FINAL) == D(-200_000)
    assert _balance(taxed.root, chart.BEBAN_PAJAK) == D(200_000)
    (entry,) = [e for e in transactions(taxed.root) if e.meta.get("jenis") == "pajak-hitung"]
    assert entry.date.isoformat() == "2025-03-31" and entry.meta["masa"] == "2025-03"
    # Once per month: a second run adds nothing.
    again = ok(taxed, "pajak", "hitung", "--bulan", "2025-03")
    assert "tidak ada yang dicatat" in again
    assert len([e for e in transactions(taxed.root) if e.meta.get("jenis") == "pajak-hitung"]) == 1


def test_a_back_dated_sale_books_only_the_difference(taxed: Cli) -> None:
    ok(taxed, "jasa", "catat", "klinik", "40jt", "--layanan", "Periksa", "--tanggal", "14-03-2025")
    ok(taxed, "pajak", "hitung", "--bulan", "2025-03")
    ok(taxed, "jasa", "catat", "klinik", "2jt", "--layanan", "Periksa", "--tanggal", "20-03-2025")
    out = ok(taxed, "pajak", "hitung", "--bulan", "2025-03")
    assert "Selisih PPh final masa 2025-03" in out and "Rp10.000" in out
    assert "peredaran bruto Rp42.000.000" in out
    assert _balance(taxed.root, chart.UTANG_PPH_FINAL) == D(-210_000)


def test_only_operating_income_counts_as_turnover(kdmp: Cli) -> None:
    """January: simpanan (pokok, sukarela) and a grant are not turnover, nor other income;
    clinic revenue is. March: the loan's jasa and administration count."""
    _pajak(kdmp.root)
    ok(kdmp, "kas", "masuk", "hibah", "50jt", "--tanggal", "05-01-2025")
    ok(kdmp, "kas", "masuk", "lain", "1jt", "--tanggal", "06-01-2025")
    ok(kdmp, "jasa", "catat", "klinik", "3jt", "--layanan", "Periksa", "--tanggal", "07-01-2025")
    out = ok(kdmp, "pajak", "hitung", "--bulan", "2025-01")
    assert "peredaran bruto Rp3.000.000, PPh final 0,5% = Rp15.000" in out
    ok(kdmp, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", "01-03-2025")
    book = load(Paths(kdmp.root))
    # The instalment of 112.000 is 100.000 principal and 12.000 jasa: only the jasa is turnover.
    assert pphfinal.turnover(book, pphfinal.month("2025-03")) == D(12_000)


def test_sales_returns_lower_the_turnover(ledger_from_text) -> None:
    book = ledger_from_text(
        """
        2025-04-02 * "Jasa"
          Aset:Kas  1000000 IDR
          Pendapatan:Simpan-Pinjam:Jasa  -1000000 IDR
        2025-04-03 * "Dikembalikan"
          Pendapatan:Simpan-Pinjam:Jasa  200000 IDR
          Aset:Kas  -200000 IDR
        2025-04-04 * "Selisih kas"
          Aset:Kas  5000 IDR
          Pendapatan:Selisih-Kas  -5000 IDR
        """
    )
    assert pphfinal.turnover(book, pphfinal.month("2025-04")) == D(800_000)


def test_after_the_window_it_refuses_and_names_the_regime(taxed: Cli) -> None:
    said = refused(taxed, "pajak", "hitung", "--bulan", "2029-01", says="di luar jangka waktu")
    assert "2025–2028" in said and "PP 55/2022 Pasal 59" in said
    assert "Pasal 17 ayat (1) huruf b" in said and "Pasal 31E" in said
    refused(taxed, "pajak", "hitung", "--bulan", "2024-12", says="sebelum koperasi terdaftar")


def test_a_cooperative_registered_before_2018_counts_from_2018(cli: Cli) -> None:
    _pajak(cli.root, terdaftar_sejak=2010)
    book = load(Paths(cli.root))
    assert (book.config.pajak.tahun_pertama, book.config.pajak.tahun_terakhir) == (2018, 2021)
    refused(cli, "pajak", "hitung", "--bulan", "2025-01", says="sejak 2022 berlaku tarif umum")


def test_refusals_leave_the_books_unchanged(cli: Cli, taxed: Cli) -> None:
    refused(taxed, "pajak", "hitung", "--bulan", "2025-13", says="TAHUN-BULAN")
    refused(taxed, "pajak", "hitung", "--bulan", "maret", says="TAHUN-BULAN")
    refused(taxed, "pajak", "hitung", "--bulan", "2099-01", says="di luar jangka waktu")
    _pajak(taxed.root, jangka_tahun=100)
    refused(taxed, "pajak", "hitung", "--bulan", "2099-01", says="belum berakhir")


def test_off_by_default(cli: Cli) -> None:
    refused(cli, "pajak", "hitung", "--bulan", "2025-03", says="PPh final 0,5% tidak aktif")


def test_a_closed_year_is_refused(taxed: Cli) -> None:
    ok(taxed, "tutup-buku", "2025")
    refused(taxed, "pajak", "hitung", "--bulan", "2025-03", says="sudah ditutup")


def test_unknown_config_key_is_refused_by_name(cli: Cli) -> None:
    cfg = cli.root / "koperasi.yaml"
    cfg.write_text(cfg.read_text().replace("  pph_final: false", "  pph_finale: true"))
    r = cli("pajak", "hitung", "--bulan", "2025-03")
    assert r.exit_code == 1 and "pph_finale" in r.output and "tidak dikenal" in r.output


def test_setor_pays_a_payable_of_one_month(taxed: Cli) -> None:
    ok(taxed, "jasa", "catat", "klinik", "40jt", "--layanan", "Periksa", "--tanggal", "14-03-2025")
    ok(taxed, "pajak", "hitung", "--bulan", "2025-03")
    args = ("--masa", "2025-03", "--tanggal", "10-04-2025", "--via", "kas")
    refused(taxed, "pajak", "setor", "pph-final-umkm", "200.001", *args, says="melebihi")
    refused(taxed, "pajak", "setor", "pph-final-umkm", "1", "--masa", "2025-04",
            "--tanggal", "10-04-2025", "--via", "kas", says="(Rp0)")  # fmt: skip
    refused(taxed, "pajak", "setor", "ppn", "1000", *args, says="Jenis pajak 'ppn' tidak dikenal")
    refused(taxed, "pajak", "setor", "pph-final-umkm", "0", *args, says="Galat:")
    out = ok(
        taxed, "pajak", "setor", "PPh-Final-UMKM", "200rb", *args, "--ntpn", "0A1B2C3D4E5F6G7H"
    )
    assert "Setoran pph-final-umkm masa 2025-03 Rp200.000 dicatat." in out
    (paid,) = [e for e in transactions(taxed.root) if e.meta.get("jenis") == "pajak-setor"]
    assert paid.meta["ntpn"] == "0A1B2C3D4E5F6G7H" and paid.meta["masa"] == "2025-03"
    assert _balance(taxed.root, chart.UTANG_PPH_FINAL) == 0
    refused(taxed, "pajak", "setor", "pph-final-umkm", "1", *args, says="melebihi")
    assert "tidak ada temuan" in ok(taxed, "periksa")


def test_setor_pays_any_tax_payable_by_its_leaf(ledger_from_text) -> None:
    """The savings engineer's Kewajiban:Utang-Pajak:PPh-Final-Bunga is paid by `pph-final-bunga`
    (entries without `masa:` belong to the month of their date)."""
    book = ledger_from_text(
        """
        2025-01-01 open Kewajiban:Utang-Pajak:PPh-Final-Bunga IDR
          golongan: "kewajiban-pendek"
          arus-kas: "operasi"
        2025-01-31 * "Jasa simpanan"
          Beban:Lain-Lain  30000 IDR
          Kewajiban:Utang-Pajak:PPh-Final-Bunga  -30000 IDR
        """
    )
    assert "pph-final-bunga" in pphfinal.tax_accounts(book)
    account = "Kewajiban:Utang-Pajak:PPh-Final-Bunga"
    assert pphfinal.outstanding(book, account, "2025-01") == D(30_000)
    import datetime as dt

    (entry,) = pphfinal.plan_pay(
        book, "pph-final-bunga", pphfinal.month("2025-01"), D(30_000), dt.date(2025, 2, 10),
        via="kas",
    )  # fmt: skip
    assert [p.account for p in entry.postings] == [account, "Aset:Kas"]


def test_year_end_checklist_wants_every_month(taxed: Cli) -> None:
    ok(taxed, "jasa", "catat", "klinik", "40jt", "--layanan", "Periksa", "--tanggal", "14-03-2025")
    out = ok(taxed, "tutup-buku", "2025", "--periksa")
    assert "masa 2025-03: terutang Rp200.000, dibukukan Rp0" in " ".join(out.split())
    refused(taxed, "tutup-buku", "2025", says="masih terbuka")
    ok(taxed, "pajak", "hitung", "--bulan", "2025-03")
    out = ok(taxed, "tutup-buku", "2025", "--periksa")
    assert "siap ditutup" in out


def test_checklist_item_not_applicable_when_off(cli: Cli) -> None:
    out = " ".join(ok(cli, "tutup-buku", "2025", "--periksa").split())
    assert "pajak.pph_final tidak aktif" in out


def test_the_tax_report_of_the_year(taxed: Cli) -> None:
    import json

    ok(taxed, "jasa", "catat", "klinik", "40jt", "--layanan", "Periksa", "--tanggal", "14-03-2025")
    ok(taxed, "pajak", "hitung", "--bulan", "2025-03")
    ok(taxed, "gaji", "bayar", "Sari", "5jt", "--bulan", "2025-03", "--pegawai", "bukan-pegawai",
       "--tanggal", "25-03-2025")  # fmt: skip
    ok(taxed, "pajak", "setor", "pph-final-umkm", "200rb", "--masa", "2025-03",
       "--tanggal", "10-04-2025", "--via", "kas")  # fmt: skip
    report = json.loads(ok(taxed, "laporan", "pajak", "--tahun", "2025", "--format", "json"))
    march = report["bulan"][2]
    assert (march["masa"], march["peredaran"], march["pph_final_terutang"]) == (
        "2025-03", 40_000_000, 200_000
    )  # fmt: skip
    assert march["pajak"]["pph-final-umkm"] == {"dipotong": 200_000, "disetor": 200_000}
    assert march["pajak"]["pph-21"] == {"dipotong": 125_000, "disetor": 0}
    assert report["terutang_akhir_tahun"] == {"pph-21": 125_000, "pph-final-umkm": 0}
    text = " ".join(ok(taxed, "laporan", "pajak", "--tahun", "2025").split())
    assert "Utang pph-21 per 31-12-2025: Rp125.000" in text
    # SHU paid to members: no withholding, and the report says why (UU PPh Pasal 4 ayat (3) f)
    assert "SHU yang dibagikan kepada anggota bukan objek PPh" in text
    assert "PMK 18/2021" in report["shu_anggota"]


def test_shu_anggota_accepts_only_the_rule_the_law_gives(cli) -> None:
    path = cli.root / "koperasi.yaml"
    text = path.read_text()
    path.write_text(text.replace("shu_anggota: dikecualikan", "shu_anggota: potong"))
    refused(cli, "periksa", says="shu_anggota")


def test_periksa_finds_a_tax_paid_beyond_what_is_owed_and_a_broken_wage(ledger_from_text) -> None:
    from kkmp_cli.tax import checks

    book = ledger_from_text(
        """
        2025-01-01 open Kewajiban:Utang-Pajak:PPh-21 IDR
          golongan: "kewajiban-pendek"
          arus-kas: "operasi"
        2025-01-25 * "Gaji 2025-01 - Budi"
          id: "BKK-2025-000001"
          jenis: "gaji-bayar"
          nama: "Budi"
          pegawai: "tetap"
          masa: "2025-01"
          bruto: "10000000"
          pph21: "200000"
          neto: "9900000"
          Beban:Gaji  10000000 IDR
          Kewajiban:Utang-Pajak:PPh-21  -100000 IDR
          Aset:Kas  -9900000 IDR
        2025-02-10 * "Setor"
          jenis: "pajak-setor"
          masa: "2025-01"
          Kewajiban:Utang-Pajak:PPh-21  150000 IDR
          Aset:Kas  -150000 IDR
        """
    )
    messages = [f.message for f in checks.findings(book)]
    assert any("bruto - PPh 21 - BPJS ≠ bersih" in m for m in messages)
    assert any("posting PPh 21 ≠ pph21" in m for m in messages)
    assert any("masa 2025-01 dibayar melebihi yang terutang" in m for m in messages)


def test_a_year_above_the_ceiling_ends_the_final_rate_the_next_year(cli: Cli) -> None:
    """PP 55/2022 Pasal 57: above the ceiling (here lowered to Rp50 juta) in 2025, the final
    rate still applies to 2025, and from 2026 the general regime does."""
    _pajak(cli.root, batas_peredaran=50000000)
    ok(cli, "jasa", "catat", "klinik", "60jt", "--layanan", "Periksa", "--tanggal", "14-03-2025")
    out = ok(cli, "pajak", "hitung", "--bulan", "2025-03")
    assert "PPh final 0,5% = Rp300.000" in out
    said = refused(cli, "pajak", "hitung", "--bulan", "2026-01", says="melebihi Rp50.000.000")
    assert "sejak 2026 berlaku tarif umum PPh badan" in said


# --- A corrected sale after its month was paid (adversarial review, finding aset #2) ---

LEBIH_BAYAR_FINAL = "Aset:Lebih-Bayar-Pajak:PPh-Final-UMKM"


def _typo_paid(cli: Cli) -> str:
    """A 10jt typo sale in March (should have been 1jt), taxed Rp50.000 and paid: its document."""
    ok(cli, "kas", "masuk", "hibah", "20jt", "--tanggal", "02-01-2025")
    said = ok(cli, "jasa", "catat", "klinik", "10jt", "--layanan", "Periksa (salah ketik)",
              "--tanggal", "15-03-2025")  # fmt: skip
    ok(cli, "pajak", "hitung", "--bulan", "2025-03")
    ok(cli, "pajak", "setor", "pph-final-umkm", "50rb", "--masa", "2025-03",
       "--tanggal", "10-04-2025", "--via", "kas")  # fmt: skip
    return next(w for w in said.split() if w.startswith("BKM-"))


def test_a_sale_corrected_after_its_month_was_paid_is_an_overpayment(taxed: Cli) -> None:
    """The nota reversed within March: March owes 5.000 on 1jt; the 45.000 paid beyond it is an
    overpayment (lebih bayar) in the books, periksa stays clean and the year can be closed."""
    typo = _typo_paid(taxed)
    ok(taxed, "koreksi", typo, "--alasan", "salah nominal", "--tanggal", "31-03-2025")
    ok(taxed, "jasa", "catat", "klinik", "1jt", "--layanan", "Periksa", "--tanggal", "31-03-2025")
    out = " ".join(ok(taxed, "pajak", "hitung", "--bulan", "2025-03").split())
    assert "peredaran bruto Rp1.000.000, PPh final 0,5% = Rp5.000" in out
    assert "lebih bayar Rp45.000" in out, out
    assert _balance(taxed.root, chart.UTANG_PPH_FINAL) == 0
    assert _balance(taxed.root, LEBIH_BAYAR_FINAL) == D(45_000)
    assert _balance(taxed.root, chart.BEBAN_PAJAK) == D(5_000)
    assert "tidak ada temuan" in ok(taxed, "periksa")
    report = json.loads(ok(taxed, "laporan", "pajak", "--tahun", "2025", "--format", "json"))
    assert report["lebih_bayar_akhir_tahun"] == {"pph-final-umkm": 45_000}
    text = " ".join(ok(taxed, "laporan", "pajak", "--tahun", "2025").split())
    assert "Lebih bayar pph-final-umkm per 31-12-2025: Rp45.000" in text
    # A re-run books nothing more; the refund from the tax office settles the overpayment.
    assert "tidak ada yang dicatat" in ok(taxed, "pajak", "hitung", "--bulan", "2025-03")
    args = ("--masa", "2025-03", "--tanggal", "10-06-2025", "--via", "kas")
    refused(taxed, "pajak", "restitusi", "pph-final-umkm", "45.001", *args, says="Rp45.000")
    refused(taxed, "pajak", "restitusi", "pph-final-umkm", "1", "--masa", "2025-04",
            "--tanggal", "10-06-2025", says="(Rp0)")  # fmt: skip
    # PPh final UMKM paid is the SPT Masa itself: no pemindahbukuan to another month.
    refused(taxed, "pajak", "kompensasi", "pph-final-umkm", "45rb", "--dari", "2025-03",
            "--masa", "2025-04", "--tanggal", "10-05-2025", says="PMK 81/2024")  # fmt: skip
    ok(taxed, "pajak", "restitusi", "pph-final-umkm", "45rb", *args)
    assert _balance(taxed.root, LEBIH_BAYAR_FINAL) == 0
    assert "tidak ada temuan" in ok(taxed, "periksa")
    for month in range(1, 13):
        ok(taxed, "pajak", "hitung", "--bulan", f"2025-{month:02d}")
    ok(taxed, "tutup-buku", "2025")


def test_a_correction_dated_a_later_month_counts_in_the_sale_s_month(taxed: Cli) -> None:
    """The typo reversed in April (the koreksi's usual date): March's turnover falls to 0, not
    April's below zero; April owes its own 0,5 %, March's payment becomes an overpayment."""
    typo = _typo_paid(taxed)
    ok(taxed, "jasa", "catat", "klinik", "3jt", "--layanan", "April", "--tanggal", "12-04-2025")
    ok(taxed, "koreksi", typo, "--alasan", "salah nominal", "--tanggal", "20-04-2025")
    ok(taxed, "jasa", "catat", "klinik", "1jt", "--layanan", "Maret", "--tanggal", "20-04-2025")
    book = load(Paths(taxed.root))
    assert pphfinal.turnover(book, pphfinal.month("2025-03")) == 0
    assert pphfinal.turnover(book, pphfinal.month("2025-04")) == D(4_000_000)
    out = " ".join(ok(taxed, "pajak", "hitung", "--bulan", "2025-04").split())
    assert "peredaran bruto Rp4.000.000, PPh final 0,5% = Rp20.000" in out
    assert "Sudah dibukukan" not in out
    assert "2025-03" in ok(taxed, "tutup-buku", "2025", "--periksa")
    assert "PPh final masa 2025-03 dibukukan Rp50.000" in " ".join(taxed("periksa").output.split())
    out = " ".join(ok(taxed, "pajak", "hitung", "--bulan", "2025-03").split())
    assert "lebih bayar Rp50.000" in out, out
    assert _balance(taxed.root, chart.BEBAN_PAJAK) == D(20_000)
    assert _balance(taxed.root, LEBIH_BAYAR_FINAL) == D(50_000)
    assert "tidak ada temuan" in ok(taxed, "periksa")


def test_a_month_with_nothing_to_book_does_not_say_it_was_booked(taxed: Cli) -> None:
    out = ok(taxed, "pajak", "hitung", "--bulan", "2025-05")
    assert "Sudah dibukukan" not in out and "tidak ada yang dicatat" in out, out


def test_periksa_names_a_booked_month_whose_turnover_changed(taxed: Cli) -> None:
    ok(taxed, "jasa", "catat", "klinik", "40jt", "--layanan", "Periksa", "--tanggal", "14-03-2025")
    ok(taxed, "pajak", "hitung", "--bulan", "2025-03")
    ok(taxed, "jasa", "catat", "klinik", "2jt", "--layanan", "Periksa", "--tanggal", "20-03-2025")
    r = taxed("periksa")
    assert r.exit_code != 0, r.output
    said = " ".join(r.output.split())
    assert "PPh final masa 2025-03 dibukukan Rp200.000, terutang Rp210.000" in said, said
    assert "kkmp pajak hitung --bulan 2025-03" in said
    ok(taxed, "pajak", "hitung", "--bulan", "2025-03")
    assert "tidak ada temuan" in ok(taxed, "periksa")


def _overpaid_march(cli: Cli) -> str:
    """March taxed Rp50.000 and paid, then its typo sale corrected: March owes Rp5.000, and the
    Rp45.000 paid beyond it is its lebih bayar. The payment's document."""
    typo = _typo_paid(cli)
    ok(cli, "koreksi", typo, "--alasan", "salah nominal", "--tanggal", "31-03-2025")
    ok(cli, "jasa", "catat", "klinik", "1jt", "--layanan", "Periksa", "--tanggal", "31-03-2025")
    ok(cli, "pajak", "hitung", "--bulan", "2025-03")
    assert _balance(cli.root, LEBIH_BAYAR_FINAL) == D(45_000)
    (paid,) = [e for e in transactions(cli.root) if e.meta.get("jenis") == pphfinal.PAY]
    return str(paid.meta["id"])


def test_a_payment_taken_back_takes_the_month_s_lebih_bayar_first(taxed: Cli) -> None:
    """The payment of an overpaid month reversed (code review, #12): the month paid nothing, so
    it owes its whole tax and has nothing to claim back; the lebih bayar does not stand beside
    the debt it should have lowered."""
    paid = _overpaid_march(taxed)
    ok(taxed, "koreksi", paid, "--alasan", "setoran tidak jadi", "--tanggal", "15-04-2025")
    assert _balance(taxed.root, chart.UTANG_PPH_FINAL) == D(-5_000)
    assert _balance(taxed.root, LEBIH_BAYAR_FINAL) == 0
    assert "tidak ada temuan" in ok(taxed, "periksa")
    args = ("--masa", "2025-03", "--tanggal", "20-04-2025", "--via", "kas")
    refused(taxed, "pajak", "restitusi", "pph-final-umkm", "1", *args, says="(Rp0)")
    refused(taxed, "pajak", "setor", "pph-final-umkm", "5.001", *args, says="(Rp5.000)")
    ok(taxed, "pajak", "setor", "pph-final-umkm", "5rb", *args)
    assert _balance(taxed.root, chart.UTANG_PPH_FINAL) == 0
    assert "tidak ada temuan" in ok(taxed, "periksa")


def test_a_payment_whose_lebih_bayar_was_refunded_is_not_taken_back_first(taxed: Cli) -> None:
    """Refunded, the lebih bayar came from that payment: its reversal would leave a refund of
    money never paid, so the refund's koreksi comes first."""
    paid = _overpaid_march(taxed)
    ok(taxed, "pajak", "restitusi", "pph-final-umkm", "45rb", "--masa", "2025-03",
       "--tanggal", "10-06-2025", "--via", "kas")  # fmt: skip
    refused(taxed, "koreksi", paid, "--alasan", "x", "--tanggal", "15-06-2025",
            says="koreksi dulu restitusinya atau kompensasinya")  # fmt: skip
    (refund,) = [e for e in transactions(taxed.root) if e.meta.get("jenis") == pphfinal.REFUND]
    ok(taxed, "koreksi", str(refund.meta["id"]), "--alasan", "x", "--tanggal", "15-06-2025")
    ok(taxed, "koreksi", paid, "--alasan", "x", "--tanggal", "15-06-2025")
    assert _balance(taxed.root, chart.UTANG_PPH_FINAL) == D(-5_000)
    assert _balance(taxed.root, LEBIH_BAYAR_FINAL) == 0
    assert "tidak ada temuan" in ok(taxed, "periksa")


def _december_sale_taxed_and_2025_closed(taxed: Cli) -> str:
    """A Rp10.000.000 klinik sale on 10-12-2025, every month of 2025 taxed and the year closed:
    the sale's document number."""
    ok(taxed, "kas", "masuk", "hibah", "20jt", "--tanggal", "02-01-2025")
    said = ok(taxed, "jasa", "catat", "klinik", "10jt", "--layanan", "Periksa",
              "--tanggal", "10-12-2025")  # fmt: skip
    sale = next(w for w in said.split() if w.startswith("BKM-"))
    for month in range(1, 13):
        ok(taxed, "pajak", "hitung", "--bulan", f"2025-{month:02d}")
    ok(taxed, "tutup-buku", "2025")
    return sale


def test_a_closed_month_changed_by_a_correction_of_an_open_year_is_booked_there(
    taxed: Cli,
) -> None:
    """A December sale taxed, the year closed, its tax paid in January, then the sale reversed
    by a koreksi dated in the open year: December's turnover falls to 0. `pajak hitung` books
    the difference in the open year (the koreksi's date), so the Rp50.000 paid is December's
    lebih bayar, refundable; the closed year's files are untouched (adversarial review, #12)."""
    sale = _december_sale_taxed_and_2025_closed(taxed)
    sealed = {p: p.read_bytes() for p in taxed.root.rglob("*2025*") if p.is_file()}
    ok(taxed, "pajak", "setor", "pph-final-umkm", "50rb", "--masa", "2025-12",
       "--tanggal", "10-01-2026", "--via", "kas")  # fmt: skip
    # A closed month whose turnover nothing changed is still refused.
    refused(taxed, "pajak", "hitung", "--bulan", "2025-11", says="sudah ditutup")
    ok(taxed, "koreksi", sale, "--alasan", "nota batal", "--tanggal", "15-01-2026")
    r = taxed("periksa")
    said = " ".join(r.output.split())
    assert r.exit_code != 0, said
    assert "PPh final masa 2025-12 dibukukan Rp50.000, terutang Rp0" in said, said
    assert "kkmp pajak hitung --bulan 2025-12" in said
    out = " ".join(ok(taxed, "pajak", "hitung", "--bulan", "2025-12").split())
    assert "peredaran bruto Rp0" in out and "lebih bayar Rp50.000" in out, out
    (entry,) = [
        e
        for e in transactions(taxed.root)
        if e.meta.get("jenis") == "pajak-hitung" and e.date.year == 2026
    ]
    assert entry.date.isoformat() == "2026-01-15" and entry.meta["masa"] == "2025-12"
    assert _balance(taxed.root, chart.UTANG_PPH_FINAL) == 0
    assert _balance(taxed.root, LEBIH_BAYAR_FINAL) == D(50_000)
    assert {p: p.read_bytes() for p in taxed.root.rglob("*2025*") if p.is_file()} == sealed
    assert "tidak ada temuan" in ok(taxed, "periksa")
    assert "tidak ada yang dicatat" in ok(taxed, "pajak", "hitung", "--bulan", "2025-12")
    ok(taxed, "pajak", "restitusi", "pph-final-umkm", "50rb", "--masa", "2025-12",
       "--tanggal", "20-01-2026", "--via", "kas")  # fmt: skip
    assert _balance(taxed.root, LEBIH_BAYAR_FINAL) == 0
    assert "tidak ada temuan" in ok(taxed, "periksa")
    report = json.loads(ok(taxed, "laporan", "pajak", "--tahun", "2025", "--format", "json"))
    (december,) = [row for row in report["bulan"] if row["masa"] == "2025-12"]
    final = december["pajak"]["pph-final-umkm"]
    assert december["peredaran"] == december["pph_final_terutang"] == final["dipotong"] == 0
    assert final["disetor"] == 50_000  # paid beyond the tax, refunded in 2026


def test_a_closed_month_changed_by_a_correction_of_a_year_closed_later(
    taxed: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A December 2025 sale taxed and 2025 closed, its tax paid, the sale reversed by a koreksi
    dated 2026: closing 2026 is refused while periksa names the stale month. Closed anyway
    (PPh final switched off in koperasi.yaml meanwhile, so nothing judged the month), `pajak
    hitung` then books December's difference on 1 January of the first open year, 2027,
    leaving both sealed years untouched and the books clean (the last round's open test, #12)."""
    sale = _december_sale_taxed_and_2025_closed(taxed)
    ok(taxed, "pajak", "setor", "pph-final-umkm", "50rb", "--masa", "2025-12",
       "--tanggal", "10-01-2026", "--via", "kas")  # fmt: skip
    ok(taxed, "koreksi", sale, "--alasan", "nota batal", "--tanggal", "15-01-2026")
    paths = Paths(taxed.root)
    after_2026 = dt.date(2027, 1, 5)
    today_is(monkeypatch, after_2026)  # the closing's 31-12-2026 is not ahead of kkmp's today
    with pytest.raises(KkmpError, match="kkmp pajak hitung --bulan 2025-12"):
        closing_app.close_year(paths, 2026, today=after_2026, waived={"penyisihan": "uji"})
    cfg = taxed.root / "koperasi.yaml"
    cfg.write_text(cfg.read_text().replace("  pph_final: true", "  pph_final: false"))
    closing_app.close_year(paths, 2026, today=after_2026, waived={"penyisihan": "uji"})
    _pajak(taxed.root)
    sealed = {
        p: p.read_bytes()
        for year in ("2025", "2026")
        for p in taxed.root.rglob(f"*{year}*")
        if p.is_file()
    }
    r = taxed("periksa")
    assert r.exit_code != 0 and "kkmp pajak hitung --bulan 2025-12" in r.output, r.output
    out = " ".join(ok(taxed, "pajak", "hitung", "--bulan", "2025-12").split())
    assert "peredaran bruto Rp0" in out and "lebih bayar Rp50.000" in out, out
    (entry,) = [
        e
        for e in transactions(taxed.root)
        if e.meta.get("jenis") == "pajak-hitung" and e.date.year > 2025
    ]
    assert entry.date == dt.date(2027, 1, 1) and entry.meta["masa"] == "2025-12"
    assert str(entry.meta["id"]).startswith("BM-2027-")
    assert _balance(taxed.root, chart.UTANG_PPH_FINAL) == 0
    assert _balance(taxed.root, LEBIH_BAYAR_FINAL) == D(50_000)
    assert {p: p.read_bytes() for p in sealed} == sealed
    assert "tidak ada temuan" in ok(taxed, "periksa")
    assert "tidak ada yang dicatat" in ok(taxed, "pajak", "hitung", "--bulan", "2025-12")
    report = json.loads(ok(taxed, "laporan", "pajak", "--tahun", "2025", "--format", "json"))
    (december,) = [row for row in report["bulan"] if row["masa"] == "2025-12"]
    assert december["pph_final_terutang"] == december["pajak"]["pph-final-umkm"]["dipotong"] == 0
    assert december["pajak"]["pph-final-umkm"]["disetor"] == 50_000
