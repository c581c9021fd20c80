"""Kvalitetsstandard and indsatskatalog as data a municipality edits (YAML), not code."""
