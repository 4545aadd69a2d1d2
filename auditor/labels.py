"""`auditor labels import`: the analyst's own list of service addresses (exchange hot wallets, bridges...).

Same columns as the shipped list (auditor/data/service_labels.csv): `chain_id,address,category,label,source`.
Labelled addresses never merge entities; an exchange hot wallet (`cex_hot`) is also what a deposit address
forwards to. Re-importing an address replaces its label. The whole file loads or nothing does.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from auditor.errors import InputError

REQUIRED = ("chain_id", "address", "category", "label")
CATEGORIES = ("cex_hot", "bridge", "router", "relayer", "faucet", "mev", "other")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def import_labels(con: duckdb.DuckDBPyConnection, csv_path: Path) -> int:
    """Load a label CSV into user_labels in one transaction; returns the number of rows loaded."""
    if not csv_path.is_file():
        raise InputError(f"label file {csv_path} does not exist")
    read = "read_csv($path, header = true, all_varchar = true)"
    params = {"path": str(csv_path)}
    try:
        columns = [c.lower() for c in con.sql(f"SELECT * FROM {read}", params=params).columns]
    except duckdb.Error as exc:
        raise InputError(f"cannot read label file {csv_path.name}: {_first_line(exc)}") from exc
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(f"label file {csv_path.name} lacks column(s) {', '.join(missing)} "
                         "(expected a header chain_id,address,category,label,source)")
    source = "source" if "source" in columns else "NULL"
    select = f"""
        SELECT TRY_CAST(trim(chain_id) AS BIGINT) AS chain_id, lower(trim(address)) AS address,
               lower(trim(category)) AS category, trim(label) AS label, {source} AS source,
               row_number() OVER () + 1 AS line
        FROM {read}"""
    con.execute("BEGIN")
    try:
        bad = con.execute(f"""
            SELECT line FROM ({select})
            WHERE chain_id IS NULL OR NOT regexp_full_match(coalesce(address, ''), '0x[0-9a-f]{{40}}')
               OR category NOT IN (SELECT unnest($categories)) OR coalesce(label, '') = ''
            ORDER BY line LIMIT 1""", {**params, "categories": list(CATEGORIES)}).fetchone()
        if bad:
            raise InputError(f"label file {csv_path.name} line {bad[0]}: need a chain id, a 0x address of 40 hex "
                             f"digits, a category ({', '.join(CATEGORIES)}) and a label")
        dup = con.execute(f"SELECT chain_id, address FROM ({select}) GROUP BY ALL HAVING count(*) > 1 LIMIT 1",
                          params).fetchone()
        if dup:
            raise InputError(f"label file {csv_path.name} lists {dup[1]} on chain {dup[0]} more than once")
        row = con.execute(f"INSERT OR REPLACE INTO user_labels SELECT chain_id, address, category, label, source, "
                          f"$name FROM ({select})", {**params, "name": csv_path.name}).fetchone()
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise InputError(f"cannot read label file {csv_path.name}: {_first_line(exc)}") from exc
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return int(row[0]) if row else 0
