"""Typed wrappers for the few Ethereum methods the indexer uses.

Every field taken from an answer is checked for its exact shape here (quantities as 0x hex within the range the
store holds, hashes and addresses through model), and a header for the block asked, with a plausible time. An
answer that fails is an InvalidResponseError: asked again a few times (perhaps of another endpoint of a pool),
then the run stops with that one line. Nothing malformed reaches the database, the report or a terminal.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from auditor.errors import InvalidResponseError, RpcError
from auditor.logtable import topic
from auditor.model import Block, BlockRange, normalize_address, normalize_hash, plausible_block_time
from auditor.rpc.client import Rpc
from auditor.rpc.logs import log_table, table_from_body

T = TypeVar("T")
INT64_MAX = 2**63 - 1        # block numbers, times and chain ids are BIGINT in the store
UINT256_MAX = 2**256 - 1     # balances, nonces, values
VALID_ANSWER_TRIES = 3       # an answer that fails its checks is asked this often before the run stops
_QUANTITY = re.compile(r"0x[0-9a-fA-F]{1,64}")
_CODE = re.compile(r"0x(?:[0-9a-fA-F]{2})*")


def to_int(value: Any, what: str, limit: int = INT64_MAX) -> int:
    """A JSON-RPC quantity (0x hex, at most `limit`); InvalidResponseError for anything else."""
    if not isinstance(value, str) or not _QUANTITY.fullmatch(value):
        raise InvalidResponseError(f"node returned a malformed {what}: {str(value)[:40]!r}")
    number = int(value, 16)
    if number > limit:
        raise InvalidResponseError(f"node returned a {what} of {str(number)[:30]}, above the largest supported "
                                   f"({limit})")
    return number


def block_time(value: Any) -> int:
    """A block timestamp, plausible (model.plausible_block_time)."""
    t = to_int(value, "block timestamp")
    if not plausible_block_time(t, time.time()):
        raise InvalidResponseError(f"node returned a block timestamp in the future ({t}, now {time.time():.0f})")
    return t


def address_of(value: Any, what: str) -> str:
    try:
        return normalize_address(value)
    except ValueError:
        raise InvalidResponseError(f"node returned a malformed {what}: {str(value)[:50]!r}") from None


def hash_of(value: Any, what: str) -> str:
    try:
        return normalize_hash(value)
    except ValueError:
        raise InvalidResponseError(f"node returned a malformed {what}: {str(value)[:70]!r}") from None


def check_code(value: Any, address: str) -> str:
    """Contract code as returned by eth_getCode: even-length 0x hex."""
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        raise InvalidResponseError(f"node returned malformed code for {address}: {str(value)[:40]!r}")
    return value


async def asked_until_valid(ask: Callable[[], Awaitable[T]]) -> T:
    """ask(), again while its answer fails its checks (a pool's next try goes to the next endpoint)."""
    for attempt in range(VALID_ANSWER_TRIES):
        try:
            return await ask()
        except InvalidResponseError:
            if attempt == VALID_ANSWER_TRIES - 1:
                raise
            await asyncio.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


FIRST_CONTACT_RETRIES = 2


async def chain_id(client: Rpc) -> int:
    """The chain behind the endpoint; the first call, so a dead URL fails after few retries."""
    async def ask() -> int:
        return to_int(await client.call("eth_chainId", [], retries=FIRST_CONTACT_RETRIES), "chain id")
    return await asked_until_valid(ask)


async def block_number(client: Rpc) -> int:
    async def ask() -> int:
        return to_int(await client.call("eth_blockNumber", []), "block number")
    return await asked_until_valid(ask)


def parse_block(raw: Any, number: int | None = None) -> Block:
    """A header's number, hash and time, checked; `number` is the block that was asked for."""
    if not isinstance(raw, dict):
        raise RpcError("node returned no block where one was expected")
    got = to_int(raw.get("number"), "block number")
    if number is not None and got != number:
        raise InvalidResponseError(f"node returned block {got} when asked for block {number}")
    return Block(number=got, hash=hash_of(raw.get("hash"), "block hash"), timestamp=block_time(raw.get("timestamp")))


def _check_transaction(tx: Any) -> None:
    """The fields funding reads from a full block's transaction."""
    if not isinstance(tx, dict):
        raise InvalidResponseError("node returned a transaction that is not an object")
    hash_of(tx.get("hash"), "transaction hash")
    address_of(tx.get("from"), "transaction sender")
    if tx.get("to") is not None:
        address_of(tx.get("to"), "transaction recipient")
    to_int(tx.get("value", "0x0"), "transaction value", UINT256_MAX)


async def get_block(client: Rpc, tag: int | str, full: bool = False) -> dict[str, Any]:
    """A block (with its transactions when `full`), its header and transactions checked."""
    ref = hex(tag) if isinstance(tag, int) else tag

    async def ask() -> dict[str, Any]:
        raw = await client.call("eth_getBlockByNumber", [ref, full])
        if not isinstance(raw, dict):
            raise RpcError(f"{client.where}: block {tag} not found")
        parse_block(raw, tag if isinstance(tag, int) else None)
        if full:
            txs = raw.get("transactions", [])
            if not isinstance(txs, list):
                raise InvalidResponseError(f"node returned block {tag} with malformed transactions")
            for tx in txs:
                _check_transaction(tx)
        return raw
    return await asked_until_valid(ask)


async def get_blocks(client: Rpc, numbers: list[int]) -> list[Block]:
    """Headers of many blocks in JSON-RPC batches, each the block asked for."""
    async def ask() -> list[Block]:
        raws = await client.batch([("eth_getBlockByNumber", [hex(n), False]) for n in numbers])
        return [parse_block(r, n) for r, n in zip(raws, numbers, strict=True)]
    return await asked_until_valid(ask)


async def get_block_hashes(client: Rpc, numbers: list[int]) -> list[str | None]:
    """Hashes of many blocks; None where the node has no such block (the chain got shorter)."""
    async def ask() -> list[str | None]:
        raws = await client.batch([("eth_getBlockByNumber", [hex(n), False]) for n in numbers])
        return [parse_block(r, n).hash if isinstance(r, dict) and r.get("hash") else None
                for r, n in zip(raws, numbers, strict=True)]
    return await asked_until_valid(ask)


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
             _one_of(logs["address"], addresses), _topic_in(logs, 0, topic0s)]
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
    return pc.fill_null(_one_of(topic(logs, i), ["0x" + t.hex() for t in wanted]), False)


def _one_of(values: pa.Array | pa.ChunkedArray, wanted: list[str]) -> pa.Array | pa.ChunkedArray:
    """Whether each value is one of these: a comparison for one (most filters), cheaper than is_in's hashing."""
    if len(wanted) == 1:
        return pc.equal(values, pa.scalar(wanted[0], pa.string()))
    return pc.is_in(values, pa.array(wanted, pa.string()))


HUGEINT_MAX = 2**127 - 1     # native values are HUGEINT in the store


async def get_full_blocks(client: Rpc, numbers: list[int]) -> list[dict[str, Any]]:
    """Many blocks with their transactions in JSON-RPC batches, each the block asked for, checked."""
    async def ask() -> list[dict[str, Any]]:
        raws = await client.batch([("eth_getBlockByNumber", [hex(n), True]) for n in numbers])
        for raw, n in zip(raws, numbers, strict=True):
            parse_block(raw, n)
            txs = raw.get("transactions", [])
            if not isinstance(txs, list):
                raise InvalidResponseError(f"node returned block {n} with malformed transactions")
            for tx in txs:
                _check_transaction(tx)
        return list(raws)
    return await asked_until_valid(ask)


def _check_receipt(raw: Any, tx_hash: str) -> dict[str, Any]:
    """The fields a native scan reads from a receipt: status, the fee paid, a created contract."""
    if not isinstance(raw, dict):
        raise RpcError(f"node has no receipt for transaction {tx_hash}")
    if hash_of(raw.get("transactionHash"), "receipt transaction hash") != tx_hash:
        raise InvalidResponseError(f"node returned the receipt of another transaction than {tx_hash}")
    to_int(raw.get("status"), "receipt status")
    for field in ("gasUsed", "effectiveGasPrice"):
        to_int(raw.get(field), f"receipt {field}", UINT256_MAX)
    for field in ("l1Fee", "blobGasUsed", "blobGasPrice"):
        if raw.get(field) is not None:
            to_int(raw.get(field), f"receipt {field}", UINT256_MAX)
    if raw.get("contractAddress") is not None:
        address_of(raw.get("contractAddress"), "created contract")
    return raw


async def get_receipts(client: Rpc, tx_hashes: list[str]) -> list[dict[str, Any]]:
    """Receipts of many transactions in JSON-RPC batches, each of the transaction asked for, checked."""
    async def ask() -> list[dict[str, Any]]:
        raws = await client.batch([("eth_getTransactionReceipt", [h]) for h in tx_hashes])
        return [_check_receipt(r, h) for r, h in zip(raws, tx_hashes, strict=True)]
    return await asked_until_valid(ask)
