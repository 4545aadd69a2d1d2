"""Logs as Arrow columns: the form fetched logs take from the node's answer to the database, with no Python
object per log on the way (at a million logs those objects cost more than fetching them)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from auditor.model import RawLog

LOG_SCHEMA = pa.schema([("address", pa.string()), ("topics", pa.list_(pa.string())), ("data", pa.string()),
                        ("block_number", pa.int64()), ("block_hash", pa.string()), ("block_time", pa.int64()),
                        ("tx_hash", pa.string()), ("tx_index", pa.int64()), ("log_index", pa.int64())])
"""The columns of a log table: lowercase hex text (topics are 32-byte words), numbers as int64, block_time null
where the node gave no blockTimestamp."""


def topic(logs: pa.Table, i: int) -> pa.Array:
    """Each log's topic i, null where the log has fewer topics."""
    topics = logs["topics"].combine_chunks()
    starts = pc.add(topics.offsets[:-1], i)
    return topics.values.take(pc.if_else(pc.greater(pc.list_value_length(topics), i), starts,
                                         pa.scalar(None, starts.type)))


def raw_logs(logs: pa.Table) -> list[RawLog]:
    """The logs one by one, for decoders that work per log (eth-abi)."""
    return [RawLog(r["address"], tuple(bytes.fromhex(t[2:]) for t in r["topics"]), bytes.fromhex(r["data"][2:]),
                   r["block_number"], r["block_hash"], r["block_time"], r["tx_hash"], r["tx_index"], r["log_index"])
            for r in logs.to_pylist()]
