"""The foundation through the real `kkmp` command: output, exit code, and the reloaded ledger."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from conftest import Cli, reload, snapshot, transactions

from kkmp_cli.core import ledger
from kkmp_cli.core.ledger import Paths


def _balances(root: Path) -> dict[str, Decimal]:
    return ledger.load(Paths(root), fresh=True).balances()


def test_issue_walkthrough(tmp_path: Path) -> None:
    root = tmp_path / "ledgers" / "gununggedangan"
    run = Cli(root)
    r = run(
        "init", str(root), "--nama", "KKMP Gununggedangan", "--tahun-buku", "2025", koperasi=False
    )
    assert r.exit_code == 0, r.output
    assert (root / "koperasi.yaml").exists() and (root / "jurnal" / "2025.beancount").exists()
    assert "pribadi/" in (root / ".gitignore").read_text()

    r = run(
        "anggota", "tambah", "Siti Aminah", "--tanggal", "02-01-2025", "--nik", "3201234567890123"
    )
    assert r.exit_code == 0, r.output
    assert "A0001" in r.output
    r = run("simpanan", "setor", "A0001", "pokok", "100.000", "--tanggal", "02-01-2025")
    assert r.exit_code == 0, r.output
    assert "Debit" in r.output and "Aset:Kas" in r.output and "Rp100.000" in r.output
    assert (
        run("simpanan", "setor", "A0001", "wajib", "Rp10.000", "--tanggal", "05-01-2025").exit_code
        == 0
    )
    assert (
        run("simpanan", "setor", "A0001", "sukarela", "1,5jt", "--tanggal", "06-01-2025").exit_code
        == 0
    )
    r = run("simpanan", "tarik", "A0001", "250rb", "--tanggal", "07-01-2025")
    assert r.exit_code == 0, r.output
    assert "Rp1.250.000" in r.output

    r = run("anggota", "lihat", "A0001", "--format", "json")
    assert r.exit_code == 0, r.output
    st = json.loads(r.output)
    assert st["saldo"] == {"pokok": 100000, "wajib": 10000, "sukarela": 1250000}
    assert [m["saldo"] for m in st["mutasi"]] == [100000, 10000, 1500000, 1250000]

    r = run("periksa")
    assert r.exit_code == 0, r.output
    assert "bersih" in r.output

    txns = transactions(root)
    assert [t.meta["id"] for t in txns] == [
        "BKM-2025-000001",
        "BKM-2025-000002",
        "BKM-2025-000003",
        "BKK-2025-000001",
    ]
    bal = _balances(root)
    assert bal["Aset:Kas"] == Decimal(1_360_000)
    assert bal["Kewajiban:Simpanan-Sukarela:A0001"] == Decimal(-1_250_000)
    # The NIK lives in the private file, never in the journal.
    journal = "".join(p.read_text() for p in root.rglob("*.beancount"))
    assert "3201234567890123" not in journal
    assert "3201234567890123" in (root / "pribadi" / "anggota.yaml").read_text()


@pytest.fixture
def member(cli: Cli) -> Cli:
    assert cli("anggota", "tambah", "Siti Aminah", "--tanggal", "02-01-2025").exit_code == 0
    assert (
        cli("simpanan", "setor", "A0001", "pokok", "100000", "--tanggal", "02-01-2025").exit_code
        == 0
    )
    assert (
        cli("simpanan", "setor", "A0001", "sukarela", "200rb", "--tanggal", "03-01-2025").exit_code
        == 0
    )
    return cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simpanan", "setor", "A0099", "wajib", "10000"], "tidak terdaftar"),
        (["anggota", "tambah", "Orang Lain", "--nomor", "A0001"], "sudah dipakai"),
        (
            ["simpanan", "setor", "A0001", "pokok", "100000", "--tanggal", "04-01-2025"],
            "sudah lunas",
        ),
        (["simpanan", "tarik", "A0001", "300rb", "--tanggal", "05-01-2025"], "hanya Rp200.000"),
        (["simpanan", "tarik", "A0001", "10000", "--jenis", "pokok"], "tidak dapat ditarik"),
        (["simpanan", "tarik", "A0001", "10000", "--jenis", "wajib"], "tidak dapat ditarik"),
        (["simpanan", "setor", "A0001", "wajib", "1.5"], "ambigu"),
        (["simpanan", "setor", "A0001", "wajib", "0"], "lebih dari nol"),
        (["simpanan", "setor", "A0001", "wajib", "-5000"], "tidak boleh negatif"),
        (["simpanan", "setor", "A0001", "wajib", "sepuluh"], "Bentuk yang diterima"),
        (["simpanan", "setor", "A0001", "wajib", "10000", "--tanggal", "32-01-2025"], "Tanggal"),
        (
            ["simpanan", "setor", "A0001", "wajib", "10000", "--tanggal", "01-01-2025"],
            "baru menjadi anggota",
        ),
        (["simpanan", "setor", "A0001", "arisan", "10000"], "tidak dikenal"),
        (["simpanan", "setor", "A0001", "wajib", "10000", "--via", "dompet"], "--via"),
        (["anggota", "tambah", "   "], "tidak boleh kosong"),
        (["anggota", "tambah", "X", "--nomor", "a 1"], "tidak sah"),
        (["anggota", "tambah", "X", "--nik", "123"], "16 angka"),
        (["anggota", "lihat", "B0001"], "tidak terdaftar"),
    ],
)
def test_bad_input_changes_nothing(member: Cli, args: list[str], message: str) -> None:
    before = snapshot(member.root)
    r = member(*args)
    assert r.exit_code == (2 if args[-1].startswith("-5") else 1), r.output
    assert "Galat:" in r.output and message in r.output, r.output
    assert "Traceback" not in r.output
    assert snapshot(member.root) == before


def test_missing_cooperative_folder(tmp_path: Path) -> None:
    r = Cli(tmp_path / "tidak-ada")("anggota", "daftar")
    assert r.exit_code == 1
    assert "tidak ditemukan" in r.output


def test_yaml_error_shows_the_line(member: Cli) -> None:
    cfg = member.root / "koperasi.yaml"
    cfg.write_text(cfg.read_text().replace("simpanan:\n", "simpanan:\n  pokok: [100000\n", 1))
    before = snapshot(member.root)
    r = member("simpanan", "setor", "A0001", "wajib", "10000")
    assert r.exit_code == 1
    assert "baris" in r.output and "koperasi.yaml" in r.output
    assert snapshot(member.root) == before


def test_wrong_config_value(member: Cli) -> None:
    cfg = member.root / "koperasi.yaml"
    cfg.write_text(
        cfg.read_text().replace("wajib_per_bulan: 10000", "wajib_per_bulan: sepuluh ribu")
    )
    r = member("simpanan", "rekap")
    assert r.exit_code == 1
    assert "simpanan.wajib_per_bulan" in r.output


def test_journal_broken_by_hand(member: Cli) -> None:
    path = Paths(member.root).year_file(2025)
    lines = path.read_text().splitlines()
    lines.append('2025-02-30 * "tanggal mustahil"')
    path.write_text("\n".join(lines) + "\n")
    r = member("periksa")
    assert r.exit_code == 1
    assert f"{path.resolve()}:{len(lines)}:" in r.output
    before = snapshot(member.root)
    r = member("simpanan", "setor", "A0001", "wajib", "10000")
    assert r.exit_code == 1 and "bermasalah" in r.output
    assert snapshot(member.root) == before


def test_periksa_finds_kkmp_invariant_breaks(member: Cli) -> None:
    path = Paths(member.root).year_file(2025)
    path.write_text(
        path.read_text()
        + '\n2025-02-01 * "Tarik pokok diam-diam"\n  id: "BKK-2025-000099"\n'
        + "  Ekuitas:Simpanan-Pokok:A0001   50000 IDR\n  Aset:Kas   -50000 IDR\n"
    )
    r = member("periksa", "--format", "json")
    assert r.exit_code == 1
    messages = [f["message"] for f in json.loads(r.output)["temuan"]]
    assert any("ditarik dari anggota aktif" in m for m in messages)
    assert any("format tidak baku" in m for m in messages)


def test_init_refuses_to_overwrite(cli: Cli) -> None:
    before = snapshot(cli.root)
    r = cli("init", str(cli.root), "--nama", "Lain", koperasi=False)
    assert r.exit_code == 1 and "sudah berisi" in r.output
    assert snapshot(cli.root) == before


def test_locate_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kkmp_cli.core import coop
    from kkmp_cli.errors import KoperasiTidakDitemukan

    with pytest.raises(KoperasiTidakDitemukan, match="Tidak ada koperasi"):
        coop.locate(None, tmp_path)
    coop.init(tmp_path / "ledgers" / "satu", "Satu", 2025)
    assert coop.locate(None, tmp_path).root == tmp_path / "ledgers" / "satu"
    coop.init(tmp_path / "ledgers" / "dua", "Dua", 2025)
    with pytest.raises(KoperasiTidakDitemukan, match="ledgers/dua, ledgers/satu"):
        coop.locate(None, tmp_path)
    assert coop.locate(None, tmp_path / "ledgers" / "dua").root == tmp_path / "ledgers" / "dua"
    monkeypatch.setenv("KKMP_KOPERASI", str(tmp_path / "ledgers" / "satu"))
    assert coop.locate(None, tmp_path).root == tmp_path / "ledgers" / "satu"


def test_member_exit_pays_back_and_closes(member: Cli) -> None:
    assert (
        member("simpanan", "setor", "A0001", "wajib", "10000", "--tanggal", "05-02-2025").exit_code
        == 0
    )
    r = member("anggota", "keluar", "A0001", "--tanggal", "30-06-2025", "--alasan", "Pindah")
    assert r.exit_code == 0, r.output
    entries, errors = reload(member.root)
    assert errors == []
    closed = {e.account for e in entries if isinstance(e, data.Close)}
    assert closed == {
        "Ekuitas:Simpanan-Pokok:A0001",
        "Ekuitas:Simpanan-Wajib:A0001",
        "Kewajiban:Simpanan-Sukarela:A0001",
    }
    settle = [
        e
        for e in entries
        if isinstance(e, data.Transaction) and e.meta.get("jenis") == "keluar-anggota"
    ]
    assert len(settle) == 1 and settle[0].meta["id"].startswith("BKK-2025-")
    bal = _balances(member.root)
    assert bal["Aset:Kas"] == 0
    assert all(v == 0 for k, v in bal.items() if k.endswith(":A0001"))
    r = member("simpanan", "setor", "A0001", "wajib", "10000", "--tanggal", "01-07-2025")
    assert r.exit_code == 1 and "sudah keluar" in r.output
    r = member("anggota", "daftar", "--format", "json")
    row = json.loads(r.output)["anggota"][0]
    assert row["status"] == "keluar" and row["alasan_keluar"] == "Pindah"
    assert member("periksa").exit_code == 0


def test_exit_refused_while_member_owes(ledger_from_text, cli: Cli) -> None:
    book = ledger_from_text(
        """
        2025-01-01 open Aset:Piutang-Pinjaman:A0001 IDR

        2025-01-02 custom "anggota" "masuk" "A0001" "Siti"

        2025-01-02 open Ekuitas:Simpanan-Pokok:A0001 IDR

        2025-01-02 open Ekuitas:Simpanan-Wajib:A0001 IDR

        2025-01-02 open Kewajiban:Simpanan-Sukarela:A0001 IDR

        2025-01-02 * "Siti" "Setoran simpanan pokok"
          id: "BKM-2025-000001"
          Aset:Kas                        100000 IDR
          Ekuitas:Simpanan-Pokok:A0001   -100000 IDR

        2025-01-03 * "Siti" "Pinjaman"
          id: "BKK-2025-000001"
          Aset:Piutang-Pinjaman:A0001      40000 IDR
          Aset:Kas                        -40000 IDR
        """
    )
    assert book.errors == []
    before = snapshot(cli.root)
    r = cli("anggota", "keluar", "A0001", "--tanggal", "01-03-2025")
    assert r.exit_code == 1 and "masih berutang Rp40.000" in r.output
    assert snapshot(cli.root) == before
    r = cli("anggota", "keluar", "A0001", "--tanggal", "01-03-2025", "--kompensasi")
    assert r.exit_code == 0, r.output
    bal = _balances(cli.root)
    assert bal["Aset:Piutang-Pinjaman:A0001"] == 0
    assert bal["Aset:Kas"] == 0  # 100.000 in, 40.000 lent, 60.000 paid back


def test_arrears_and_recap(member: Cli) -> None:
    for d in ("05-01-2025", "05-02-2025"):
        assert member("simpanan", "setor", "A0001", "wajib", "10rb", "--tanggal", d).exit_code == 0
    r = member("simpanan", "tunggakan", "--per", "30-04-2025", "--format", "json")
    assert r.exit_code == 0
    row = json.loads(r.output)["anggota"][0]
    assert row == {
        "nak": "A0001",
        "nama": "Siti Aminah",
        "bulan_wajib": 4,
        "seharusnya": 40000,
        "dibayar": 20000,
        "tunggakan": 20000,
        "bulan_tunggakan": 2,
    }
    r = member("simpanan", "rekap", "--per", "31-12-2025", "--format", "json")
    recap = json.loads(r.output)
    assert recap["simpanan"] == {"pokok": 100000, "wajib": 20000, "sukarela": 200000}
    assert recap["cocok"] is True and recap["total"] == 320000
    r = member("simpanan", "tunggakan", "--per", "30-04-2025")
    assert "Siti Aminah" in r.output and "Rp20.000" in r.output


def test_a_new_wajib_amount_counts_from_its_month_only(member: Cli) -> None:
    """The Rapat Anggota raises wajib from 10.000 to 20.000 from July: the months before keep
    10.000. Reckoned at today's amount, a member who paid every month was shown three months
    in arrears, and the June report of unchanged books changed too (adversarial review)."""
    config = member.root / "koperasi.yaml"
    assert member("simpanan", "setor", "A0001", "wajib", "60rb", "-t", "05-01-2025").exit_code == 0
    config.write_text(
        config.read_text().replace(
            "wajib_berubah: []",
            'wajib_berubah: [{mulai: 2025-07, jumlah: 20000, dasar: "RAT 2025"}]',
        )
    )
    assert member("simpanan", "setor", "A0001", "wajib", "100rb", "-t", "05-07-2025").exit_code == 0

    def row(per: str) -> dict[str, object]:
        r = member("simpanan", "tunggakan", "--per", per, "--semua", "--format", "json")
        assert r.exit_code == 0, r.output
        found = json.loads(r.output)
        return {"besar": found["wajib_per_bulan"], **found["anggota"][0]}

    june, december = row("30-06-2025"), row("31-12-2025")
    assert (june["besar"], june["seharusnya"], june["tunggakan"]) == (10000, 60000, 0)
    # 6 × 10.000 + 6 × 20.000 owed, 160.000 paid: 20.000, one month, behind.
    assert (december["besar"], december["seharusnya"], december["dibayar"]) == (
        20000,
        180000,
        160000,
    )
    assert (december["tunggakan"], december["bulan_tunggakan"]) == (20000, 1)

    text = config.read_text()
    for wrong, said in (
        ("[{mulai: 2025-07, jumlah: 20000}, {mulai: 2025-03, jumlah: 5000}]", "urut waktu"),
        ("[{mulai: Juli, jumlah: 20000}]", "Bulan 'Juli' tidak dikenal"),
        ("[{jumlah: 20000}]", "'simpanan.wajib_berubah ke-1.mulai' wajib diisi"),
        ("[{mulai: 2025-07, jumlah: 20000, sejak: x}]", "kunci 'sejak' tidak dikenal"),
    ):
        config.write_text(
            text.replace('[{mulai: 2025-07, jumlah: 20000, dasar: "RAT 2025"}]', wrong)
        )
        r = member("simpanan", "tunggakan", "--per", "31-12-2025")
        assert r.exit_code != 0 and said in r.output and "Traceback" not in r.output, r.output


def test_dry_run_writes_nothing(member: Cli) -> None:
    before = snapshot(member.root)
    r = member("simpanan", "setor", "A0001", "wajib", "10000", "--tanggal", "05-01-2025", "--coba")
    assert r.exit_code == 0
    assert "tidak ditulis" in r.output and "Ekuitas:Simpanan-Wajib:A0001" in r.output
    assert snapshot(member.root) == before


def test_help_is_indonesian_and_version(cli: Cli) -> None:
    r = cli("--help", koperasi=False)
    assert r.exit_code == 0 and "Pembukuan koperasi" in r.output
    r = cli("simpanan", "setor", "--help", koperasi=False)
    assert (
        "Pemakaian:" in r.output and "Tampilkan bantuan ini" in r.output and "[PILIHAN]" in r.output
    )
    assert "Usage" not in r.output and "Show this message" not in r.output
    r = cli("--version", koperasi=False)
    assert r.exit_code == 0 and "kkmp" in r.output


def test_every_help_page_reads_as_indonesian(cli: Cli) -> None:
    """No Python type labels (<str>), doubled brackets or English on any command's help."""
    import typer.main

    from kkmp_cli.cli import app

    def paths(command: object, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        found = [prefix]
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            found += paths(sub, (*prefix, name))
        return found

    pages = paths(typer.main.get_command(app), ())
    assert len(pages) > 40
    for path in pages:
        r = cli(*path, "--help", koperasi=False)
        assert r.exit_code == 0, (path, r.output)
        for bad in ("<", "list[", "[[", "Usage", "Options", "Arguments", "TEXT"):
            assert bad not in r.output, (path, bad, r.output)


def test_exit_before_later_transactions_is_refused(member: Cli) -> None:
    assert (
        member("simpanan", "setor", "A0001", "wajib", "10000", "--tanggal", "05-08-2025").exit_code
        == 0
    )
    before = snapshot(member.root)
    r = member("anggota", "keluar", "A0001", "--tanggal", "30-06-2025")
    assert r.exit_code == 1 and "sesudah transaksi terakhirnya" in r.output
    assert snapshot(member.root) == before
    assert member("periksa").exit_code == 0


def test_writer_checks_closes_against_the_whole_ledger(member: Cli) -> None:
    """A close dated before later postings would break the books: the writer must refuse it."""
    import datetime as dt

    from beancount.core import data as bdata

    from kkmp_cli import app
    from kkmp_cli.core import writer as w

    assert (
        member("simpanan", "setor", "A0001", "wajib", "10000", "--tanggal", "05-08-2025").exit_code
        == 0
    )
    before = snapshot(member.root)
    close = bdata.Close(
        bdata.new_metadata("<kkmp>", 0), dt.date(2025, 6, 30), "Ekuitas:Simpanan-Wajib:A0001"
    )
    with pytest.raises(w.PenulisanDitolak):
        app.record(Paths(member.root), lambda b: [close])
    assert snapshot(member.root) == before
