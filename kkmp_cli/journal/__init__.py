"""The general journal (kas, jurnal, koreksi), imports and opening balances (impor, saldo-awal)."""
