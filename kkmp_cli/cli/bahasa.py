"""Bahasa Indonesia for the scaffolding that typer prints (usage, help, usage errors).

There is no supported route for this in the typer release kkmp runs on (#19): typer 0.29 vendors
click (`typer._click`) with its English written as literals, not through gettext, and typer's own
`typer.core` calls `gettext.gettext`, which reads compiled .mo catalogues chosen by the process
locale. So this module patches a few named attributes at import time; pyproject.toml pins typer to
the release these patches were checked against, and tests/test_bahasa.py fails loudly when an
upgrade removes or reshapes any of them.
"""

from __future__ import annotations

import functools
import re
from typing import Any

# Every string typer.core passes to gettext (tests/test_bahasa.py keeps the two sets equal).
CATALOGUE = {
    "Missing command.": "Perintah belum diberikan.",
    "No such command {name!r}.": "Perintah {name!r} tidak dikenal.",
    "Arguments": "Argumen",
    "Options": "Pilihan",
    "Commands": "Perintah",
    "required": "wajib",
    "default: {default}": "bawaan: {default}",
    "(dynamic)": "(dinamis)",
    "env var: {var}": "variabel lingkungan: {var}",
    "Aborted!": "Dibatalkan.",
}


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


HELP_TEXT = "Tampilkan bantuan ini lalu keluar."


def _patch_vendored_typer() -> None:
    """typer 0.29 vendors click with literal English in two places a treasurer sees on every
    help page: the usage prefix and the help option's own line."""
    from typer._click import core as tcore
    from typer._click import formatting as tformat

    original_usage = getattr(tformat.HelpFormatter, "write_usage", None)
    if original_usage is not None and not getattr(original_usage, "_kkmp", False):

        def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            original_usage(self, prog, args, "Pemakaian: " if prefix is None else prefix)

        write_usage._kkmp = True  # type: ignore[attr-defined]
        tformat.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
    original_help = getattr(tcore.Command, "get_help_option", None)
    if original_help is not None and not getattr(original_help, "_kkmp", False):

        def get_help_option(self: Any, ctx: Any) -> Any:
            if getattr(self, "options_metavar", None) == "[OPTIONS]":
                self.options_metavar = "[PILIHAN]"
            if str(getattr(self, "subcommand_metavar", "")).startswith("COMMAND"):
                self.subcommand_metavar = "PERINTAH [ARGUMEN]..."
            option = original_help(self, ctx)
            if (
                option is not None
                and getattr(option, "help", None) == "Show this message and exit."
            ):
                option.help = HELP_TEXT
            return option

        get_help_option._kkmp = True  # type: ignore[attr-defined]
        tcore.Command.get_help_option = get_help_option  # type: ignore[method-assign]
    _patch_type_labels()


def _patch_type_labels() -> None:
    """typer 0.29 prints Python types in help (`--harga <str>`, `KODE <str>`): a treasurer
    reads `--harga HARGA` instead, and an argument's own name is label enough."""
    import typer.core

    argument, option = typer.core.TyperArgument, typer.core.TyperOption
    if not hasattr(option, "display_type_rich") or getattr(
        option.display_type_rich, "_kkmp", False
    ):
        return

    def argument_type(self: Any, ctx: Any) -> None:
        return None

    original = option.display_type_rich

    def option_type(self: Any, ctx: Any) -> str | None:
        if self.metavar is None and not self.type_descriptor.is_choice:
            return str(max(self.opts, key=len)).lstrip("-").upper()
        label = original(self, ctx)
        if isinstance(label, str) and label.startswith("<") and label.endswith(">"):
            return f"[{label[1:-1]}]"  # choices, as click writes them: [teks|json|csv]
        return label  # type: ignore[no-any-return]

    argument_type._kkmp = option_type._kkmp = True  # type: ignore[attr-defined]
    argument.display_type_rich = argument_type  # type: ignore[method-assign,assignment]
    option.display_type_rich = option_type  # type: ignore[method-assign]


def install() -> None:
    """Point typer's gettext calls at the Indonesian catalogue; patch its vendored click."""
    import typer.core

    _patch_vendored_typer()
    setattr(typer.core, "_", gettext)  # noqa: B010 - a module global, not an attribute of ours


@functools.cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """Compiled when a usage error is first said, not at start-up (#16)."""
    return [
        (
            re.compile(r"^'(?P<v>.*)' is not one of (?P<c>.*)\.$"),
            "'{v}' bukan salah satu dari {c}.",
        ),
        (re.compile(r"^'(?P<v>.*)' is not (?P<c>.*)\.$"), "'{v}' bukan {c}."),
        (re.compile(r"^'(?P<v>.*)' is not a valid integer\.?$"), "'{v}' bukan bilangan bulat."),
        (re.compile(r"^(?P<v>.*) is not a valid integer\.?$"), "{v} bukan bilangan bulat."),
        (
            re.compile(r"^No such command '(?P<v>.*)'\.(?P<c>.*)$"),
            "Perintah '{v}' tidak dikenal.{c}",
        ),
        (
            re.compile(r"^Got unexpected extra arguments? \((?P<v>.*)\)$"),
            "Ada argumen berlebih ({v}).",
        ),
        (
            re.compile(r"^Option '(?P<v>.*)' requires an argument\.$"),
            "Pilihan '{v}' memerlukan nilai.",
        ),
        (re.compile(r"^Missing command\.$"), "Perintah belum diberikan."),
        (re.compile(r"^Input should be a valid integer.*$"), "harus berupa bilangan bulat."),
    ]


def _translate_text(message: str) -> str:
    message = re.sub(r"^Value error, ", "", message)
    message = message.replace(" Did you mean ", " Mungkin maksudnya ")
    message = message.replace("(Possible options: ", "(Pilihan yang ada: ")
    for pattern, template in _patterns():
        m = pattern.match(message)
        if m:
            return template.format(**m.groupdict())
    return message


def is_usage_error(exc: BaseException) -> bool:
    """A click/typer usage error (exit code 2), except the plain 'no arguments: show help'."""
    return (
        getattr(exc, "exit_code", None) == 2
        and hasattr(exc, "format_message")
        and type(exc).__name__ != "NoArgsIsHelpError"
    )


def usage_error_lines(exc: Any) -> list[str]:
    """The usage error as a treasurer should read it: usage, a hint, and the reason."""
    name = type(exc).__name__
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if hint is None and param is not None:
        hint = (
            param.get_error_hint(getattr(exc, "ctx", None))
            if _takes_ctx(param)
            else (param.get_error_hint())
        )
    if isinstance(hint, list | tuple):
        hint = " / ".join(repr(h) for h in hint)
    if name == "MissingParameter":
        kind = "Argumen" if getattr(param, "param_type_name", "") == "argument" else "Pilihan"
        reason = f"{kind} {hint} belum diisi."
    elif name == "NoSuchOption":
        option = str(getattr(exc, "option_name", ""))
        if re.fullmatch(r"-\d.*", option):
            reason = "Jumlah tidak boleh negatif (angka berawalan '-' terbaca sebagai pilihan)."
        else:
            reason = f"Pilihan '{option}' tidak dikenal."
            possible = getattr(exc, "possibilities", None)
            if possible:
                reason += " Mungkin maksudnya: " + ", ".join(sorted(possible)) + "?"
    elif name == "BadParameter" and hint:
        reason = f"Nilai tidak sah untuk {hint}: {_translate_text(str(exc.message))}"
    else:
        reason = _translate_text(str(getattr(exc, "message", exc)))
    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        usage = ctx.get_usage().replace("Usage: ", "Pemakaian: ", 1)
        lines.append(usage)
        lines.append(f"Lihat '{ctx.command_path} -h' untuk bantuan.")
        lines.append("")
    lines.append(f"Galat: {reason}")
    return lines


def _takes_ctx(param: Any) -> bool:
    import inspect

    try:
        return "ctx" in inspect.signature(param.get_error_hint).parameters
    except (TypeError, ValueError):
        return False
