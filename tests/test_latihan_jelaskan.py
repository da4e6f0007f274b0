"""Explain mode for learners (#20): `--jelaskan` (anywhere on the line) or KKMP_JELASKAN=1
names debit and credit for every posting, from the chart's golongan, and changes nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from beancount.core import data
from conftest import Cli, reload
from typer.testing import CliRunner

from kkmp_cli import chart
from kkmp_cli.cli import app
from kkmp_cli.workshop import explain


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
