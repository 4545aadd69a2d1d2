"""`auditor demo`: the whole pipeline on a local devnet: simulated economy -> index -> analyze -> report."""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from auditor.analyze import run_analysis
from auditor.devnet import start_devnet
from auditor.errors import AuditorError, InputError
from auditor.labels import import_labels
from auditor.prices.imports import import_prices
from auditor.report import resolve_week, write_weekly_report
from auditor.store.db import open_db
from auditor.sync import ChainSummary, IndexRequest, Progress, run_index


@dataclass(frozen=True)
class DemoResult:
    db_path: Path
    report_dir: Path
    week: str
    rentals: int
    entities: int
    summaries: tuple[ChainSummary, ...]
    seconds: float


def _claim_db(db_path: Path) -> None:
    """The demo rebuilds its database from scratch, but never overwrites a database it did not create."""
    if not db_path.exists():
        return
    try:
        with open_db(db_path, read_only=True) as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'created_by'").fetchone()
    except (AuditorError, duckdb.Error):  # unreadable or foreign: not the demo's
        row = None
    if not row or row[0] != "demo":
        raise InputError(f"{db_path} exists and was not made by the demo; choose another --db")
    db_path.unlink()
    Path(str(db_path) + ".wal").unlink(missing_ok=True)


def run_demo(db_path: Path, out_dir: Path, progress: Progress | None = None) -> DemoResult:
    started = time.perf_counter()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    _claim_db(db_path)
    with tempfile.TemporaryDirectory(prefix="auditor-devnet-") as work, start_devnet(Path(work)) as devnet:
        req = IndexRequest(rpc_urls=tuple(devnet.urls[c] for c in sorted(devnet.urls)), db_path=db_path,
                           confirmations=0)
        summaries = asyncio.run(run_index(req, progress))
        with open_db(db_path) as con:
            # Tokens without a Chainlink feed get the devnet's simulated daily prices, and the devnet's exchange
            # and bridge their labels, as a user would import them for a real chain.
            import_prices(con, devnet.prices_path)
            import_labels(con, devnet.labels_path)
    with open_db(db_path) as con:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('created_by', 'demo')")
        run_analysis(con)
        week = resolve_week(con, "last")
        report_dir = write_weekly_report(con, week, out_dir)
        rentals = con.execute("SELECT count(*) FROM rentals").fetchone()
        entities = con.execute("SELECT count(DISTINCT cluster_id) FROM address_clusters "
                               "WHERE role = 'buyer'").fetchone()
    return DemoResult(db_path, report_dir, week, int(rentals[0]) if rentals else 0,
                      int(entities[0]) if entities else 0, tuple(summaries), time.perf_counter() - started)
