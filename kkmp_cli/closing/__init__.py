"""Year-end closing (tutup-buku), the audit (periksa) and the ledger's invariants."""
