"""Log decoding: topic0 dispatch to an event's ABI, topics and data decoded with eth-abi into column values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_abi.exceptions import DecodingError

from auditor.decode.abi import canonical_type
from auditor.decode.columns import column_name, is_dynamic, to_column
from auditor.errors import RpcError
from auditor.model import EventSpec, RawLog


def decode_log(spec: EventSpec, log: RawLog) -> dict[str, Any]:
    """The named parameter values of one log, shaped for the event's table columns.

    Raises RpcError when the log does not fit the ABI (wrong topic count, short data): such a log is
    malformed for this event, and storing a half-decoded row would be worse than stopping."""
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


def common_values(chain_id: int, log: RawLog) -> dict[str, Any]:
    """The columns every event table shares."""
    return {"chain_id": chain_id, "contract": log.address, "block_number": log.block_number,
            "block_time": log.block_time, "tx_hash": log.tx_hash, "tx_index": log.tx_index,
            "log_index": log.log_index}


class Dispatcher:
    """Routes logs to their event by (contract, topic0)."""

    def __init__(self, routes: Iterable[tuple[str, EventSpec]]) -> None:
        self._routes = {(address, spec.topic0): spec for address, spec in routes}

    def spec_for(self, log: RawLog) -> EventSpec | None:
        if not log.topics:
            return None
        return self._routes.get((log.address, log.topics[0]))

    def decode(self, chain_id: int, logs: Iterable[RawLog]) -> dict[str, list[dict[str, Any]]]:
        """Rows per destination table. Logs of no known event are skipped (the query filtered them already)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for log in logs:
            spec = self.spec_for(log)
            if spec is None:
                continue
            row = common_values(chain_id, log)
            row.update(decode_log(spec, log))
            out.setdefault(spec.table, []).append(row)
        return out
