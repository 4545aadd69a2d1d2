"""Decoded rows of one event table as the store inserts them: an Arrow batch and one SQL expression per column.

The batch is the fetched log table itself (auditor.logtable), plus the values decoded in Python for events
eth-abi decodes; every expression yields its column's DuckDB type, in table order, so one INSERT ... SELECT
stores the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from auditor.decode.columns import column_name, column_type
from auditor.model import EventSpec

_ARROW = {"BIGINT": pa.int64(), "INTEGER": pa.int64(), "UBIGINT": pa.uint64(), "BOOLEAN": pa.bool_()}


@dataclass(frozen=True)
class EventRows:
    """Rows for `spec.table`: `select` computes the table's columns, in order, from `batch`."""

    spec: EventSpec
    batch: pa.Table
    select: tuple[str, ...]


def common_select(chain_id: int) -> tuple[str, ...]:
    """The columns every event table shares, from a log table."""
    return (f"CAST({int(chain_id)} AS BIGINT)", "address", "block_number", "to_timestamp(block_time)", "tx_hash",
            "CAST(tx_index AS INTEGER)", "CAST(log_index AS INTEGER)")


def _arrow_column(ctype: str, values: list[Any]) -> pa.Array:
    """Python values as Arrow; wide integers arrive as decimal text and lists as text, cast by DuckDB."""
    if ctype.endswith("[]"):
        values = [None if v is None else [None if x is None else str(x) for x in v] for v in values]
        return pa.array(values, type=pa.list_(pa.string()))
    return pa.array(values, type=_ARROW.get(ctype, pa.string()))


def value_rows(chain_id: int, spec: EventSpec, logs: pa.Table, values: dict[str, list[Any]]) -> EventRows:
    """Rows whose parameter values were decoded in Python (one list per parameter column, in log order)."""
    batch = logs
    select = list(common_select(chain_id))
    for i, p in enumerate(spec.params):
        ctype = column_type(p)
        batch = batch.append_column(f"__v{i}", _arrow_column(ctype, values[column_name(p, i)]))
        select.append(f"CAST(__v{i} AS {ctype})")
    return EventRows(spec, batch, tuple(select))
