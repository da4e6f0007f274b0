"""Units usaha by kind (koperasi.yaml `unit:`): which unit each income and expense account
belongs to (`registry`), and the jasa units' services and receivables (`jasa`)."""
