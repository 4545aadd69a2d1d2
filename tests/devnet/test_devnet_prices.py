"""Chainlink feeds and the price file as played: proxies answer eth_call, aggregators hold the planted answers."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from auditor.devnet import Devnet
from auditor.prices.feeds import FEEDS
from tests.devnet.chainrpc import (
    ANSWER_UPDATED,
    PHASE_AGGREGATORS,
    PHASE_ID,
    as_address,
    as_int,
    get_logs,
    iso,
    log_time,
    rpc,
    words,
)

PHASE_2_FROM = "2026-09-28T00:00:00Z"
FIRST_RENTAL = "2026-08-05T00:00:00Z"


def call(url: str, to: str, data: str) -> str:
    return str(rpc(url, "eth_call", {"to": to, "data": data}, "latest"))


def test_feed_proxies_name_both_phases(net: Devnet) -> None:
    aggregators = {(p.proxy, p.phase): p.aggregator for p in net.truth.prices}
    feeds = [f for f in FEEDS if f.chain_id in net.urls]
    assert len(feeds) == 4
    for feed in feeds:
        url, proxy = net.urls[feed.chain_id], feed.proxy.lower()
        assert as_int(call(url, proxy, PHASE_ID)) == 2
        for phase in (1, 2):
            got = as_address(call(url, proxy, PHASE_AGGREGATORS + f"{phase:064x}"))
            assert got == aggregators[(proxy, phase)]
        assert as_int(call(url, proxy, PHASE_AGGREGATORS + f"{3:064x}")) == 0
    assert len(set(aggregators.values())) == 8


def test_aggregators_emit_the_planted_answers(net: Devnet) -> None:
    planted = defaultdict(list)
    for p in net.truth.prices:
        planted[(p.chain_id, p.aggregator)].append(p)
    for (chain_id, aggregator), answers in planted.items():
        logs = get_logs(net, chain_id, aggregator, [ANSWER_UPDATED])
        assert len(logs) == len(answers)
        for log, p in zip(logs, answers, strict=True):
            assert (log["transactionHash"], int(log["logIndex"], 16)) == (p.tx_hash, p.log_index)
            assert str(as_int(log["topics"][1], signed=True)) == p.answer
            assert as_int(log["topics"][2]) == p.round_id
            assert as_int(words(log["data"])[0]) == log_time(log)
            assert iso(log_time(log)) == p.time
            assert p.usd == int(p.answer) / 10**p.decimals
        assert [p.round_id for p in answers] == list(range(1, len(answers) + 1))
        assert {p.phase for p in answers} == {1 if answers[0].time < PHASE_2_FROM else 2}


def test_prices_cover_the_calendar_every_eight_hours(net: Devnet) -> None:
    series = defaultdict(list)
    for p in net.truth.prices:
        series[(p.chain_id, p.asset)].append(p)
    assert set(series) == {(c, a) for c in (42161, 8453) for a in ("ETH", "USDC")}
    for (_, asset), answers in series.items():
        answers.sort(key=lambda p: p.time)
        assert answers[0].time < FIRST_RENTAL and answers[-1].time > "2026-11-15T12:00:00Z"
        times = [datetime.fromisoformat(p.time.replace("Z", "+00:00")) for p in answers]
        assert max(b - a for a, b in pairwise(times)) <= timedelta(hours=9)
        assert {p.phase for p in answers if p.time < PHASE_2_FROM} == {1}
        assert {p.phase for p in answers if p.time >= PHASE_2_FROM} == {2}
        low, high = {"ETH": (2000, 4500), "USDC": (0.98, 1.02)}[asset]
        assert all(low < p.usd < high for p in answers)


def test_price_file_covers_every_day(net: Devnet) -> None:
    with net.prices_path.open(newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["asset", "time", "usd"]
        rows = list(reader)
    assert [(r["asset"], r["time"], float(r["usd"])) for r in rows] == \
        [(p.asset, p.time, p.usd) for p in net.truth.imported_prices]
    days = {(datetime(2026, 8, 3, tzinfo=UTC) + timedelta(days=d)).strftime("%Y-%m-%dT%H:%M:%SZ")
            for d in range(106)}
    by_asset = defaultdict(set)
    for r in rows:
        by_asset[r["asset"]].add(r["time"])
        assert float(r["usd"]) > 0
    assert set(by_asset) == {"RLC", "MOR", "SWAN", "ALEPH", "GLM"}
    assert all(times == days for times in by_asset.values())
    assert max(days) == "2026-11-16T00:00:00Z"
