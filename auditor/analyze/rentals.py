"""Each marketplace's rentals: its rentals SQL (one SELECT of rentals columns) added to rentals with the facts the
registry holds for it, so the SQL never retypes its name, KYC or method."""

from __future__ import annotations

import duckdb

from auditor.analyze.queries import step_sql
from auditor.analyze.variables import set_current_marketplace
from auditor.errors import AuditorError
from auditor.marketplaces.base import Marketplace
from auditor.sqlfile import read_sql

STAMPED = ("marketplace", "kyc", "h100e_method")   # from marketplace_facts, never from the marketplace's SQL


def _select(sql: str) -> str:
    return sql.strip().removesuffix(";")


def add_rentals(con: duckdb.DuckDBPyConnection, marketplace: Marketplace) -> None:
    """Insert one marketplace's rentals. Its SQL becomes a temporary view (dropped once inserted), so the
    engine can check it names no column that the registry sets."""
    set_current_marketplace(con, marketplace)
    con.execute("CREATE OR REPLACE TEMP VIEW _marketplace_rentals AS\n" + _select(read_sql(marketplace.rentals)))
    columns = {row[0] for row in con.execute("DESCRIBE _marketplace_rentals").fetchall()}
    retyped = sorted(columns & set(STAMPED))
    if retyped:
        raise AuditorError(f"{marketplace.rentals}: {', '.join(retyped)} come from the registry (marketplace_facts), "
                           "not from the rentals SQL")
    con.execute(step_sql("marketplace_rentals"))
