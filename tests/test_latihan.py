"""Workshop exercises: every exercise's key really solves it, a wrong entry is caught, and a
trainer's own exercise file is used."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from conftest import Cli, latihan_shu, reload, snapshot, transactions

from kkmp_cli import dates, money
from kkmp_cli.workshop import exercises


@pytest.fixture
def latihan(tmp_path: Path) -> Cli:
    root = tmp_path / "latihan-saya"
    r = Cli(root)("latihan", "mulai", str(root), koperasi=False)
    assert r.exit_code == 0, r.output
    assert "Koperasi Latihan Merah Putih dibuat" in r.output
    return Cli(root)


def test_every_exercise_is_solved_by_its_key(
    latihan: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the RAT book of the last exercise is written here
    found = exercises.load(None)
    assert len(found.daftar) >= 10
    for ex in found.daftar:
        r = latihan("latihan", "periksa", str(ex.nomor))
        assert r.exit_code == 1 and "BELUM" in r.output, (ex.nomor, r.output)
        r = latihan("latihan", "kunci", str(ex.nomor))
        shown = [
            line.strip()[len("kkmp ") :] for line in r.output.splitlines() if "  kkmp " in line
        ]
        assert shown == list(ex.kunci)
        for line in ex.kunci:
            r = latihan(*shlex.split(line))
            assert r.exit_code == 0, (line, r.output)
        r = latihan("latihan", "periksa", str(ex.nomor))
        assert r.exit_code == 0 and "Semua saldo cocok" in r.output, (ex.nomor, r.output)
    # Each exercise states its balances per its own date: all still hold at the end.
    r = latihan("latihan", "periksa", "-f", "json")
    results = json.loads(r.output)
    assert r.exit_code == 0 and [x["cocok"] for x in results] == [True] * len(found.daftar)
    assert results[2]["saldo"][-1] == {
        "pos": "Stok BERAS-5KG (nilai)",
        "seharusnya": 180000,
        "tercatat": 180000,
        "cocok": True,
    }
    entries, errors = reload(latihan.root)
    assert errors == [] and latihan("periksa").exit_code == 0
    # The new exercises (#20): klinik, bank financing, depreciation, SHU, closing and RAT book.
    judul = [ex.judul for ex in found.daftar]
    for word in ("Klinik", "Pembiayaan bank", "penyusutan", "SHU", "Tutup buku"):
        assert any(word in j for j in judul), word
    assert "## 6. Laporan keuangan" in (tmp_path / "rat-2025.md").read_text()
    r = latihan("shu", "hitung", "2025")
    assert latihan_shu() > 0 and f"SHU 2025 (final): {money.fmt(latihan_shu())}" in r.output


def test_exercise_9_accrues_the_bank_interest_run_to_31_december(tmp_path: Path) -> None:
    """The year-end accrual reaches 31 December (#11): without `pembiayaan akrual` the closing
    was refused with Rp168.548 to accrue on BRI-LATIHAN, and with it the exercises' SHU was a
    loss (#20). Exercise 9's key accrues it, its answer states the amount the books hold, and
    exercise 10's checklist is clean."""
    found = exercises.load(None)
    nine, ten = found.get(9), found.get(10)
    assert "pembiayaan akrual --bulan 2025-12" in nine.kunci
    root = tmp_path / "lat"
    r = Cli(root)("latihan", "mulai", str(root), "--dari", "10", koperasi=False)
    assert r.exit_code == 0, r.output
    [accrual] = [t for t in transactions(root) if t.meta.get("jenis") == "pembiayaan-akrual"]
    assert accrual.date == dt.date(2025, 12, 31)
    amount = next(p.units.number for p in accrual.postings if p.units.number > 0)
    # By hand: 55.000.000 x 6 % / 12 = 275.000 for 12-12..12-01 (31 days), 19 run by 31-12.
    assert amount == (Decimal(275_000) * 19 / 31).quantize(Decimal(1), ROUND_HALF_UP)
    assert money.fmt(amount) in " ".join(nine.jawaban.split())
    checklist = " ".join(Cli(root)("tutup-buku", "2025", "--periksa").output.split())
    assert "belum dibayar atau diakrualkan" not in checklist
    assert money.fmt(latihan_shu()) in " ".join(ten.jawaban.split())
    assert f"BRI-LATIHAN: bunga {money.fmt(amount)} belum dibayar" in " ".join(ten.jawaban.split())


def test_a_wrong_entry_is_shown_beside_the_right_balance(latihan: Cli) -> None:
    assert latihan("anggota", "tambah", "Siti Aminah", "--tanggal", "02-01-2025").exit_code == 0
    for jenis, jumlah in (("pokok", "100.000"), ("wajib", "25.000")):
        r = latihan("simpanan", "setor", "A0001", jenis, jumlah, "--tanggal", "02-01-2025")
        assert r.exit_code == 0
    r = latihan("latihan", "periksa", "1")
    assert r.exit_code == 1
    row = next(line for line in r.output.splitlines() if "Simpanan-Wajib" in line)
    assert "Rp20.000" in row and "Rp25.000" in row and "BELUM" in row
    assert "Belum cocok: latihan 1" in r.output


def test_story_and_unknown_number(latihan: Cli) -> None:
    r = latihan("latihan", "lihat", "3")
    assert r.exit_code == 0 and "BERAS-5KG" in r.output and "kkmp gerai beli" in r.output
    assert "Pertanyaan:" in r.output and "Jawaban" not in r.output  # the answer is in the key
    assert "Perlu latihan 1 sudah dikerjakan" in r.output and "--dari 3" in r.output
    r = latihan("latihan", "kunci", "3")
    assert "Jawaban: Beancount mengambil 2 karung" in r.output
    before = snapshot(latihan.root)
    r = latihan("latihan", "lihat", "99")
    assert r.exit_code == 1 and "Latihan 99 tidak ada" in r.output
    assert snapshot(latihan.root) == before


HIBAH_KEY = 'kas masuk Hibah 1jt --keterangan "Hibah desa" --tanggal 15-01-2025'


def own_exercise(root: Path, *kunci: str) -> Path:
    """A trainer's own exercise file in the practice cooperative: one hibah, with `kunci`."""
    own = root / "templates" / "latihan.yaml"
    own.parent.mkdir()
    lines = "".join(f"      - {line}\n" for line in kunci)
    own.write_text(
        f"""
koperasi: Koperasi Pelatihan Desa
tahun: 2025
latihan:
  - judul: Hibah desa
    cerita: Koperasi menerima hibah Rp1.000.000 dari desa pada 15 Januari 2025.
    kunci:
{lines}    per: 15-01-2025
    harapan:
      Aset:Kas: "1.000.000"
      Aset:Bank: "0"
""",
        encoding="utf-8",
    )
    return own


def test_a_trainer_writes_their_own_exercises(latihan: Cli) -> None:
    own = own_exercise(latihan.root, HIBAH_KEY)
    r = latihan("latihan", "daftar")
    assert r.exit_code == 0 and "Hibah desa" in r.output and "Anggota pertama" not in r.output
    assert latihan("kas", "masuk", "Hibah", "1jt", "-t", "15-01-2025").exit_code == 0
    assert latihan("latihan", "periksa").exit_code == 0
    own.write_text(own.read_text().replace('"1.000.000"', '"satu juta"'), encoding="utf-8")
    r = latihan("latihan", "periksa")
    assert r.exit_code == 1 and "latihan 1" in r.output and "Traceback" not in r.output


def _recorded(output: str) -> str:
    return output.split("Dicatat: ", 1)[1].split()[0]


def _suggested(output: str) -> list[list[str]]:
    """The `kkmp koreksi …` commands periksa suggests, as arguments."""
    folded = " ".join(output.split())
    return [
        shlex.split(part.split("'")[0])
        for part in folded.split("kkmp koreksi ")[1:]
        if not part.startswith("NOMOR")
    ]


def test_an_entry_the_exercise_did_not_ask_for_is_named_with_its_correction(
    latihan: Cli,
) -> None:
    """Found by an adversarial review (#20): exercise 1 booked right plus a stray hibah and a
    stray expense on the same day (they cancel out in cash) was "Semua saldo cocok"."""
    for line in exercises.load(None).get(1).kunci:
        assert latihan(*shlex.split(line)).exit_code == 0
    r = latihan(
        "kas", "masuk", "hibah", "50.000", "--keterangan", "salah catat", "-t", "02-01-2025"
    )
    hibah = _recorded(r.output)
    r = latihan(
        "kas", "keluar", "listrik", "50.000", "--keterangan", "salah catat", "-t", "02-01-2025"
    )
    listrik = _recorded(r.output)
    before = snapshot(latihan.root)
    r = latihan("latihan", "periksa", "1")
    assert r.exit_code == 1 and "Semua saldo cocok" not in r.output
    folded = " ".join(r.output.split())
    for doc in (hibah, listrik):
        assert f'{doc} (02-01-2025, "salah catat", Rp50.000) tidak diminta latihan ini' in folded
    assert snapshot(latihan.root) == before  # checking writes nothing
    commands = _suggested(r.output)
    assert sorted(c[0] for c in commands) == sorted([hibah, listrik])
    for command in commands:
        assert command[-2:] == ["--tanggal", "02-01-2025"]
        assert latihan("koreksi", *command).exit_code == 0
    r = latihan("latihan", "periksa", "1")
    assert r.exit_code == 0 and "Semua saldo cocok" in r.output, r.output
    r = latihan("latihan", "periksa", "1", "-f", "json")
    assert json.loads(r.output)[0]["lain"] == []


def test_entries_dated_today_say_the_date_is_the_problem(latihan: Cli) -> None:
    """The same review: a participant who forgot --tanggal got BELUM, "Tercatat Rp0" and
    advice to use koreksi, with nothing about the date."""
    today = dt.date.today()
    assert latihan("anggota", "tambah", "Siti Aminah", "--jk", "P").exit_code == 0
    docs = [
        _recorded(latihan("simpanan", "setor", "A0001", kind, amount).output)
        for kind, amount in (("pokok", "100.000"), ("wajib", "20.000"))
    ]
    r = latihan("latihan", "periksa", "1")
    assert r.exit_code == 1
    folded = " ".join(r.output.split())
    for doc in docs:
        assert (
            f"{doc} tercatat bertanggal {dates.fmt(today)}; latihan ini bertanggal 02-01-2025, "
            "gunakan --tanggal 02-01-2025"
        ) in folded
    data = json.loads(latihan("latihan", "periksa", "1", "-f", "json").stdout)[0]
    assert data["cocok"] is False
    assert sorted(x["bukti"] for x in data["lain"]) == sorted(docs)
    assert {x["tanggal_latihan"] for x in data["lain"]} == {"2025-01-02"}
    # Only exercise 1 is concerned: the entries dated today are in no other exercise's days.
    assert [
        x["lain"] != [] for x in json.loads(latihan("latihan", "periksa", "-f", "json").stdout)
    ] == [True] + [False] * (len(exercises.load(None).daftar) - 1)


def test_a_trainers_key_that_fails_leaves_the_balances_checked(latihan: Cli) -> None:
    """The entries not asked for are found by running the keys in a scratch cooperative; a
    trainer's key that fails there says so, and the balances are still checked (#20)."""
    own_exercise(latihan.root, HIBAH_KEY, "kas keluar Listrik 5jt --tanggal 15-01-2025")
    assert latihan("kas", "masuk", "Hibah", "1jt", "-t", "15-01-2025").exit_code == 0
    r = latihan("latihan", "periksa")
    assert r.exit_code == 0 and "Semua saldo cocok" in r.output, r.output
    folded = " ".join(r.output.split())
    assert "Perhatian: Kunci latihan 1 gagal pada 'kkmp kas keluar Listrik 5jt" in folded
    assert "catatan yang tidak diminta latihan tidak diperiksa, hanya saldonya" in folded
