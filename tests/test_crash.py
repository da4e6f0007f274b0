"""Crash consistency of multi-file writes (#17.3), private data in the journal's commit (#17.9),
links and modes (#17.8), and file errors as one sentence (#17.6).

A crash is injected at the k-th file replacement (`os.replace`) of a command, for every k; the
next command must finish the interrupted write or refuse, never lose or duplicate a document,
and `periksa` must find nothing.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import filelock
import pytest
from conftest import Cli, set_setting, snapshot, transactions
from conftest import run as _run

from kkmp_cli.closing import audit
from kkmp_cli.core import config, coop, fsutil, ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.errors import Pemberitahuan
from kkmp_cli.members import register as members


class Crash(OSError):
    """Stands for the process dying at that instant."""


def _counting_replace(monkeypatch: pytest.MonkeyPatch, crash_at: int | None) -> list[str]:
    """Patch os.replace to count calls and fail at call number `crash_at` (1-based)."""
    calls: list[str] = []
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        calls.append(str(dst))
        if crash_at is not None and len(calls) == crash_at:
            raise Crash(28, "crash injected", str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return calls


def _ids(root: Path) -> list[str]:
    return [str(t.meta["id"]) for t in transactions(root)]


def _setup_new_year(cli: Cli) -> None:
    _run(
        cli,
        "anggota|tambah|Satu|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
    )


SHU_CONFIG = """\
shu:
  pembagian:
    cadangan: 60
    jasa_modal: 40
  jasa_modal_dari: [pokok, wajib]
  dasar_jasa_pinjaman: jasa
  pembulatan: bawah
  bagian_non_anggota: proporsional
"""


def _setup_closing(cli: Cli) -> None:
    cfg = cli.root / "koperasi.yaml"
    text = cfg.read_text()
    cfg.write_text(text[: text.index("shu:\n")] + SHU_CONFIG)
    _run(
        cli,
        "anggota|tambah|Satu|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "kas|masuk|lain|1jt|--keterangan|x|--tanggal|05-01-2025",
    )


def _setup_shu(cli: Cli) -> None:
    _setup_closing(cli)
    _run(cli, "tutup-buku|2025")


def _setup_shu_next_year(cli: Cli) -> None:
    """The books run into 2027 whatever the day (the killed process is a process of its own:
    no fixed today reaches it), so their limit on dates ahead is off."""
    _setup_shu(cli)
    set_setting(cli.root, "loket", "maju_hari_maks", "0")


SCENARIOS: dict[str, tuple[Callable[[Cli], None], list[str], list[str]]] = {
    # name: (setup, the multi-file command, a command to run after it)
    "setor-tahun-baru": (
        _setup_new_year,
        ["simpanan", "setor", "A0001", "sukarela", "50rb", "--tanggal", "05-01-2026"],
        ["simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "06-01-2026"],
    ),
    "tutup-buku": (
        _setup_closing,
        ["tutup-buku", "2025"],
        ["simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "06-01-2026"],
    ),
    "shu-bagikan": (
        _setup_shu,
        ["shu", "bagikan", "2025", "--tanggal", "15-03-2026", "--ke", "sukarela"],
        ["simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "16-03-2026"],
    ),
    # Paid out in a year that has no journal file yet: the new file and the main file.
    "shu-bagikan-tahun-baru": (
        _setup_shu_next_year,
        ["shu", "bagikan", "2025", "--tanggal", "15-01-2027", "--ke", "kas"],
        ["simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "16-01-2027"],
    ),
    "anggota-nik": (
        _setup_new_year,
        ["anggota", "tambah", "Dua", "--tanggal", "03-01-2025", "--nik", "3201234567890123"],
        ["simpanan", "setor", "A0002", "pokok", "100.000", "--tanggal", "03-01-2025"],
    ),
}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, set[str], int]]:
    """Per scenario: the folder before the command, the documents after a clean run, and how
    many file replacements the clean run does."""
    result = {}
    mp = pytest.MonkeyPatch()
    try:
        for name, (setup, command, _) in SCENARIOS.items():
            base = tmp_path_factory.mktemp(name) / "koperasi"
            coop.init(base, "KKMP Uji Coba", 2025)
            setup(Cli(base))
            clean = base.parent / "bersih"
            shutil.copytree(base, clean, symlinks=True)
            calls = _counting_replace(mp, None)
            r = Cli(clean)(*command)
            mp.undo()
            assert r.exit_code == 0, r.output
            result[name] = (base, set(_ids(clean)), len(calls))
    finally:
        mp.undo()
    return result


def _check_consistent(root: Path, before: set[str], after: set[str]) -> None:
    ids = _ids(root)
    assert len(ids) == len(set(ids)), "a document number is used twice"
    assert set(ids) in (before, after), "a command was half-written"
    assert audit.check(Paths(root)) == []
    assert not fsutil.pending(root)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_crash_at_every_replacement(
    name: str, prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, after, replacements = prepared[name]
    _, command, follow_up = SCENARIOS[name]
    before = set(_ids(base))
    assert replacements >= 2
    for k in range(1, replacements + 1):
        root = tmp_path / f"k{k}"
        shutil.copytree(base, root, symlinks=True)
        cli = Cli(root)
        _counting_replace(monkeypatch, k)
        r = cli(*command)
        monkeypatch.undo()
        # The crashed command reports one sentence, no traceback (or finished its commit first).
        assert r.exit_code in (0, 1), r.output
        assert "Traceback" not in r.output
        if r.exit_code == 1:
            assert r.output.startswith("Galat: "), r.output
        _next_commands_complete(name, root, before, after, k)


def _next_commands_complete(name: str, root: Path, before: set[str], after: set[str], k: int):
    """After the crash: periksa is clean and the documents are all-or-nothing; a retried command
    and the next one complete, and their documents are really in the books."""
    _, command, follow_up = SCENARIOS[name]
    cli = Cli(root)
    # The next command finishes or rolls back the interrupted write before it reads; nothing
    # the treasurer recorded is dropped, so there is nothing to tell (#23).
    r = cli("periksa")
    assert r.exit_code == 0, (k, r.output)
    assert "Perhatian" not in r.output, (k, r.output)
    _check_consistent(root, before, after)
    if name == "anggota-nik":
        # The private record exists exactly when the member does.
        registered = "A0002" in members.register(ledger.load(Paths(root)))
        assert registered == ("A0002" in config.load_private(root)), k
        done = registered
    else:
        done = set(_ids(root)) == after
    if not done:
        # Rolled back: the treasurer runs the command again and it completes.
        r = cli(*command)
        assert r.exit_code == 0, (k, r.output)
    assert set(_ids(root)) == after, k
    r = cli(*follow_up)
    assert r.exit_code == 0, (k, r.output)
    ids = _ids(root)
    assert len(ids) == len(set(ids)) == len(after) + 1, k
    assert audit.check(Paths(root)) == [], k


_KILLER = """
import os, sys
from kkmp_cli.cli import app
count, crash_at = 0, int(sys.argv[1])
real = os.replace
def replace(src, dst, *a, **k):
    global count
    count += 1
    if count == crash_at:
        os._exit(9)
    return real(src, dst, *a, **k)
os.replace = replace
app(sys.argv[2:])
"""


@pytest.mark.parametrize("name", ["setor-tahun-baru", "tutup-buku", "anggota-nik"])
def test_killed_process_at_every_replacement(name: str, prepared, tmp_path: Path) -> None:
    """The same with a real process death (no cleanup runs), at every replacement."""
    base, after, replacements = prepared[name]
    command = SCENARIOS[name][1]
    before = set(_ids(base))
    for k in range(1, replacements + 1):
        root = tmp_path / f"k{k}"
        shutil.copytree(base, root, symlinks=True)
        done = subprocess.run(
            [sys.executable, "-c", _KILLER, str(k), "-k", str(root), *command],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode in (0, 9), done.stderr
        _next_commands_complete(name, root, before, after, k)


def test_unincluded_journal_is_reported_and_never_written(cli: Cli) -> None:
    _setup_new_year(cli)
    orphan = Paths(cli.root).year_file(2026)
    orphan.write_text(Paths(cli.root).year_file(2025).read_text().replace("2025", "2026"))
    r = cli("periksa")
    assert r.exit_code == 1
    assert f"{orphan}:0: berkas ini tidak dimuat oleh buku.beancount" in r.output
    before = snapshot(cli.root)
    r = cli("simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "05-01-2026")
    assert r.exit_code == 1
    assert r.output.startswith("Galat: Berkas ") and "tidak dimuat oleh buku.beancount" in r.output
    assert snapshot(cli.root) == before


def test_private_data_is_written_under_the_journal_lock(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths(cli.root)
    real = os.replace
    held = []

    def replace(src, dst, *a, **k):
        if Path(dst) == fsutil.real_target(config.private_path(cli.root)):
            probe = filelock.FileLock(str(paths.lock), timeout=0)
            try:
                probe.acquire()
            except filelock.Timeout:
                held.append(True)
            else:
                probe.release()
                held.append(False)
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", replace)
    r = cli("anggota", "tambah", "Siti", "--tanggal", "02-01-2025", "--nik", "3201234567890123")
    assert r.exit_code == 0, r.output
    assert held == [True]
    assert config.load_private(cli.root) == {"A0001": {"nik": "3201234567890123"}}
    assert stat.S_IMODE(config.private_path(cli.root).stat().st_mode) == 0o600


def test_symlinked_journal_is_written_through_with_its_mode(cli: Cli, tmp_path: Path) -> None:
    _setup_new_year(cli)
    paths = Paths(cli.root)
    elsewhere = tmp_path / "di-luar" / "2025.beancount"
    elsewhere.parent.mkdir()
    shutil.move(paths.year_file(2025), elsewhere)
    paths.year_file(2025).symlink_to(elsewhere)
    os.chmod(elsewhere, 0o600)
    os.chmod(paths.main, 0o640)
    r = cli("simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "05-01-2025")
    assert r.exit_code == 0, r.output
    assert paths.year_file(2025).is_symlink()
    assert "BKM-2025-000002" in elsewhere.read_text()
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o600
    # A new year file and the main file (new include) in one commit; the main file keeps 0640.
    r = cli("simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "05-01-2026")
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(paths.main.stat().st_mode) == 0o640
    assert stat.S_IMODE(paths.year_file(2026).stat().st_mode) == 0o644
    assert len(transactions(cli.root)) == 3
    assert cli("periksa").exit_code == 0


def test_symlinked_main_file_stays_a_link(cli: Cli, tmp_path: Path) -> None:
    _setup_new_year(cli)
    paths = Paths(cli.root)
    real_main = cli.root / "buku-asli.txt"
    shutil.move(paths.main, real_main)
    paths.main.symlink_to(real_main.name)
    r = cli("simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "05-01-2026")
    assert r.exit_code == 0, r.output
    assert paths.main.is_symlink()
    assert 'include "jurnal/2026.beancount"' in real_main.read_text()
    assert len(transactions(cli.root)) == 2


def test_permission_error_is_one_sentence(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _setup_new_year(cli)
    before = snapshot(cli.root)
    year = Paths(cli.root).year_file(2025)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(year))

    monkeypatch.setattr(fsutil.tempfile, "mkstemp", denied)
    r = cli("simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "05-01-2025")
    assert r.exit_code == 1
    assert r.output.startswith(f"Galat: Tidak ada izin untuk membuka atau menulis '{year}'")
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert snapshot(cli.root) == before
    monkeypatch.undo()

    lock = Paths(cli.root).lock

    def lock_denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(lock))

    monkeypatch.setattr(filelock.FileLock, "acquire", lock_denied)
    r = cli("simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "05-01-2025")
    assert r.exit_code == 1
    assert r.output.startswith(f"Galat: Tidak ada izin untuk membuka atau menulis '{lock}'")
    assert snapshot(cli.root) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_journal_folder_is_one_sentence(cli: Cli) -> None:
    _setup_new_year(cli)
    before = snapshot(cli.root)
    journal = cli.root / "jurnal"
    journal.chmod(0o555)
    try:
        r = cli("simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "05-01-2025")
    finally:
        journal.chmod(0o755)
    assert r.exit_code == 1
    assert r.output.startswith("Galat: Tidak ada izin")
    assert snapshot(cli.root) == before


def test_sale_with_nik_and_its_private_record_are_one_commit(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(
        cli,
        "anggota|tambah|Siti|--tanggal|02-01-2025",
        "gerai|barang|tambah|BERAS-5KG|--nama|Beras|--satuan|karung|--harga-jual|65.000"
        "|--tanggal|02-01-2025",
        "gerai|beli|BERAS-5KG|10|--harga|60.000|--pemasok|Toko|--kredit|--tanggal|03-01-2025",
    )
    sale = ["gerai", "jual", "BERAS-5KG", "1", "--nik", "3201234567890123", "-t", "04-01-2025"]
    calls = _counting_replace(monkeypatch, None)
    clean = tmp_path / "bersih"
    shutil.copytree(cli.root, clean, symlinks=True)
    assert Cli(clean)(*sale).exit_code == 0
    monkeypatch.undo()
    assert config.load_private(clean) == {"penjualan_nik": {"BKM-2025-000001": "3201234567890123"}}
    for k in range(1, len(calls) + 1):
        root = tmp_path / f"k{k}"
        shutil.copytree(cli.root, root, symlinks=True)
        _counting_replace(monkeypatch, k)
        Cli(root)(*sale)
        monkeypatch.undo()
        assert Cli(root)("periksa").exit_code == 0, k
        sold = any("Penjualan" in t.narration for t in transactions(root))
        assert sold == ("penjualan_nik" in config.load_private(root)), k


def test_init_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting_replace(monkeypatch, None)
    coop.init(tmp_path / "bersih", "KKMP Uji", 2025)
    monkeypatch.undo()
    for k in range(1, len(calls) + 1):
        root = tmp_path / f"k{k}"
        _counting_replace(monkeypatch, k)
        with pytest.raises(Crash):
            coop.init(root, "KKMP Uji", 2025)
        monkeypatch.undo()
        # Trying again either creates the folder or finds the finished one.
        r = Cli(root)(
            "init", str(root), "--nama", "KKMP Uji", "--tahun-buku", "2025", koperasi=False
        )
        assert r.exit_code in (0, 1), r.output
        if r.exit_code == 1:
            assert "sudah berisi koperasi" in r.output
        assert Cli(root)("periksa").exit_code == 0, k
        assert snapshot(root) == snapshot(tmp_path / "bersih"), k


def test_periksa_judges_the_format_of_the_files_a_crash_left_finished(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """periksa checks the files' format before it parses them (#16), but after an interrupted
    commit is finished: a line misaligned by hand that the cut-short commit rewrites is not
    reported, and periksa finds nothing."""
    _setup_new_year(cli)
    root = cli.root
    year = root / "jurnal" / "2025.beancount"
    good = year.read_text(encoding="utf-8")
    lines = good.split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("  ") and " IDR" in line)
    lines[i] = lines[i].replace("  ", "     ", 1)
    year.write_text("\n".join(lines), encoding="utf-8")
    assert any("format tidak baku" in f.message for f in audit.check(Paths(root)))
    main = root / ledger.MAIN_FILE
    texts = {year: (good, 0o644), main: (main.read_text(encoding="utf-8"), 0o644)}
    _counting_replace(monkeypatch, 2)  # after the intent (the commit point), at the first file
    with pytest.raises(Crash):
        fsutil.commit(root, texts)
    monkeypatch.undo()
    assert fsutil.pending(root)
    assert audit.check(Paths(root)) == []
    assert year.read_text(encoding="utf-8") == good and not fsutil.pending(root)


def _interrupted_commit(root: Path, monkeypatch: pytest.MonkeyPatch, crash_at: int) -> Path:
    """A two-file commit (a journal and a private file) that dies at its `crash_at`-th
    replacement (1: the intent file, 2: the first target, 3: the second)."""
    journal, private = root / "jurnal.beancount", root / "pribadi.yaml"
    journal.write_text("lama\n")
    private.write_text("lama: 1\n")
    _counting_replace(monkeypatch, crash_at)
    with pytest.raises(Crash):
        fsutil.commit(root, {journal: ("baru\n", 0o644), private: ("baru: 1\n", 0o600)})
    monkeypatch.undo()
    return journal


def test_recovery_leaves_a_journal_changed_after_the_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `git pull` between the crash and the next command (found by trying, #16): the
    interrupted write replaced nothing yet, so it is dropped, and the pulled journal (the other
    laptop's transactions) stays as it is."""
    journal = _interrupted_commit(tmp_path, monkeypatch, crash_at=2)
    assert fsutil.pending(tmp_path)
    journal.write_text("dari laptop lain\n")
    # Said, not dropped without a word (#23); this write carried no note of what it recorded.
    with pytest.warns(Pemberitahuan) as told:
        assert fsutil.recover(tmp_path) is False
    assert [str(w.message) for w in told] == [
        "pencatatan yang terhenti sebelumnya tidak ditulis karena jurnal.beancount berubah "
        "sesudahnya (mis. git pull); catat ulang."
    ]
    assert journal.read_text() == "dari laptop lain\n"
    assert (tmp_path / "pribadi.yaml").read_text() == "lama: 1\n"
    assert not fsutil.pending(tmp_path)
    assert not list(tmp_path.glob(f".*{fsutil.COMMIT_SUFFIX}"))


def test_recovery_refuses_a_half_finished_write_whose_other_file_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = _interrupted_commit(tmp_path, monkeypatch, crash_at=3)
    assert journal.read_text() == "baru\n"  # the first file was replaced before the crash
    private = tmp_path / "pribadi.yaml"
    private.write_text("diubah: 1\n")
    with pytest.raises(fsutil.BukuBermasalah, match="berubah"):
        fsutil.recover(tmp_path)
    assert private.read_text() == "diubah: 1\n" and fsutil.pending(tmp_path)


def test_recovery_still_finishes_an_untouched_interrupted_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = _interrupted_commit(tmp_path, monkeypatch, crash_at=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Pemberitahuan)  # finished: nothing to tell (#23)
        assert fsutil.recover(tmp_path) is True
    assert journal.read_text() == "baru\n"
    assert (tmp_path / "pribadi.yaml").read_text() == "baru: 1\n"


@pytest.mark.parametrize(
    ("name", "pulled", "isi", "starts"),
    [
        (
            "setor-tahun-baru",
            ledger.MAIN_FILE,
            "05-01-2026 Setoran simpanan sukarela - Satu",
            2026,
        ),
        ("anggota-nik", "jurnal/2025.beancount", "03-01-2025 anggota masuk A0002 Dua", None),
        (
            "tutup-buku",
            "jurnal/2025.beancount",
            "31-12-2025 Tutup buku 2025: SHU tahun berjalan ke SHU belum dibagi (Rp1.000.000) "
            "dan 2 catatan lain",
            2026,
        ),
    ],
)
def test_a_dropped_interrupted_write_is_told_once(
    name: str,
    pulled: str,
    isi: str,
    starts: int | None,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A write interrupted after its commit point, whose files then changed (a `git pull`), is
    dropped: the treasurer is told once, on stderr, what was not written (#23)."""
    setup, command, follow_up = SCENARIOS[name]
    setup(cli)
    _counting_replace(monkeypatch, 2)  # after the intent, before the first file is replaced
    r = cli(*command)
    monkeypatch.undo()
    assert r.exit_code == 1 and fsutil.pending(cli.root)
    changed = cli.root / pulled
    changed.write_text(changed.read_text(encoding="utf-8") + "; dari laptop lain\n")
    before = snapshot(cli.root)
    r = cli(*command)  # recorded again, as the notice says
    assert r.exit_code == 0, r.output
    told = [
        f"Perhatian: pencatatan yang terhenti sebelumnya ({isi}) tidak ditulis karena {pulled} "
        "berubah sesudahnya (mis. git pull); catat ulang."
    ]
    if starts:  # and the book year the command starts, with its new file (#22)
        new_file = Paths(cli.root).year_file(starts)
        told.append(f"Perhatian: tahun buku {starts} dimulai: berkas baru {new_file} dibuat.")
    assert r.stderr.splitlines() == told
    assert "Perhatian" not in r.stdout and not fsutil.pending(cli.root)
    assert snapshot(cli.root) != before  # written this time
    r = cli(*follow_up)
    assert r.exit_code == 0 and r.stderr == "", r.output
    r = cli("periksa")
    assert r.exit_code == 0 and "Perhatian" not in r.output, r.output
