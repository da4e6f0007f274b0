"""The workshop class (#20): the trainer's board over every participant's practice cooperative,
the cooperatives made from a participants' list, and `latihan mulai --dari N`."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from pathlib import Path

import pytest
from conftest import Cli, reload

from kkmp_cli.workshop import exercises


def kkmp(*args: str):
    return Cli(Path("."))(*args, koperasi=False)


@pytest.fixture
def kelas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three practice cooperatives: one complete, one half done, one with a wrong entry."""
    monkeypatch.chdir(tmp_path)
    room = tmp_path / "kelas"
    r = kkmp("latihan", "mulai", str(room / "ani"), "--dari", "11")
    assert r.exit_code == 0 and "Semua latihan sudah dikerjakan" in r.output, r.output
    r = kkmp("latihan", "mulai", str(room / "budi"), "--dari", "6")
    assert r.exit_code == 0 and "Latihan 1 sampai 5 sudah dikerjakan" in r.output, r.output
    assert "latihan lihat 6" in r.output
    r = kkmp("latihan", "mulai", str(room / "citra"))
    assert r.exit_code == 0, r.output
    citra = Cli(room / "citra")
    assert citra("anggota", "tambah", "Siti Aminah", "--tanggal", "02-01-2025").exit_code == 0
    for jenis, jumlah in (("pokok", "100.000"), ("wajib", "25.000")):
        r = citra("simpanan", "setor", "A0001", jenis, jumlah, "--tanggal", "02-01-2025")
        assert r.exit_code == 0
    return room


def test_the_board_shows_done_not_yet_and_wrong(kelas: Path) -> None:
    n = len(exercises.load(None).daftar)
    r = kkmp("latihan", "kelas", str(kelas), "-f", "json")
    assert r.exit_code == 0, r.output
    board = json.loads(r.output)
    states = {p["nama"]: [x["keadaan"] for x in p["latihan"]] for p in board["peserta"]}
    assert states["ani"] == ["selesai"] * n
    assert states["budi"] == ["selesai"] * 5 + ["belum"] * (n - 5)
    assert states["citra"] == ["salah"] + ["belum"] * (n - 1)
    wrong = board["peserta"][2]["latihan"][0]
    assert wrong["salah"] == {
        "pos": "Ekuitas:Simpanan-Wajib:A0001",
        "seharusnya": 20000,
        "tercatat": 25000,
    }
    assert [p["selesai"] for p in board["peserta"]] == [n, 5, 0]

    r = kkmp("latihan", "kelas", str(kelas))
    assert r.exit_code == 0
    line = next(x for x in r.output.splitlines() if x.startswith("│ citra"))
    cells = [c.strip() for c in line.split("│")[2:-2]]
    assert cells == ["X"] + ["-"] * (n - 1) and f"0/{n}" in line
    line = next(x for x in r.output.splitlines() if x.startswith("│ budi"))
    assert [c.strip() for c in line.split("│")[2:-2]] == ["ok"] * 5 + ["-"] * (n - 5)
    assert (
        "citra, latihan 1: SALAH: Ekuitas:Simpanan-Wajib:A0001 Rp25.000 (seharusnya Rp20.000)"
        in r.output
    )


def test_the_board_for_the_projector_and_the_records(kelas: Path) -> None:
    r = kkmp("latihan", "kelas", str(kelas), "--format", "html")
    assert r.exit_code == 0 and "ditulis ke" in r.output
    html = (kelas / "kelas.html").read_text(encoding="utf-8")
    assert '<td class="salah">SALAH: Ekuitas:Simpanan-Wajib:A0001 Rp25.000' in html
    assert html.count('<td class="selesai">') == len(exercises.load(None).daftar) + 5
    assert "{{" not in html and "{%" not in html
    target = kelas.parent / "kelas.xlsx"
    r = kkmp("latihan", "kelas", str(kelas), "-f", "xlsx", "-o", str(target))
    assert r.exit_code == 0
    import openpyxl

    sheet = openpyxl.load_workbook(target).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Peserta" and rows[0][1].startswith("1. Anggota pertama")
    assert rows[3][0] == "citra" and rows[3][1].startswith("SALAH: Ekuitas:Simpanan-Wajib")


def test_a_broken_cooperative_is_a_line_not_a_crash(kelas: Path) -> None:
    (kelas / "budi" / "koperasi.yaml").write_text("nama: [", encoding="utf-8")
    r = kkmp("latihan", "kelas", str(kelas))
    assert r.exit_code == 0 and "budi: Galat:" in r.output and "Traceback" not in r.output


def test_prepare_a_class_from_the_participants_list(tmp_path: Path) -> None:
    names = tmp_path / "peserta.csv"
    names.write_text("No,Nama\n1,Siti Aminah\n2,Budi Santoso\n3,Ani Wijaya\n", encoding="utf-8")
    room = tmp_path / "kelas"
    r = kkmp("latihan", "kelas", str(room), "--siapkan", "3", "--nama-dari", str(names))
    assert r.exit_code == 0, r.output
    made = sorted(p.name for p in room.iterdir())
    assert made == ["01-siti-aminah", "02-budi-santoso", "03-ani-wijaya"]
    assert "Siti Aminah" in (room / "01-siti-aminah" / "koperasi.yaml").read_text()
    r = kkmp("latihan", "kelas", str(room), "-f", "json")
    board = json.loads(r.output)
    assert all(set(x["keadaan"] for x in p["latihan"]) == {"belum"} for p in board["peserta"])
    # Starting the afternoon: every cooperative has the morning's exercises done.
    other = tmp_path / "sore"
    r = kkmp("latihan", "kelas", str(other), "--siapkan", "2", "--dari", "3")
    assert r.exit_code == 0, r.output
    for folder in other.iterdir():
        r = Cli(folder)("latihan", "periksa", "2")
        assert r.exit_code == 0 and "Semua saldo cocok" in r.output
        entries, errors = reload(folder)
        assert errors == []


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("No,Peserta\n", ["--siapkan", "1"], "tidak memuat satu nama pun"),
        ("No,Kota\n1,Bogor\n", ["--siapkan", "1"], "tidak punya kolom 'nama'"),
        ("Nama\nSiti\nSiti\n", ["--siapkan", "2"], "nama 'Siti' sudah ada"),
        ("Nama\nSiti\nBudi\n", ["--siapkan", "3"], "memuat 2 nama, bukan 3"),
        ("Nama\nSiti\n", ["--siapkan", "0"], "jumlah peserta harus 1 sampai 200"),
        ("Nama\nSiti\n", ["--siapkan", "1", "--dari", "99"], "--dari 99 tidak ada"),
        (None, ["--siapkan", "1"], "tidak ada"),
    ],
)
def test_a_bad_participants_list_is_refused(
    tmp_path: Path, content: str | None, args: list[str], message: str
) -> None:
    names = tmp_path / "peserta.csv"
    if content is not None:
        names.write_text(content, encoding="utf-8")
    room = tmp_path / "kelas"
    r = kkmp("latihan", "kelas", str(room), *args, "--nama-dari", str(names))
    assert r.exit_code == 1 and "Galat:" in r.output and message in r.output, r.output
    assert "Traceback" not in r.output and not room.exists()


def test_refusals_of_the_board_and_of_mulai(tmp_path: Path) -> None:
    r = kkmp("latihan", "kelas", str(tmp_path / "tidak-ada"))
    assert r.exit_code == 1 and "Folder kelas" in r.output and "tidak ada" in r.output
    r = kkmp("latihan", "kelas", str(tmp_path))
    assert r.exit_code == 1 and "tidak ada koperasi latihan" in r.output
    r = kkmp("latihan", "kelas", str(tmp_path), "--nama-dari", "x.csv")
    assert r.exit_code == 1 and "hanya dipakai bersama --siapkan" in r.output
    r = kkmp("latihan", "mulai", str(tmp_path / "x"), "--dari", "0")
    assert r.exit_code == 1 and "--dari 0 tidak ada" in r.output
    assert not (tmp_path / "x").exists()
    (tmp_path / "kelas" / "01-siti").mkdir(parents=True)
    (tmp_path / "peserta.csv").write_text("nama\nSiti\n", encoding="utf-8")
    r = kkmp(
        "latihan",
        "kelas",
        str(tmp_path / "kelas"),
        "--siapkan",
        "1",
        "--nama-dari",
        str(tmp_path / "peserta.csv"),
    )
    assert r.exit_code == 1 and "sudah ada" in r.output


def test_exercises_state_what_they_need() -> None:
    found = exercises.load(None)
    for ex in found.daftar:
        assert all(n < ex.nomor for n in ex.butuh)
    assert found.get(8).butuh == (7,) and found.get(10).butuh == tuple(range(1, 10))


def test_a_cash_difference_that_follows_an_earlier_mistake_names_it(tmp_path: Path) -> None:
    room = tmp_path / "kelas"
    assert kkmp("latihan", "mulai", str(room / "dedi")).exit_code == 0
    dedi = Cli(room / "dedi")
    assert dedi("anggota", "tambah", "Siti Aminah", "--tanggal", "02-01-2025").exit_code == 0
    for jenis, jumlah in (("pokok", "100.000"), ("wajib", "25.000")):
        assert dedi("simpanan", "setor", "A0001", jenis, jumlah, "-t", "02-01-2025").exit_code == 0
    for line in exercises.load(None).get(2).kunci:
        assert dedi(*shlex.split(line)).exit_code == 0
    board = json.loads(kkmp("latihan", "kelas", str(room), "-f", "json").output)
    second = board["peserta"][0]["latihan"][1]
    assert second["keadaan"] == "salah"
    assert second["teks"] == (
        "SALAH: Aset:Kas Rp575.000 (seharusnya Rp570.000), mungkin terbawa dari latihan 1"
    )


def test_the_board_shows_stray_and_misdated_entries_as_wrong(tmp_path: Path) -> None:
    """The board agrees with `latihan periksa` (#20): exercise 1 with a stray entry on its day
    is X, not ok; entries made without --tanggal are X with the date named, not "-"."""
    room = tmp_path / "kelas"
    for name in ("eka", "fajar"):
        assert kkmp("latihan", "mulai", str(room / name)).exit_code == 0
    eka, fajar = Cli(room / "eka"), Cli(room / "fajar")
    for line in exercises.load(None).get(1).kunci:
        assert eka(*shlex.split(line)).exit_code == 0
    r = eka("kas", "masuk", "hibah", "50.000", "--keterangan", "salah catat", "-t", "02-01-2025")
    stray = r.output.split("Dicatat: ", 1)[1].split()[0]
    r = eka("kas", "keluar", "listrik", "50.000", "--keterangan", "salah catat", "-t", "02-01-2025")
    assert r.exit_code == 0  # cash comes out right: only the entries tell
    assert fajar("anggota", "tambah", "Siti Aminah", "--jk", "P").exit_code == 0
    r = fajar("simpanan", "setor", "A0001", "pokok", "100.000")
    misdated = r.output.split("Dicatat: ", 1)[1].split()[0]

    board = json.loads(kkmp("latihan", "kelas", str(room), "-f", "json").output)
    first = {p["nama"]: p["latihan"][0] for p in board["peserta"]}
    assert first["eka"]["keadaan"] == "salah" and first["eka"]["salah"] is None
    assert first["eka"]["teks"] == (
        f'SALAH: {stray} (02-01-2025, "salah catat", Rp50.000) tidak diminta latihan ini'
    )
    assert len(first["eka"]["lain"]) == 2 and first["eka"]["lain"][0]["bukti"] == stray
    assert first["fajar"]["keadaan"] == "salah"
    today = dt.date.today().strftime("%d-%m-%Y")
    assert first["fajar"]["teks"] == (
        f"SALAH: {misdated} tercatat bertanggal {today}; latihan ini bertanggal 02-01-2025, "
        "gunakan --tanggal"
    )
    assert [p["selesai"] for p in board["peserta"]] == [0, 0]
    r = kkmp("latihan", "kelas", str(room))
    line = next(x for x in r.output.splitlines() if x.startswith("│ eka"))
    assert [c.strip() for c in line.split("│")[2:-2]][0] == "X"
    assert f"eka, latihan 1: SALAH: {stray}" in r.output
    assert f"fajar, latihan 1: SALAH: {misdated} tercatat bertanggal {today}" in r.output
