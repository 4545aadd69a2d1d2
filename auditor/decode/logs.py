"""Log decoding: topic0 dispatch to an event's ABI; static words decoded by DuckDB SQL (decode.wordsql), anything
else with eth-abi into column values."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from auditor.decode.columns import column_name, column_type, is_dynamic, to_column
from auditor.decode.rows import EventRows, common_select, value_rows
from auditor.decode.words import WordError, word_decoder
from auditor.decode.wordsql import word_columns, word_ok
from auditor.errors import RpcError
from auditor.logtable import raw_logs
from auditor.logtable import topic as topic_of
from auditor.model import EventSpec, Param, RawLog, canonical_type


@dataclass(frozen=True)
class _WordPlan:
    """For events whose fields are all single static words: the column, source and decoder of each."""

    columns: tuple[tuple[str, Param, bool, int, Callable[[bytes], Any]], ...]  # name, param, in topic, index, dec
    topics: int
    data_words: int


@cache
def _word_plan(spec: EventSpec) -> _WordPlan | None:
    columns = []
    topic_i = data_i = 0
    for i, p in enumerate(spec.params):
        decoder = None if p.indexed and is_dynamic(p.type) else word_decoder(canonical_type(p))
        if decoder is None:
            return None
        if p.indexed:
            columns.append((column_name(p, i), p, True, topic_i, decoder))
            topic_i += 1
        else:
            columns.append((column_name(p, i), p, False, data_i, decoder))
            data_i += 1
    return _WordPlan(tuple(columns), topic_i, data_i)


def _decode_words(plan: _WordPlan, spec: EventSpec, log: RawLog) -> dict[str, Any]:
    topics = log.topics if spec.anonymous else log.topics[1:]
    if len(topics) != plan.topics:
        raise RpcError(f"log {log.tx_hash}:{log.log_index} has {len(topics)} indexed topics, "
                       f"{spec.name} declares {plan.topics}")
    data = log.data
    if len(data) < 32 * plan.data_words or any(len(t) != 32 for t in topics):
        raise RpcError(f"log {log.tx_hash}:{log.log_index} data does not decode as {spec.signature}")
    row: dict[str, Any] = {}
    try:
        for name, p, in_topic, j, decoder in plan.columns:
            word = topics[j] if in_topic else data[32 * j: 32 * j + 32]
            row[name] = to_column(p, decoder(word))
    except WordError as exc:
        raise RpcError(f"log {log.tx_hash}:{log.log_index} data does not decode as {spec.signature}") from exc
    return row


def decode_log(spec: EventSpec, log: RawLog) -> dict[str, Any]:
    """The named parameter values of one log, shaped for the event's table columns.

    Raises RpcError when the log does not fit the ABI (wrong topic count, short data): such a log is
    malformed for this event, and storing a half-decoded row would be worse than stopping."""
    plan = _word_plan(spec)
    if plan is not None:
        return _decode_words(plan, spec, log)
    return decode_log_abi(spec, log)


def decode_log_abi(spec: EventSpec, log: RawLog) -> dict[str, Any]:
    """decode_log through eth-abi, for any type."""
    # imported here: eth-abi costs 0.4 s of start-up, and events of static words never need it
    from eth_abi.abi import decode as abi_decode
    from eth_abi.exceptions import DecodingError

    indexed = [p for p in spec.params if p.indexed]
    plain = [p for p in spec.params if not p.indexed]
    topics = log.topics if spec.anonymous else log.topics[1:]
    if len(topics) != len(indexed):
        raise RpcError(f"log {log.tx_hash}:{log.log_index} has {len(topics)} indexed topics, "
                       f"{spec.name} declares {len(indexed)}")
    values: dict[str, Any] = {}
    for p, topic in zip(indexed, topics, strict=True):
        if is_dynamic(p.type):
            values[p.name] = "0x" + topic.hex()
        else:
            values[p.name] = abi_decode([canonical_type(p)], topic)[0]
    try:
        decoded = abi_decode([canonical_type(p) for p in plain], log.data) if plain else ()
    except (DecodingError, ValueError, OverflowError) as exc:
        raise RpcError(f"log {log.tx_hash}:{log.log_index} data does not decode as {spec.signature}") from exc
    for p, v in zip(plain, decoded, strict=True):
        values[p.name] = v
    return {column_name(p, i): (values[p.name] if p.indexed and is_dynamic(p.type) else to_column(p, values[p.name]))
            for i, p in enumerate(spec.params)}


def _abi_values(spec: EventSpec, logs: list[RawLog]) -> dict[str, list[Any]]:
    rows = [decode_log_abi(spec, log) for log in logs]
    return {name: [row[name] for row in rows] for name in (column_name(p, i) for i, p in enumerate(spec.params))}


def _word_rows(chain_id: int, spec: EventSpec, plan: _WordPlan, logs: pa.Table) -> EventRows:
    """Rows decoded by DuckDB, after Arrow checked every word; the first log that fails a check is decoded
    again one by one, for decode_log's precise error."""
    skip = 0 if spec.anonymous else 1
    ok = [pc.equal(pc.list_value_length(logs["topics"]), plan.topics + skip),
          pc.greater_equal(pc.binary_length(logs["data"]), 2 + 64 * plan.data_words)]
    words = []   # per column: its type, the text it is in (Arrow, SQL) and where
    for _, p, in_topic, j, _ in plan.columns:
        canonical = canonical_type(p)
        if in_topic:
            text, text_sql, start = topic_of(logs, skip + j), f"topics[{skip + j + 1}]", 2
        else:
            text, text_sql, start = logs["data"], "data", 2 + 64 * j
        words.append((canonical, p, text, text_sql, start))
        valid = word_ok(text, start, canonical)
        if valid is not None:
            ok.append(valid)
    passed = pc.fill_null(functools.reduce(pc.and_, ok), False)
    if not pc.all(passed, min_count=0).as_py():
        bad = raw_logs(logs.filter(pc.invert(passed)).slice(0, 1))[0]
        decode_log(spec, bad)
        raise RpcError(f"log {bad.tx_hash}:{bad.log_index} data does not decode as {spec.signature}")
    select = list(common_select(chain_id))
    batch = logs
    for i, (canonical, p, text, text_sql, start) in enumerate(words):
        columns, sql = word_columns(canonical, column_type(p), text, text_sql, start, f"__w{i}")
        for name, values in columns.items():
            batch = batch.append_column(name, values)
        select.append(sql)
    return EventRows(spec, batch, tuple(select))


def decode_table(chain_id: int, spec: EventSpec, logs: pa.Table) -> EventRows:
    """The rows of many logs of one event. Same values and same errors as decode_log on each log."""
    plan = _word_plan(spec)
    if plan is None:
        return value_rows(chain_id, spec, logs, _abi_values(spec, raw_logs(logs)))
    return _word_rows(chain_id, spec, plan, logs)


class Dispatcher:
    """Routes logs to their event by (contract, topic0)."""

    def __init__(self, routes: Iterable[tuple[str, EventSpec]]) -> None:
        self._routes = {(address, spec.topic0): spec for address, spec in routes}

    def decode(self, chain_id: int, logs: pa.Table) -> dict[str, EventRows]:
        """Rows per destination table, in the order given. Logs of no known event are skipped (the query
        filtered them already)."""
        topic0 = topic_of(logs, 0)
        masks: dict[str, pa.Array] = {}
        specs: dict[str, EventSpec] = {}
        for (address, topic0_bytes), spec in self._routes.items():
            mask = pc.and_(pc.equal(logs["address"], address), pc.equal(topic0, "0x" + topic0_bytes.hex()))
            masks[spec.table] = pc.or_(masks[spec.table], mask) if spec.table in masks else mask
            specs[spec.table] = spec
        out = {}
        for table, mask in masks.items():
            selected = pc.fill_null(mask, False)
            if pc.any(selected).as_py():
                chosen = logs if pc.all(selected).as_py() else logs.filter(selected)
                out[table] = decode_table(chain_id, specs[table], chosen)
        return out
