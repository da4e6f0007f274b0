"""The workshop (latihan): exercises for treasurers."""
