"""`auditor prices import`: USD prices from a CSV, for tokens with no on-chain feed (RLC, MOR, SWAN, ALEPH, GLM).

The file has a header `asset,time,usd`: the token symbol as rentals name it, an ISO-8601 time (a date means
00:00 UTC) and the USD price. A payment takes the latest price at or before its block time, so daily rows
are enough. Re-importing a (asset, time) replaces its price. The whole file loads or nothing does.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from auditor.errors import InputError

REQUIRED = ("asset", "time", "usd")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def import_prices(con: duckdb.DuckDBPyConnection, csv_path: Path) -> int:
    """Load a price CSV into price_imports in one transaction; returns the number of rows loaded."""
    if not csv_path.is_file():
        raise InputError(f"price file {csv_path} does not exist")
    try:
        rel = con.sql("SELECT * FROM read_csv($path, header = true, all_varchar = true)",
                      params={"path": str(csv_path)})
        columns = [c.lower() for c in rel.columns]
    except duckdb.Error as exc:
        raise InputError(f"cannot read price file {csv_path.name}: {_first_line(exc)}") from exc
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(f"price file {csv_path.name} lacks column(s) {', '.join(missing)} "
                         f"(expected a header asset,time,usd)")
    select = """
        SELECT upper(trim(asset)) AS asset, trim("time") AS time_text,
               TRY_CAST(trim("time") AS TIMESTAMPTZ) AS time, TRY_CAST(trim(usd) AS DOUBLE) AS usd,
               row_number() OVER () + 1 AS line
        FROM read_csv($path, header = true, all_varchar = true)"""
    params = {"path": str(csv_path)}
    con.execute("BEGIN")
    try:
        bad = con.execute(f"""
            SELECT line, asset, time_text, usd FROM ({select})
            WHERE asset IS NULL OR asset = '' OR time IS NULL OR usd IS NULL OR NOT usd > 0 OR isinf(usd)
            ORDER BY line LIMIT 1""", params).fetchone()
        if bad:
            raise InputError(f"price file {csv_path.name} line {bad[0]}: need a token symbol, an ISO-8601 time "
                             "and a positive USD price")
        dup = con.execute(f"SELECT asset, min(time_text) FROM ({select}) GROUP BY asset, time "
                          "HAVING count(*) > 1 LIMIT 1", params).fetchone()
        if dup:
            raise InputError(f"price file {csv_path.name} has {dup[0]} at {dup[1]} more than once")
        row = con.execute(f"""
            INSERT OR REPLACE INTO price_imports
            SELECT asset, time, usd, $name FROM ({select})""", {**params, "name": csv_path.name}).fetchone()
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise InputError(f"cannot read price file {csv_path.name}: {_first_line(exc)}") from exc
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return int(row[0]) if row else 0
