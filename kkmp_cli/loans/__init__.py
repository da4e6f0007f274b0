"""The savings-and-loan unit (unit simpan pinjam): schedules, loans in the ledger, operations."""
