"""Adapters: the loaded ledger, the one writer, configuration, templates, spreadsheets, files."""
