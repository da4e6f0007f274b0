"""Explain mode for learners (#20): `--jelaskan` (anywhere on the line) or KKMP_JELASKAN=1
names debit and credit for every posting, from the chart's golongan, and changes nothing else."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from beancount.core import data
from conftest import Cli, latihan_shu, reload, transactions
from typer.testing import CliRunner

from kkmp_cli import chart, money
from kkmp_cli.cli import app
from kkmp_cli.workshop import exercises, explain


def explained(output: str) -> list[str]:
    lines = output.splitlines()
    start = lines.index("Penjelasan:")
    return [x for x in lines[start + 1 :] if x.startswith("- ")]


def postings(root: Path, doc: str) -> list[data.Posting]:
    entries, _ = reload(root)
    return next(
        e for e in entries if isinstance(e, data.Transaction) and e.meta.get("id") == doc
    ).postings


def test_a_deposit_a_sale_with_hpp_and_an_instalment(kdmp: Cli) -> None:
    r = kdmp("simpanan", "setor", "A0001", "wajib", "20.000", "-t", "03-02-2025", "--jelaskan")
    assert r.exit_code == 0, r.output
    lines = explained(r.output)
    assert lines[0].startswith("- Debit Aset:Kas Rp20.000: Debit karena kas bertambah")
    assert "Di neraca, jumlah aset naik Rp20.000." in lines[0]
    assert lines[1].startswith("- Kredit Ekuitas:Simpanan-Wajib:A0001 Rp20.000: Kredit karena")
    assert "ekuitas (modal sendiri) naik Rp20.000" in lines[1]
    assert "neraca tetap seimbang" in r.output

    for args in (
        [
            "gerai",
            "barang",
            "tambah",
            "GULA",
            "--nama",
            "Gula 1 kg",
            "--satuan",
            "kg",
            "--harga-jual",
            "17.000",
        ],
        ["gerai", "beli", "GULA", "10", "--harga", "15.000", "--pemasok", "Toko A"],
    ):
        assert kdmp(*args, "--tanggal", "03-02-2025").exit_code == 0
    r = kdmp(
        "--jelaskan",
        "gerai",
        "jual",
        "GULA",
        "2",
        "--anggota",
        "A0002",
        "-t",
        "04-02-2025",
    )
    assert r.exit_code == 0, r.output
    lines = explained(r.output)
    doc = r.output.split("Dicatat: ", 1)[1].split()[0]
    assert len(lines) == len(postings(kdmp.root, doc)) == 4
    sides = {line.split()[2]: line.split()[1] for line in lines}
    assert sides["Aset:Kas"] == "Debit" and sides["Aset:Persediaan:Sembako"] == "Kredit"
    hpp = next(x for x in lines if "HPP" in x)
    assert hpp.split()[1] == "Debit" and "beban mengurangi SHU" in hpp
    assert "ekuitas turun Rp30.000" in hpp
    sale = next(x for x in lines if "Pendapatan" in x)
    assert sale.split()[1] == "Kredit" and "pendapatan menambah SHU" in sale

    runner = CliRunner()
    r = runner.invoke(
        app,
        ["-k", str(kdmp.root), "pinjaman", "angsur", "PJ-2025-0001", "112.000", "-t", "01-03-2025"],
        env={"COLUMNS": "200", "KKMP_JELASKAN": "1", "KKMP_PETUGAS": ""},
    )
    assert r.exit_code == 0, r.output
    lines = explained(r.output)
    doc = r.output.split("Dicatat: ", 1)[1].split()[0]
    assert len(lines) == len(postings(kdmp.root, doc)) == 3
    loan = next(x for x in lines if "Piutang-Pinjaman" in x)
    assert loan.startswith("- Kredit") and "berkurang" in loan and "jumlah aset turun" in loan
    assert all(x.split()[1] in ("Debit", "Kredit") for x in lines)


def test_without_the_option_nothing_is_added_and_the_ledger_is_the_same(kdmp: Cli) -> None:
    assert "KKMP_JELASKAN" not in os.environ
    r = kdmp("simpanan", "setor", "A0001", "wajib", "20.000", "-t", "03-02-2025")
    assert r.exit_code == 0 and "Penjelasan" not in r.output
    r = kdmp(
        "simpanan", "setor", "A0002", "wajib", "20.000", "-t", "03-02-2025", "--coba", "--jelaskan"
    )
    assert r.exit_code == 0 and "Penjelasan:" in r.output
    entries, errors = reload(kdmp.root)
    assert errors == [] and kdmp("periksa").exit_code == 0
    assert "--jelaskan" in kdmp("--help").output


def test_sentences_come_from_the_golongan() -> None:
    for golongan, root in chart.GOLONGAN_ROOT.items():
        info = chart.Info(f"{root}:Contoh", None, "Contoh", golongan, "operasi")
        for sisi in ("Debit", "Kredit"):
            text = explain.explain_line(sisi, info, __import__("decimal").Decimal(1000))
            assert text.startswith(f"{sisi} karena contoh ")
            assert "Rp1.000" in text
    contra = chart.describe(chart.AKUMULASI_PENYUSUTAN + ":Bangunan", {})
    text = explain.explain_line("Kredit", contra, __import__("decimal").Decimal(500))
    assert "bertambah" in text and "jumlah aset turun Rp500" in text
    assert not explain.debit_normal(chart.AKUMULASI_PENYUSUTAN + ":Bangunan", "aset-tetap")
    assert explain.debit_normal("Aset:Kas", "aset-lancar")


def _explained_lines(output: str) -> list[tuple[str, str, str]]:
    """(side, account, amount) of every line below each `Penjelasan:`."""
    return [
        (line.split()[1], line.split()[2], line.split()[3].rstrip(":"))
        for line in output.splitlines()
        if line.startswith(("- Debit ", "- Kredit "))
    ]


def test_tutup_buku_shows_and_explains_the_closing_entry_it_writes(tmp_path: Path) -> None:
    """Found by an adversarial review (#20): `tutup-buku --jelaskan` printed neither the
    closing entry nor its explanation; the explanation must be the entry actually written."""
    root = tmp_path / "lat"
    r = Cli(root)("latihan", "mulai", str(root), "--dari", "10", koperasi=False)
    assert r.exit_code == 0, r.output
    lat = Cli(root)
    for line in exercises.load(None).get(10).kunci[:2]:  # the stock count, the bank statement
        assert lat(*shlex.split(line)).exit_code == 0
    r = lat("tutup-buku", "2025", "--jelaskan")
    assert r.exit_code == 0, r.output
    closing = [t for t in transactions(root) if t.meta.get("jenis") == "tutup-buku"]
    assert len(closing) == 1
    written = closing[0]
    assert f"Dicatat: {written.meta['id']}" in r.output
    assert "Penjelasan:" in r.output
    assert sorted(_explained_lines(r.output)) == sorted(
        ("Debit" if p.units.number > 0 else "Kredit", p.account, money.fmt(abs(p.units.number)))
        for p in written.postings
    )
    earnings = next(x for x in explained(r.output) if chart.SHU_TAHUN_BERJALAN in x)
    assert "pendapatan dan beban" in earnings and "tetap" in earnings
    assert "neraca tetap seimbang" in r.output
    assert "ditutup dan disegel" in r.output


def test_exercise_10s_answer_describes_the_closing_entry_kkmp_writes(tmp_path: Path) -> None:
    """The key's answer said the closing empties every income and expense account into SHU
    belum dibagi; kkmp's closing moves only the year's SHU out of the earnings account (#20)."""
    root = tmp_path / "lat"
    assert Cli(root)("latihan", "mulai", str(root), "--dari", "11", koperasi=False).exit_code == 0
    written = next(t for t in transactions(root) if t.meta.get("jenis") == "tutup-buku")
    answer = " ".join(exercises.load(None).get(10).jawaban.split())
    for p in written.postings:
        assert p.account in answer and money.fmt(abs(p.units.number)) in answer, p
    assert "kembali nol" not in answer and "memindahkan saldo semua" not in answer
    # What the answer says the trainee sees: income and expenses keep their balances in the
    # trial balance after the closing, beside the earnings account's debit.
    r = Cli(root)("laporan", "neraca-saldo", "--per", "31-12-2025")
    rows = {x.split("│")[1].strip(): x for x in r.output.splitlines() if x.startswith("│")}
    assert "Rp4.500.000" in rows["Pendapatan:Klinik:Non-Anggota"]
    assert money.fmt(latihan_shu()) in rows[chart.SHU_TAHUN_BERJALAN]
    for words in ("neraca saldo", "Fava", "PHU 2025", "tetap"):
        assert words in answer, words
    # And in Fava: the income statement 2025 keeps the income, the balance sheet at 31-12-2025
    # has the SHU in SHU belum dibagi and the earnings account empty.
    fava_core = pytest.importorskip("fava.core")
    fava = fava_core.FavaLedger(str(root / "buku.beancount"))
    year = fava_core.FilteredLedger(fava, time="2025")
    income = year.root_tree["Pendapatan:Klinik:Non-Anggota"].balance
    sheet = year.root_tree_closed
    assert income.get(("IDR", None)) == -4500000
    assert sheet[f"{chart.SHU_BELUM_DIBAGI}:2025"].balance.get(("IDR", None)) == -latihan_shu()
    assert not sheet[chart.SHU_TAHUN_BERJALAN].balance.get(("IDR", None))


def test_every_writing_command_of_the_readme_explains_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--jelaskan on every command of the README's tour (#20): each transaction written is
    shown (`Dicatat: ID`) and explained; a command that writes no transaction says so."""
    from test_readme_tour import EXPECTED_FAILURES, _tour

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KKMP_KOPERASI", raising=False)
    runner = CliRunner()
    silent = []
    for command in _tour():
        for part in command.split(" && "):
            argv = shlex.split(part)
            if argv[0] == "cd":
                monkeypatch.chdir(Path.cwd() / argv[1])
                continue
            before = _journal_ids()
            r = runner.invoke(app, argv[1:], env={"COLUMNS": "200", "KKMP_JELASKAN": "1"})
            if " ".join(argv[1:]) in EXPECTED_FAILURES or argv[1] in ("init", "demo"):
                continue
            assert r.exit_code == 0, (part, r.output)
            after = _journal_ids()
            if after == before:
                continue
            new = sorted(set(after[1]) - set(before[1]))
            shown = [doc for doc in new if f"Dicatat: {doc} " not in r.output]
            explanations = r.output.count("Penjelasan:")
            if shown or explanations != max(len(new), 1):
                silent.append((part, shown, explanations, len(new)))
    assert silent == []


def _journal_ids() -> tuple[str, list[str]]:
    """The text of every journal under the current folder and the ids of its transactions."""
    from beancount.parser import parser

    texts, ids = [], []
    for path in sorted(Path.cwd().rglob("jurnal/*.beancount")):
        source = path.read_text(encoding="utf-8")
        texts.append(source)
        entries, _, _ = parser.parse_string(source)
        ids += [str(e.meta["id"]) for e in entries if isinstance(e, data.Transaction)]
    return "".join(texts), ids


def test_impor_explains_every_entry_of_the_sheet(kdmp: Cli, tmp_path: Path) -> None:
    """`impor` printed only a count, --jelaskan too (#20): with it, every imported entry is
    shown and explained; without it, the count only, as before."""
    costs = tmp_path / "biaya.csv"
    costs.write_text(
        "tanggal,akun,jumlah,keterangan\n05-02-2025,listrik,250.000,Token\n"
        "06-02-2025,atk,40.000,Kertas\n"
    )
    before = {t.meta["id"] for t in transactions(kdmp.root)}
    r = kdmp("impor", str(costs), "--jenis", "biaya", "--jelaskan")
    assert r.exit_code == 0, r.output
    imported = [t for t in transactions(kdmp.root) if t.meta["id"] not in before]
    assert len(imported) == 2 and r.output.count("Penjelasan:") == 2
    for txn in imported:
        assert f"Dicatat: {txn.meta['id']} " in r.output
    assert sorted(_explained_lines(r.output)) == sorted(
        ("Debit" if p.units.number > 0 else "Kredit", p.account, money.fmt(abs(p.units.number)))
        for t in imported
        for p in t.postings
    )
    other = tmp_path / "biaya2.csv"
    other.write_text("tanggal,akun,jumlah,keterangan\n07-02-2025,listrik,10.000,Sisa\n")
    r = kdmp("impor", str(other), "--jenis", "biaya")
    assert r.exit_code == 0 and "Dicatat:" not in r.output and "1 transaksi dicatat" in r.output
