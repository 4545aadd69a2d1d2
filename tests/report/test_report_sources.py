"""The report's coverage summary: every cursor counted once, under its chain and kind of data."""

from __future__ import annotations

from auditor.report.sources import coverage_summary
from auditor.sqlfile import Table

COLUMNS = ("chain_id", "chain", "source", "kind", "marketplace", "indexed_intervals", "gap_blocks",
           "blocks_behind_safe")


def test_cursors_fold_into_a_row_per_chain_and_kind() -> None:
    rows = (
        (8453, "Base", "spheron/OrderRequest#1", "marketplace", "spheron", "1-10", 0, 0),
        (8453, "Base", "spheron/ComputeLease#2", "marketplace", "spheron", "1-4, 6-10", 1, 5),
        *((8453, "Base", f"watch/in/0x{i:040x}#3", "watch", None, "1-10", 0, 0) for i in range(150)),
        (8453, "Base", "watch/in/0xdead#3", "watch", None, "not indexed", None, None),
        (254, "Swan Chain", "chainlink/x", "price", None, "1-9", 0, 1),
    )
    summary = coverage_summary(Table("coverage", COLUMNS, rows))
    assert summary.rows == (
        ("Swan Chain", 254, "price feeds", 1, 0, 0, 1),
        ("Base", 8453, "buyers' token transfers", 151, 1, 0, 0),
        ("Base", 8453, "spheron", 2, 0, 1, 5),
    )
    assert sum(r[3] for r in summary.rows) == len(rows)
