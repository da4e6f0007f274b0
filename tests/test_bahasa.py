"""cli/bahasa.py patches typer at import time (no supported route exists for its strings, #19):
these tests fail loudly when a typer upgrade removes or reshapes anything it patches."""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
from types import ModuleType

import pytest
import typer.core
from typer._click import core as tcore
from typer._click import decorators as tdecorators
from typer._click import formatting as tformatting

from kkmp_cli.cli import bahasa  # importing kkmp_cli.cli installs the patches

UPGRADE = (
    "typer changed under cli/bahasa.py: re-check every patch there against the new release, "
    "then move the pin in pyproject.toml"
)


def _method(module: ModuleType, cls: str, name: str) -> ast.FunctionDef:
    tree = ast.parse(inspect.getsource(module))
    found = [
        f
        for c in tree.body
        if isinstance(c, ast.ClassDef) and c.name == cls
        for f in c.body
        if isinstance(f, ast.FunctionDef) and f.name == name
    ]
    assert len(found) == 1, f"{module.__name__}.{cls}.{name} is gone: {UPGRADE}"
    return found[0]


def _args(func: ast.FunctionDef) -> list[str]:
    return [a.arg for a in func.args.args]


def test_typer_is_the_release_the_patches_were_checked_against() -> None:
    version = importlib.metadata.version("typer")
    assert version.startswith("0.29."), f"typer {version}: {UPGRADE}"


@pytest.mark.parametrize(
    ("module", "defined_in", "patched_on", "name", "args"),
    [
        (
            tformatting,
            "HelpFormatter",
            "HelpFormatter",
            "write_usage",
            ["self", "prog", "args", "prefix"],
        ),
        (tcore, "Command", "Command", "get_help_option", ["self", "ctx"]),
        (typer.core, "TyperOption", "TyperOption", "display_type_rich", ["self", "ctx"]),
        (typer.core, "_TyperParameter", "TyperArgument", "display_type_rich", ["self", "ctx"]),
    ],
)
def test_each_patched_method_keeps_its_shape_and_is_patched(
    module, defined_in, patched_on, name, args
) -> None:
    assert _args(_method(module, defined_in, name)) == args, f"{defined_in}.{name}: {UPGRADE}"
    patched = getattr(getattr(module, patched_on), name)
    assert getattr(patched, "_kkmp", False), f"{patched_on}.{name} is not patched"


def test_the_english_the_patches_replace_is_still_what_typer_writes() -> None:
    usage = ast.unparse(_method(tformatting, "HelpFormatter", "write_usage"))
    assert "prefix = 'Usage: '" in usage, UPGRADE
    helper = inspect.getsource(tdecorators.help_option)
    assert '"Show this message and exit."' in helper, UPGRADE
    command = inspect.signature(typer.core.TyperCommand.__init__).parameters
    assert command["options_metavar"].default == "[OPTIONS]", UPGRADE
    assert 'subcommand_metavar = "COMMAND [ARGS]..."' in inspect.getsource(typer.core), UPGRADE
    option = ast.unparse(_method(typer.core, "TyperOption", "display_type_rich"))
    assert "self.metavar" in option or "type_descriptor" in option, UPGRADE


def test_every_string_typer_translates_is_in_the_catalogue() -> None:
    assert typer.core._ is bahasa.gettext, UPGRADE  # type: ignore[attr-defined]
    tree = ast.parse(inspect.getsource(typer.core))
    strings = {
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }
    assert strings == set(bahasa.CATALOGUE), UPGRADE
