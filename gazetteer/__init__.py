"""The local gazetteer (being written)."""
