"""`auditor demo`: the whole pipeline on a local devnet: simulated economy -> index -> analyze -> report."""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from auditor.analyze import run_analysis
from auditor.chains import AKASH_CHAIN_ID
from auditor.devnet import start_devnet
from auditor.devnet.akash.catalog import MICRO_PER_USD, UACT, UAKT
from auditor.devnet.akash.funding import funders
from auditor.devnet.akash.model import Sizes
from auditor.devnet.akash.server import AkashNode
from auditor.errors import AuditorError, InputError
from auditor.labels import import_labels
from auditor.prices.imports import import_prices
from auditor.report import resolve_week, write_weekly_report
from auditor.store.db import open_db
from auditor.sync import ChainSummary, IndexRequest, Progress, run_index

AKASH_SEED = 1
# The Akash endpoint plays the EVM devnet's last week (2026-11-09 to 2026-11-16, ISO week 2026-W46), the one the
# demo reports on.
AKASH_SIZES = Sizes(genesis_time=1_794_182_400)
DAY_S = 86_400


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
    with tempfile.TemporaryDirectory(prefix="auditor-devnet-") as work, start_devnet(Path(work)) as devnet, \
            AkashNode(AKASH_SEED, AKASH_SIZES) as akash:
        req = IndexRequest(rpc_urls=(*(devnet.urls[c] for c in sorted(devnet.urls)), akash.url), db_path=db_path,
                           confirmations=0)
        summaries = asyncio.run(run_index(req, progress))
        with open_db(db_path) as con:
            # Tokens without a Chainlink feed get the devnet's simulated daily prices, and the devnet's exchange
            # and bridge their labels, as a user would import them for a real chain; on Akash, the AKT and ACT
            # prices the endpoint's economy assumed and the Console's funding wallet as a card on-ramp.
            import_prices(con, devnet.prices_path)
            import_labels(con, devnet.labels_path)
            import_prices(con, _akash_prices(Path(work)))
            import_labels(con, _akash_labels(Path(work)))
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


def _akash_prices(work: Path) -> Path:
    """Daily AKT and ACT prices over the Akash endpoint's span, at the rates its economy priced leases with."""
    path = work / "akash_prices.csv"
    start = AKASH_SIZES.genesis_time - DAY_S
    days = AKASH_SIZES.span_blocks * 6 // DAY_S + 2
    rows = ["asset,time,usd"] + [f"{asset},{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(start + d * DAY_S))},"
                                 f"{1_000_000 / float(MICRO_PER_USD[denom]):.4f}"
                                 for asset, denom in (("AKT", UAKT), ("ACT", UACT)) for d in range(days)]
    path.write_text("\n".join(rows) + "\n")
    return path


def _akash_labels(work: Path) -> Path:
    """The Console's funding wallet (a card on-ramp) and the exchange's hot wallet, as an analyst labels them."""
    path = work / "akash_labels.csv"
    who = funders(AKASH_SEED)
    path.write_text("chain_id,address,category,label,source\n"
                    f"{AKASH_CHAIN_ID},{who.console},card_onramp,Akash Console: funding wallet,devnet plan\n"
                    f"{AKASH_CHAIN_ID},{who.exchange},cex_hot,Devnet exchange: Akash hot wallet,devnet plan\n")
    return path
