"""Extraction: which block ranges to fetch, fetching logs and block times, discovering buyers' funding."""
