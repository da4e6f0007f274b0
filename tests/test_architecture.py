"""Layers (style.md): cli is the only user of typer/rich; adapters own beancount's loader/parser,
yaml and jinja2; nothing below cli imports cli, prints, exits or reads sys.argv; domain modules
do no I/O (no writer, no subprocess, no file written)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kkmp_cli"

RULES = {
    # imported name prefix -> modules or packages allowed to import it
    "typer": ("cli",),
    "rich": ("cli",),
    "click": ("cli",),
    "beancount.loader": ("core.ledger",),
    "beancount.parser": ("core.ledger", "core.writer", "core.printer"),
    "beancount.scripts": ("core.printer",),
    "yaml": ("core.config",),
    "jinja2": ("core.templating",),
    "openpyxl": ("core.xlsx",),
    "python_calamine": ("core.xlsx",),
    "pyarrow": ("core.parquet",),
    "weasyprint": ("core.pdf",),
    # the application layer orchestrates: only the CLI calls it
    "kkmp_cli.app": ("cli", "app"),
}


def _modules() -> list[tuple[str, ast.Module]]:
    result = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        result.append((".".join(rel.parts), ast.parse(path.read_text())))
    return result


def _imports(module: str, tree: ast.Module) -> set[str]:
    """Absolute names imported by `module`; relative imports resolved against its package."""
    parts = module.split(".")
    package = ["kkmp_cli", *(parts[:-1] if parts[-1] != "__init__" else parts[:-1])]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            names.add(origin)
            names.update(f"{origin}.{a.name}" for a in node.names)
    return names


def test_relative_imports_are_resolved() -> None:
    tree = ast.parse(
        "from . import writer\nfrom ..core.ledger import Book\nfrom .schedule import x\n"
    )
    assert {"kkmp_cli.loans.writer", "kkmp_cli.core.ledger.Book", "kkmp_cli.loans.schedule.x"} <= (
        _imports("loans.operations", tree)
    )
    assert "kkmp_cli.core.writer" in _imports(
        "reports.statements", ast.parse("from ..core import writer\n")
    )
    assert "kkmp_cli.cli.common" in _imports("cli.__init__", ast.parse("from .common import x\n"))


def _within(module: str, owners: tuple[str, ...]) -> bool:
    """Whether `module` is one of `owners` or inside one of those packages."""
    return any(module == o or module.startswith(o + ".") for o in owners)


def test_import_rules() -> None:
    problems = []
    for module, tree in _modules():
        for name in _imports(module, tree):
            for prefix, allowed in RULES.items():
                if (name == prefix or name.startswith(prefix + ".")) and not _within(
                    module, allowed
                ):
                    problems.append(f"{module} imports {name}")
            if not _within(module, ("cli", "__main__")) and name.startswith("kkmp_cli.cli"):
                problems.append(f"{module} imports the cli layer")
    assert problems == []


def test_nothing_below_cli_prints_or_exits() -> None:
    problems = []
    for module, tree in _modules():
        if _within(module, ("cli", "__main__")):
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


# Modules outside cli/ that still do I/O today: the adapters, and the use cases that open a writer
# session, run git or read documents themselves until the application layer takes that over.
# The list only shrinks (#19).
DOING_IO = {
    "core.ledger",
    "core.writer",
    "core.config",
    "core.templating",
    "core.xlsx",
    "core.parquet",
    "core.fsutil",
    "core.coop",
    "core.git",
}
IO_MODULES = ("kkmp_cli.core.writer", "subprocess")
WRITE_METHODS = ("write_text", "write_bytes")


def _writes_a_file(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in WRITE_METHODS:
        return True
    is_open = (isinstance(func, ast.Name) and func.id == "open") or (
        isinstance(func, ast.Attribute) and func.attr == "open"
    )
    if not is_open:
        return False
    # open(path, mode) or path.open(mode); a mode that is not a literal may well write
    modes = [k.value for k in node.keywords if k.arg == "mode"]
    modes += node.args[1:2] if isinstance(func, ast.Name) else node.args[:1]
    return any(
        not isinstance(m, ast.Constant) or any(c in str(m.value) for c in "wax+") for m in modes
    )


def _domain_modules() -> list[tuple[str, ast.Module]]:
    return [
        (module, tree)
        for module, tree in _modules()
        if not _within(module, ("cli", "app", "__main__", *DOING_IO))
    ]


def test_domain_modules_do_no_io() -> None:
    problems = []
    for module, tree in _domain_modules():
        for name in _imports(module, tree):
            if any(name == m or name.startswith(m + ".") for m in IO_MODULES):
                problems.append(f"{module} imports {name}")
        problems += [
            f"{module}:{node.lineno} writes a file"
            for node in ast.walk(tree)
            if _writes_a_file(node)
        ]
    assert problems == []


def test_the_io_exceptions_exist_and_the_domain_is_checked() -> None:
    modules = {module for module, _ in _modules()}
    missing = [m for m in DOING_IO if not any(_within(x, (m,)) for x in modules)]
    assert missing == [], missing
    domain = {module for module, _ in _domain_modules()}
    assert {
        "reports.statements",
        "members.deposits",
        "loans.operations",
        "shu.shu",
        "outlet.trade",
    } <= domain


def test_the_write_detector_sees_every_form() -> None:
    def writes(code: str) -> bool:
        return any(_writes_a_file(n) for n in ast.walk(ast.parse(code)))

    assert writes("open(p, 'w')") and writes("open(p, mode='a')") and writes("p.open('w')")
    assert writes("p.write_text(s)") and writes("open(p, m)")
    assert not writes("open(p)") and not writes("p.open()") and not writes("open(p, 'rb')")


def test_every_package_is_installed() -> None:
    """setuptools installs only the packages pyproject.toml lists: a new folder must be named."""
    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(init.parent.relative_to(PACKAGE.parent).parts)
        for init in PACKAGE.rglob("__init__.py")
    }
    assert folders <= listed, sorted(folders - listed)


def test_the_cli_founds_cooperatives_through_the_application_layer() -> None:
    """`kkmp init` and `latihan mulai` call app.found_cooperative; only cli/common may reach the
    folder adapter (to locate the cooperative), so no command writes a folder around the app (#19)."""
    problems = [
        f"{module} imports {name}"
        for module, tree in _modules()
        if _within(module, ("cli",)) and module != "cli.common"
        for name in _imports(module, tree)
        if name == "kkmp_cli.core.coop"
    ]
    assert not problems


def test_the_accrual_kinds_koreksi_refuses_are_the_modules_own() -> None:
    """journal.py spells the time-deposit accrual kind and the loan accrual's adjustment to
    stay light to import; they must stay the kinds those modules write. A facility's accrual
    may be corrected on its own day (#11)."""
    from kkmp_cli.financing import facility
    from kkmp_cli.journal import journal
    from kkmp_cli.loans import portfolio
    from kkmp_cli.members import term_deposits

    assert journal.ACCRUE_TERM_DEPOSITS == term_deposits.ACCRUAL
    assert journal.ACCRUAL_ADJUSTMENT == portfolio.ACCRUAL_ADJUSTMENT
    assert {term_deposits.ACCRUAL, portfolio.ACCRUAL_ADJUSTMENT} <= set(journal.NOT_CORRECTABLE)
    assert facility.ACCRUE not in journal.NOT_CORRECTABLE


def test_the_exit_kinds_spelled_apart_are_the_modules_own() -> None:
    """journal.py and invariants.py spell the exit's kind and the register line of its koreksi
    to stay light to import (#17)."""
    from kkmp_cli.closing import invariants
    from kkmp_cli.journal import journal
    from kkmp_cli.members import exits
    from kkmp_cli.members import register as members

    assert journal.MEMBER_EXIT == exits.JENIS
    assert invariants.UNDO_EXIT == members.UNDO_EXIT
