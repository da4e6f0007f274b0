"""Command-line values read without pydantic (#16).

typer 0.29 turns every parameter's text into its Python value through a pydantic TypeAdapter
(`typer._coercion.build_runtime_param` → `typer._adapters`), built the first time a parameter
is processed — also for a value that was not given, and so for `kkmp simpanan setor --help`
(the root's `--koperasi`). Importing pydantic and building the adapters costs ~0,1 s, more than
the rest of start-up.

kkmp's parameters are text, whole numbers, flags, paths and choices. For these, the quick
reading below gives what typer's adapter gives for an ordinary value (`A0001`, `12`, `yes`,
`teks`, `jurnal.csv`); for anything else — an unusual value, a value typer would refuse, any
other kind of parameter — it hands over to typer's own adapter, so every error message stays
typer's, word for word. tests/test_startup.py compares both readings on many values, and fails
loudly when a typer upgrade moves what is patched here (pyproject.toml pins typer 0.29).
"""

from __future__ import annotations

import enum
import pathlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args, get_origin

# Marks "not sure: ask typer's adapter".
_SLOW: Any = object()

# pydantic's lax reading of text as a boolean (after typer strips it; '' is False).
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})

Reader = Callable[[Any, Any, Any], Any]  # (value, param, ctx) -> value or _SLOW


def _text(value: Any, param: Any, ctx: Any) -> Any:
    return value if type(value) is str else _SLOW


def _flag(value: Any, param: Any, ctx: Any) -> Any:
    if type(value) is bool:
        return value
    if type(value) is not str:
        return _SLOW
    word = value.strip()
    if word == "":
        return False
    word = word.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return _SLOW


def _whole(value: Any, param: Any, ctx: Any) -> Any:
    if type(value) is int:
        return value
    if type(value) is not str:
        return _SLOW
    digits = value[1:] if value[:1] == "-" else value
    if 0 < len(digits) <= 18 and digits.isascii() and digits.isdigit():
        return int(value)
    return _SLOW


def _choice(choices: tuple[Any, ...], case_sensitive: bool) -> Reader:
    from typer._param_types import coerce_cli_choice

    def read(value: Any, param: Any, ctx: Any) -> Any:
        try:
            return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
        except ValueError:
            return _SLOW  # typer's adapter says why, in its own words

    return read


def _path(annotation: Any, parameter_info: Any) -> Reader | None:
    from typer._param_types import coerce_cli_path

    path_type = parameter_info.path_type
    if path_type is None and isinstance(annotation, type) and issubclass(annotation, pathlib.Path):
        path_type = annotation
    if path_type not in (None, str, bytes, pathlib.Path):
        return None

    def read(value: Any, param: Any, ctx: Any) -> Any:
        if path_type is pathlib.Path:
            if type(value) is not str or value == "":
                return _SLOW
            value = pathlib.Path(value)  # what pydantic's Path makes of a non-empty text
        elif type(value) is not str:
            return _SLOW
        return coerce_cli_path(value, parameter_info, path_type=path_type, param=param, ctx=ctx)

    return read


def _list(item: Reader) -> Reader:
    def read(value: Any, param: Any, ctx: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value]
        read_values = [item(v, param, ctx) for v in values]
        return _SLOW if any(v is _SLOW for v in read_values) else read_values

    return read


def reader(annotation: Any, parameter_info: Any) -> Reader | None:
    """The quick reading of one parameter, in the order typer's `build_leaf_adapter` decides
    (`_adapters.build_adapter`), or None where typer's adapter should be used."""
    from typer._param_types import routes_to_path

    if get_origin(annotation) is list:
        args = get_args(annotation)
        item = reader(args[0], parameter_info) if len(args) == 1 else None
        return _list(item) if item is not None else None
    if get_origin(annotation) is not None or parameter_info.parser is not None:
        return None
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _choice(tuple(annotation), parameter_info.case_sensitive)
    if annotation is int:
        plain = parameter_info.min is None and parameter_info.max is None
        return _whole if plain and not parameter_info.clamp else None
    if annotation is bool:
        return _flag
    if annotation is str:
        return _text
    if routes_to_path(annotation, parameter_info):
        return _path(annotation, parameter_info)
    return None


def install() -> None:
    """Let typer build each parameter's reader here first (typer.core.build_runtime_param)."""
    import typer.core
    from typer import _coercion

    original = _coercion.build_runtime_param
    if getattr(typer.core.build_runtime_param, "_kkmp", False):
        return

    @dataclass(frozen=True)
    class QuickRuntimeParam(_coercion.RuntimeParam):
        """typer's RuntimeParam with the quick reading first, typer's adapter (built on
        first need) for anything else."""

        descriptor: Any
        read: Reader

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                done = self.read(value, param, ctx)
            except Exception:  # noqa: BLE001 - typer's adapter says why, in its own words
                done = _SLOW
            if done is not _SLOW:
                return done
            slow = self.__dict__.get("_slow")
            if slow is None:
                slow = original(self.descriptor)
                object.__setattr__(self, "_slow", slow)
            return slow._coerce_value(value, param=param, ctx=ctx)

    def build_runtime_param(descriptor: Any) -> Any:
        read = None
        if descriptor.file_annotation is None:
            read = reader(descriptor.annotation, descriptor.parameter_info)
        if read is None:
            return original(descriptor)
        return QuickRuntimeParam(
            parameter_info=descriptor.parameter_info,
            annotation=descriptor.annotation,
            descriptor=descriptor,
            read=read,
        )

    build_runtime_param._kkmp = True  # type: ignore[attr-defined]
    typer.core.build_runtime_param = build_runtime_param  # type: ignore[assignment]
