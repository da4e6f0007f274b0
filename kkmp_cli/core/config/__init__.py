"""Every YAML document kkmp reads, as typed objects (the only place that parses YAML):
koperasi.yaml (`koperasi`), rat.yaml (`rat`), the private member file (`private`), all read
through one reader (`documents`: line numbers, exact fractions, unknown keys refused by name)."""

from __future__ import annotations

from kkmp_cli.core.config.documents import Doc, read_document
from kkmp_cli.core.config.koperasi import (
    CONFIG_KEYS,
    CONFIG_NAME,
    DEFAULT_POKOK,
    DEFAULT_WAJIB,
    Config,
    GeraiRules,
    Kepatuhan,
    Officer,
    Organisasi,
    PinjamanRules,
    ShuRules,
    SimpananRules,
    load,
    render_new,
)
from kkmp_cli.core.config.private import (
    PRIVATE_DIR,
    decrypt_private,
    encrypt_private,
    load_private,
    private_files,
    private_path,
    save_private,
    write_private_files,
)
from kkmp_cli.core.config.rat import (
    RAT_KEYS,
    RAT_NAME,
    RAT_TEMPLATE,
    Meeting,
    RatInputs,
    Staff,
    load_rat,
    write_rat,
)

__all__ = [
    "PRIVATE_DIR",
    "decrypt_private",
    "encrypt_private",
    "private_files",
    "write_private_files",
    "CONFIG_KEYS",
    "CONFIG_NAME",
    "DEFAULT_POKOK",
    "DEFAULT_WAJIB",
    "RAT_KEYS",
    "RAT_NAME",
    "RAT_TEMPLATE",
    "Config",
    "Doc",
    "GeraiRules",
    "Kepatuhan",
    "Meeting",
    "Officer",
    "Organisasi",
    "PinjamanRules",
    "RatInputs",
    "ShuRules",
    "SimpananRules",
    "Staff",
    "load",
    "load_private",
    "load_rat",
    "private_path",
    "read_document",
    "render_new",
    "save_private",
    "write_rat",
]
