"""Every command has Indonesian help text and is mentioned in the README."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from kkmp_cli.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def _commands() -> list[tuple[str, object]]:
    root = typer.main.get_command(app)
    found = []

    def walk(cmd: object, path: list[str]) -> None:
        sub = getattr(cmd, "commands", None)
        if sub:
            for name, child in sub.items():
                walk(child, [*path, name])
        else:
            found.append((" ".join(path), cmd))

    walk(root, [])
    return found


def test_every_command_has_help_and_readme_mention() -> None:
    commands = _commands()
    assert len(commands) >= 10
    for name, cmd in commands:
        assert (getattr(cmd, "help", None) or "").strip(), f"`kkmp {name}` has no help text"
        pattern = rf"kkmp(?: -k \S+)? {re.escape(name)}\b"
        assert re.search(pattern, README), f"`kkmp {name}` is not in README.md"


def test_help_pages_render() -> None:
    runner = CliRunner()
    for name, _ in _commands():
        r = runner.invoke(app, [*name.split(), "--help"])
        assert r.exit_code == 0, name
        assert "Pilihan" in r.output, name
