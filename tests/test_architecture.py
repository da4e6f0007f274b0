"""Layers (style.md): cli is the only user of typer/rich; adapters own beancount's loader/parser,
yaml and jinja2; nothing below cli imports cli, prints, exits or reads sys.argv."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kkmp_cli"

RULES = {
    # module prefix -> modules allowed to import it
    "typer": ("cli",),
    "rich": ("cli",),
    "click": ("cli",),
    "beancount.loader": ("ledger",),
    "beancount.parser": ("ledger", "writer"),
    "beancount.scripts": ("writer",),
    "yaml": ("config",),
    "jinja2": ("templating",),
    "openpyxl": ("xlsx",),
    "python_calamine": ("xlsx",),
}


def _modules() -> list[tuple[str, ast.Module]]:
    result = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        result.append((".".join(rel.parts), ast.parse(path.read_text())))
    return result


def _imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_import_rules() -> None:
    problems = []
    for module, tree in _modules():
        owner = module.split(".")[0]
        for name in _imports(tree):
            for prefix, allowed in RULES.items():
                if (name == prefix or name.startswith(prefix + ".")) and owner not in allowed:
                    problems.append(f"{module} imports {name}")
            if owner not in ("cli", "__main__") and name.startswith("kkmp_cli.cli"):
                problems.append(f"{module} imports the cli layer")
    assert problems == []


def test_nothing_below_cli_prints_or_exits() -> None:
    problems = []
    for module, tree in _modules():
        if module.startswith("cli") or module == "__main__":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in ("print", "exit", "input"):
                    problems.append(f"{module}: {node.func.id}()")
            if isinstance(node, ast.Attribute) and node.attr in ("argv", "exit"):
                if isinstance(node.value, ast.Name) and node.value.id == "sys":
                    problems.append(f"{module}: sys.{node.attr}")
    assert problems == []


def test_every_module_has_a_docstring_and_future_annotations() -> None:
    for module, tree in _modules():
        assert ast.get_docstring(tree), f"{module} has no docstring"
        imports = {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
        if len(tree.body) > 1:
            assert "__future__" in imports, f"{module} lacks `from __future__ import annotations`"
