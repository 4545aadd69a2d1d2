"""The store's SQL files (auditor/store/sql/NAME.sql), read once each by auditor.sqlfile."""

from __future__ import annotations

from auditor.resources import PACKAGE_DIR
from auditor.sqlfile import read_sql


def store_sql(name: str) -> str:
    return read_sql(PACKAGE_DIR / "store" / "sql" / f"{name}.sql")
