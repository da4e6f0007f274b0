"""The outlet units (gerai): items, purchases, sales and stock counts."""
