"""Books that cannot silently go wrong: kkmp's own rules judged over the whole timeline.

Each test reproduces a sequence that once left wrong books while `kkmp periksa` said they were
clean (issues #17 and #23), and checks that it is now refused with nothing written, or reported.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import Cli, reload, snapshot, today_is, transactions
from conftest import refused as _refused
from conftest import run as _run

from kkmp_cli import app
from kkmp_cli.closing import audit
from kkmp_cli.core.ledger import Paths

D = Decimal


def _two_members(cli: Cli) -> None:
    _run(
        cli,
        "anggota|tambah|Siti Aminah|--tanggal|02-01-2025",
        "anggota|tambah|Budi Santoso|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|sukarela|10jt|--tanggal|02-01-2025",
        "simpanan|setor|A0002|sukarela|10jt|--tanggal|02-01-2025",
    )


def _clean(cli: Cli) -> None:
    r = cli("periksa")
    assert r.exit_code == 0, r.output


def _balance(root, account: str) -> Decimal:
    total = D(0)
    for txn in transactions(root):
        for p in txn.postings:
            if p.account == account:
                total += p.units.number
    return total


# --- #17.1: a reversal is not a withdrawal -------------------------------------------------


def test_correcting_a_wajib_deposit_keeps_the_books_clean_and_the_year_closable(cli: Cli) -> None:
    _run(
        cli,
        "anggota|tambah|Siti Aminah|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|wajib|10rb|--tanggal|05-01-2025",
    )
    wajib = [
        t
        for t in transactions(cli.root)
        if "Ekuitas:Simpanan-Wajib:A0001" in {p.account for p in t.postings}
    ]
    _run(cli, f"koreksi|{wajib[0].meta['id']}|--alasan|salah anggota|--tanggal|06-01-2025")
    _clean(cli)
    assert _balance(cli.root, "Ekuitas:Simpanan-Wajib:A0001") == 0
    _run(cli, "tutup-buku|2025")
    _clean(cli)


# --- #17.2: a member who left cannot transact, not even back-dated ------------------------


def test_nothing_may_be_recorded_for_a_member_who_left(cli: Cli) -> None:
    _two_members(cli)
    _run(cli, "anggota|keluar|A0001|--tanggal|30-06-2025|--alasan|Pindah")
    exit_doc = next(
        t.meta["id"] for t in transactions(cli.root) if t.meta.get("jenis") == "keluar-anggota"
    )
    # Dated before the exit: would change what the exit paid out.
    _refused(
        cli, "simpanan", "setor", "A0001", "wajib", "10rb", "--tanggal", "01-06-2025", says=exit_doc
    )
    _refused(
        cli,
        "pinjaman",
        "cair",
        "A0001",
        "1jt",
        "--tenor",
        "10",
        "--jasa",
        "1",
        "--tanggal",
        "01-06-2025",
        says=exit_doc,
    )
    # On or after the exit.
    _refused(
        cli, "simpanan", "setor", "A0001", "wajib", "10rb", "--tanggal", "01-07-2025", says="keluar"
    )
    _refused(
        cli, "simpanan", "setor", "A0001", "wajib", "10rb", "--tanggal", "30-06-2025", says="keluar"
    )
    # A correction of the member's old deposit changes the payout too.
    deposit = next(
        t.meta["id"]
        for t in transactions(cli.root)
        if "Kewajiban:Simpanan-Sukarela:A0001" in {p.account for p in t.postings}
        and t.meta.get("jenis") != "keluar-anggota"
    )
    _refused(cli, "koreksi", deposit, "--alasan", "salah", "--tanggal", "10-07-2025", says="keluar")
    # The other member is not affected.
    _run(cli, "simpanan|setor|A0002|wajib|10rb|--tanggal|01-06-2025")
    _clean(cli)


def test_periksa_reports_an_account_closed_with_money_in_it(cli: Cli) -> None:
    _two_members(cli)
    _run(cli, "anggota|keluar|A0001|--tanggal|30-06-2025|--alasan|Pindah")
    # What an older kkmp (or a hand edit) could leave: a deposit slipped in before the exit.
    path = Paths(cli.root).year_file(2025)
    path.write_text(
        path.read_text() + '\n2025-06-01 * "Setoran"\n  id: "BKM-2025-000099"\n'
        "  Aset:Kas                                 10000 IDR\n"
        "  Ekuitas:Simpanan-Wajib:A0001           -10000 IDR\n"
    )
    findings = [f.message for f in audit.check(Paths(cli.root))]
    assert any("ditutup pada 30-06-2025 padahal saldonya" in m for m in findings), findings


# --- #23.6: cash and bank never below zero on any day --------------------------------------


def test_cash_cannot_go_below_zero(cli: Cli) -> None:
    _two_members(cli)  # 20,2 jt in cash
    _refused(
        cli,
        "kas",
        "keluar",
        "listrik",
        "50jt",
        "--keterangan",
        "PLN",
        "--tanggal",
        "10-01-2025",
        says="Aset:Kas menjadi",
    )
    _refused(
        cli, "simpanan", "tarik", "A0001", "10jt", "--tanggal", "01-01-2025", says=""
    )  # before the deposit: refused by the balance rule of its own
    _refused(
        cli,
        "pinjaman",
        "cair",
        "A0001",
        "25jt",
        "--tenor",
        "10",
        "--jasa",
        "1",
        "--tanggal",
        "10-01-2025",
        "--pengecualian",
        "uji",
        "--disetujui",
        "Ketua",
        says="Aset:Kas menjadi",
    )


def test_a_back_dated_outflow_is_judged_against_every_later_day(cli: Cli) -> None:
    _two_members(cli)
    # Cash is 20,2 jt from 02-01; 20 jt leaves on 01-03.
    _run(cli, "kas|keluar|lain|20jt|--keterangan|Beli tanah|--tanggal|01-03-2025")
    # 1 jt on 15-01 fits that day (20,2 jt) but leaves 01-03 at -0,8 jt.
    _refused(
        cli,
        "kas",
        "keluar",
        "atk",
        "1jt",
        "--keterangan",
        "Kertas",
        "--tanggal",
        "15-01-2025",
        says="pada 01-03-2025",
    )
    _refused(
        cli,
        "kas",
        "pindah",
        "kas",
        "bank",
        "1jt",
        "--tanggal",
        "15-01-2025",
        says="pada 01-03-2025",
    )
    _run(cli, "kas|keluar|atk|150rb|--keterangan|Kertas|--tanggal|15-01-2025")
    _clean(cli)


def test_an_overdraft_facility_may_go_below_zero(cli: Cli) -> None:
    _two_members(cli)
    config = cli.root / "koperasi.yaml"
    text = config.read_text()
    assert "  boleh_minus: []" in text
    config.write_text(text.replace("  boleh_minus: []", "  boleh_minus: [Aset:Bank]"))
    r = cli(
        "kas",
        "keluar",
        "lain",
        "1jt",
        "--keterangan",
        "x",
        "--via",
        "bank",
        "--tanggal",
        "10-01-2025",
    )
    assert r.exit_code == 0, r.output
    _clean(cli)


def test_periksa_reports_a_negative_cash_day(ledger_from_text, coop_dir) -> None:
    ledger_from_text(
        """
        2025-01-05 * "Bayar listrik"
          id: "BKK-2025-000001"
          Beban:Listrik-Air                      50000 IDR
          Aset:Kas                              -50000 IDR

        2025-01-06 * "Hibah"
          id: "BKM-2025-000001"
          Aset:Kas                              100000 IDR
          Ekuitas:Hibah                        -100000 IDR
        """
    )
    findings = audit.check(Paths(coop_dir))
    assert any(
        "saldo Aset:Kas menjadi -Rp50.000 pada 05-01-2025 (BKK-2025-000001)" in f.message
        for f in findings
    ), findings
    where = next(f for f in findings if "Aset:Kas menjadi" in f.message)
    assert where.filename.endswith("2025.beancount") and where.lineno > 0


# --- the books after every refused command are as before -----------------------------------


def test_refusals_leave_beancount_happy(cli: Cli) -> None:
    _two_members(cli)
    _run(cli, "anggota|keluar|A0001|--tanggal|30-06-2025|--alasan|Pindah")
    cli("simpanan", "setor", "A0001", "wajib", "10rb", "--tanggal", "01-06-2025")
    cli("kas", "keluar", "listrik", "50jt", "--keterangan", "PLN", "--tanggal", "10-07-2025")
    _entries, errors = reload(cli.root)
    assert errors == []
    _clean(cli)


# --- #23.7: jurnal may not post to an account a module keeps ---------------------------------


def test_jurnal_refuses_accounts_kept_by_their_own_commands(cli: Cli) -> None:
    _two_members(cli)
    _run(
        cli, "pinjaman|cair|A0001|1.200.000|--tenor|12|--jasa|1|--metode|flat|--tanggal|01-02-2025"
    )
    for account, command in [
        ("Aset:Piutang-Pinjaman:A0001", "kkmp pinjaman"),
        ("Kewajiban:Simpanan-Sukarela:A0001", "kkmp simpanan"),
        ("Ekuitas:Simpanan-Pokok:A0002", "kkmp simpanan"),
    ]:
        _refused(
            cli,
            "jurnal",
            "--posting",
            f"{account}=-500.000",
            "--posting",
            "Aset:Kas=500.000",
            "--keterangan",
            "x",
            "--tanggal",
            "01-03-2025",
            says=command,
        )
    _run(
        cli,
        "jurnal|--posting|Beban:ATK=50.000|--posting|Aset:Kas=-50.000|--keterangan|Kertas|--tanggal|01-03-2025",
    )
    _clean(cli)


@pytest.mark.parametrize(
    ("kas", "account", "command"),
    [
        ("masuk", "Pendapatan:Simpan-Pinjam:Jasa", "kkmp pinjaman angsur"),
        ("keluar", "Beban:Simpan-Pinjam:Jasa-Simpanan", "kkmp simpanan jasa"),
        ("keluar", "Beban:Penyusutan", "kkmp aset susut"),
    ],
)
def test_kas_and_jurnal_refuse_income_and_costs_a_command_reckons(
    cli: Cli, kas: str, account: str, command: str
) -> None:
    """Adversarial review (#11): an amount a command reckons from its own register (a loan's
    jasa, savings interest, depreciation) booked with `kas masuk/keluar` or `jurnal` left the
    register owing it, so the command booked it again; each names the command instead."""
    _two_members(cli)
    _run(cli, "kas|masuk|hibah|5jt|--keterangan|Modal|--tanggal|02-01-2025")
    _refused(cli, "kas", kas, account, "100.000", "--keterangan", "x", "--tanggal",
             "01-03-2025", says=command)  # fmt: skip
    sign = "-" if kas == "masuk" else ""
    other = "" if kas == "masuk" else "-"
    _refused(cli, "jurnal", "--posting", f"{account}={sign}100.000", "--posting",
             f"Aset:Kas={other}100.000", "--keterangan", "x", "--tanggal", "01-03-2025",
             says=command)  # fmt: skip
    _clean(cli)


# --- #17.5 / #23.10: closing and seals ---------------------------------------------------------


def _closed_2025(cli: Cli) -> None:
    _two_members(cli)
    _run(cli, "kas|masuk|lain|1jt|--keterangan|Sewa tenda|--tanggal|05-01-2025", "tutup-buku|2025")


def test_deleting_the_seal_does_not_reopen_the_year(cli: Cli) -> None:
    _closed_2025(cli)
    _clean(cli)
    path = Paths(cli.root).year_file(2025)
    text = path.read_text()
    seal = next(line for line in text.split("\n") if 'custom "tutup-buku"' in line)
    path.write_text(text.replace(seal + "\n", ""))
    r = cli("periksa")
    assert r.exit_code == 1 and "segel tutup buku 2025 hilang" in r.output, r.output
    _refused(
        cli,
        "simpanan",
        "setor",
        "A0001",
        "wajib",
        "10rb",
        "--tanggal",
        "01-12-2025",
        says="sudah ditutup",
    )
    # Deleting the copy as well still leaves the closing entry as a witness.
    path26 = Paths(cli.root).year_file(2026)
    path26.write_text(
        "\n".join(x for x in path26.read_text().split("\n") if "segel-tahun-lalu" not in x)
    )
    r = cli("periksa")
    assert r.exit_code == 1 and "segelnya hilang" in r.output, r.output


def test_closing_dry_run_writes_nothing_and_shows_the_entries(cli: Cli) -> None:
    _two_members(cli)
    _run(cli, "kas|masuk|lain|1jt|--keterangan|Sewa tenda|--tanggal|05-01-2025")
    before = snapshot(cli.root)
    r = cli("tutup-buku", "2025", "--coba")
    assert r.exit_code == 0, r.output
    assert "Ekuitas:SHU-Belum-Dibagi:2025" in r.output and "segel tahun buku 2025" in r.output
    assert snapshot(cli.root) == before
    _run(cli, "tutup-buku|2025")
    _clean(cli)


def test_closing_refuses_years_that_are_not_book_years(cli: Cli) -> None:
    for year in ("0", "99999", "2026", "1"):
        _refused(cli, "tutup-buku", year, says="tidak dapat ditutup")


def test_a_year_without_income_or_expense_closes_without_an_empty_entry(cli: Cli) -> None:
    _two_members(cli)
    _run(cli, "tutup-buku|2025")
    closing = [t for t in transactions(cli.root) if t.meta.get("jenis") == "tutup-buku"]
    assert closing == []
    _clean(cli)


def test_closing_checks_the_books_under_the_lock(cli: Cli, monkeypatch) -> None:
    import subprocess
    import sys

    from kkmp_cli.app import closing

    _two_members(cli)
    seen = []
    real_check = closing.audit.check

    def check_while_locked(paths):
        probe = (
            "import filelock,sys\n"
            "try:\n filelock.FileLock(sys.argv[1], timeout=0).acquire()\n"
            "except filelock.Timeout:\n sys.exit(3)\n"
        )
        done = subprocess.run([sys.executable, "-c", probe, str(paths.lock)])
        seen.append(done.returncode)
        return real_check(paths)

    monkeypatch.setattr(closing.audit, "check", check_while_locked)
    _run(cli, "tutup-buku|2025")
    assert seen == [3]  # another writer could not take the lock while the books were checked


# --- #23.11: a member who leaves with SHU not yet paid -------------------------------------------


def test_exit_pays_out_the_unpaid_shu(cli: Cli) -> None:
    _closed_2025(cli)
    _run(cli, "shu|bagikan|2025|--tanggal|15-03-2026|--ke|utang")
    shu_owed = -_balance(cli.root, "Kewajiban:Utang-SHU:A0001")
    assert shu_owed > 0
    kas_before = _balance(cli.root, "Aset:Kas")
    _run(cli, "anggota|keluar|A0001|--tanggal|20-03-2026|--alasan|Pindah")
    assert _balance(cli.root, "Kewajiban:Utang-SHU:A0001") == 0
    simpanan = D(100_000) + D(10_000_000)
    assert kas_before - _balance(cli.root, "Aset:Kas") == simpanan + shu_owed
    _refused(cli, "shu", "bayar", "A0001", "--tanggal", "21-03-2026", says="A0001")
    _clean(cli)


# --- #23 Also: a back-dated sale is judged against the stock of its day and every later day --


def test_back_dated_sales_are_judged_on_the_timeline_in_indonesian(cli: Cli) -> None:
    _two_members(cli)
    _run(
        cli,
        "gerai|barang|tambah|GULA-1KG|--nama|Gula 1 kg|--satuan|kg|--harga-jual|18.000"
        "|--tanggal|02-01-2025",
        "gerai|beli|GULA-1KG|10|--harga|15.000|--pemasok|Toko Makmur|--tanggal|10-01-2025",
        "gerai|jual|GULA-1KG|8|--tanggal|20-01-2025",
    )
    # Before the first purchase: no goods that day.
    _refused(
        cli,
        "gerai",
        "jual",
        "GULA-1KG",
        "1",
        "--tanggal",
        "05-01-2025",
        says="tidak cukup pada 05-01-2025",
    )
    # 5 fit on 15-01 (10 held) but leave 20-01 three short.
    _refused(
        cli,
        "gerai",
        "jual",
        "GULA-1KG",
        "5",
        "--tanggal",
        "15-01-2025",
        says="tidak cukup pada 20-01-2025",
    )
    _run(cli, "gerai|jual|GULA-1KG|2|--tanggal|15-01-2025")
    _clean(cli)


def test_periksa_reports_a_reversed_closing_entry_and_loan_findings(ledger_from_text, coop_dir):
    """What an older kkmp let through: the closing entry reversed by a koreksi."""
    ledger_from_text(
        """
        2025-01-05 * "Sewa tenda"
          id: "BKM-2025-000001"
          Aset:Kas                               100000 IDR
          Pendapatan:Lain-Lain                  -100000 IDR

        2025-12-31 open Ekuitas:SHU-Belum-Dibagi:2025 IDR

        2025-12-31 * "Tutup buku 2025"
          id: "BM-2025-000001"
          jenis: "tutup-buku"
          Pendapatan:Lain-Lain                   100000 IDR
          Ekuitas:SHU-Belum-Dibagi:2025         -100000 IDR

        2025-12-31 * "Koreksi BM-2025-000001: salah"
          id: "BM-2025-000002"
          jenis: "koreksi"
          koreksi: "BM-2025-000001"
          Pendapatan:Lain-Lain                  -100000 IDR
          Ekuitas:SHU-Belum-Dibagi:2025          100000 IDR
        """
    )
    messages = [f.message for f in audit.check(Paths(coop_dir))]
    assert any("BM-2025-000001 (tutup-buku) tidak boleh dikoreksi" in m for m in messages), messages
    assert any("segelnya hilang" in m for m in messages), messages


def test_checking_appended_entries_reads_only_the_new_days(coop_dir, monkeypatch) -> None:
    """The timeline check of an append looks at the days it changed, not the whole history,
    so a long session (the demo, a benchmark build) stays linear (it once took 20 x longer)."""
    import datetime as dt

    from kkmp_cli.core import writer
    from kkmp_cli.core.ledger import Book
    from kkmp_cli.members import deposits
    from kkmp_cli.members import register as members

    paths = Paths(coop_dir)
    app.record(paths, lambda b: members.add(b, "Satu", dt.date(2025, 1, 2)))
    seen: list[int] = []
    real = Book.movements_since

    def counting(self, account, date):
        balance, tail = real(self, account, date)
        seen.append(len(tail))
        return balance, tail

    monkeypatch.setattr(Book, "movements_since", counting)
    with writer.session(paths) as s:
        for day in range(1, 60):
            date = dt.date(2025, 1, 2) + dt.timedelta(days=day)
            s.stage(deposits.deposit(s.book, "A0001", "sukarela", D(1000), date))
        s.flush()
    assert seen and max(seen) <= 2  # one new movement per account per stage
    _entries, errors = reload(coop_dir)
    assert errors == []


def test_a_former_member_gets_the_shu_of_the_year_they_left(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SHU 2025 is owed and paid at the exit in 2026; the RAT of 2026 still gives the former
    member a share (their 2026 shopping), which must not block the distribution for everyone."""
    import datetime as dt

    from kkmp_cli.shu import shu

    today_is(monkeypatch, dt.date(2027, 3, 2))  # the story runs to the SHU paid in March 2027

    config = cli.root / "koperasi.yaml"
    # Capital counted as the average of month-end balances: a member who leaves in March 2026
    # still earns a share of 2026.
    config.write_text(
        config.read_text().replace("jasa_modal_waktu: akhir_tahun", "jasa_modal_waktu: rata_rata")
    )
    _closed_2025(cli)
    _run(cli, "shu|bagikan|2025|--tanggal|15-03-2026|--ke|utang")
    _run(cli, "anggota|keluar|A0001|--tanggal|20-03-2026|--alasan|Pindah")
    _run(cli, "kas|masuk|lain|500rb|--keterangan|Sewa tenda|--tanggal|05-04-2026")
    paths = Paths(cli.root)
    app.close_year(paths, 2026, today=dt.date(2027, 2, 1))
    sheet = shu.compute(audit.ledger.load(paths), 2026)
    assert sheet.shu > 0
    assert any(share.nak == "A0001" and share.total > 0 for share in sheet.anggota)
    app.record(paths, lambda b: shu.distribute(b, 2026, dt.date(2027, 3, 1), ke="utang"))
    _clean(cli)
    assert _balance(cli.root, "Kewajiban:Utang-SHU:A0001") < 0  # owed to the former member
    _run(cli, "shu|bayar|A0001|--tanggal|02-03-2027")
    assert _balance(cli.root, "Kewajiban:Utang-SHU:A0001") == 0
    _clean(cli)
