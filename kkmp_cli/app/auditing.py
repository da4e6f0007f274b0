"""Auditors' use cases over git: the books at a revision, what changed, commits and hooks."""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from pathlib import Path

from kkmp_cli import money
from kkmp_cli.closing import audit, closing
from kkmp_cli.core import coop, fsutil, git, ledger
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.errors import PenulisanDitolak
from kkmp_cli.review import diff, history, merge

WORKING_TREE = "folder kerja"


def book_at(paths: Paths, revisi: str) -> Book:
    """The ledger as committed at `revisi`, loaded from a temporary copy (the working tree is
    not touched); reports built on it name the revision."""
    return _side(paths, revisi)[0]


def compare(paths: Paths, dari: str | None = None, ke: str | None = None) -> diff.Selisih:
    """What changed from revision `dari` (default HEAD) to `ke` (default the working tree)."""
    git.require(paths.root)
    old, old_side = _side(paths, dari or "HEAD")
    new, new_side = _side(paths, ke)
    return diff.compare(old, new, old_side, new_side)


def _side(paths: Paths, revisi: str | None) -> tuple[Book, diff.Sisi]:
    if revisi is None:
        return ledger.load(paths), diff.Sisi(WORKING_TREE, "", dt.date.today())
    rev = git.resolve(paths.root, revisi)
    book = ledger.load(Paths(git.export(paths.root, rev)))
    return book, diff.Sisi(revisi, rev.commit[:12], rev.tanggal)


# --- git hooks and commits (kkmp git pasang / simpan) ---

HOOK_MARK = "# Dipasang oleh 'kkmp git pasang'"
HOOKS = ("pre-commit", "prepare-commit-msg")


def _hook_text(paths: Paths, command: str) -> str:
    python = shlex.quote(sys.executable)
    root = shlex.quote(str(paths.root.resolve()))
    return (
        f"#!/bin/sh\n{HOOK_MARK}: {command} untuk buku di {paths.root.resolve()}.\n"
        f'exec {python} -m kkmp_cli -k {root} git {command} "$@"\n'
    )


def install_hooks(paths: Paths, *, replace: bool = False) -> list[Path]:
    """Write the pre-commit hook (a fast periksa, refusing a changed sealed year) and the
    prepare-commit-msg hook (the documents in the commit); another tool's hook is kept unless
    `replace`."""
    commands = dict(zip(HOOKS, ("periksa", "pesan"), strict=True))
    for name in HOOKS:
        text = git.read_hook(paths.root, name)
        if text is not None and HOOK_MARK not in text and not replace:
            raise PenulisanDitolak(
                f"Sudah ada hook git '{name}' dari alat lain; tidak ditimpa. Ulangi dengan "
                "--ganti bila memang boleh diganti."
            )
    written = [git.write_hook(paths.root, n, _hook_text(paths, commands[n])) for n in HOOKS]
    # Journals changed on two laptops merge by whole directives (#22), never line by line.
    driver = f"{shlex.quote(sys.executable)} -m kkmp_cli git gabung-jurnal %O %A %B"
    git.set_config(paths.root, f"merge.{coop.MERGE_DRIVER}.name", "jurnal kkmp per transaksi")
    git.set_config(paths.root, f"merge.{coop.MERGE_DRIVER}.driver", driver)
    attributes = paths.root / ".gitattributes"
    if not attributes.exists() or "beancount merge=union" in attributes.read_text("utf-8"):
        fsutil.atomic_write(attributes, coop.GITATTRIBUTES)
        written.append(attributes)
    return written


def merge_journal(base: Path, ours: Path, theirs: Path) -> tuple[str, ...]:
    """Git's merge driver for a journal: our file gets their new directives; the clashes a
    person must settle are returned (git then marks the file as conflicted)."""
    texts = []
    for side in (base, ours, theirs):
        try:
            texts.append(side.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            # Not a journal kkmp wrote: ours is left as it is and git marks the file conflicted.
            return (f"{side} bukan teks UTF-8, jadi tidak dapat digabung per transaksi",)
    result = merge.merge(*texts)
    fsutil.atomic_write(ours, result.text)
    return result.conflicts


def hook_findings(paths: Paths) -> list[str]:
    """What the pre-commit hook refuses: the ledger's errors and kkmp's invariants (from the
    cache when it is fresh), broken seals, and any change to a year sealed in HEAD."""
    book = ledger.load(paths)
    found = [str(f) for f in book.findings() + audit.invariants(book)]
    found += [str(f) for f in closing.seal_findings(book)]
    if git.has_head(paths.root):
        old, _ = _side(paths, "HEAD")
        found += [s.pesan for s in diff.seal_breaches(old, book, diff.moved(old, book))]
    return sorted(set(found))


def commit_lines(paths: Paths) -> list[str]:
    """The documents this commit brings: one line each, new, corrected or removed."""
    if not git.has_head(paths.root):
        book = ledger.load(paths)
        return [f"Buku awal: {len(diff.keyed(book))} transaksi."]
    s = compare(paths)
    lines = [
        f"+ {t.id} {t.tanggal:%d-%m-%Y} {t.jenis} {money.fmt(t.jumlah)}" for t in s.transaksi_baru
    ]
    lines += [
        f"~ {t.id} {t.tanggal:%d-%m-%Y} diubah: {', '.join(m.medan for m in t.perubahan)}"
        for t in s.transaksi_ubah
    ]
    lines += [f"- {t.id} {t.tanggal:%d-%m-%Y} dihapus" for t in s.transaksi_hapus]
    lines += [f"anggota masuk {a.nak} {a.nama}" for a in s.anggota_masuk]
    lines += [f"anggota keluar {a.nak} {a.nama}" for a in s.anggota_keluar]
    lines += [f"koperasi.yaml {k.kunci}: {k.lama} -> {k.baru}" for k in s.konfigurasi]
    return lines


def save(paths: Paths, message: str | None = None) -> tuple[str, list[str]]:
    """Commit the cooperative's folder; the message names the new documents. ('', []) when
    there is nothing to commit."""
    git.require(paths.root)
    if not git.changed_paths(paths.root):
        return "", []
    problems = hook_findings(paths)
    if problems:
        shown = "; ".join(problems[:3]) + (
            f"; dan {len(problems) - 3} lagi" if len(problems) > 3 else ""
        )
        raise PenulisanDitolak(
            f"Buku belum bersih, tidak di-commit ({len(problems)} temuan): {shown}. "
            "Perbaiki dulu (kkmp periksa, kkmp selisih)."
        )
    lines = commit_lines(paths)
    title = message or _title(paths, lines)
    body = "\n".join(lines)
    return git.commit_folder(paths.root, f"{title}\n\n{body}\n" if body else title + "\n"), lines


def _title(paths: Paths, lines: list[str]) -> str:
    new = sum(1 for line in lines if line.startswith("+ "))
    other = len(lines) - new
    nama = ledger.load(paths).config.nama
    if new and not other:
        return f"{nama}: catat {new} dokumen"
    if lines:
        return f"{nama}: {new} dokumen baru, {other} perubahan lain"
    return f"{nama}: perbarui berkas buku"


def annotate_message(paths: Paths, message_file: Path, source: str = "") -> None:
    """prepare-commit-msg: add the commit's documents under the message (not for merges,
    squashes or amended commits)."""
    if source in ("merge", "squash", "commit"):
        return
    lines = commit_lines(paths) if git.changed_paths(paths.root) else []
    if not lines:
        return
    text = message_file.read_text(encoding="utf-8")
    if all(line in text for line in lines):
        return
    block = "\n".join(["Dokumen dalam commit ini (kkmp):", *lines])
    fsutil.atomic_write(message_file, text.rstrip("\n") + "\n\n" + block + "\n")


def document_history(paths: Paths, doc: str) -> tuple[history.Riwayat, list[git.Revision]]:
    """One document's history in the books and the commits that added, changed or removed it
    (none outside git)."""
    found = history.history(ledger.load(paths), doc)
    return found, git.commits_touching(paths.root, f'id: "{found.id}"')
