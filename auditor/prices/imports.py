"""`auditor prices import`: USD prices from a CSV, for tokens with no on-chain feed (RLC, MOR, SWAN, ALEPH, GLM).

The file has a header `asset,time,usd`: the token symbol as rentals name it, an ISO-8601 time (a date means
00:00 UTC) and the USD price. A payment takes the latest price at or before its block time, so daily rows
are enough. Re-importing a (asset, time) replaces its price. The whole file loads or nothing does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from auditor import csvimport
from auditor.errors import InputError

SPEC = csvimport.CsvImport("price", ("asset", "time", "usd"), "asset,time,usd")
# No token is worth a billion dollars a unit; a price past it is a typo or a planted 1e308 that would make
# payments infinite ("nan H100e-hours", "+inf%"). Refused, not skipped: the whole file loads or nothing does.
MAX_USD_PRICE = 1_000_000_000


def import_prices(con: duckdb.DuckDBPyConnection, csv_path: Path) -> int:
    """Load a price CSV into price_imports in one transaction; returns the number of rows loaded."""
    csvimport.columns(con, SPEC, csv_path)
    select = f"""
        SELECT upper(trim(asset)) AS asset, trim("time") AS time_text,
               TRY_CAST(trim("time") AS TIMESTAMPTZ) AS time, TRY_CAST(trim(usd) AS DOUBLE) AS usd,
               row_number() OVER () + 1 AS line
        FROM {csvimport.READ}"""

    def validate(params: dict[str, Any]) -> None:
        # DuckDB orders NaN above every number, so `usd > 0` alone let "nan" through
        bad = con.execute(f"""
            SELECT line FROM ({select})
            WHERE asset IS NULL OR asset = '' OR time IS NULL OR usd IS NULL OR isnan(usd) OR isinf(usd)
               OR NOT usd > 0 OR usd > $max_usd
            ORDER BY line LIMIT 1""", {**params, "max_usd": MAX_USD_PRICE}).fetchone()
        if bad:
            raise InputError(f"price file {csv_path.name} line {bad[0]}: need a token symbol, an ISO-8601 time "
                             f"and a positive USD price of at most {MAX_USD_PRICE:,.0f}")
        dup = con.execute(f"SELECT asset, min(time_text) FROM ({select}) GROUP BY asset, time "
                          "HAVING count(*) > 1 LIMIT 1", params).fetchone()
        if dup:
            raise InputError(f"price file {csv_path.name} has {dup[0]} at {dup[1]} more than once")

    return csvimport.load(con, SPEC, csv_path, f"INSERT OR REPLACE INTO price_imports SELECT asset, time, usd, $name "
                                               f"FROM ({select})", validate)
