"""The typed YAML reader every document goes through: line numbers kept, fractions exact,
unknown keys refused by name, aliases bounded; the only place that parses YAML."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kkmp_cli import dates, money
from kkmp_cli.errors import KkmpError, KonfigurasiSalah
from kkmp_cli.lazy import lazy

if TYPE_CHECKING:
    import yaml
else:
    # Imported when a document is parsed (#16): a command whose koperasi.yaml is in the cache
    # (koperasi.load) does not import PyYAML at all.
    yaml = lazy("yaml")

T = TypeVar("T")

MAX_NODES = 50_000
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Map(dict[str, Any]):
    """A YAML mapping that remembers the line of each key (1-based)."""

    key_lines: dict[str, int]


class _List(list[Any]):
    """A YAML sequence that remembers the line of each item (1-based)."""

    item_lines: list[int]


def _construct_map(loader: Any, node: yaml.MappingNode) -> _Map:
    result = _Map()
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, dict | list | set | tuple):
            raise yaml.constructor.ConstructorError(
                None, None, "kunci harus berupa teks", key_node.start_mark
            )
        name = "" if key is None else str(key)
        if name in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"kunci '{name}' ditulis dua kali", key_node.start_mark
            )
        result[name] = loader.construct_object(value_node, deep=True)
        result.key_lines[name] = key_node.start_mark.line + 1
    return result


def _construct_list(loader: Any, node: yaml.SequenceNode) -> _List:
    result = _List(loader.construct_object(item, deep=True) for item in node.value)
    result.item_lines = [item.start_mark.line + 1 for item in node.value]
    return result


def _construct_decimal(loader: Any, node: yaml.ScalarNode) -> Decimal | str:
    """Numbers with a fraction stay exact (0.1 is Decimal('0.1'), never a float); .inf and
    .nan stay text and are refused where a number is expected."""
    text = str(loader.construct_scalar(node))
    try:
        number = Decimal(text.replace("_", ""))
    except ArithmeticError:
        return text
    return number if number.is_finite() else text


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:  # 2025-02-30 passes the resolver's pattern, not the calendar
        raise yaml.constructor.ConstructorError(
            None, None, f"tanggal '{node.value}' tidak ada", node.start_mark
        ) from exc


def _construct_any(loader: Any, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return _construct_map(loader, node)
    if isinstance(node, yaml.SequenceNode):
        return _construct_list(loader, node)
    return loader.construct_scalar(node)


# The same two loaders on libyaml's parser as well (#16): reading koperasi.yaml with the
# pure-Python parser took a tenth of every command. The Python loaders stay the reference: a
# text with a character the Python reader refuses, a construct where the two differ (_plain), or
# that libyaml cannot parse, is read again by them, so what is accepted and every error sentence
# stay theirs (tests/test_startup.py compares both readers).
USE_LIBYAML = True


@functools.cache
def _loaders(text_only: bool) -> tuple[type, type | None]:
    """The Python loader and its libyaml twin (None without libyaml): YAML 1.1 types, except
    that fractions are Decimal, mappings and lists keep lines (typed); or every scalar as text
    (`100.000` stays one hundred thousand rupiah, not the float 100.0)."""
    if text_only:

        class _TextLoader(yaml.BaseLoader):
            """Every scalar as text."""

        _TextLoader.add_constructor(None, _construct_any)
        reference: type = _TextLoader
        twin = getattr(yaml, "CBaseLoader", None)
    else:

        class _TypedLoader(yaml.SafeLoader):
            """YAML 1.1 types, except that fractions are Decimal; mappings and lists keep lines."""

        _TypedLoader.add_constructor(_MAP_TAG, _construct_map)
        _TypedLoader.add_constructor(_SEQ_TAG, _construct_list)
        _TypedLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
        _TypedLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
        reference = _TypedLoader
        twin = getattr(yaml, "CSafeLoader", None)
    if twin is None or not getattr(yaml, "__with_libyaml__", False):
        return reference, None
    quick = type(f"Quick{reference.__name__}", (twin,), {"__doc__": "The same, on libyaml."})
    quick.yaml_constructors = reference.yaml_constructors  # type: ignore[attr-defined]
    return reference, quick


def _construct(loader: Any, shown: str) -> Any:
    """The one document a loader holds (None when the text is empty), refused when its
    aliases would expand it past the limit."""
    node = loader.get_single_node()
    if node is None:
        return None
    _expanded_size(node, shown)
    return loader.construct_document(node)


def _expanded_size(root: yaml.Node, where: str) -> int:
    """The number of nodes once every alias is expanded, refused past MAX_NODES; linear in
    the composed document (each shared node is sized once)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise KonfigurasiSalah(f"{where}: alias YAML merujuk ke dirinya sendiri; tidak dibaca.")
        active.add(key)
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        total = 1 + sum(size(child) for child in children)
        active.discard(key)
        if total > MAX_NODES:
            raise KonfigurasiSalah(
                f"{where}: dokumen terlalu besar setelah alias YAML (&/*) diuraikan "
                f"(lebih dari {MAX_NODES:,} unsur); tidak dibaca.".replace(",", ".")
            )
        sizes[key] = total
        return total

    return size(root)


def _plain(text: str) -> bool:
    """Text that libyaml reads exactly as the Python reader does: no tab, no tag (`!`), no
    comment glued to a block scalar's header, no `?` beside a flow collection (libyaml reads
    `{0?}` as a mapping, the Python reader refuses it), no character the Python reader
    refuses."""
    return (
        "\t" not in text
        and "!" not in text
        and not ("?" in text and ("{" in text or "[" in text))
        and not _GLUED_COMMENT.search(text)
        and not yaml.reader.Reader.NON_PRINTABLE.search(text)
    )


# A block scalar's header with a comment glued to it (`>#`, `|-#`): libyaml reads a comment,
# the Python reader refuses it.
_GLUED_COMMENT = re.compile(r"[|>][-+0-9]*#")


def _read_yaml(path: Path, label: str | None = None, *, text_only: bool = False) -> Any:
    """A YAML file as plain data (mappings `_Map`, lists `_List`), or one Indonesian error."""
    shown = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KonfigurasiSalah(f"Berkas {path} tidak ada.") from exc
    except UnicodeDecodeError as exc:
        raise KonfigurasiSalah(f"{shown}: bukan teks UTF-8; simpan ulang sebagai UTF-8.") from exc
    except OSError as exc:
        raise KonfigurasiSalah(f"Berkas {path} tidak dapat dibaca ({exc.strerror}).") from exc
    kind, quick = _loaders(text_only)
    if quick is not None and USE_LIBYAML and _plain(text):
        loader = quick(text)
        try:
            return _construct(loader, shown)
        except (yaml.YAMLError, RecursionError):
            pass  # read again below, for the Python loader's own words
        finally:
            loader.dispose()
    try:
        loader = kind(text)
    except yaml.reader.ReaderError as exc:
        raise KonfigurasiSalah(
            f"{shown}: YAML tidak dapat dibaca (ada karakter kendali #x{exc.character:04x} "
            "yang tidak boleh ada di teks)."
        ) from exc
    try:
        return _construct(loader, shown)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" baris {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "bentuk YAML tidak sah"
        raise KonfigurasiSalah(f"{shown}{where}: YAML tidak dapat dibaca ({problem}).") from exc
    except RecursionError as exc:
        raise KonfigurasiSalah(f"{shown}: susunan YAML terlalu dalam; tidak dibaca.") from exc
    finally:
        loader.dispose()


def _show(value: Any) -> str:
    """A value as the treasurer wrote it, for an error sentence."""
    if isinstance(value, dict):
        return "sebuah bagian berisi kunci"
    if isinstance(value, list | tuple | set):
        return "sebuah daftar"
    if value is None:
        return "kosong"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


class Doc:
    """One mapping of a YAML document with typed reads. Unknown keys are refused by name when
    the Doc is made; a missing (or empty) key gives its default; every error names the file,
    the line and the key."""

    def __init__(
        self,
        data: Any,
        file: str,
        *,
        known: tuple[str, ...] | None,
        where: str = "",
        line: int = 0,
        error: type[KkmpError] = KonfigurasiSalah,
        what: str = "bagian berisi kunci: nilai",
    ) -> None:
        self.file, self.where, self.error = file, where, error
        self.line = line  # where the mapping's key (or list item) is; 0 for the whole file
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise error(
                f"{self._at(self.line)}: '{where or 'isi berkas'}' harus berupa {what}, bukan {_show(data)}."
            )
        self.data: dict[str, Any] = data
        if known is not None:
            for key in data:
                if key not in known:
                    inside = f" di '{where}'" if where else ""
                    hint = (
                        '; angka berkoma di dalam {...} ditulis dalam tanda petik, mis. jasa: "1,5"'
                        if key.isdigit()
                        else ""
                    )
                    raise error(
                        f"{self._at(self.line_of(key))}: kunci '{key}' tidak dikenal{inside} "
                        f"(yang dikenal: {', '.join(known)}){hint}."
                    )

    def _at(self, line: int) -> str:
        return f"{self.file} baris {line}" if line else self.file

    def line_of(self, key: str) -> int:
        return getattr(self.data, "key_lines", {}).get(key, self.line)

    def name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def fail(self, key: str, problem: str) -> KkmpError:
        """The error for a wrong value under `key` (problem: 'harus …')."""
        return self.error(f"{self._at(self.line_of(key))}: '{self.name(key)}' {problem}.")

    def keys(self) -> list[str]:
        return list(self.data)

    def get(self, key: str) -> Any:
        """The raw value; None when missing or empty."""
        value = self.data.get(key)
        return None if value == "" and not isinstance(value, bool) else value

    def require(self, *keys: str) -> None:
        for key in keys:
            if self.get(key) is None:
                raise self.error(f"{self._at(self.line)}: '{self.name(key)}' wajib diisi.")

    def text(self, key: str, default: str = "") -> str:
        value = self.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal | dt.date):
            raise self.fail(key, f"harus berupa teks, bukan {_show(value)}")
        return (dates.fmt(value) if isinstance(value, dt.date) else str(value)).strip()

    def optional_text(self, key: str) -> str | None:
        return self.text(key) or None

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of texts (each item one line of the book)."""
        result = []
        for i, (item, line) in enumerate(self._items(key), 1):
            if isinstance(item, bool) or not isinstance(item, str | int | Decimal):
                raise self.error(
                    f"{self._at(line)}: '{self.name(key)}' ke-{i} harus berupa teks, "
                    f"bukan {_show(item)}."
                )
            if str(item).strip():
                result.append(str(item).strip())
        return tuple(result)

    def words(
        self,
        key: str,
        default: tuple[str, ...],
        *,
        allowed: tuple[str, ...] | None = None,
        pattern: re.Pattern[str] | None = None,
        hint: str = "",
    ) -> tuple[str, ...]:
        """A list of names, each among `allowed` or matching `pattern`."""
        if self.get(key) is None:
            return default
        result = []
        for item, _ in self._items(key):
            word = item if isinstance(item, str) else _show(item)
            if (allowed is not None and word not in allowed) or (
                pattern is not None and not pattern.match(word)
            ):
                choices = f"pilih dari {', '.join(allowed)}" if allowed else hint
                raise self.fail(key, f"berisi {_show(item)} yang tidak sah; {choices}")
            result.append(word)
        return tuple(result)

    def _items(self, key: str) -> list[tuple[Any, int]]:
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"harus berupa daftar (baris diawali '- '), bukan {_show(value)}")
        lines = getattr(value, "item_lines", [self.line_of(key)] * len(value))
        return list(zip(value, lines, strict=True))

    def integer(
        self, key: str, default: int | None, *, low: int | None = None, high: int | None = None
    ) -> int:
        value = self.get(key)
        if value is None:
            if default is None:
                self.require(key)
            assert default is not None
            return default
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        span = f" {low} sampai {high}" if low is not None and high is not None else ""
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            raise self.fail(key, f"harus bilangan bulat{span}, bukan {_show(value)}")
        return value

    def number(
        self,
        key: str,
        default: Decimal,
        *,
        integer: bool = False,
        allow_zero: bool = True,
        high: Decimal | int | None = None,
    ) -> Decimal:
        """A non-negative number such as a percentage (a comma may mark the decimals)."""
        value = self.get(key)
        if value is None:
            return default
        number: Decimal | None = None
        if not isinstance(value, bool) and isinstance(value, int | Decimal | str):
            try:
                number = Decimal(str(value).strip().replace(",", "."))
            except ArithmeticError:
                number = None
        if number is None or not number.is_finite():
            raise self.fail(key, f"harus berupa angka, bukan {_show(value)}")
        if number < 0 or (number == 0 and not allow_zero):
            raise self.fail(key, f"harus angka {'>= 0' if allow_zero else 'lebih dari nol'}")
        if integer and number != number.to_integral_value():
            raise self.fail(key, "harus bilangan bulat")
        if high is not None and number > high:
            raise self.fail(key, f"paling besar {high}")
        return number

    def rupiah(
        self, key: str, default: Decimal, *, allow_zero: bool = False, signed: bool = False
    ) -> Decimal:
        """Whole rupiah: 100000, 100_000 or the text '100.000' / '100rb'."""
        amount = self.optional_rupiah(key, allow_zero=allow_zero, signed=signed)
        return default if amount is None else amount

    def optional_rupiah(
        self, key: str, *, allow_zero: bool = False, signed: bool = False
    ) -> Decimal | None:
        """Whole rupiah, or None when the key is missing or empty."""
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            text = value.strip()
            negative = signed and text.startswith("-")
            if text.lstrip("-") in ("0", "Rp0"):
                amount = Decimal(0)
            else:
                amount = self.parsed(key, money.parse, text.lstrip("-") if negative else text)
            amount = -amount if negative else amount
        elif not isinstance(value, bool) and isinstance(value, int | Decimal):
            amount = Decimal(value)
        else:
            raise self.fail(key, f"harus berupa angka rupiah, bukan {_show(value)}")
        if amount != amount.to_integral_value():
            raise self.fail(key, f"harus rupiah utuh, bukan {_show(value)}")
        if (amount < 0 and not signed) or (amount == 0 and not allow_zero):
            more = "nol atau lebih" if allow_zero else "lebih dari nol"
            raise self.fail(key, f"harus rupiah {more}, bukan {_show(value)}")
        return amount

    def flag(self, key: str, default: bool) -> bool:
        value = self.get(key)
        if value is None:
            return default
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        if not isinstance(value, bool):
            raise self.fail(key, f"harus true atau false, bukan {_show(value)}")
        return value

    def choice(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.get(key)
        if value is None:
            return default
        if value not in allowed:
            raise self.fail(key, f"pilih {' atau '.join(allowed)}, bukan {_show(value)}")
        return str(value)

    def date(self, key: str) -> dt.date | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str | int):
            raise self.fail(key, f"harus berupa tanggal, mis. 15-03-2026, bukan {_show(value)}")
        return self.parsed(key, dates.parse, str(value))

    def parsed(self, key: str, parse: Callable[[str], T], text: str | None = None) -> T:
        """A value read by one of kkmp's parsers (money, dates, quantities …), its error
        placed at the key."""
        value = self.get(key) if text is None else text
        if isinstance(value, dict | list):
            raise self.fail(key, f"harus berupa satu nilai, bukan {_show(value)}")
        try:
            return parse(str(value if value is not None else ""))
        except KkmpError as exc:
            raise self.error(f"{self._at(self.line_of(key))}: '{self.name(key)}': {exc}") from exc

    def section(self, key: str, known: tuple[str, ...] | None, what: str = "") -> Doc:
        """The sub-mapping under `key` (empty when missing)."""
        value = self.get(key)
        if value is not None and not isinstance(value, dict):
            hint = f" ({what})" if what else ""
            raise self.fail(
                key, f"harus berupa bagian berisi kunci: nilai{hint}, bukan {_show(value)}"
            )
        return Doc(
            value,
            self.file,
            known=known,
            where=self.name(key),
            line=self.line_of(key),
            error=self.error,
        )

    def entries(self, key: str, known: tuple[str, ...], label: str = "{key} ke-{i}") -> list[Doc]:
        """A list of mappings (`- {nak: A0001, pokok: 100.000}`), each a Doc named by `label`."""
        result = []
        for i, (item, line) in enumerate(self._items(key), 1):
            result.append(
                Doc(
                    item,
                    self.file,
                    known=known,
                    where=label.format(key=self.name(key), i=i),
                    line=line,
                    error=self.error,
                    what="bagian berisi " + ", ".join(known),
                )
            )
        return result


def read_document(
    path: Path,
    known: tuple[str, ...],
    *,
    label: str | None = None,
    text_only: bool = True,
    error: type[KkmpError] = KonfigurasiSalah,
) -> Doc:
    """A YAML document a user hands to kkmp (saldo awal, latihan …) as a Doc. `text_only`
    keeps every value as text: `100.000` stays one hundred thousand rupiah."""
    data = _read_yaml(path, label, text_only=text_only)
    return Doc(data, label or str(path), known=known, error=error)


# --- koperasi.yaml ---
