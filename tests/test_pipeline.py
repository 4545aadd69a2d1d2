"""The whole pipeline on the devnet, scored against the economy's ground truth."""

from __future__ import annotations

import asyncio
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from auditor.devnet import Devnet
from auditor.report import write_weekly_report
from auditor.sync import AdhocEvent, IndexRequest, run_index
from tests.conftest import analyse, index_devnet

# H100-equivalence (dense BF16 / 989.4 TFLOPS) of the GPU names Spheron writes, from gpus.csv's h100e_bf16.
H100E = {"h100": 1.0, "a100-80g": 0.315, "rtx4090": 0.167, "l40s": 0.366, "rtx6000-ada": 0.368, "a10": 0.126,
         "h200": 1.0, "l4": 0.122, "rtx3090": 0.072, "a40": 0.151, "rtxa6000": 0.156, "h100-pcie": 0.765}


def ts(text: str | None) -> float | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_spheron_gpu_and_hours(analysed_db: Path, truth: dict[str, Any]) -> None:
    rows = {r[0]: r[1:] for r in query(analysed_db, """
        SELECT tx_hash, gpu_model_raw, gpu_count, epoch(start_time), epoch(end_time), duration_hours, is_open,
               h100e_hours FROM rentals WHERE marketplace = 'spheron'""")}
    safe_time = {int(k): ts(v["last_time"]) for k, v in truth["chains"].items()}
    planted = [r for r in truth["rentals"] if r["marketplace"] == "spheron"]
    assert len(planted) > 20
    unknown = 0
    for r in planted:
        model, count, start, _end, hours, is_open, h100e = rows[r["tx_hash"]]
        assert (model, count) == (r["gpu_model_raw"], r["gpu_count"])
        assert start == ts(r["start_time"])
        assert is_open == (r["end_time"] is None)
        until = ts(r["end_time"]) if r["end_time"] else safe_time[r["chain_id"]]
        assert until is not None and start is not None
        assert hours == pytest.approx((until - start) / 3600)
        if r["gpu_model_raw"] is None:
            unknown += 1
            assert h100e is None
        else:
            assert h100e == pytest.approx(hours * r["gpu_count"] * H100E[r["gpu_model_raw"]], rel=1e-9)
    assert unknown >= 1, "the economy should plant orders without a readable GPU spec"
    assert any(r["end_time"] is None for r in planted), "the economy should leave some leases open"


def test_first_funders_found(analysed_db: Path, truth: dict[str, Any]) -> None:
    got = {(c, a): (s, f, t) for c, a, s, f, t in query(
        analysed_db, "SELECT chain_id, address, status, funder, tx_hash FROM funding")}
    buyers = {(r["chain_id"], r["buyer"]) for r in truth["rentals"]}
    planted = {(f["chain_id"], f["address"]): f for f in truth["funding"]}
    checked = 0
    for key in buyers:
        assert key in got, f"funding of buyer {key} not looked up"
        if key in planted:
            assert got[key] == ("funded", planted[key]["funder"], planted[key]["tx_hash"])
            checked += 1
    assert checked >= len(buyers) * 0.9


def test_clusters_never_merge_two_planted_entities(analysed_db: Path, truth: dict[str, Any]) -> None:
    owner = {w: e["entity_id"] for e in truth["entities"] for w in e["wallets"] + e["funders"] + e["deposits"]}
    clusters: dict[str, set[str]] = {}
    for address, cluster in query(analysed_db, "SELECT address, cluster_id FROM address_clusters"):
        clusters.setdefault(cluster, set()).add(owner.get(address, address))
    mixed = {c: o for c, o in clusters.items() if len(o) > 1}
    assert not mixed, f"clusters mixing planted entities: {mixed}"
    exchange = set(truth["exchange"])
    assert not exchange & {a for (a,) in query(analysed_db, "SELECT address FROM address_clusters")}


def test_entity_wallets_are_one_cluster(analysed_db: Path, truth: dict[str, Any]) -> None:
    cluster_of = dict(query(analysed_db, "SELECT address, cluster_id FROM address_clusters"))
    buyers = {r["buyer"] for r in truth["rentals"]}
    found = 0
    for entity in truth["entities"]:
        wallets = [w for w in entity["wallets"] if w in buyers]
        if entity["kind"] != "entity" or len(wallets) < 2:
            continue
        # A "weak" entity has a private shared funder only: one strong signal, which strict mode merges on.
        assert len({cluster_of[w] for w in wallets}) == 1, entity["entity_id"]
        found += 1
    assert found >= 10
    evidence = query(analysed_db, "SELECT count(*), count(DISTINCT heuristic) FROM cluster_evidence "
                                  "WHERE tx_hash IS NOT NULL AND detail LIKE 'first funded by %'")
    assert evidence[0][0] > 0 and evidence[0][1] == 1


def test_entity_weekly_adds_up(analysed_db: Path) -> None:
    (rentals, hours), = query(analysed_db, "SELECT count(*), sum(h100e_hours) FROM rentals")
    (weekly_rentals, weekly_hours), = query(analysed_db, "SELECT sum(rentals), sum(h100e_hours) FROM entity_weekly")
    assert weekly_rentals == rentals
    assert math.isclose(weekly_hours, hours, rel_tol=1e-9)


@pytest.mark.slow
def test_split_runs_equal_one_run(devnet: Devnet, analysed_db: Path, truth: dict[str, Any], tmp_path: Path) -> None:
    """Indexing in pieces (small chunks, a stop half-way, a run with nothing left to do) ends in the same
    database as one uninterrupted run."""
    split = tmp_path / "split.duckdb"
    for chain_id, url in sorted(devnet.urls.items()):
        chain = truth["chains"][str(chain_id)]
        mid = (chain["genesis_block"] + chain["last_block"]) // 2
        asyncio.run(run_index(IndexRequest(rpc_urls=(url,), db_path=split, to_block=mid, chunk_blocks=97)))
    index_devnet(devnet, split, chunk_blocks=500)
    before = query(split, "SELECT count(*) FROM spheron_lease_created")
    index_devnet(devnet, split)
    assert query(split, "SELECT count(*) FROM spheron_lease_created") == before
    analyse(devnet, split)
    tables = [t for (t,) in query(analysed_db, "SELECT table_name FROM information_schema.tables "
                                               "WHERE table_schema = 'main' ORDER BY 1")]
    assert len(tables) > 20
    for table in tables:
        sql = f'SELECT * FROM "{table}" ORDER BY ALL'
        assert query(split, sql) == query(analysed_db, sql), table


def test_adhoc_event_source(devnet: Devnet, analysed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "adhoc.duckdb"
    lease = "0x8a9f22d855bbe978c0d47de0963a3b15022e8ce0"
    signature = ("LeaseCreated(uint256 leaseId, uint256 fizzId, uint64 requestId, uint256 acceptedPrice, "
                 "address providerAddress, address tenantAddress, uint32 startBlock, uint32 startTime, "
                 "uint32 endTime, uint8 state)")
    asyncio.run(run_index(IndexRequest(rpc_urls=(devnet.urls[8453],), db_path=db, confirmations=0,
                                       adhoc=AdhocEvent(lease, signature))))
    got = query(db, 'SELECT tx_hash, "leaseId"::VARCHAR, "tenantAddress" FROM evt_lease_created ORDER BY ALL')
    want = query(analysed_db, 'SELECT tx_hash, "leaseId"::VARCHAR, "tenantAddress" FROM spheron_lease_created '
                              "ORDER BY ALL")
    assert got == want and len(got) > 0


def test_weekly_report_files(analysed_db: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(analysed_db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        path = write_weekly_report(con, "2026-W46", tmp_path)
    finally:
        con.close()
    assert path == tmp_path / "2026-W46"
    html = (path / "report.html").read_text()
    assert "<svg" in html and "2026-W46" in html
    md = (path / "report.md").read_text()
    assert "2026-W46" in md
    assert list(path.glob("*.csv"))
