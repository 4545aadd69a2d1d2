"""Funding discovery at scale: the first native-coin funder of N buyers, through a proxy that adds a provider's
latency, with the auditor's own search (extract.funding.first_funding, extract.enrich.for_each).

Run on purpose: `.venv/bin/python bench/funding.py [--buyers 10000] [--latency-ms 50] [--concurrency 8,64]`.
Plants N buyers on an anvil that keeps history (the search reads balances at old blocks): funder f sends buyer
i 10^15 + i wei in block b(i), `per-block` fundings a block, one such block every `spacing` blocks. Then for each
concurrency: wall time, per 1,000 buyers, HTTP requests and JSON-RPC calls per buyer, the most requests in
flight, and every answer checked against what was planted (status funded, funder, block, value).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from latency import LatencyProxy

from auditor.devnet.anvil import Anvil
from auditor.extract.enrich import for_each
from auditor.extract.funding import first_funding
from auditor.extract.state import first_state_block
from auditor.model import Funding
from auditor.rpc.client import open_client

CHAIN_ID = 1
FUNDERS = 100
FUNDER_BASE = 0xF0DE000000000000000000000000000000000000
BUYER_BASE = 0xB0B0000000000000000000000000000000000000
BATCH = 100


def funder(i: int) -> str:
    return f"0x{FUNDER_BASE + i % FUNDERS:040x}"


def buyer(i: int) -> str:
    return f"0x{BUYER_BASE + i:040x}"


def value(i: int) -> int:
    return 10**15 + i


@dataclass(frozen=True)
class Planted:
    blocks: dict[str, int]   # buyer -> block of its funding
    head: int
    seconds: float


def _rpc(url: str, calls: list[tuple[str, list[Any]]]) -> list[Any]:
    body = json.dumps([{"jsonrpc": "2.0", "id": n, "method": m, "params": p} for n, (m, p) in enumerate(calls)])
    req = urllib.request.Request(url, data=body.encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        answers = sorted(json.loads(resp.read()), key=lambda a: a["id"])
    errors = [a["error"] for a in answers if "error" in a]
    if errors:
        raise RuntimeError(f"planting failed: {errors[0]}")
    return [a["result"] for a in answers]


def plant(url: str, buyers: int, per_block: int, spacing: int) -> Planted:
    """Funders get a balance; each log block holds `per_block` transfers to new buyers, then spacing - 1 empty
    blocks, so each search spans the whole chain."""
    started = time.perf_counter()
    _rpc(url, [("anvil_mine", [hex(spacing)])])   # the first funding is not at the first block with state
    _rpc(url, [("anvil_setBalance", [funder(f), hex(10**24)]) for f in range(FUNDERS)])
    blocks = {}
    head = spacing
    for start in range(0, buyers, per_block):
        sends = [("eth_sendTransaction", [{"from": funder(i), "to": buyer(i), "value": hex(value(i)),
                                            "gas": hex(21_000), "maxFeePerGas": "0x0",
                                            "maxPriorityFeePerGas": "0x0"}])
                 for i in range(start, min(buyers, start + per_block))]
        for k in range(0, len(sends), BATCH):
            _rpc(url, sends[k:k + BATCH])
        _rpc(url, [("anvil_mine", [hex(spacing)])])
        head += 1
        blocks.update({buyer(i): head for i in range(start, min(buyers, start + per_block))})
        head += spacing - 1
    return Planted(blocks, head, time.perf_counter() - started)


def wrong(planted: Planted, found: dict[str, Funding | Exception]) -> list[str]:
    """Buyers whose answer is not the planted funding."""
    out = []
    for i, (address, block) in enumerate(planted.blocks.items()):
        got = found.get(address)
        if not (isinstance(got, Funding) and got.status == "funded" and got.funder == funder(i)
                and got.block_number == block and got.value_wei == value(i)):
            out.append(address)
    return out


async def discover(url: str, addresses: list[str], head: int, concurrency: int) -> tuple[dict[str, Any], int]:
    """As an index run does: the first block with state (extract.state), then every buyer's first funding."""
    found: dict[str, Any] = {}
    async with open_client(url, connections=concurrency) as client:
        state_from = await first_state_block(client, 0, head)

        def done(address: str, result: Any) -> None:
            found[address] = result
        await for_each(addresses, lambda a: first_funding(client, a, 0, head, state_from), concurrency, done)
        return found, client.stats.calls


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--buyers", type=int, default=10_000)
    p.add_argument("--per-block", type=int, default=100, help="fundings per block that has any")
    p.add_argument("--spacing", type=int, default=10,
                   help="blocks from one funding block to the next (anvil keeps the state of about the last "
                        "thousands of blocks only: a longer chain leaves the first buyers without an archive)")
    p.add_argument("--latency-ms", type=float, default=50.0, help="added to every HTTP request by the proxy")
    p.add_argument("--concurrency", default="8,64", help="comma-separated requests in flight to measure")
    p.add_argument("--sample", type=int, default=0,
                   help="buyers searched per concurrency (default: 125 x concurrency, at most --buyers)")
    args = p.parse_args(argv)
    levels = [int(c) for c in args.concurrency.split(",")]
    work = Path(tempfile.mkdtemp(prefix="auditor-funding-"))
    with Anvil(CHAIN_ID, 0, int(time.time()) - 10**7, work / "anvil.log", quiet=True, keep_history=True) as node:
        print(f"planting {args.buyers:,} buyers, {args.per_block} a block every {args.spacing} blocks...", flush=True)
        planted = plant(node.url, args.buyers, args.per_block, args.spacing)
        print(f"planted in {planted.seconds:.1f}s; chain head {planted.head:,}", flush=True)
        addresses = list(planted.blocks)
        lines = []
        status = 0
        with LatencyProxy(node.url, args.latency_ms / 1000) as proxy:
            for c in levels:
                n = min(len(addresses), args.sample or 125 * c)
                proxy.reset()
                load = os.getloadavg()[0]
                started = time.perf_counter()
                found, calls = asyncio.run(discover(proxy.url, addresses[:n], planted.head, c))
                seconds = time.perf_counter() - started
                bad = wrong(Planted({a: planted.blocks[a] for a in addresses[:n]}, planted.head, 0), found)
                status |= bool(bad)
                lines.append(f"{c:>11} {n:>7,} {seconds:>8.1f} {seconds * 1000 / n:>10.1f} {proxy.requests / n:>9.1f} "
                             f"{calls / n:>9.1f} {proxy.max_in_flight:>10} {load:>5.2f}  "
                             + ("ok: every funder, block and value as planted" if not bad else
                                f"WRONG: {len(bad)} buyers, e.g. {bad[0]}: {str(found.get(bad[0]))[:200]}"))
                print(lines[-1], flush=True)
    print(f"\nfunding discovery, {args.latency_ms:.0f} ms added per HTTP request, chain of {planted.head:,} blocks "
          f"(binary search over balance and nonce, then the funding block's transactions)\n")
    print(f"{'concurrency':>11} {'buyers':>7} {'wall s':>8} {'s/1000':>10} {'HTTP/buyer':>9} {'calls/buyer':>9} "
          f"{'max flight':>10} {'load':>5}  answers")
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
