"""Auditors in git (#15): selisih, --revisi, sampel, the git hook and commits, riwayat —
on real git repositories built here with the git command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Cli, ok, refused, run, snapshot, transactions

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bendahara Uji",
    "GIT_AUTHOR_EMAIL": "bendahara@uji.test",
    "GIT_COMMITTER_NAME": "Bendahara Uji",
    "GIT_COMMITTER_EMAIL": "bendahara@uji.test",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A", ".")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture
def repo(kdmp: Cli) -> Cli:
    """The kdmp books committed in a fresh git repository (the folder is its top)."""
    git(kdmp.root, "init", "-q", "-b", "main")
    git(kdmp.root, "config", "user.name", "Bendahara Uji")
    git(kdmp.root, "config", "user.email", "bendahara@uji.test")
    commit_all(kdmp.root, "buku awal")
    return kdmp


def edit_block(root: Path, doc: str, change) -> None:
    """Edit (or, when `change` returns '', delete) the journal block of document `doc`."""
    path = root / "jurnal" / "2025.beancount"
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    (i,) = [n for n, b in enumerate(blocks) if f'id: "{doc}"' in b]
    blocks[i] = change(blocks[i])
    path.write_text("\n\n".join(b for b in blocks if b), encoding="utf-8")


def selisih(cli: Cli, *args: str, code: int = 0) -> dict:
    r = cli("selisih", *args, "--format", "json")
    assert r.exit_code == code, r.output
    return json.loads(r.stdout)


# --- part 1: selisih ------------------------------------------------------------------------


def test_selisih_lists_added_changed_and_removed_documents_with_balance_deltas(
    repo: Cli,
) -> None:
    run(
        repo,
        "simpanan|setor|A0001|wajib|50rb|--tanggal|03-02-2025",
        "simpanan|setor|A0002|wajib|50rb|--tanggal|03-02-2025",
        "simpanan|setor|A0002|wajib|25rb|--tanggal|04-02-2025",
    )
    edit_block(repo.root, "BKM-2025-000004", lambda b: b.replace("10000000 IDR", "9000000 IDR"))
    edit_block(repo.root, "BKM-2025-000003", lambda b: "")

    diff = selisih(repo)
    assert diff["versi"] == 1 and diff["dari"]["revisi"] == "HEAD"
    assert diff["ke"]["revisi"] == "folder kerja"
    assert [t["id"] for t in diff["transaksi_baru"]] == [
        "BKM-2025-000005",
        "BKM-2025-000006",
        "BKM-2025-000007",
    ]
    assert [t["jumlah"] for t in diff["transaksi_baru"]] == [50000, 50000, 25000]
    assert [(t["id"], t["jumlah"]) for t in diff["transaksi_hapus"]] == [
        ("BKM-2025-000003", 100000)
    ]
    (changed,) = diff["transaksi_ubah"]
    assert changed["id"] == "BKM-2025-000004"
    assert changed["perubahan"] == [
        {"medan": "posting Aset:Kas", "lama": 10000000, "baru": 9000000},
        {
            "medan": "posting Kewajiban:Simpanan-Sukarela:A0002",
            "lama": -10000000,
            "baru": -9000000,
        },
    ]
    deltas = {b["akun"]: b["selisih"] for b in diff["saldo"]}
    assert deltas == {
        "Aset:Kas": 125000 - 1000000 - 100000,
        "Ekuitas:Simpanan-Pokok:A0002": 100000,
        "Ekuitas:Simpanan-Wajib:A0001": -50000,
        "Ekuitas:Simpanan-Wajib:A0002": -75000,
        "Kewajiban:Simpanan-Sukarela:A0002": 1000000,
    }
    assert diff["segel"] == [] and diff["tersegel_berubah"] is False

    text = ok(repo, "selisih")
    assert "Transaksi dihapus (1)" in text and "BKM-2025-000003" in text
    assert "posting Aset:Kas: Rp10.000.000 → Rp9.000.000" in text
    md = ok(repo, "selisih", "--format", "md")
    assert md.startswith("# Selisih buku") and "## Transaksi berubah" in md


def test_selisih_between_two_revisions_names_members_loans_and_koperasi_yaml(repo: Cli) -> None:
    run(
        repo,
        "anggota|tambah|Citra|--tanggal|05-02-2025",
        "pinjaman|cair|A0002|500rb|--tenor|5|--jasa|1|--tanggal|06-02-2025",
    )
    config = repo.root / "koperasi.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("cadangan: 40", "cadangan: 35").replace("jasa_modal: 20", "jasa_modal: 25"),
        encoding="utf-8",
    )
    commit_all(repo.root, "anggota baru, pembagian SHU")
    diff = selisih(repo, "HEAD~1", "HEAD")
    assert diff["ke"]["revisi"] == "HEAD" and len(diff["ke"]["commit"]) == 12
    assert [(a["nak"], a["nama"]) for a in diff["anggota_masuk"]] == [("A0003", "Citra")]
    assert {
        k["kunci"]: (k["lama"], k["baru"], k["menggerakkan_uang"]) for k in diff["konfigurasi"]
    } == {
        "shu.cadangan": (40, 35, True),
        "shu.jasa_modal": (20, 25, True),
    }
    (loan,) = diff["pinjaman"]
    assert (loan["peristiwa"], loan["status"], loan["jumlah"]) == ("cair", "baru", 500000)
    assert loan["pinjaman"].startswith("PJ-2025-") and loan["dokumen"].startswith("BKK-2025-")
    assert ok(repo, "selisih", "HEAD").strip().endswith("Tidak ada perubahan.")


def test_an_edit_inside_a_sealed_year_exits_1_and_names_the_seal(repo: Cli) -> None:
    run(repo, "tutup-buku|2025|--abaikan|penyisihan|--abaikan|opname|--alasan|uji")
    commit_all(repo.root, "tutup buku 2025")
    edit_block(repo.root, "BKM-2025-000004", lambda b: b.replace("10000000 IDR", "9000000 IDR"))
    diff = selisih(repo, code=1)
    assert diff["tersegel_berubah"] is True
    assert diff["transaksi_ubah"][0]["tahun_tersegel"] is True
    years = {s["tahun"] for s in diff["segel"]}
    assert years == {2025}
    assert any("BKM-2025-000004" in s["pesan"] for s in diff["segel"])
    assert any("isinya berubah" in s["pesan"] for s in diff["segel"])
    r = repo("selisih")
    assert r.exit_code == 1 and "Pelanggaran segel" in r.output and "segel rusak" in r.output
    # The balance at the sealed year's end moved, and says so.
    assert any(b["per"] == "2025-12-31" for b in diff["saldo"])


def test_selisih_refuses_what_is_not_there(kdmp: Cli) -> None:
    before = snapshot(kdmp.root)
    r = kdmp("selisih")
    assert r.exit_code == 2 and "tidak berada di repositori git" in " ".join(r.output.split())
    r = kdmp("laporan", "neraca", "--revisi", "HEAD")
    assert r.exit_code == 2 and "git init" in r.output
    git(kdmp.root, "init", "-q")
    commit_all(kdmp.root, "awal")
    r = kdmp("selisih", "v9")
    assert r.exit_code == 1 and "Revisi 'v9' tidak ada" in r.output
    r = kdmp("laporan", "neraca", "--revisi", "--help-me")
    assert r.exit_code == 1 and "tidak ada" in r.output
    assert snapshot(kdmp.root) == before


# --- part 4: --revisi -----------------------------------------------------------------------


def test_a_report_at_a_revision_equals_the_books_before_the_last_commit(repo: Cli) -> None:
    before = json.loads(ok(repo, "laporan", "neraca", "--tahun", "2025", "-f", "json"))
    run(repo, "simpanan|setor|A0001|wajib|50rb|--tanggal|03-02-2025")
    commit_all(repo.root, "setoran wajib")
    now = json.loads(ok(repo, "laporan", "neraca", "--tahun", "2025", "-f", "json"))
    assert now != before
    at = json.loads(
        ok(repo, "laporan", "neraca", "--tahun", "2025", "-f", "json", "--revisi", "HEAD~1")
    )
    note = at.pop("catatan")[-1]
    before.pop("catatan")
    assert at == before
    assert note.startswith("Dibangun dari buku pada revisi git HEAD~1 ")
    card = ok(repo, "anggota", "lihat", "A0001", "--revisi", "HEAD~1", "-f", "json")
    assert "50000" not in card
    git_status = git(repo.root, "status", "--porcelain")
    assert git_status == ""


# --- part 5: sampel -------------------------------------------------------------------------


def test_sampel_is_reproducible_stratified_and_takes_everything_above_the_threshold(
    kdmp: Cli, tmp_path: Path
) -> None:
    run(
        kdmp,
        *(
            f"simpanan|setor|A000{n % 2 + 1}|wajib|{10 + n}rb|--tanggal|0{n}-03-2025"
            for n in range(1, 8)
        ),
    )

    def draw(*extra: str) -> dict:
        return json.loads(ok(kdmp, "sampel", "--tahun", "2025", "--jumlah", "4", "--json", *extra))

    first = draw("--benih", "42", "--di-atas", "5jt")
    assert first == draw("--benih", "42", "--di-atas", "5jt")
    assert first["benih"] == 42 and first["populasi"] == 12
    big = [b for b in first["butir"] if b["alasan"] == "di atas ambang"]
    assert sorted(b["jumlah"] for b in big) == [10000000, 10000000]
    drawn = [b for b in first["butir"] if b["alasan"] == "acak"]
    assert len(drawn) == 4 and all(b["jumlah"] <= 5000000 for b in drawn)
    # 10 below the threshold: 7 wajib, 2 pokok, 1 loan: shares 3, 1, 0 (largest remainder).
    layers = {layer["jenis"]: (layer["populasi"], layer["diambil"]) for layer in first["lapisan"]}
    assert layers == {"pinjaman-cair": (1, 0), "setor-pokok": (2, 1), "setor-wajib": (7, 3)}
    assert [b["jenis"] for b in drawn].count("setor-wajib") == 3

    paper = tmp_path / "sampel.csv"
    ok(kdmp, "sampel", "--tahun", "2025", "--jumlah", "4", "--benih", "42", "-o", str(paper))
    lines = paper.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("No. dokumen,Tanggal,Jenis") and len(lines) == 5
    md = tmp_path / "sampel.md"
    ok(kdmp, "sampel", "--tahun", "2025", "--jumlah", "2", "--benih", "1", "-o", str(md))
    assert "--benih 1" in md.read_text(encoding="utf-8")

    r = kdmp("sampel", "--tahun", "2025", "--jumlah", "13")
    assert r.exit_code == 1 and "hanya punya 12 transaksi" in " ".join(r.output.split())


# --- part 3: git pasang / simpan ------------------------------------------------------------


def test_git_simpan_names_the_documents_and_the_hook_refuses_a_changed_sealed_year(
    repo: Cli,
) -> None:
    assert "Tidak ada perubahan" in ok(repo, "git", "simpan")
    run(repo, "simpanan|setor|A0001|wajib|50rb|--tanggal|03-02-2025")
    out = ok(repo, "git", "simpan")
    assert "+ BKM-2025-000005 03-02-2025 setor-wajib Rp50.000" in out
    assert git(repo.root, "log", "-1", "--format=%s").strip() == "KKMP Uji Coba: catat 1 dokumen"

    out = ok(repo, "git", "pasang")
    assert "pre-commit" in out and "prepare-commit-msg" in out
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    assert "kkmp_cli" in hook.read_text() and os.access(hook, os.X_OK)
    run(
        repo,
        "simpanan|setor|A0002|wajib|20rb|--tanggal|04-02-2025",
        "tutup-buku|2025|--abaikan|penyisihan|--abaikan|opname|--alasan|uji",
    )
    out = ok(repo, "git", "simpan", "-m", "Tutup buku 2025")
    message = git(repo.root, "log", "-1", "--format=%B")
    assert message.startswith("Tutup buku 2025\n")
    assert message.count("BKM-2025-000006") == 1  # the message hook does not list it twice

    # Someone edits the sealed year by hand and commits with plain git: the hook refuses.
    edit_block(repo.root, "BKM-2025-000004", lambda b: b.replace("10000000 IDR", "9000000 IDR"))
    git(repo.root, "add", "-A", ".")
    done = subprocess.run(
        ["git", "-C", str(repo.root), "commit", "-q", "-m", "ubah diam-diam"],
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=False,
    )
    assert done.returncode != 0
    assert "tahun buku 2025 sudah ditutup" in done.stderr and "Commit ditolak" in done.stderr
    assert git(repo.root, "log", "-1", "--format=%s").strip() == "Tutup buku 2025"
    r = repo("git", "simpan")
    assert r.exit_code == 1 and "Buku belum bersih" in r.output

    # Another tool's hook is kept unless --ganti.
    hook.write_text("#!/bin/sh\nexit 0\n")
    r = repo("git", "pasang")
    assert r.exit_code == 1 and "--ganti" in " ".join(r.output.split())
    ok(repo, "git", "pasang", "--ganti")


# --- part 2: petugas and riwayat ------------------------------------------------------------

NO_GIT_NAME = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "KKMP_PETUGAS": ""}


def test_every_written_transaction_names_its_officer_and_riwayat_shows_the_trail(
    repo: Cli,
) -> None:
    from kkmp_cli.cli import app

    def last() -> dict:
        return dict(transactions(repo.root)[-1].meta)

    run(repo, "simpanan|setor|A0001|wajib|10rb|--tanggal|03-02-2025")
    assert last()["petugas"] == "Bendahara Uji"  # git config user.name of the repository
    env = {"COLUMNS": "200", "KKMP_KOPERASI": "", "KKMP_PETUGAS": "Dewi"}
    r = repo.runner.invoke(
        app,
        [
            "-k",
            str(repo.root),
            "simpanan",
            "setor",
            "A0002",
            "wajib",
            "10rb",
            "--tanggal",
            "05-02-2025",
        ],
        env=env,
    )
    assert r.exit_code == 0, r.output
    run(repo, "--petugas|Siti Aminah|simpanan|setor|A0001|wajib|10rb|--tanggal|04-02-2025")
    docs = {t.meta["id"]: t.meta.get("petugas") for t in transactions(repo.root)}
    assert docs["BKM-2025-000007"] == "Siti Aminah" and docs["BKM-2025-000006"] == "Dewi"
    commit_all(repo.root, "setoran wajib")
    run(
        repo,
        "--petugas|Siti Aminah|koreksi|BKM-2025-000005|--alasan|salah anggota|--tanggal|06-02-2025",
    )
    commit_all(repo.root, "koreksi")

    out = ok(repo, "riwayat", "bkm-2025-000005")
    assert "Dicatat oleh: Bendahara Uji" in out
    assert "dibawa oleh" in out and "setoran wajib" in out
    assert re.search(r"dikoreksi oleh: BM-2025-\d{6}", out) and "(oleh Siti Aminah)" in out
    card = json.loads(ok(repo, "riwayat", "BKM-2025-000005", "-f", "json"))
    assert card["dokumen"]["petugas"] == "Bendahara Uji" and len(card["commit"]) == 1
    assert card["dokumen"]["terkait"][0]["hubungan"] == "dikoreksi oleh"
    refused(repo, "riwayat", "BKM-2025-999999", says="Tidak ada transaksi bernomor")


def test_petugas_wajib_refuses_to_guess(cli: Cli) -> None:
    from kkmp_cli.cli import app

    config = cli.root / "koperasi.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "petugas_wajib: true\n", "utf-8")
    argv = ["-k", str(cli.root), "anggota", "tambah", "Ani", "--tanggal", "02-01-2025"]
    ok(cli, *argv[2:])  # no transaction: nothing to stamp
    setor = [
        "-k",
        str(cli.root),
        "simpanan",
        "setor",
        "A0001",
        "pokok",
        "100rb",
        "--tanggal",
        "03-01-2025",
    ]
    before = snapshot(cli.root)
    r = cli.runner.invoke(app, setor, env={**NO_GIT_NAME, "COLUMNS": "200"})
    assert r.exit_code == 1 and "petugas_wajib" in r.output, r.output
    assert snapshot(cli.root) == before
    r = cli.runner.invoke(app, ["--petugas", "Budi", *setor], env=NO_GIT_NAME)
    assert r.exit_code == 0, r.output
    assert transactions(cli.root)[-1].meta["petugas"] == "Budi"


# --- a reopened year (#11) in git ---------------------------------------------------------------

CLOSE_2025 = "tutup-buku|2025|--abaikan|penyisihan|--abaikan|opname|--alasan|uji"
REOPEN_2025 = "tutup-buku|2025|--buka|--alasan|Tagihan listrik Desember terlupa|--disetujui|Ketua"
DECEMBER_BILL = "kas|keluar|Listrik|150.000|--keterangan|Listrik Desember|--tanggal|31-12-2025"


def _reopened_and_closed_again(repo: Cli) -> None:
    """2025 closed and committed (tag tutup-2025) with the hook installed; then reopened with
    approval, adjusted and closed again, in the working folder."""
    ok(repo, "git", "pasang")
    run(repo, CLOSE_2025)
    ok(repo, "git", "simpan", "-m", "Tutup buku 2025")
    git(repo.root, "tag", "tutup-2025")
    run(repo, REOPEN_2025, DECEMBER_BILL, CLOSE_2025)
    assert "Buku bersih: tidak ada temuan." in ok(repo, "periksa")


def _reopening_file(root: Path) -> Path:
    (path,) = [p for p in (root / "jurnal").glob("*.beancount") if "buka-buku" in p.read_text()]
    return path


def test_an_approved_reopening_is_committed_and_shown_as_a_reopening(repo: Cli) -> None:
    _reopened_and_closed_again(repo)
    diff = selisih(repo)
    assert diff["tersegel_berubah"] is False and diff["segel"] == []
    new_2025 = sorted(t["id"] for t in diff["transaksi_baru"] if t["tanggal"].startswith("2025"))
    assert len(new_2025) == 2  # the bill and the second closing entry
    (event,) = diff["buka_buku"]
    assert (event["tahun"], event["alasan"], event["disetujui"]) == (
        2025,
        "Tagihan listrik Desember terlupa",
        "Ketua",
    )
    assert event["dokumen"] == new_2025
    out = ok(repo, "selisih")
    assert "Pelanggaran segel" not in out
    assert "Tahun buku dibuka kembali (1)" in out and "disetujui Ketua" in out
    assert ok(repo, "git", "periksa") is not None  # the pre-commit hook's check passes
    out = ok(repo, "git", "simpan", "-m", "Penyesuaian 2025")  # through the pre-commit hook
    assert git(repo.root, "log", "-1", "--format=%s").strip() == "Penyesuaian 2025"
    between = selisih(repo, "tutup-2025", "HEAD")
    assert between["segel"] == [] and [e["alasan"] for e in between["buka_buku"]] == [
        "Tagihan listrik Desember terlupa"
    ]


def test_removing_a_committed_reopening_breaks_the_seal(repo: Cli) -> None:
    _reopened_and_closed_again(repo)
    ok(repo, "git", "simpan", "-m", "Penyesuaian 2025")
    path = _reopening_file(repo.root)
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    path.write_text("\n\n".join(b for b in blocks if "buka-buku" not in b), encoding="utf-8")
    diff = selisih(repo, code=1)
    assert diff["buka_buku"] == []
    assert {s["tahun"] for s in diff["segel"]} == {2025}
    assert any("pembukaan kembali" in s["pesan"] and "dihapus" in s["pesan"] for s in diff["segel"])
    # periksa's own rule says it too: two seals, no reopening left
    assert any("ditutup 2 kali tetapi hanya 0 kali" in s["pesan"] for s in diff["segel"])
    r = repo("git", "periksa")
    assert r.exit_code == 1 and "dihapus" in r.output


@pytest.mark.parametrize(
    "event",
    [
        '2026-01-02 custom "buka-buku" 2025 1\n',
        '2025-12-31 custom "buka-buku" 2025 1\n  alasan: "x"\n  disetujui: "Ketua"\n',
    ],
    ids=["tanpa-persetujuan", "bertanggal-di-tahun-itu"],
)
def test_a_reopening_that_covers_nothing_leaves_the_breach(repo: Cli, event: str) -> None:
    """An edit to the sealed year beside a reopening without a reason and approver, or dated
    inside the year it would reopen, is still a broken seal."""
    run(repo, CLOSE_2025)
    commit_all(repo.root, "tutup buku 2025")
    edit_block(repo.root, "BKM-2025-000004", lambda b: b.replace("10000000 IDR", "9000000 IDR"))
    with (repo.root / "jurnal" / "2026.beancount").open("a", encoding="utf-8") as f:
        f.write("\n" + event)
    diff = selisih(repo, code=1)
    assert any("BKM-2025-000004" in s["pesan"] for s in diff["segel"])
    r = repo("git", "periksa")
    assert r.exit_code == 1 and "BKM-2025-000004" in r.output
