"""kkmp: plain-text Beancount bookkeeping for Indonesian cooperatives."""

from __future__ import annotations

__version__ = "0.1.0"
