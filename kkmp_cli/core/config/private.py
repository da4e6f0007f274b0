"""The private member file (pribadi/anggota.yaml, UU 27/2022): NIK and contact data, kept
out of the journal and out of git."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kkmp_cli.core import fsutil
from kkmp_cli.core.config.documents import Doc, _read_yaml

PRIVATE_DIR = "pribadi"
PRIVATE_MEMBERS = "anggota.yaml"


def private_path(root: Path) -> Path:
    return root / PRIVATE_DIR / PRIVATE_MEMBERS


def load_private(root: Path) -> dict[str, dict[str, str]]:
    """NAK → {nik, telepon, alamat}; empty when the file does not exist."""
    path = private_path(root)
    if not path.exists():
        return {}
    doc = Doc(_read_yaml(path, text_only=True), str(path), known=None)
    records = {}
    for nak in doc.keys():
        fields = doc.section(nak, None)
        records[nak] = {key: fields.text(key) for key in fields.keys()}
    return records


def save_private(
    root: Path, records: dict[str, dict[str, str]], write: Any = fsutil.atomic_write
) -> None:
    """Write the private member file (listed in the cooperative's .gitignore), mode 0600;
    `write=session.stage_file` commits it with the journal, under the same lock."""
    text = "# Data pribadi anggota (UU 27/2022). JANGAN dimasukkan ke git.\n" + yaml.safe_dump(
        records, allow_unicode=True, sort_keys=True
    )
    write(private_path(root), text, mode=0o600)


# --- the encrypted backup of the private folder (#22) ---

BACKUP_MAGIC = b"kkmp-pribadi 1\n"
# scrypt's cost: 2^15 x 8 x 128 bytes = 32 MiB and about a tenth of a second per try; the
# parameters OWASP and the cryptography documentation give for interactive logins.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


def _fernet(passphrase: str, salt: bytes) -> Any:
    import base64

    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return Fernet(base64.urlsafe_b64encode(kdf.derive(passphrase.encode("utf-8"))))


def private_files(root: Path) -> dict[str, str]:
    """Every file of the private folder, by its path inside it."""
    folder = root / PRIVATE_DIR
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def encrypt_private(files: dict[str, str], passphrase: str) -> bytes:
    """The private files sealed with a passphrase: Fernet (AES-128-CBC + HMAC-SHA256) under a
    key derived with scrypt from the passphrase and a random salt."""
    import base64
    import json
    import os

    salt = os.urandom(16)
    token = _fernet(passphrase, salt).encrypt(json.dumps(files, ensure_ascii=False).encode())
    return BACKUP_MAGIC + base64.b64encode(salt) + b"\n" + token + b"\n"


def decrypt_private(blob: bytes, passphrase: str) -> dict[str, str] | None:
    """The files of a backup, or None when the passphrase is wrong or the file was altered."""
    import base64
    import binascii
    import json

    from cryptography.fernet import InvalidToken

    if not blob.startswith(BACKUP_MAGIC):
        raise ValueError("not a kkmp private backup")
    try:
        salt_line, token = blob[len(BACKUP_MAGIC) :].split(b"\n", 1)
        salt = base64.b64decode(salt_line, validate=True)
        data = _fernet(passphrase, salt).decrypt(token.strip())
    except (InvalidToken, ValueError, binascii.Error):
        return None
    files = json.loads(data)
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        return None
    return files


def write_private_files(root: Path, files: dict[str, str]) -> None:
    """Put restored private files in place, each atomically and readable by the owner only."""
    folder = root / PRIVATE_DIR
    for name, text in files.items():
        target = (folder / name).resolve()
        if folder.resolve() not in target.parents:
            raise ValueError(f"a backup file outside the private folder: {name}")
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fsutil.atomic_write(target, text, mode=0o600)
