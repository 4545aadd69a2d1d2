"""marketplace_facts: the registry's facts as a table, which shared SQL joins instead of naming marketplaces."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from auditor.analyze.queries import step_sql
from auditor.marketplaces.base import Marketplace


def fact_row(m: Marketplace) -> tuple[object, ...]:
    """One marketplace's row, in the column order of queries/steps/marketplace_facts.sql."""
    return (m.name, m.title, m.kyc, m.h100e_method, m.token.symbol if m.token else None,
            m.token.decimals if m.token else None, m.buyer_sends, list(m.unestimated_workloads), m.method_note,
            m.caveats)


def publish_facts(con: duckdb.DuckDBPyConnection, registry: Iterable[Marketplace]) -> None:
    """Rebuild marketplace_facts (and the token_amount macro that reads it) from the registry."""
    con.execute(step_sql("marketplace_facts"))
    rows = [fact_row(m) for m in registry]
    if rows:
        con.executemany(f"INSERT INTO marketplace_facts VALUES ({', '.join('?' * len(rows[0]))})", rows)
