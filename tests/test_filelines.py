"""The writer's lines of a file (core/filelines.py) behave as the plain list of its lines, and the
insertion search over them finds what a search over every line finds (#16)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kkmp_cli.core import filelines
from kkmp_cli.core.filelines import FileLines, split_lines
from kkmp_cli.core.writer import Session

LINE = st.one_of(
    st.dates(dt.date(2025, 1, 1), dt.date(2025, 1, 9)).map(lambda d: f'{d} * "x"'),
    st.sampled_from(["  Aset:Kas  1 IDR", '  id: "A"', "", "; catatan", "é ü"]),
)


def _ordered(lines: list[str]) -> list[str]:
    """Directive lines in date order, as kkmp keeps a year file."""
    dates = iter(sorted(line[:10] for line in lines if line[:1].isdigit()))
    return [next(dates) + line[10:] if line[:1].isdigit() else line for line in lines]


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(LINE, max_size=40),
    newline=st.booleans(),
    keep=st.integers(0, 200),
    ops=st.lists(
        st.tuples(st.sampled_from(["get", "insert", "delete", "slice"]), st.integers(-45, 45)),
        max_size=8,
    ),
)
def test_filelines_are_the_list_of_lines(
    lines: list[str], newline: bool, keep: int, ops: list[tuple[str, int]]
) -> None:
    text = "\n".join(lines) + ("\n" if newline and lines else "")
    mine, plain = FileLines(text, keep=keep), split_lines(text) if text else []
    assert len(mine) == len(plain)
    for op, at in ops:
        if op == "get":
            if -len(plain) <= at < len(plain):
                assert mine[at] == plain[at]
        elif op == "insert":
            at = min(max(at, 0), len(plain))
            mine[at:at] = ["baru", "  x"]
            plain[at:at] = ["baru", "  x"]
        elif op == "delete":
            at = min(max(at, 0), len(plain))
            del mine[at : at + 2]
            del plain[at : at + 2]
        else:
            assert mine[at:] == plain[at:]
        assert len(mine) == len(plain)
    assert mine.text() == ("\n".join(plain) + "\n")
    assert mine.data() == mine.text().encode("utf-8")
    assert list(mine) == plain


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(LINE, max_size=60),
    keep=st.integers(0, 300),
    day=st.dates(dt.date(2024, 12, 31), dt.date(2025, 1, 10)),
)
def test_the_insertion_search_finds_what_a_search_of_every_line_finds(
    lines: list[str], keep: int, day: dt.date
) -> None:
    text = "".join(f"{line}\n" for line in _ordered(lines))
    held = FileLines(text, keep=keep)
    assert Session._insertion_index(held, day) == Session._insertion_index(
        FileLines(text, keep=len(text)), day
    )
    assert held.text() == (text or "\n")


def test_a_write_after_the_last_entry_leaves_the_first_lines_unsplit() -> None:
    text = "".join(f'2025-01-{d:02d} * "x"\n  Aset:Kas  1 IDR\n\n' for d in range(1, 29))
    held = FileLines(text, keep=60)
    index = Session._insertion_index(held, dt.date(2025, 1, 30))
    held[index:index] = ['2025-01-30 * "y"']
    assert held.settled > 0
    assert held.text() == text + '2025-01-30 * "y"\n'


def test_a_stepped_slice_is_refused_not_answered_wrong() -> None:
    held = FileLines("a\nb\nc\nd\n", keep=2)
    for wrong in (slice(None, None, 2), slice(3, 0, -1)):
        with pytest.raises(ValueError):
            held[wrong]
    assert held[1:3] == ["b", "c"]


def test_the_bytes_are_the_text_encoded_a_few_lines_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bytes written are built a few lines at a time (#16: the text is not held twice);
    across those pieces, after held lines and with letters beyond ASCII, they are the text."""
    monkeypatch.setattr(filelines, "ENCODED_LINES", 3)
    text = "".join(
        f'2025-01-{d:02d} * "Bu Éni ke-{d}"\n  Aset:Kas  1 IDR\n\n' for d in range(1, 12)
    )
    for keep in (0, 40, len(text)):
        held = FileLines(text, keep=keep)
        held[len(held) - 3 : len(held) - 3] = ["; disisipkan", "é"]
        assert held.data() == held.text().encode("utf-8")
        assert held.data().decode("utf-8").count("\n") == len(held)
    assert FileLines("").data() == b"\n"
