"""Plays a planned economy on anvil nodes: balances, code and storage first, then one evm_mine per block.

Txs of a block go out as one JSON-RPC batch of eth_sendTransaction (impersonated senders, explicit nonce and
gas, so no estimateGas round trips), then `evm_mine(time)` seals them into one block at the planned timestamp.
The code a tx places (an iExec deal's data) goes in right after its block: anvil counts state set between two
blocks as the earlier one's, so the data exists from that block on, as if the tx had stored it.
Receipts are checked in bulk at the end: every tx succeeded, in its planned block, with one log per event.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import aiohttp

from auditor.devnet.economy import ChainPlan, Economy, Tx
from auditor.devnet.emitters import calldata, load_emitters
from auditor.devnet.jsonrpc import Call, DevnetRpc
from auditor.errors import DevnetError

CALL_GAS = 1_000_000
TRANSFER_GAS = 21_000
RECEIPT_BATCH = 250
HTTP_TIMEOUT = 60


@dataclass(frozen=True)
class Landed:
    """Where a planned tx landed on the node."""

    tx_hash: str
    block_number: int
    tx_index: int
    log_indexes: tuple[int, ...]


def tx_params(tx: Tx) -> dict[str, str]:
    params = {"from": tx.sender, "to": tx.to, "nonce": hex(tx.nonce), "value": hex(tx.value),
              "maxFeePerGas": "0x0", "maxPriorityFeePerGas": "0x0"}
    if tx.emits:
        params |= {"gas": hex(CALL_GAS), "data": "0x" + calldata(tx.emits).hex()}
    else:
        params["gas"] = hex(TRANSFER_GAS)
    return params


async def play(economy: Economy, urls: Mapping[int, str]) -> dict[int, dict[int, Landed]]:
    """Plays every chain of the economy concurrently; returns where each tx (by plan key) landed, per chain."""
    timeout = aiohttp.ClientTimeout(total=HTTP_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        landed = await asyncio.gather(*(play_chain(DevnetRpc(urls[c.chain_id], session), c)
                                        for c in economy.chains))
    return {c.chain_id: lands for c, lands in zip(economy.chains, landed, strict=True)}


async def play_chain(rpc: DevnetRpc, chain: ChainPlan) -> dict[int, Landed]:
    chain_id = int(await rpc.call("eth_chainId"), 16)
    if chain_id != chain.chain_id:
        raise DevnetError(f"node at {rpc.url} is chain {chain_id}, the plan is for {chain.chain_id}")
    head = int(await rpc.call("eth_blockNumber"), 16)
    if head != chain.genesis_block:
        raise DevnetError(f"node for chain {chain_id} is at block {head}, not a fresh genesis")
    emitters = load_emitters()
    setup: list[Call] = [("anvil_setBalance", [a, hex(v)]) for a, v in chain.balances]
    setup += [("anvil_setCode", [a, emitters[key].runtime_bytecode]) for a, key in chain.code]
    setup += [("anvil_setStorageAt", [a, slot, value]) for a, slot, value in chain.storage]
    await rpc.batch(setup)
    hashes: dict[int, str] = {}
    placed: list[Call] = []   # code of the block just mined
    for _, group in groupby(chain.txs, key=lambda t: t.block):
        txs = list(group)
        sent = (await rpc.batch([*placed, *(("eth_sendTransaction", [tx_params(t)]) for t in txs)]))[len(placed):]
        hashes.update((t.key, h) for t, h in zip(txs, sent, strict=True))
        await rpc.call("evm_mine", txs[0].time)
        placed = [("anvil_setCode", [a, c]) for t in txs for a, c in t.code]
    await rpc.batch(placed)
    if not chain.txs or chain.txs[-1].block < chain.last_block:
        await rpc.call("evm_mine", chain.last_time)
    await _check_head(rpc, chain)
    return await _confirm(rpc, chain, hashes)


async def _check_head(rpc: DevnetRpc, chain: ChainPlan) -> None:
    block: dict[str, Any] = await rpc.call("eth_getBlockByNumber", "latest", False)
    number, ts = int(block["number"], 16), int(block["timestamp"], 16)
    if (number, ts) != (chain.last_block, chain.last_time):
        raise DevnetError(f"chain {chain.chain_id} ended at block {number} time {ts}, "
                          f"planned {chain.last_block} time {chain.last_time}")


async def _confirm(rpc: DevnetRpc, chain: ChainPlan, hashes: dict[int, str]) -> dict[int, Landed]:
    """Receipts of every tx, checked against the plan; fails with the first few mismatches."""
    landed: dict[int, Landed] = {}
    problems: list[str] = []
    txs = list(chain.txs)
    for i in range(0, len(txs), RECEIPT_BATCH):
        part = txs[i:i + RECEIPT_BATCH]
        receipts = await rpc.batch([("eth_getTransactionReceipt", [hashes[t.key]]) for t in part])
        for tx, receipt in zip(part, receipts, strict=True):
            if receipt is None:
                problems.append(f"{hashes[tx.key]} has no receipt")
                continue
            logs = tuple(int(log["logIndex"], 16) for log in receipt["logs"])
            block = int(receipt["blockNumber"], 16)
            if receipt["status"] != "0x1" or block != tx.block or len(logs) != len(tx.emits):
                problems.append(f"{receipt['transactionHash']} status {receipt['status']} block {block} "
                                f"(planned {tx.block}) logs {len(logs)} (planned {len(tx.emits)})")
            landed[tx.key] = Landed(receipt["transactionHash"], block, int(receipt["transactionIndex"], 16), logs)
    if problems:
        raise DevnetError(f"{len(problems)} devnet txs on chain {chain.chain_id} did not land as planned, "
                          f"e.g. {'; '.join(problems[:3])}")
    return landed
