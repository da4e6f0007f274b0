"""Fixed assets (buku inventaris) and their depreciation."""
