"""Log decoding: topic0 dispatch to an event's ABI, topics and data decoded with eth-abi into column values."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from auditor.decode.abi import canonical_type
from auditor.decode.columns import column_converter, column_name, is_dynamic, to_column
from auditor.decode.words import WordError, word_decoder
from auditor.errors import RpcError
from auditor.model import EventSpec, Param, RawLog


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


Columns = dict[str, list[Any]]


def _common_columns(chain_id: int, logs: list[RawLog]) -> Columns:
    """The columns every event table shares."""
    return {"chain_id": [chain_id] * len(logs), "contract": [log.address for log in logs],
            "block_number": [log.block_number for log in logs], "block_time": [log.block_time for log in logs],
            "tx_hash": [log.tx_hash for log in logs], "tx_index": [log.tx_index for log in logs],
            "log_index": [log.log_index for log in logs]}


def decode_group(chain_id: int, spec: EventSpec, logs: list[RawLog]) -> Columns:
    """The table columns of many logs of one event, decoded column by column: each column's decoder and
    converter is looked up once, not once per value. Same values and same errors as decode_log."""
    columns = _common_columns(chain_id, logs)
    plan = _word_plan(spec)
    if plan is None:
        rows = [decode_log_abi(spec, log) for log in logs]
        for i, p in enumerate(spec.params):
            name = column_name(p, i)
            columns[name] = [row[name] for row in rows]
        return columns
    skip = 0 if spec.anonymous else 1
    need = 32 * plan.data_words
    for log in logs:
        if len(log.topics) - skip != plan.topics or len(log.data) < need or any(len(t) != 32 for t in log.topics):
            _decode_words(plan, spec, log)  # raises the precise error for this log
    for name, p, in_topic, j, decoder in plan.columns:
        if in_topic:
            words = [log.topics[skip + j] for log in logs]
        else:
            start = 32 * j
            words = [log.data[start:start + 32] for log in logs]
        try:
            values = list(map(decoder, words))
        except WordError:
            for log in logs:
                _decode_words(plan, spec, log)  # raises the precise error for the first bad log
            raise
        convert = column_converter(p)
        columns[name] = values if convert is None else list(map(convert, values))
    return columns


class Dispatcher:
    """Routes logs to their event by (contract, topic0)."""

    def __init__(self, routes: Iterable[tuple[str, EventSpec]]) -> None:
        self._routes = {(address, spec.topic0): spec for address, spec in routes}

    def spec_for(self, log: RawLog) -> EventSpec | None:
        if not log.topics:
            return None
        return self._routes.get((log.address, log.topics[0]))

    def decode(self, chain_id: int, logs: Iterable[RawLog]) -> dict[str, Columns]:
        """Columns per destination table, rows in the order given. Logs of no known event are skipped (the
        query filtered them already)."""
        groups: dict[str, list[RawLog]] = {}  # by table name: hashing a whole EventSpec per log is costly
        specs: dict[str, EventSpec] = {}
        routes = self._routes
        for log in logs:
            spec = routes.get((log.address, log.topics[0])) if log.topics else None
            if spec is not None:
                group = groups.get(spec.table)
                if group is None:
                    group = groups[spec.table] = []
                    specs[spec.table] = spec
                group.append(log)
        return {table: decode_group(chain_id, specs[table], group) for table, group in groups.items()}
