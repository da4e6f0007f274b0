"""Taxes (#12): PPh Final UMKM (PP 55/2022), PPh Pasal 21 on wages and honoraria (PP 58/2023,
PMK 168/2023) with its TER tables as data."""

from __future__ import annotations
