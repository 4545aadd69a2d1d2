"""Every marketplace's rentals, USD values and H100e-hours, scored field by field against the planted truth."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from auditor.analyze import default_h100_hour_price
from auditor.marketplaces import MARKETPLACES
from auditor.prices.feeds import FEEDS

MAX_PRICE_AGE = 48 * 3600
Rentals = dict[tuple[int, str, str, int], dict[str, Any]]


def ts(text: str | None) -> float | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def rows(db: Path, sql: str) -> list[dict[str, Any]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def rentals(analysed_db: Path) -> Rentals:
    got = rows(analysed_db, "SELECT *, epoch(start_time) AS start_ts, epoch(end_time) AS end_ts, "
                            "epoch(block_time) AS block_ts FROM rentals")
    keyed = {(r["chain_id"], r["marketplace"], r["tx_hash"], r["log_index"]): r for r in got}
    assert len(keyed) == len(got), "a rental was stored twice"
    return keyed


def key(r: dict[str, Any]) -> tuple[int, str, str, int]:
    return (r["chain_id"], r["marketplace"], r["tx_hash"], r["log_index"])


def test_every_marketplace_has_rentals_exactly_as_planted(rentals: Rentals,
                                                           truth: dict[str, Any]) -> None:
    planted = {key(r): r for r in truth["rentals"]}
    assert set(rentals) == set(planted)
    counts: dict[str, int] = defaultdict(int)
    for k, r in planted.items():
        got = rentals[k]
        counts[r["marketplace"]] += 1
        assert (got["buyer"], got["provider"], got["block_number"]) == (r["buyer"], r["provider"], r["block_number"])
        if r["gpu_count"] is not None:
            assert got["gpu_count"] == r["gpu_count"], k
        if r["start_time"] is not None:
            assert got["start_ts"] == ts(r["start_time"]), k
            assert got["is_open"] == (r["end_time"] is None), k
            assert got["end_ts"] == ts(r["end_time"]), k
        if r["payment_raw"] is not None and r["marketplace"] != "spheron":
            assert (got["payment_token"], got["payment_raw"]) == (r["payment_token"], r["payment_raw"]), k
    assert set(counts) == {m.name for m in MARKETPLACES if m.contracts}   # Akash: tests/akash
    assert all(n >= 20 for n in counts.values()), counts


def test_open_rentals_count_up_to_the_last_indexed_block(rentals: Rentals,
                                                          truth: dict[str, Any]) -> None:
    last = {int(c): ts(v["last_time"]) for c, v in truth["chains"].items()}
    checked: dict[str, int] = defaultdict(int)
    for r in truth["rentals"]:
        if r["marketplace"] in ("swan", "aleph", "morpheus") and r["start_time"]:
            got = rentals[key(r)]
            until = ts(r["end_time"]) or last[r["chain_id"]]
            assert until is not None
            assert got["duration_hours"] == pytest.approx((until - got["start_ts"]) / 3600), key(r)
            checked[r["marketplace"]] += r["end_time"] is None
    assert checked["swan"] >= 1 and checked["aleph"] >= 1, "the economy should leave tasks and streams open"


def test_swan_gpu_hours_assume_one_gpu_per_provider(rentals: Rentals) -> None:
    swan = [r for r in rentals.values() if r["marketplace"] == "swan"]
    assert swan and all(r["gpu_hours"] == pytest.approx(r["duration_hours"] * r["gpu_count"]) for r in swan)
    assert {r["gpu_count"] for r in swan} > {1}


def test_livepeer_tells_ai_inference_from_transcoding(rentals: Rentals,
                                                      truth: dict[str, Any]) -> None:
    seen = set()
    for r in truth["rentals"]:
        if r["marketplace"] == "livepeer":
            got = rentals[key(r)]
            assert got["workload"] == {"ai": "ai-inference", "transcoding": "transcoding"}[r["workload"]], key(r)
            seen.add(r["workload"])
            if r["workload"] == "transcoding":
                assert got["h100e_hours"] is None and got["payment_usd"] is not None
    assert seen == {"ai", "transcoding"}


class Prices:
    """The planted prices: Chainlink answers and the imported daily file, latest at or before a time."""

    def __init__(self, truth: dict[str, Any]) -> None:
        by_asset: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for p in truth["prices"]:
            by_asset[p["asset"]].append((ts(p["time"]) or 0.0, p["usd"]))
        for p in truth["imported_prices"]:
            by_asset[p["asset"]].append((ts(p["time"]) or 0.0, float(p["usd"])))
        self.series = {a: sorted(v) for a, v in by_asset.items()}

    def at(self, asset: str, when: float) -> float | None:
        series = self.series.get(asset, [])
        i = bisect.bisect_right(series, (when, float("inf"))) - 1
        if i < 0 or when - series[i][0] > MAX_PRICE_AGE:
            return None
        return series[i][1]


def largest_factor(db: Path) -> float:
    return float(rows(db, "SELECT max(h100e) AS top FROM gpu_specs")[0]["top"])


def test_payments_valued_and_turned_into_h100e_hours(rentals: Rentals, truth: dict[str, Any],
                                                      analysed_db: Path) -> None:
    prices, h100, top = Prices(truth), default_h100_hour_price(), largest_factor(analysed_db)
    decimals = {"ETH": 18, "RLC": 9, "SWAN": 18, "ALEPH": 18, "GLM": 18}
    valued: dict[str, int] = defaultdict(int)
    for r in truth["rentals"]:
        got = rentals[key(r)]
        if r["marketplace"] not in ("livepeer", "iexec", "swan", "aleph", "golem"):
            continue
        amount = int(r["payment_raw"]) / 10 ** decimals[r["payment_token"]]
        assert got["payment_amount"] == pytest.approx(amount, rel=1e-12)
        price = prices.at(r["payment_token"], got["block_ts"])
        assert price is not None, f"the devnet should price every {r['payment_token']} payment"
        assert got["payment_usd"] == pytest.approx(amount * price, rel=1e-9), key(r)
        if r.get("workload") == "transcoding" or (r["marketplace"] == "iexec" and not r["iexec_tag"] & 0x100):
            assert got["h100e_hours"] is None, key(r)
            continue
        # an open rental is credited the share of its paid time that has run; GPU-hours cap the rest
        usd = amount * price * (1.0 if got["accrued_share"] is None else got["accrued_share"])
        cap = float("inf") if got["gpu_hours"] is None else got["gpu_hours"] * top
        assert got["h100e_method"] == "payment"
        assert got["h100e_hours"] == pytest.approx(min(usd / h100.central, cap), rel=1e-9)
        assert got["h100e_hours_low"] == pytest.approx(min(usd / h100.high, cap), rel=1e-9)
        assert got["h100e_hours_high"] == pytest.approx(min(usd / h100.low, cap), rel=1e-9)
        valued[r["marketplace"]] += 1
    assert set(valued) == {"livepeer", "iexec", "swan", "aleph", "golem"}


def test_duration_estimates_bracket_ambiguous_gpu_names(rentals: Rentals) -> None:
    spheron = [r for r in rentals.values() if r["marketplace"] == "spheron" and r["h100e_hours"] is not None]
    assert spheron
    for r in spheron:
        assert r["h100e_hours_low"] <= r["h100e_hours"] <= r["h100e_hours_high"]
        if r["gpu_model_raw"] == "h100":
            assert r["h100e_hours_low"] == pytest.approx(r["h100e_hours"] * 0.765)
        else:
            assert r["h100e_hours_low"] == r["h100e_hours"] == r["h100e_hours_high"]


def test_price_feeds_every_phase_indexed(analysed_db: Path, truth: dict[str, Any]) -> None:
    feeds = rows(analysed_db, "SELECT chain_id, asset, proxy, phase, aggregator FROM price_feeds ORDER BY ALL")
    planted = {(p["chain_id"], p["asset"], p["proxy"].lower(), p["phase"], p["aggregator"].lower())
               for p in truth["prices"]}
    assert {tuple(f.values()) for f in feeds} == planted
    assert {(f["chain_id"], f["phase"]) for f in feeds} >= {(c, ph) for c in (42161, 8453) for ph in (1, 2)}
    assert {f.proxy.lower() for f in FEEDS if f.chain_id in (42161, 8453)} == {f["proxy"] for f in feeds}
    answers = rows(analysed_db, "SELECT count(*) AS n FROM chainlink_answer_updated")[0]["n"]
    assert answers == len(truth["prices"])


def test_aleph_streams_of_other_tokens_are_not_fetched(analysed_db: Path) -> None:
    tokens = rows(analysed_db, "SELECT DISTINCT token FROM aleph_flow_updated")
    assert tokens == [{"token": "0xc0fbc4967259786c743361a5885ef49380473dcf"}]


def test_iexec_deals_read_with_their_gpu_tag_and_deadline(analysed_db: Path, rentals: Rentals,
                                                          truth: dict[str, Any]) -> None:
    deals = {d["dealid"]: d for d in rows(analysed_db, "SELECT *, epoch(start_time) AS start_ts FROM iexec_deals")}
    planted = [r for r in truth["rentals"] if r["marketplace"] == "iexec"]
    assert len(deals) == len(planted)
    kinds = set()
    for r in planted:
        d, got = deals[r["iexec_deal_id"]], rentals[key(r)]
        assert d["status"] == "found" and d["requester"] == r["buyer"] and d["workerpool"] == r["provider"]
        assert int(d["tag"], 16) == r["iexec_tag"] and d["category"] == r["iexec_category"]
        assert d["start_ts"] + 10 * (300, 1200, 3600, 10800, 36000)[d["category"]] == ts(r["iexec_deadline"])
        kinds.add(got["workload"])
        assert got["workload"] == ("gpu" if r["iexec_tag"] & 0x100 else "cpu")
    assert kinds == {"gpu", "cpu"}


def test_iexec_duration_is_end_minus_start(rentals: Rentals, analysed_db: Path) -> None:
    safe = {r["chain_id"]: r["safe_ts"] for r in rows(analysed_db, "SELECT chain_id, epoch(safe_time) AS safe_ts "
                                                                  "FROM chains")}
    iexec = [r for r in rentals.values() if r["marketplace"] == "iexec"]
    closed = [r for r in iexec if r["end_ts"] is not None]
    assert len(closed) >= 100 and any(r["is_open"] for r in iexec)
    for r in closed:
        assert r["duration_hours"] == pytest.approx((r["end_ts"] - r["start_ts"]) / 3600, abs=1e-9), r["tx_hash"]
    for r in iexec:
        if r["is_open"] and r["start_ts"] is not None:
            assert 0 <= r["duration_hours"] <= (safe[r["chain_id"]] - r["start_ts"]) / 3600 + 1e-9, r["tx_hash"]


def test_h100e_hours_never_exceed_gpu_hours_times_the_largest_factor(rentals: Rentals, analysed_db: Path) -> None:
    top = largest_factor(analysed_db)
    with_hours = [r for r in rentals.values() if r["gpu_hours"] is not None and r["h100e_hours"] is not None]
    assert {r["marketplace"] for r in with_hours} == {"spheron", "swan"}
    for r in with_hours:
        for column in ("h100e_hours_low", "h100e_hours", "h100e_hours_high"):
            assert r[column] <= r["gpu_hours"] * top * (1 + 1e-12), (r["tx_hash"], column)


def test_open_tasks_paid_up_front_are_credited_only_what_has_run(rentals: Rentals) -> None:
    central = default_h100_hour_price().central
    open_swan = [r for r in rentals.values() if r["marketplace"] == "swan" and r["is_open"]]
    assert open_swan
    for r in open_swan:
        assert 0 < r["accrued_share"] < 1
        assert r["h100e_hours"] < r["payment_usd"] / central
    closed = [r for r in rentals.values() if not r["is_open"] and r["marketplace"] in ("swan", "iexec")]
    assert closed and all(r["accrued_share"] is None for r in closed)
