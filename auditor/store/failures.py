"""The enrichment_failures table: items a lookup failed for, kept with the reason until a run succeeds."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from auditor.model import ItemFailure


def write_failures(con: duckdb.DuckDBPyConnection, chain_id: int, failures: Sequence[ItemFailure],
                   at_block: int) -> None:
    """Record failed items (within the caller's transaction, or autocommitted)."""
    if failures:
        con.execute("INSERT OR REPLACE INTO enrichment_failures SELECT $chain, unnest($step), unnest($item), "
                    "unnest($reason), $block",
                    {"chain": chain_id, "step": [f.step for f in failures], "item": [f.item for f in failures],
                     "reason": [f.reason for f in failures], "block": at_block}).fetchall()


def clear_failures(con: duckdb.DuckDBPyConnection, chain_id: int, step: str, items: Sequence[str]) -> None:
    """Forget the failures of items that have now succeeded."""
    if items:
        con.execute("DELETE FROM enrichment_failures WHERE chain_id = $chain AND step = $step "
                    "AND item IN (SELECT unnest($items))", {"chain": chain_id, "step": step, "items": list(items)})
