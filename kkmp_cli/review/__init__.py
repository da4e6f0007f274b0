"""Reviewing the books as auditors do: what changed between revisions, samples for vouching."""
