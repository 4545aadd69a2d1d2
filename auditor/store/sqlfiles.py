"""The store's SQL files (auditor/store/sql/NAME.sql), read once each."""

from __future__ import annotations

from functools import cache

from auditor.resources import PACKAGE_DIR


@cache
def store_sql(name: str) -> str:
    return (PACKAGE_DIR / "store" / "sql" / f"{name}.sql").read_text()
