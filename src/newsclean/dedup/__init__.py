"""Duplicates: exact normalised-text hashes, MinHash-LSH near-duplicates."""
