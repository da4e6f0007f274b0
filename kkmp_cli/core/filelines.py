"""A journal file's lines as the writer edits them, splitting only the part an edit reaches.

A year file of a busy cooperative holds 200 000 lines, and nearly every command writes after
its last entry: splitting all of them into a list and joining them again cost more than the rest
of the write (#16). The text before the last `keep` bytes is held whole until an edit (or a
read) reaches into it; the lines after it are a list. Indices are those of the whole file.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import overload

TAIL_BYTES = 512 * 1024  # a fortnight of a busy gerai's entries and more
ENCODED_LINES = 2000  # lines encoded at a time by `FileLines.data`


def split_lines(text: str) -> list[str]:
    """The lines of `text`, a last line without its newline included (an editor may drop it)."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


class FileLines:
    """The lines of one file (no newline characters), the first ones kept as one text."""

    def __init__(self, text: str, keep: int = TAIL_BYTES) -> None:
        cut = text.rfind("\n", 0, max(0, len(text) - keep)) + 1
        self._head = text[:cut]  # whole lines, each ending in "\n" (or nothing)
        self._base = self._head.count("\n")
        self._tail = split_lines(text[cut:])

    @classmethod
    def of(cls, lines: list[str]) -> FileLines:
        """A new file's lines."""
        return cls("".join(f"{line}\n" for line in lines))

    @property
    def settled(self) -> int:
        """How many of the first lines are still held as one text."""
        return self._base

    def _whole(self) -> None:
        if self._base:
            self._tail[:0] = self._head.split("\n")[:-1]  # in place: callers hold the list
            self._head, self._base = "", 0

    def _start(self, index: int | slice) -> int:
        """The first line an index or slice reaches (the head is split if it is before the
        tail)."""
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError("a file's lines are sliced without a step")
            start = index.indices(len(self))[0]
        else:
            start = index + len(self) if index < 0 else index
        if start < self._base:
            self._whole()
        return self._base

    def _local(self, index: int | slice) -> int | slice:
        base = self._start(index)
        if isinstance(index, slice):
            start, stop, _ = index.indices(len(self))
            return slice(start - base, max(stop, start) - base)
        return (index + len(self) if index < 0 else index) - base

    def __len__(self) -> int:
        return self._base + len(self._tail)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, int) and not -len(self) <= index < len(self):
            raise IndexError(index)
        local = self._local(index)  # first: it may split the held text
        return self._tail[local]

    def __setitem__(self, index: slice, lines: Iterable[str]) -> None:
        local = self._local(index)
        self._tail[local] = lines  # type: ignore[index]

    def __delitem__(self, index: slice) -> None:
        local = self._local(index)
        del self._tail[local]

    def __iter__(self) -> Iterator[str]:
        self._whole()
        return iter(self._tail)

    def text(self) -> str:
        """The file's text: every line with its newline (a file of no lines is one newline, as
        the writer has always written it)."""
        if not self._tail:
            return self._head or "\n"
        return self._head + "\n".join(self._tail) + "\n"

    def data(self) -> bytes:
        """`text()` in UTF-8, encoded a few thousand lines at a time: the whole text is not
        held as a string beside its bytes (#16: an import's year file of 12 MB was held as
        lines, as one text, and as its bytes at once)."""
        if not self._tail:
            return self.text().encode("utf-8")
        out = io.BytesIO()
        out.write(self._head.encode("utf-8"))
        tail = self._tail
        for start in range(0, len(tail), ENCODED_LINES):
            out.write("\n".join(tail[start : start + ENCODED_LINES]).encode("utf-8"))
            out.write(b"\n")
        return out.getvalue()
