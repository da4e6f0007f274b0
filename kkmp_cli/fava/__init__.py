"""Fava extension (#14): the member register and member card, the loan portfolio and the SHU
sheet inside Fava, computed by kkmp's own domain functions. Enabled by the line
`custom "fava-extension" "kkmp_cli.fava"` that `kkmp init` writes in the main file; Fava needs
kkmp installed in its environment (`pip install ".[fava]"`)."""

from __future__ import annotations

from kkmp_cli.fava.extension import KkmpFava

__all__ = ["KkmpFava"]
