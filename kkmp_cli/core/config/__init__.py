"""Every YAML document kkmp reads, as typed objects (the only place that parses YAML):
koperasi.yaml (`koperasi`), rat.yaml (`rat`), the private member file (`private`), all read
through one reader (`documents`: line numbers, exact fractions, unknown keys refused by name)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kkmp_cli.core.config.documents import Doc, read_document
from kkmp_cli.core.config.koperasi import (
    CONFIG_KEYS,
    CONFIG_NAME,
    DEFAULT_POKOK,
    DEFAULT_WAJIB,
    KDMP_DESA,
    KDMP_MIN_PERSEN,
    PRESETS,
    SHU_ANGGOTA_NOTE,
    SHU_RECORD,
    Config,
    GeraiRules,
    JasaChange,
    Kepatuhan,
    Officer,
    Organisasi,
    PinjamanRules,
    Pos,
    PphBungaChange,
    RapatAnggota,
    ShuRules,
    SimpananRules,
    Unit,
    in_force,
    load,
    render_new,
    shu_from_record,
    shu_record,
)

# rat.yaml and the private member file are read by few commands: their modules (and their
# dataclasses) are imported on first use, so recording does not pay for them (#16).
_LAZY = {
    **dict.fromkeys(
        (
            "PRIVATE_DIR",
            "decrypt_private",
            "encrypt_private",
            "load_private",
            "private_files",
            "private_path",
            "save_private",
            "write_private_files",
        ),
        "private",
    ),
    **dict.fromkeys(
        (
            "RAT_KEYS",
            "RAT_NAME",
            "RAT_TEMPLATE",
            "Attendance",
            "Meeting",
            "Proxy",
            "RatInputs",
            "Staff",
            "load_rat",
            "write_rat",
        ),
        "rat",
    ),
}

if TYPE_CHECKING:
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
        Attendance,
        Meeting,
        Proxy,
        RatInputs,
        Staff,
        load_rat,
        write_rat,
    )


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "PRIVATE_DIR",
    "decrypt_private",
    "encrypt_private",
    "private_files",
    "write_private_files",
    "CONFIG_KEYS",
    "KDMP_DESA",
    "KDMP_MIN_PERSEN",
    "PRESETS",
    "SHU_ANGGOTA_NOTE",
    "SHU_RECORD",
    "Pos",
    "RapatAnggota",
    "CONFIG_NAME",
    "DEFAULT_POKOK",
    "DEFAULT_WAJIB",
    "RAT_KEYS",
    "RAT_NAME",
    "RAT_TEMPLATE",
    "Config",
    "Doc",
    "GeraiRules",
    "JasaChange",
    "Kepatuhan",
    "Meeting",
    "Officer",
    "Organisasi",
    "PinjamanRules",
    "PphBungaChange",
    "Attendance",
    "Proxy",
    "RatInputs",
    "ShuRules",
    "Unit",
    "SimpananRules",
    "Staff",
    "in_force",
    "load",
    "load_private",
    "load_rat",
    "private_path",
    "read_document",
    "render_new",
    "shu_from_record",
    "shu_record",
    "save_private",
    "write_rat",
]
