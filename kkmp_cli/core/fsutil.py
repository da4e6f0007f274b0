"""Crash-safe file replacement: one file atomically, or several files all-or-nothing.

One file: a temp file beside the target, fsync, rename over it, fsync the folder. Several files
(a new year's journal and the main file that includes it, a journal and the private member
file): every new content is first written to a temp file beside its target, then a small intent
file naming them is written atomically (the commit point), then each target is replaced and the
intent removed. A crash before the commit point leaves the old files; after it, `recover` (run
under the cooperative's lock before anything is read) finishes the replacements — unless a file
still to be replaced changed since (a `git pull` between the crash and the next command): then
nothing is overwritten, and an interrupted write that had replaced nothing yet is dropped, and
said to be (a `Pemberitahuan` warning, naming what it recorded when its intent file says).

Symlinks are written through: the link's target is replaced and keeps its permission bits.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import warnings
from pathlib import Path

import xxhash

from kkmp_cli.errors import BukuBermasalah, Pemberitahuan

INTENT_FILE = ".kkmp-transaksi"
# Temp files of a multi-file commit: only `recover` (under the lock) may delete them.
COMMIT_SUFFIX = ".kkmp-baru.tmp"
_INTENT_VERSION = 2
_READABLE_VERSIONS = (1, 2)  # version 1 did not note the files' former content


def real_target(path: Path) -> Path:
    """The file a write to `path` must replace: the end of its symlink chain, if any."""
    return Path(os.path.realpath(path))


def atomic_write(path: Path, text: str | bytes, *, mode: int = 0o644) -> None:
    """Replace `path` with `text` so that a reader sees the old file or the new one, never half.

    An existing file keeps its permission bits (`mode` is for a new file); a symlink keeps
    pointing at its target, which gets the new text."""
    target = real_target(path)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    tmp = _write_temp(target, data, mode, ".tmp")
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def commit(
    root: Path, files: dict[Path, tuple[str | bytes, int]], *, about: str | None = None
) -> None:
    """Replace every file in `files` ({path: (text or its UTF-8 bytes, mode for a new file)})
    all-or-nothing.

    The files are replaced in the given order. Must run under the cooperative's lock. `about`
    says in a few words what the write records: the intent file keeps it, to be said if the
    write is ever dropped."""
    if len(files) == 1:
        [(path, (text, mode))] = files.items()
        atomic_write(path, text, mode=mode)
        return
    base = real_target(root)
    staged: list[tuple[Path, Path, str, str | None]] = []
    try:
        for path, (text, mode) in files.items():
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            target = real_target(path)
            former = _former(target)  # read before its temp exists, so a failure leaves none
            staged.append(
                (target, _write_temp(target, data, mode, COMMIT_SUFFIX), _sha(data), former)
            )
        manifest: dict[str, object] = {
            "versi": _INTENT_VERSION,
            "berkas": [
                {
                    "tujuan": os.path.relpath(target, base),
                    "sementara": os.path.relpath(tmp, base),
                    "sha256": digest,
                    "lama": former,
                }
                for target, tmp, digest, former in staged
            ],
        }
        if about:
            manifest["isi"] = about  # an older kkmp reading the file passes over it
        atomic_write(root / INTENT_FILE, json.dumps(manifest, indent=1) + "\n", mode=0o600)
    except BaseException:
        for _, tmp, _, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    _roll_forward(root, manifest)


def pending(root: Path) -> bool:
    """Is a multi-file commit waiting to be finished (after a crash)?"""
    return os.path.lexists(root / INTENT_FILE)


def recover(root: Path) -> bool:
    """Finish a multi-file commit that a crash interrupted; drop temp files of one that never
    reached its commit point. Must run under the cooperative's lock. True if one was finished."""
    intent = root / INTENT_FILE
    finished = False
    if os.path.lexists(intent):
        try:
            manifest = json.loads(intent.read_text(encoding="utf-8"))
            items = manifest["berkas"]
            if manifest.get("versi") not in _READABLE_VERSIONS or not isinstance(items, list):
                raise ValueError(manifest.get("versi"))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BukuBermasalah(
                f"Berkas {intent} (penulisan yang terhenti) tidak terbaca, jadi tidak ada yang "
                "ditulis. Periksa isi folder koperasi dengan 'kkmp periksa' lalu hapus berkas itu."
            ) from exc
        changed = _changed_since(root, items)
        if changed:
            intent.unlink()  # nothing was replaced yet: as if it had died before its commit
            _fsync_dir(root)
            _tell_dropped(changed, manifest.get("isi"))
        else:
            _roll_forward(root, manifest)
            finished = True
    _drop_stale_temps(root)
    return finished


def _former(target: Path) -> str | None:
    """What a file held before a multi-file commit replaces it (None: no file)."""
    try:
        return xxhash.xxh3_128_hexdigest(target.read_bytes())
    except FileNotFoundError:
        return None


def _changed_since(root: Path, items: list[dict[str, str]]) -> list[str]:
    """The files an interrupted commit still has to replace that changed after the crash (a
    `git pull`, a checkout), when it had replaced none of its files yet, so it can be dropped
    whole (none: it is finished); refused when it had replaced some (the books are half of
    each)."""
    base = real_target(root)
    waiting = [i for i in items if (base / i["sementara"]).exists()]
    changed = [
        i["tujuan"] for i in waiting if "lama" in i and _former(base / i["tujuan"]) != i["lama"]
    ]
    if not changed or len(waiting) == len(items):
        return changed
    raise BukuBermasalah(
        f"Penulisan yang terhenti tidak dapat dituntaskan: {', '.join(changed)} sudah berubah "
        f"sesudah penulisan itu terhenti (mis. git pull), dan sebagian berkasnya sudah ditulis. "
        f"Tidak ada yang ditimpa; periksa folder koperasi dengan 'git status' dan 'kkmp periksa', "
        f"lalu hapus {INTENT_FILE}."
    )


def _tell_dropped(changed: list[str], about: object) -> None:
    """A dropped write is said, once (the intent file is gone after it): the treasurer thinks
    it recorded, so it must be recorded again (#23: it was dropped without a word)."""
    what = f" ({about})" if isinstance(about, str) and about else ""
    warnings.warn(
        Pemberitahuan(
            f"pencatatan yang terhenti sebelumnya{what} tidak ditulis karena "
            f"{', '.join(changed)} berubah sesudahnya (mis. git pull); catat ulang."
        ),
        stacklevel=3,
    )


def _roll_forward(root: Path, manifest: dict[str, object]) -> None:
    base = real_target(root)
    items = manifest["berkas"]
    assert isinstance(items, list)
    folders: set[Path] = set()
    for item in items:
        target = base / item["tujuan"]
        tmp = base / item["sementara"]
        if tmp.exists():
            if _sha(tmp.read_bytes()) != item["sha256"]:
                raise BukuBermasalah(
                    f"Penulisan yang terhenti tidak dapat dituntaskan: {tmp} rusak. "
                    "Tidak ada yang ditulis; periksa folder koperasi dengan 'kkmp periksa'."
                )
            os.replace(tmp, target)
            folders.add(target.parent)
        elif not target.exists() or _sha(target.read_bytes()) != item["sha256"]:
            raise BukuBermasalah(
                f"Penulisan yang terhenti tidak dapat dituntaskan: {target} tidak sesuai "
                f"catatan {INTENT_FILE}. Tidak ada yang ditulis; periksa folder koperasi."
            )
    for folder in folders:
        _fsync_dir(folder)
    (root / INTENT_FILE).unlink()
    _fsync_dir(root)


def _drop_stale_temps(root: Path) -> None:
    for folder in (root, *[p for p in root.iterdir() if p.is_dir() and not p.is_symlink()]):
        for tmp in folder.glob(f".*{COMMIT_SUFFIX}"):
            tmp.unlink(missing_ok=True)


def _write_temp(target: Path, data: bytes, mode: int, suffix: str) -> Path:
    """`data` in a fsynced temp file beside `target`, with the target's permission bits."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        pass
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(name, mode)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
