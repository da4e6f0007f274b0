"""The only caller of git: revisions, a cooperative's folder as committed, commits and hooks."""

from __future__ import annotations

import atexit
import datetime as dt
import io
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kkmp_cli.core import config, fsutil
from kkmp_cli.errors import BukanRepoGit, PenulisanDitolak, RevisiTidakAda

TIMEOUT_SECONDS = 60
# Written into a folder exported from git, so a report built there can name its revision.
REVISION_MARK = ".kkmp-revisi"


@dataclass(frozen=True)
class Revision:
    """One commit as the user named it (`HEAD~1`, a tag) and as git knows it."""

    nama: str
    commit: str
    tanggal: dt.date
    judul: str


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise BukanRepoGit(
            f"Perintah git tidak dapat dijalankan ({exc}); pasang git dulu."
        ) from exc


def _text(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stdout.decode("utf-8", "replace").strip()


def toplevel(root: Path) -> Path | None:
    """The git work tree holding `root`, or None."""
    try:
        done = _git(root, "rev-parse", "--show-toplevel")
    except BukanRepoGit:
        return None
    return Path(_text(done)) if done.returncode == 0 else None


def require(root: Path) -> Path:
    """The git work tree holding the cooperative's folder; a usage error when there is none."""
    top = toplevel(root)
    if top is None:
        raise BukanRepoGit(
            f"Folder koperasi '{root}' tidak berada di repositori git; buat dulu dengan "
            f"'git init' di folder itu (atau induknya), lalu commit bukunya."
        )
    return top


def resolve(root: Path, name: str) -> Revision:
    """The commit that `name` (a hash, tag, branch, HEAD~1 …) names."""
    require(root)
    done = _git(root, "log", "-1", "--format=%H%x00%cs%x00%s", f"{name}^{{commit}}", "--")
    if done.returncode != 0 or not done.stdout.strip() or name.startswith("-"):
        raise RevisiTidakAda(
            f"Revisi '{name}' tidak ada di repositori git ini; lihat daftarnya dengan "
            "'git log --oneline'."
        )
    sha, date, subject = _text(done).split("\0", 2)
    return Revision(name, sha, dt.date.fromisoformat(date), subject)


def export(root: Path, rev: Revision) -> Path:
    """The cooperative's folder as committed at `rev`, in a temporary folder removed when the
    program ends; the working tree is not touched."""
    # Run inside the folder, git archive writes only it, with paths relative to it.
    done = _git(root, "archive", "--format=tar", rev.commit, "--", ".")
    if done.returncode != 0:
        raise RevisiTidakAda(
            f"Folder koperasi belum ada di revisi '{rev.nama}' ({rev.commit[:12]})."
        )
    tmp = Path(tempfile.mkdtemp(prefix="kkmp-revisi-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        tar.extractall(tmp, filter="data")
    folder = tmp
    if not (folder / config.CONFIG_NAME).exists():
        raise RevisiTidakAda(
            f"Revisi '{rev.nama}' ({rev.commit[:12]}) belum berisi {config.CONFIG_NAME} "
            "koperasi ini."
        )
    (folder / REVISION_MARK).write_text(f"{rev.nama} {rev.commit[:12]}\n", encoding="utf-8")
    return folder


def exported_revision(root: Path) -> str:
    """`NAME COMMIT` when `root` is a folder exported from git by `export`, else ''."""
    mark = root / REVISION_MARK
    return mark.read_text(encoding="utf-8").strip() if mark.exists() else ""


def head_commit(root: Path) -> str:
    """The short HEAD commit, marked when the folder has uncommitted changes; '' outside git."""
    top = toplevel(root)
    if top is None:
        return ""
    done = _git(root, "rev-parse", "--short=12", "HEAD")
    if done.returncode != 0:
        return ""
    commit = _text(done)
    if _text(_git(root, "status", "--porcelain", "--", ".")):
        commit += " (ada perubahan yang belum di-commit)"
    return commit


def user_name(root: Path) -> str:
    """`git config user.name` where the cooperative's folder is (its repository's, else the
    user's), or ''."""
    try:
        return _text(_git(root, "config", "user.name"))
    except BukanRepoGit:
        return ""


def changed_paths(root: Path) -> list[str]:
    """Files of the cooperative's folder that differ from HEAD (new ones too), as git shows
    them relative to the folder."""
    done = _git(root, "status", "--porcelain", "--untracked-files=all", "--", ".")
    prefix = _text(_git(root, "rev-parse", "--show-prefix"))
    paths = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        name = line[3:].split(" -> ")[-1].strip('"')
        paths.append(name[len(prefix) :] if prefix and name.startswith(prefix) else name)
    return paths


def has_head(root: Path) -> bool:
    return _git(root, "rev-parse", "--verify", "-q", "HEAD").returncode == 0


def commit_folder(root: Path, message: str) -> str:
    """Stage everything in the cooperative's folder (its .gitignore keeps private data out)
    and commit it alone; the new commit's short hash."""
    require(root)
    for args in (("add", "-A", "--", "."), ("commit", "-q", "-F", "-", "--", ".")):
        done = _git(root, *args, stdin=message.encode() if args[0] == "commit" else None)
        if done.returncode != 0:
            why = " ".join((done.stderr or done.stdout).decode("utf-8", "replace").split())
            raise PenulisanDitolak(f"git {args[0]} gagal: {why or 'tanpa keterangan'}")
    return _text(_git(root, "rev-parse", "--short=12", "HEAD"))


def set_config(root: Path, key: str, value: str) -> None:
    """Set a setting in this repository's own git config (not the user's global one)."""
    done = _git(root, "config", "--local", key, value)
    if done.returncode != 0:
        raise BukanRepoGit(
            f"Pengaturan git {key} tidak dapat ditulis: {_text(done) or done.stderr!r}."
        )


def hooks_dir(root: Path) -> Path:
    """Where this repository keeps its hooks (a worktree's common folder too)."""
    require(root)
    path = Path(_text(_git(root, "rev-parse", "--git-path", "hooks")))
    return path if path.is_absolute() else root / path


def read_hook(root: Path, name: str) -> str | None:
    """The text of the repository's hook `name`, or None when there is none."""
    path = hooks_dir(root) / name
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else None


def write_hook(root: Path, name: str, text: str) -> Path:
    """Write (or replace) the repository's hook `name`, executable."""
    path = hooks_dir(root) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    fsutil.atomic_write(path, text, mode=0o755)
    path.chmod(0o755)  # a replaced hook keeps its old bits otherwise
    return path.resolve()


def commits_touching(root: Path, text: str) -> list[Revision]:
    """Commits, oldest first, that added or removed `text` in the cooperative's journal."""
    if toplevel(root) is None:
        return []
    done = _git(root, "log", "--reverse", f"-S{text}", "--format=%H%x00%cs%x00%an%x00%s", "--", ".")
    found = []
    for line in _text(done).splitlines():
        sha, date, author, subject = line.split("\0", 3)
        found.append(Revision(author, sha, dt.date.fromisoformat(date), subject))
    return found
