"""Reports (laporan): financial statements, formatted views and explanations."""
