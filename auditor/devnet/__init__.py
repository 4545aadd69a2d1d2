"""Local anvil chains with a simulated GPU-rental economy, for `auditor demo` and the test suite.

Emitter contracts sit at the marketplaces' real mainnet addresses (and Chainlink feed proxies at theirs), so the
logs are byte-for-byte what the real contracts emit, and iExec's diamond answers viewDeal; ground_truth.json says
what the analysis should find, prices.csv holds daily USD prices of the tokens that have no feed, and labels.csv
names the devnet's exchange hot wallet and bridge relayer as a user's own label list would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from auditor.devnet.anvil import Anvil, find_anvil
from auditor.devnet.economy import Economy, plan_economy
from auditor.devnet.simulate import play
from auditor.devnet.truth import (
    GroundTruth,
    load_truth,
    truth_document,
    write_label_file,
    write_price_file,
    write_truth,
)

__all__ = ["Devnet", "Economy", "GroundTruth", "find_anvil", "load_truth", "plan_economy", "start_devnet",
           "start_economy"]

TRUTH_FILE = "ground_truth.json"
PRICES_FILE = "prices.csv"
LABELS_FILE = "labels.csv"
_T = TypeVar("_T")


@dataclass(frozen=True)
class Devnet:
    urls: dict[int, str]          # chain_id -> http://127.0.0.1:PORT
    truth_path: Path
    truth: GroundTruth
    prices_path: Path             # daily USD prices of tokens without a Chainlink feed: asset,time,usd
    labels_path: Path             # service labels (exchange hot wallet, bridge relayer), as `analyze --labels` reads


def _run(coro: Coroutine[object, object, _T]) -> _T:
    """Runs a coroutine to completion, also when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@contextmanager
def start_devnet(workdir: Path, seed: int = 7) -> Iterator[Devnet]:
    """Starts one anvil per chain, plays the economy for `seed`, writes workdir/ground_truth.json and
    workdir/prices.csv (anvil logs go beside them) and yields the running devnet; the nodes are stopped on
    exit, also on errors."""
    with start_economy(workdir, plan_economy(seed)) as net:
        yield net


@contextmanager
def start_economy(workdir: Path, economy: Economy, truth_extra: Mapping[str, Any] | None = None,
                  write_labels: Callable[[Path, Economy], None] = write_label_file) -> Iterator[Devnet]:
    """start_devnet for any planned economy (one anvil per chain it plans): `truth_extra` adds top-level keys to
    ground_truth.json (an economy family's owners and links), `write_labels` writes labels.csv."""
    workdir.mkdir(parents=True, exist_ok=True)
    binary = find_anvil()
    with ExitStack() as stack:
        urls = {}
        for chain in economy.chains:
            node = Anvil(chain.chain_id, chain.genesis_block, chain.genesis_time,
                         log_path=workdir / f"anvil-{chain.chain_id}.log", binary=binary)
            urls[chain.chain_id] = stack.enter_context(node).url
        landed = _run(play(economy, urls))
        truth_path, prices_path = workdir / TRUTH_FILE, workdir / PRICES_FILE
        write_truth(truth_path, truth_document(economy, landed) | dict(truth_extra or {}))
        write_price_file(prices_path, economy.daily_prices)
        labels_path = workdir / LABELS_FILE
        write_labels(labels_path, economy)
        yield Devnet(urls=urls, truth_path=truth_path, truth=load_truth(truth_path), prices_path=prices_path,
                     labels_path=labels_path)
