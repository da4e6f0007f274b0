"""Who records: the officer (`petugas`) stamped on every transaction a command writes (#15).

The name comes from `kkmp --petugas NAMA`, else $KKMP_PETUGAS, else `git config user.name`
where the cooperative's folder is; with none, transactions go unstamped unless koperasi.yaml
says `petugas_wajib: true`, which refuses to guess.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from kkmp_cli.errors import PetugasTidakDiketahui

if TYPE_CHECKING:
    from beancount.core import data

META_KEY = "petugas"
ENV_VAR = "KKMP_PETUGAS"
# Set by the CLI's --petugas for one command (and by the demo for its fixed treasurer).
CHOSEN: ContextVar[str | None] = ContextVar("petugas", default=None)


# git's user.name per folder, asked once per command (a batch stages many times).
_GIT_NAMES: dict[Path, str] = {}


def choose(name: str | None) -> None:
    """The CLI's --petugas, at the start of each command."""
    CHOSEN.set(name)
    _GIT_NAMES.clear()


@contextmanager
def using(name: str | None) -> Iterator[None]:
    token = CHOSEN.set(name)
    try:
        yield
    finally:
        CHOSEN.reset(token)


def name(root: Path) -> str:
    """The officer recording now, or '' when nobody is named."""
    chosen = (CHOSEN.get() or "").strip() or os.environ.get(ENV_VAR, "").strip()
    if chosen:
        return chosen
    if root not in _GIT_NAMES:
        from kkmp_cli.core import git  # imported when needed: start-up stays light (#16)

        _GIT_NAMES[root] = git.user_name(root).strip()
    return _GIT_NAMES[root]


def stamp(entries: Sequence[data.Directive], root: Path, *, required: bool) -> list[data.Directive]:
    """Transactions with `petugas:` added (one already carrying it is kept as it is)."""
    from beancount.core import data

    if not any(isinstance(e, data.Transaction) for e in entries):
        return list(entries)
    who = name(root)
    if not who:
        if required:
            raise PetugasTidakDiketahui(
                "koperasi.yaml mewajibkan nama petugas (petugas_wajib: true), tetapi tidak ada: "
                "sebutkan dengan 'kkmp --petugas NAMA …', KKMP_PETUGAS, atau "
                "'git config user.name NAMA'."
            )
        return list(entries)
    return [
        e._replace(meta={**e.meta, META_KEY: who})
        if isinstance(e, data.Transaction) and META_KEY not in e.meta
        else e
        for e in entries
    ]
