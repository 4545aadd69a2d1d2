"""USD prices for the simulated economy: Chainlink feeds on the played chains, and a daily price file.

Each feed in auditor.prices.feeds on a played chain gets a proxy at its real address, answering `phaseId()` and
`phaseAggregators(phase)` from storage, and two aggregators (phase 1, then phase 2 from PHASE_2_FROM) that emit
`AnswerUpdated` about every UPDATE_EVERY. Tokens without a feed get one seeded price a day, for `prices.csv`.
Prices come from their own seeded generator, so they do not shift when the economy's draws change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from eth_utils.crypto import keccak

from auditor.devnet.plan import (
    CLOSE_TIME,
    DAY,
    END_TIME,
    GENESIS_BLOCKS,
    GENESIS_TIME,
    HOUR,
    WEEK,
    Emit,
    Ledger,
    address,
)
from auditor.model import normalize_address
from auditor.prices.feeds import FEEDS, Feed

PROXY = "chainlink/FeedProxy"
AGGREGATOR = "chainlink/Aggregator"
PHASE_ID_SLOT = 0
PHASE_AGGREGATORS_SLOT = 1
PHASES = 2
PHASE_2_FROM = GENESIS_TIME + 8 * WEEK       # 2026-09-28T00:00:00Z
FIRST_UPDATE = GENESIS_TIME + DAY - 5 * 60   # a price exists before the first rental, at GENESIS_TIME + 2 days
UPDATE_EVERY = 8 * HOUR
UPDATE_JITTER = 15 * 60
MEAN_REVERSION = 0.05
# Asset -> (centre in USD, largest relative step): per feed update, and per day in the price file.
FEED_WALKS = {"ETH": (3000.0, 0.02), "USDC": (1.0, 0.001)}
DAILY_WALKS = {"RLC": (1.5, 0.04), "MOR": (20.0, 0.05), "SWAN": (0.05, 0.05), "ALEPH": (0.12, 0.04),
               "GLM": (0.30, 0.04)}


@dataclass(frozen=True)
class FeedAnswer:
    """One planted AnswerUpdated: `answer` is the USD price with the feed's decimals; `tx` the ledger key."""

    chain_id: int
    asset: str
    proxy: str
    aggregator: str
    phase: int
    round_id: int
    time: int
    answer: int
    decimals: int
    tx: int


@dataclass(frozen=True)
class DailyPrice:
    asset: str
    time: int
    usd: float


@dataclass(frozen=True)
class FeedContracts:
    """What a chain needs before play: code (address, artifact key) and proxy storage (address, slot, value)."""

    code: tuple[tuple[str, str], ...]
    storage: tuple[tuple[str, str, str], ...]


def played_feeds() -> tuple[Feed, ...]:
    return tuple(f for f in FEEDS if f.chain_id in GENESIS_BLOCKS)


def aggregator_address(seed: int, feed: Feed, phase: int) -> str:
    return address(seed, f"chainlink/{feed.chain_id}/{feed.asset}/aggregator/{phase}")


def _walk(rng: random.Random, centre: float, step: float, n: int) -> list[float]:
    price, out = centre * (1 + rng.uniform(-3 * step, 3 * step)), []
    for _ in range(n):
        out.append(price)
        price *= 1 + rng.uniform(-step, step)
        price += MEAN_REVERSION * (centre - price)
    return out


def _word(value: int) -> str:
    return "0x" + value.to_bytes(32, "big").hex()


def mapping_slot(key: int, slot: int) -> str:
    """Storage slot of `mapping[key]` for a mapping declared at `slot`: keccak(pad32(key) ++ pad32(slot))."""
    return "0x" + keccak(key.to_bytes(32, "big") + slot.to_bytes(32, "big")).hex()


def feed_contracts(seed: int, chain_id: int) -> FeedContracts:
    code: list[tuple[str, str]] = []
    storage: list[tuple[str, str, str]] = []
    for feed in played_feeds():
        if feed.chain_id != chain_id:
            continue
        proxy = normalize_address(feed.proxy)
        code.append((proxy, PROXY))
        storage.append((proxy, _word(PHASE_ID_SLOT), _word(PHASES)))
        for phase in range(1, PHASES + 1):
            aggregator = aggregator_address(seed, feed, phase)
            code.append((aggregator, AGGREGATOR))
            storage.append((proxy, mapping_slot(phase, PHASE_AGGREGATORS_SLOT), _word(int(aggregator, 16))))
    return FeedContracts(tuple(code), tuple(storage))


def update_times(rng: random.Random) -> list[int]:
    times = [FIRST_UPDATE]
    while True:
        t = FIRST_UPDATE + len(times) * UPDATE_EVERY + rng.randint(-UPDATE_JITTER, UPDATE_JITTER)
        if t > END_TIME:
            return times
        times.append(t)


def plan_feeds(ledger: Ledger) -> list[FeedAnswer]:
    """Every feed update as a tx by the chain's transmitter to the aggregator of the phase in force."""
    rng = random.Random(f"{ledger.seed}/chainlink")
    times = update_times(rng)
    walks = {asset: _walk(rng, centre, step, len(times)) for asset, (centre, step) in FEED_WALKS.items()}
    rounds: dict[str, int] = {}
    out = []
    for i, t in enumerate(times):
        for feed in played_feeds():
            phase = 1 if t < PHASE_2_FROM else 2
            aggregator = aggregator_address(ledger.seed, feed, phase)
            round_id = rounds[aggregator] = rounds.get(aggregator, 0) + 1
            answer = round(walks[feed.asset][i] * 10**feed.decimals)
            transmitter = address(ledger.seed, f"chainlink/{feed.chain_id}/transmitter")
            key = ledger.send(feed.chain_id, t, transmitter, aggregator,
                              Emit(AGGREGATOR, "AnswerUpdated", (answer, round_id, t)))
            out.append(FeedAnswer(feed.chain_id, feed.asset, normalize_address(feed.proxy), aggregator, phase,
                                  round_id, t, answer, feed.decimals, key))
    return out


def daily_prices(seed: int) -> tuple[DailyPrice, ...]:
    """One price a day at 00:00Z per token without a feed, from GENESIS_TIME through the closing block's day."""
    rng = random.Random(f"{seed}/daily-prices")
    days = list(range(GENESIS_TIME, CLOSE_TIME + 1, DAY))
    out = []
    for asset, (centre, step) in DAILY_WALKS.items():
        walk = _walk(rng, centre, step, len(days))
        out += [DailyPrice(asset, t, float(f"{usd:.6g}")) for t, usd in zip(days, walk, strict=True)]
    return tuple(out)
