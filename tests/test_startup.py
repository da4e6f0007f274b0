"""Start-up (#16): `kkmp --help` imports no command module, and the command list it prints from
`cli.COMMANDS` says what each command's own help says."""

from __future__ import annotations

import subprocess
import sys

import typer
from typer._click.utils import make_default_short_help

from kkmp_cli import cli

HEAVY = ("beancount", "jinja2", "openpyxl", "rich.table", "kkmp_cli.core.ledger", "kkmp_cli.app")


def _imported_by(*args: str) -> set[str]:
    code = (
        "import sys\nfrom kkmp_cli.cli import app\n"
        f"try:\n    app({list(args)!r})\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split("\n"))


def test_help_imports_no_command_module() -> None:
    loaded = _imported_by("--help")
    assert not [m for m in loaded if m.startswith(HEAVY)], sorted(loaded)
    assert "kkmp_cli.cli.simpanan" not in loaded


def test_help_of_a_recording_command_imports_no_beancount() -> None:
    loaded = _imported_by("simpanan", "setor", "--help")
    assert "kkmp_cli.cli.simpanan" in loaded
    assert not [m for m in loaded if m.startswith(("beancount", "jinja2", "openpyxl"))]


def test_a_command_imports_its_own_module_only() -> None:
    loaded = _imported_by("akun", "--help")
    assert "kkmp_cli.cli.akun" in loaded
    assert not {"kkmp_cli.cli.gerai", "kkmp_cli.cli.pinjaman", "kkmp_cli.cli.rat"} & loaded


def test_listed_help_is_the_commands_own() -> None:
    root = typer.main.get_command(cli.app)
    for name, (_, said) in cli.COMMANDS.items():
        real = root.commands[name]
        assert real.name == name
        limit = 200
        listed = make_default_short_help(said, limit)
        assert real.get_short_help_str(limit) == listed, name


def test_subcommands_from_other_modules_are_attached() -> None:
    root = typer.main.get_command(cli.app)
    for path in cli.SUBCOMMANDS:
        group, sub = path.split(" ", 1)
        parent = root.commands[group]
        assert sub in parent.commands, path
