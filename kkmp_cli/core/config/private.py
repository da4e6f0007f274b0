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
