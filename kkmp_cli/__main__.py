"""Entry point for `python -m kkmp_cli`."""

from __future__ import annotations

from kkmp_cli.cli import main

main()
