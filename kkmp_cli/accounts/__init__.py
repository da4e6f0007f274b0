"""The cooperative's own chart of accounts (akun) and its cash, bank and e-wallet accounts (kas
rekening): what any account is (`info`), which account a `--via` names (`via`) (#10)."""

from __future__ import annotations

from kkmp_cli.accounts.accounts import info, is_cash
from kkmp_cli.accounts.cash import Via, codes, via

__all__ = ["Via", "codes", "info", "is_cash", "via"]
