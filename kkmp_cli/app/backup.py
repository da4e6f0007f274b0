"""Backing up and restoring the private member data, encrypted with a passphrase (#22)."""

from __future__ import annotations

from pathlib import Path

from kkmp_cli.core import config, fsutil, ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.errors import KkmpError

MIN_PASSPHRASE = 10


class SandiSalah(KkmpError):
    """A wrong passphrase, or a backup that was altered."""


def back_up_private(paths: Paths, target: Path, passphrase: str) -> list[str]:
    """Write the private folder, encrypted, to `target`; returns the files it holds."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise KkmpError(f"Kata sandi cadangan minimal {MIN_PASSPHRASE} karakter.")
    with ledger.locked(paths):
        files = config.private_files(paths.root)
    if not files:
        raise KkmpError(f"Belum ada data pribadi di {paths.root / config.PRIVATE_DIR}.")
    blob = config.encrypt_private(files, passphrase)
    fsutil.atomic_write(target, blob.decode("ascii"), mode=0o600)
    return sorted(files)


def restore_private(paths: Paths, source: Path, passphrase: str, *, replace: bool) -> list[str]:
    """Put the private files of a backup back; existing different files only with `replace`."""
    try:
        blob = source.read_bytes()
        files = config.decrypt_private(blob, passphrase)
    except ValueError as exc:
        raise KkmpError(f"{source} bukan berkas cadangan data pribadi kkmp.") from exc
    if files is None:
        raise SandiSalah(
            f"Kata sandi salah, atau berkas {source} sudah berubah; tidak ada yang dipulihkan."
        )
    with ledger.locked(paths):
        current = config.private_files(paths.root)
        differs = sorted(n for n in files if n in current and current[n] != files[n])
        if differs and not replace:
            raise KkmpError(
                f"Data pribadi yang ada ({', '.join(differs)}) berbeda dengan cadangannya; "
                "tidak ada yang ditimpa. Tambahkan --ganti bila cadangan ini yang benar."
            )
        config.write_private_files(paths.root, files)
    return sorted(files)
