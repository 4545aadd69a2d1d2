"""Typed wrappers for the few Ethereum methods the indexer uses."""

from __future__ import annotations

import functools
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from auditor.errors import InvalidResponseError, RpcError
from auditor.logtable import topic
from auditor.model import Block, BlockRange, normalize_hash
from auditor.rpc.client import Rpc
from auditor.rpc.logs import log_table, table_from_body


def to_int(value: Any, what: str) -> int:
    if not isinstance(value, str) or not value.startswith("0x"):
        raise RpcError(f"node returned a malformed {what}: {str(value)[:40]!r}")
    try:
        return int(value, 16)
    except ValueError:
        raise RpcError(f"node returned a malformed {what}: {value[:40]!r}") from None


FIRST_CONTACT_RETRIES = 2


async def chain_id(client: Rpc) -> int:
    """The chain behind the endpoint; the first call, so a dead URL fails after few retries."""
    return to_int(await client.call("eth_chainId", [], retries=FIRST_CONTACT_RETRIES), "chain id")


async def block_number(client: Rpc) -> int:
    return to_int(await client.call("eth_blockNumber", []), "block number")


def parse_block(raw: Any) -> Block:
    if not isinstance(raw, dict):
        raise RpcError("node returned no block where one was expected")
    return Block(number=to_int(raw.get("number"), "block number"), hash=_block_hash(raw.get("hash")),
                 timestamp=to_int(raw.get("timestamp"), "block timestamp"))


async def get_block(client: Rpc, tag: int | str, full: bool = False) -> dict[str, Any]:
    ref = hex(tag) if isinstance(tag, int) else tag
    raw = await client.call("eth_getBlockByNumber", [ref, full])
    if not isinstance(raw, dict):
        raise RpcError(f"{client.where}: block {tag} not found")
    return raw


async def get_blocks(client: Rpc, numbers: list[int]) -> list[Block]:
    """Headers of many blocks in JSON-RPC batches."""
    raws = await client.batch([("eth_getBlockByNumber", [hex(n), False]) for n in numbers])
    return [parse_block(r) for r in raws]


async def get_block_hashes(client: Rpc, numbers: list[int]) -> list[str | None]:
    """Hashes of many blocks; None where the node has no such block (the chain got shorter)."""
    raws = await client.batch([("eth_getBlockByNumber", [hex(n), False]) for n in numbers])
    return [_block_hash(r["hash"]) if isinstance(r, dict) and r.get("hash") else None for r in raws]


def _block_hash(value: Any) -> str:
    try:
        return normalize_hash(value)
    except ValueError:
        raise RpcError(f"node returned a malformed block hash: {str(value)[:70]!r}") from None


async def get_logs(client: Rpc, addresses: list[str], topic0s: list[bytes], rng: BlockRange,
                   topic1s: list[bytes] | None = None, topic2s: list[bytes] | None = None) -> pa.Table:
    """Logs of these contracts with these topic0s (and, when given, topic1s and topic2s) in the range,
    validated against what was asked, as a log table (auditor.logtable)."""
    topics: list[list[str] | None] = [["0x" + t.hex() for t in topic0s]]
    if topic1s or topic2s:
        topics.append(["0x" + t.hex() for t in topic1s] if topic1s else None)
    if topic2s:
        topics.append(["0x" + t.hex() for t in topic2s])
    flt = {"fromBlock": hex(rng.start), "toBlock": hex(rng.end), "address": addresses, "topics": topics}
    result = await client.call("eth_getLogs", [flt], parse=table_from_body)
    if not isinstance(result, pa.Table | list):
        raise RpcError(f"{client.where}: eth_getLogs returned no list")
    logs = result if isinstance(result, pa.Table) else log_table(result)
    asked = [pc.greater_equal(logs["block_number"], rng.start), pc.less_equal(logs["block_number"], rng.end),
             pc.is_in(logs["address"], pa.array(addresses, pa.string())), _topic_in(logs, 0, topic0s)]
    if topic1s:
        asked.append(_topic_in(logs, 1, topic1s))
    if topic2s:
        asked.append(_topic_in(logs, 2, topic2s))
    ok = functools.reduce(pc.and_, asked)
    if not pc.all(ok, min_count=0).as_py():
        bad = logs.filter(pc.invert(ok)).slice(0, 1).to_pylist()[0]
        raise InvalidResponseError(f"{client.where}: eth_getLogs returned a log that was not asked for "
                                   f"(block {bad['block_number']}, contract {bad['address']})")
    return logs


def _topic_in(logs: pa.Table, i: int, wanted: list[bytes]) -> pa.Array:
    """Whether each log's topic i is one of these (false where the log has fewer topics)."""
    return pc.fill_null(pc.is_in(topic(logs, i), pa.array(["0x" + t.hex() for t in wanted], pa.string())), False)
