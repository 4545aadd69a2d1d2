"""Typed wrappers for the few Ethereum methods the indexer uses."""

from __future__ import annotations

from typing import Any

from auditor.errors import InvalidResponseError, RpcError
from auditor.model import Block, BlockRange, RawLog
from auditor.rpc.client import Rpc


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
    return Block(number=to_int(raw.get("number"), "block number"), hash=str(raw.get("hash", "")).lower(),
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
    return [str(r["hash"]).lower() if isinstance(r, dict) and r.get("hash") else None for r in raws]


def parse_log(raw: dict[str, Any]) -> RawLog:
    """A node's log object as a RawLog (lowercase hex; topics as bytes)."""
    try:
        ts = raw.get("blockTimestamp")
        return RawLog(
            raw["address"].lower(),
            tuple([bytes.fromhex(t[2:]) for t in raw["topics"]]),
            bytes.fromhex(raw["data"][2:]),
            int(raw["blockNumber"], 16),
            raw["blockHash"].lower(),
            int(ts, 16) if ts is not None else None,
            raw["transactionHash"].lower(),
            int(raw["transactionIndex"], 16),
            int(raw["logIndex"], 16),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RpcError(f"node returned a malformed log ({type(exc).__name__}: {exc})") from None


async def get_logs(client: Rpc, addresses: list[str], topic0s: list[bytes], rng: BlockRange,
                   topic1s: list[bytes] | None = None, topic2s: list[bytes] | None = None) -> list[RawLog]:
    """Logs of these contracts with these topic0s (and, when given, topic1s and topic2s) in the range,
    validated against what was asked."""
    topics: list[list[str] | None] = [["0x" + t.hex() for t in topic0s]]
    if topic1s or topic2s:
        topics.append(["0x" + t.hex() for t in topic1s] if topic1s else None)
    if topic2s:
        topics.append(["0x" + t.hex() for t in topic2s])
    flt = {"fromBlock": hex(rng.start), "toBlock": hex(rng.end), "address": addresses, "topics": topics}
    raws = await client.call("eth_getLogs", [flt])
    if not isinstance(raws, list):
        raise RpcError(f"{client.where}: eth_getLogs returned no list")
    wanted_addr, wanted_topics = set(addresses), set(topic0s)
    wanted_topic1, wanted_topic2 = set(topic1s or ()), set(topic2s or ())
    logs = []
    for raw in raws:
        if raw.get("removed"):
            continue
        log = parse_log(raw)
        if not (rng.start <= log.block_number <= rng.end) or log.address not in wanted_addr \
                or not log.topics or log.topics[0] not in wanted_topics \
                or (wanted_topic1 and (len(log.topics) < 2 or log.topics[1] not in wanted_topic1)) \
                or (wanted_topic2 and (len(log.topics) < 3 or log.topics[2] not in wanted_topic2)):
            raise InvalidResponseError(f"{client.where}: eth_getLogs returned a log that was not asked for "
                           f"(block {log.block_number}, contract {log.address})")
        logs.append(log)
    return logs
