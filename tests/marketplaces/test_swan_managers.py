"""Swan Chain has two JobManagers with one ABI (swanchain/go-computing-provider build/parameters.json and
build/version.go: the first, 0x6e81...bC32 from block 2129000, served tasks below height 3144197; the current
0x88f0...f027 from 3097778). The devnet plays the switch: every task, from either manager, is one rental."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from auditor.marketplaces import BY_NAME

LEGACY = "0x6e810c56d97d0cf64fb625d2ed756379d0edbc32"
CURRENT = "0x88f0c31c2cd9d5382d870a417da144bacd19f027"


def test_both_managers_are_sources_from_their_deployment_blocks() -> None:
    sources = {s.address: s for s in BY_NAME["swan"].sources(254)}
    assert sources.keys() == {LEGACY, CURRENT}
    assert (sources[LEGACY].start_block, sources[CURRENT].start_block) == (2129000, 3097778)
    assert sources[LEGACY].key != sources[CURRENT].key and sources[LEGACY].events == sources[CURRENT].events


def test_tasks_of_both_managers_are_rentals(analysed_db: Path, truth: dict[str, Any]) -> None:
    with duckdb.connect(str(analysed_db), read_only=True) as con:
        created = dict(con.execute("SELECT contract, count(*) FROM swan_task_created GROUP BY ALL").fetchall())
        rentals = {r[0] for r in con.execute("SELECT tx_hash FROM rentals WHERE marketplace = 'swan'").fetchall()}
        tasks = {r[0] for r in con.execute("SELECT tx_hash FROM swan_task_created").fetchall()}
    assert created.keys() == {LEGACY, CURRENT} and min(created.values()) >= 5
    planted = [r for r in truth["rentals"] if r["marketplace"] == "swan"]
    assert rentals == tasks and len(rentals) == len(planted) == sum(created.values())
