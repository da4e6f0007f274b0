"""The cooperative's own bank financing (pembiayaan, PMK 49/2025)."""
