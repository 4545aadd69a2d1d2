"""What is indexed, in a few rows: the coverage of every source (one cursor each, often hundreds: one per
watched buyer address) summarized per chain and per kind of data, for the report page. Every cursor stays in
coverage.csv."""

from __future__ import annotations

from collections import defaultdict

from auditor.report.formatting import as_int
from auditor.sqlfile import Cell, Table

KINDS = {"price": "price feeds", "watch": "buyers' token transfers", "funding": "funding", "adhoc": "ad-hoc"}
NOT_INDEXED = "not indexed"


def coverage_summary(coverage: Table) -> Table:
    """One row per chain and marketplace (or other kind of source): how many sources, how many have nothing
    indexed yet, their gap blocks and the furthest any trails the chain's safe block."""
    groups: dict[tuple[int, str, str], list[dict[str, Cell]]] = defaultdict(list)
    for row in coverage.records():
        kind = str(row["kind"])
        what = str(row["marketplace"]) if kind == "marketplace" and row["marketplace"] else KINDS.get(kind, kind)
        groups[(as_int(row["chain_id"]), str(row["chain"]), what)].append(row)
    rows = []
    for (chain_id, chain, what), members in sorted(groups.items()):
        behind = [as_int(m["blocks_behind_safe"]) for m in members if m["blocks_behind_safe"] is not None]
        rows.append((chain, chain_id, what, len(members),
                     sum(1 for m in members if m["indexed_intervals"] == NOT_INDEXED),
                     sum(as_int(m["gap_blocks"]) for m in members if m["gap_blocks"] is not None),
                     max(behind) if behind else None))
    return Table("coverage_summary", ("chain", "chain_id", "data", "sources", "sources_not_indexed", "gap_blocks",
                                      "most_blocks_behind_safe"), tuple(rows))
