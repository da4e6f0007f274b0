"""Start-up (#16): `kkmp --help` imports no command module, and the command list it prints from
`cli.COMMANDS` says what each command's own help says."""

from __future__ import annotations

import dataclasses
import inspect
import os
import subprocess
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.core
import typer.models
from conftest import Cli, transactions
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from typer._click.utils import make_default_short_help

from kkmp_cli import cli
from kkmp_cli.errors import KkmpError

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


# --- #16 item 4: what a `--help` and a recording command import, and the quick readings ---

# What no recording command needs: typer's pydantic adapter, page and spreadsheet writers, the
# RAT book, the reports, the readers of rat.yaml and of the private member file.
NOT_FOR_RECORDING = (
    "pydantic",
    "importlib.metadata",
    "jinja2",
    "openpyxl",
    "weasyprint",
    "python_calamine",
    "click",  # the real click, which beancount's bean-format imports
    "kkmp_cli.rat",
    "kkmp_cli.app.ratbook",
    "kkmp_cli.app.papers",
    "kkmp_cli.core.templating",
    "kkmp_cli.core.pdf",
    "kkmp_cli.core.config.rat",
    "kkmp_cli.core.config.private",
    "kkmp_cli.reports.packs",
    "kkmp_cli.app.auditing",
    "kkmp_cli.app.exporting",
    "kkmp_cli.demo",
    "kkmp_cli.export",
    "kkmp_cli.fava",
    "kkmp_cli.tax",
    "yaml",  # koperasi.yaml comes from its cache while it is unchanged
)


def _run_and_list(*args: str) -> tuple[int, str, set[str]]:
    """Run `kkmp ARGS` in a fresh interpreter; the modules really imported (a module deferred
    by kkmp_cli.lazy and never used does not count)."""
    code = (
        "import sys\nfrom kkmp_cli.cli import app\ncode = 0\n"
        f"try:\n    app({list(args)!r})\nexcept SystemExit as exc:\n    code = exc.code or 0\n"
        "print('\\0' + str(code))\n"
        "print('\\n'.join(n for n, m in list(sys.modules.items())"
        " if type(m).__name__ != '_LazyModule'))"
    )
    env = {**os.environ, "COLUMNS": "200", "KKMP_KOPERASI": "", "KKMP_PETUGAS": "uji"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    said, _, listed = done.stdout.rpartition("\0")
    code_line, _, modules = listed.partition("\n")
    return int(code_line), said, set(modules.split("\n"))


def _heavy(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in loaded if m in names or m.startswith(tuple(n + "." for n in names)))


def test_help_of_a_recording_command_imports_no_pydantic_and_no_rich() -> None:
    loaded = _imported_by("simpanan", "setor", "--help")
    light = ("pydantic", "importlib.metadata", "rich", "yaml", "filelock", "regex")
    assert not _heavy(loaded, light + ("typer._adapters",))


def test_recording_commands_import_only_what_they_need(kdmp: Cli) -> None:
    k = ["-k", str(kdmp.root)]
    day = ["--tanggal", "03-02-2025"]
    for args in (
        ["gerai", "barang", "tambah", "BERAS-5KG", "--nama", "Beras", "--harga-jual", "65.000"],
        ["gerai", "beli", "BERAS-5KG", "10", "--harga", "60.000", "--pemasok", "Grosir"],
    ):
        assert kdmp(*args, "--tanggal", "02-02-2025").exit_code == 0
    for args in (
        ["simpanan", "setor", "A0001", "sukarela", "10rb", *day],
        ["gerai", "jual", "BERAS-5KG", "1", *day],
        ["pinjaman", "angsur", "PJ-2025-0001", "112.000", *day],
        ["kas", "keluar", "Listrik", "25.000", "--keterangan", "Token", *day],
    ):
        code, said, loaded = _run_and_list(*k, *args)
        assert code == 0, said
        assert "Dicatat" in said, said
        assert not _heavy(loaded, NOT_FOR_RECORDING), (args, _heavy(loaded, NOT_FOR_RECORDING))
    # and each entry is in the books
    assert len([t for t in transactions(kdmp.root) if t.date.isoformat() == "2025-02-03"]) == 4


# The quick readings against typer's own (pydantic) ones: same value, or the same refusal.
_TEXTS = [
    "",
    " ",
    "0",
    "00",
    "007",
    "-0",
    "-12",
    "+5",
    "1_000",
    " 12 ",
    "12.0",
    "1e3",
    "٣",
    "yes",
    "No",
    "TRUE",
    "off",
    " on ",
    "t",
    "F",
    "2",
    "teks",
    "TEKS",
    "json",
    "x",
    "a/b.csv",
    "-",
    "héllo",
    "A0001",
    "9" * 30,
]


def _both(annotation: Any, info: Any, value: Any) -> tuple[Any, Any]:
    from typer import _coercion
    from typer._click import Context

    from kkmp_cli.cli import quickparams

    descriptor = _coercion.resolve_type_descriptor(annotation, info)
    quick = typer.core.build_runtime_param(descriptor)
    slow = quickparams_original()(descriptor)
    assert getattr(typer.core.build_runtime_param, "_kkmp", False), "quickparams not installed"
    assert quickparams.reader(annotation, info) is not None
    param = None
    ctx = Context(typer.core.TyperCommand(name="x"))

    def outcome(runtime: Any) -> Any:
        try:
            got = runtime._coerce_value(value, param=param, ctx=ctx)
            return ("ok", type(got), got)
        except Exception as exc:  # the refusal, as typer says it
            return ("refused", type(exc).__name__, getattr(exc, "message", str(exc)))

    return outcome(quick), outcome(slow)


def quickparams_original() -> Any:
    from typer import _coercion

    return _coercion.build_runtime_param


class _Kind(StrEnum):
    teks = "teks"
    json = "json"


@pytest.mark.parametrize(
    "annotation, info",
    [
        (str, typer.models.OptionInfo()),
        (int, typer.models.OptionInfo()),
        (bool, typer.models.OptionInfo()),
        (_Kind, typer.models.OptionInfo()),
        (_Kind, typer.models.OptionInfo(case_sensitive=False)),
        (Path, typer.models.OptionInfo()),
        (list[str], typer.models.OptionInfo()),
        (list[Path], typer.models.ArgumentInfo()),
    ],
    ids=["str", "int", "bool", "enum", "enum-nocase", "path", "list-str", "list-path"],
)
def test_quick_reading_is_typers_reading(annotation: Any, info: Any) -> None:
    for value in [*_TEXTS, 5, True, b"A0001", ["a", "b"], ("1",)]:
        quick, slow = _both(annotation, info, value)
        assert quick == slow, (annotation, value)


@given(value=st.text(max_size=12))
@settings(max_examples=200, deadline=None)
def test_quick_reading_is_typers_reading_for_any_text(value: str) -> None:
    for annotation in (str, int, bool, _Kind, Path):
        quick, slow = _both(annotation, typer.models.OptionInfo(), value)
        assert quick == slow, (annotation, value)


def test_typer_still_builds_readers_where_quickparams_patches() -> None:
    """Fails loudly when a typer upgrade moves what quickparams.install() replaces."""
    from typer import _coercion

    assert typer.core.build_runtime_param is not _coercion.build_runtime_param
    assert getattr(typer.core.build_runtime_param, "_kkmp", False)
    source = inspect.getsource(typer.core._TyperParameter.get_runtime_param)
    assert "build_runtime_param(self.type_descriptor)" in source
    assert {f.name for f in dataclasses.fields(_coercion.RuntimeParam)} == {
        "parameter_info",
        "annotation",
    }


# --- koperasi.yaml's cache ---


def test_koperasi_cache_follows_the_file_and_the_device(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kkmp_cli.core import config
    from kkmp_cli.core.config import koperasi

    root = cli.root
    cache = root / koperasi.CONFIG_CACHE
    first = config.load(root)
    assert cache.exists() and first == koperasi._read(root)
    path = root / "koperasi.yaml"
    path.write_text(path.read_text().replace("KKMP Uji Coba", "KKMP Lain", 1))
    assert config.load(root).nama == "KKMP Lain"  # an edit is a miss
    monkeypatch.setenv("KKMP_PERANGKAT", "B")
    assert config.load(root).loket.perangkat == "B"  # asked every time, not cached
    monkeypatch.delenv("KKMP_PERANGKAT")
    assert config.load(root).loket.perangkat == ""
    cache.write_bytes(b"rusak")
    assert config.load(root).nama == "KKMP Lain"  # a damaged cache is read again
    path.write_text(path.read_text() + "salah_ketik: 1\n")
    with pytest.raises(KkmpError, match="salah_ketik"):
        config.load(root)  # the cache of the previous text is not used
    assert cli("kas", "saldo").exit_code == 1


# --- YAML through libyaml reads what the Python reader reads ---


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return ("map", getattr(value, "key_lines", None), {k: _shape(v) for k, v in value.items()})
    if isinstance(value, list):
        return ("seq", getattr(value, "item_lines", None), [_shape(v) for v in value])
    return (type(value).__name__, value)


def _read_both(path: Path, text_only: bool) -> tuple[Any, Any]:
    from kkmp_cli.core.config import documents

    def outcome() -> Any:
        try:
            return ("ok", _shape(documents._read_yaml(path, text_only=text_only)))
        except KkmpError as exc:
            return ("refused", str(exc))

    quick = outcome()
    documents.USE_LIBYAML = False
    try:
        slow = outcome()
    finally:
        documents.USE_LIBYAML = True
    return quick, slow


_YAML_SAMPLES = [
    "a: 1\nb: 0.1\nc: [1, 2.50, x]\nd: {e: 2025-01-02}\n",
    "a: 1\na: 2\n",
    "a: [1\n",
    "a: b: c\n",
    "- - - x\n- y\n",
    "tanggal: 2025-02-30\n",
    "x: &a [1, 2]\ny: *a\n",
    "x: *nope\n",
    "\ufeffnama: Koperasi\r\nalamat: 'Jl. \"A\"'\r\n",
    "teks: |\n  dua\n  baris\n",
    "a: \x07\n",
    "a: .inf\nb: .nan\nc: 1_000.5\n",
    "[" * 2000 + "]" * 2000,
    "- " * 1500 + "x\n",
    "",
    "# hanya komentar\n",
    "? [a]\n: b\n",
    "a: 1\n---\nb: 2\n",
]


@pytest.mark.parametrize("sample", range(len(_YAML_SAMPLES)))
def test_libyaml_reads_what_the_python_reader_reads(tmp_path: Path, sample: int) -> None:
    path = tmp_path / "k.yaml"
    path.write_text(_YAML_SAMPLES[sample], encoding="utf-8")
    for text_only in (False, True):
        quick, slow = _read_both(path, text_only)
        assert quick == slow


def test_libyaml_reads_the_shipped_documents_as_the_python_reader_does() -> None:
    repo = Path(__file__).resolve().parent.parent
    for path in [*repo.glob("examples/*/*.yaml"), repo / "templates" / "latihan.yaml"]:
        for text_only in (False, True):
            quick, slow = _read_both(path, text_only)
            assert quick == slow, path
            assert quick[0] == "ok", path


_YAML_ALPHABET = list("ab1:-[]{}&*|>'\"#\n\r ,.?%@`~=<0x\\")


@given(text=st.text(alphabet=st.sampled_from(_YAML_ALPHABET), max_size=40))
@example(text="{0?}")  # found in CI: libyaml read a mapping, the Python reader refused it
@settings(
    max_examples=int(os.environ.get("KKMP_YAML_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
def test_libyaml_and_python_reader_agree_on_any_text(tmp_path: Path, text: str) -> None:
    from kkmp_cli.core.config import documents

    assume(documents._plain(text))  # the texts libyaml reads; the others go to Python's reader
    path = tmp_path / "k.yaml"
    path.write_text(text, encoding="utf-8")
    for text_only in (False, True):
        quick, slow = _read_both(path, text_only)
        assert quick == slow, text
