"""Exports for others: SIMKOPDES sheets, the many-cooperative view (gabung) and Parquet tables."""
