"""The benchmark chain: where the emitter sits, which blocks hold which Transfer logs, and what each log holds.

Log number i (1-based, global) is `Transfer(from(i), to(i), value(i))`, the formulas of TransferEmitter.sol.
Logs come in "log blocks" of `per_block` logs (one transaction each); every log block is followed by
`spacing - 1` empty blocks, so a range of `spacing` blocks holds `per_block` logs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.devnet.jsonrpc import LocalRpc

HERE = Path(__file__).resolve().parent
RUNTIME = HERE / "TransferEmitter.bin-runtime"

EMITTER = "0x00000000000000000000000000000000b3e4c001"
SENDER = "0x00000000000000000000000000000000b3e4c0de"
TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
TRANSFER_SIGNATURE = "Transfer(address indexed from, address indexed to, uint256 value)"
EMIT_RANGE_SELECTOR = "59dab8c5"  # emitRange(uint256,uint256)
FROM_MUL = 0x9E3779B97F4A7C15F39CC0605CEDC8341082276B
TO_MUL = 0xBF58476D1CE4E5B94D049BB133111EB0E8B5C0E3
HUGE_EVERY = 1000
UINT256 = 2**256
ADDRESS_MASK = 2**160 - 1
BLOCK_SECONDS = 12
GAS_PER_LOG = 4_000
GAS_BASE = 100_000


def from_address(i: int) -> str:
    return f"0x{(i * FROM_MUL) & ADDRESS_MASK:040x}"


def to_address(i: int) -> str:
    return f"0x{(i * TO_MUL) & ADDRESS_MASK:040x}"


def value(i: int) -> int:
    """i ether, except every HUGE_EVERY-th log, near 2**256, to check uint256 beyond 128 bits."""
    return UINT256 - i if i % HUGE_EVERY == 0 else i * 10**18


@dataclass(frozen=True)
class Layout:
    """How N logs are spread over blocks."""

    logs: int
    per_block: int
    spacing: int

    @property
    def log_blocks(self) -> int:
        return -(-self.logs // self.per_block)

    @property
    def total_blocks(self) -> int:
        return self.log_blocks * self.spacing


@dataclass(frozen=True)
class Planted:
    """What was planted: the block range to index and, per log block, its number and first log number."""

    layout: Layout
    first_block: int
    last_block: int
    batches: tuple[tuple[int, int, int], ...]  # block number, first i, count
    seconds: float

    @property
    def blocks(self) -> int:
        return self.last_block - self.first_block + 1


def genesis_time(layout: Layout, now: float | None = None) -> int:
    """A genesis early enough that the last planted block is still an hour in the past."""
    return int(now if now is not None else time.time()) - (layout.total_blocks + 1) * BLOCK_SECONDS - 3600


def plant(url: str, layout: Layout) -> Planted:
    """Puts the emitter at EMITTER and mines the layout's blocks on a fresh node started with --no-mining."""
    node = LocalRpc(url)
    started = time.perf_counter()
    try:
        node.call("anvil_setCode", EMITTER, RUNTIME.read_text().strip())
        head = int(node.call("eth_blockNumber"), 16)
        first_block = head + 1
        batches = []
        i = 1
        while i <= layout.logs:
            count = min(layout.per_block, layout.logs - i + 1)
            data = f"0x{EMIT_RANGE_SELECTOR}{i:064x}{count:064x}"
            node.call("eth_sendTransaction", {"from": SENDER, "to": EMITTER, "data": data,
                                              "gas": hex(GAS_BASE + GAS_PER_LOG * count),
                                              "maxFeePerGas": "0x0", "maxPriorityFeePerGas": "0x0"})
            node.call("anvil_mine", hex(layout.spacing), hex(BLOCK_SECONDS))
            head += 1
            batches.append((head, i, count))
            head += layout.spacing - 1
            i += count
        last_block = int(node.call("eth_blockNumber"), 16)
        if last_block != head:
            raise RuntimeError(f"expected head {head} after planting, node says {last_block}")
        _check_first_and_last(node, batches)
    finally:
        node.close()
    return Planted(layout, first_block, last_block, tuple(batches), time.perf_counter() - started)


def _check_first_and_last(node: LocalRpc, batches: list[tuple[int, int, int]]) -> None:
    """The first and last log blocks hold exactly their batch (the transaction did not run out of gas)."""
    for block, first, count in (batches[0], batches[-1]):
        logs = node.call("eth_getLogs", {"fromBlock": hex(block), "toBlock": hex(block), "address": EMITTER})
        if len(logs) != count or int(logs[0]["data"], 16) != value(first):
            raise RuntimeError(f"block {block}: {len(logs)} logs planted, expected {count} starting at i={first}")


def expected_rows(planted: Planted) -> dict[str, list[Any]]:
    """Every planted log as columns (block_number, log_index, from, to, value as decimal text)."""
    cols: dict[str, list[Any]] = {"block_number": [], "log_index": [], "from": [], "to": [], "value": []}
    for block, first, count in planted.batches:
        for k in range(count):
            i = first + k
            cols["block_number"].append(block)
            cols["log_index"].append(k)
            cols["from"].append(from_address(i))
            cols["to"].append(to_address(i))
            cols["value"].append(str(value(i)))
    return cols
