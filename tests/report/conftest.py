"""A small synthetic auditor database with hand-checked numbers, built from code in a real DuckDB file.

Report week 2026-W07 (Mon 9 Feb to Sun 15 Feb 2026). By hand:
  H100e-hours without KYC 220.0 (80 + 20 + 50 + 10 + 30 + 30); 8 rentals; 5 buyers; 4 entities;
  2026-W06: 160.0 H100e-hours, 3 rentals, 3 buyers, 3 entities, so +60.0 (+37.5%).
  No estimate: 1 morpheus (unknown GPU), 1 livepeer (open lease).
  Entities by H100e-hours then rentals: cl-a 100.0/2, cl-b 60.0/3, cl-c 60.0/2, unclustered e1 0.0/1.
  New this week: cl-c and e1.
  Evidence strength: cl-a corroborated (2 heuristics), cl-b single heuristic, cl-c one address, e1 not clustered.
  First funders: a1, a2 by af and b1 by bf (own wallets); c1 by an exchange-like service; e1 not found
  (no_archive); d1 not traced. Safe blocks: Arbitrum at 2026-02-20 11:00, Base at 10:00 UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pytest

from auditor.analyze import queries

SCHEMA = """
CREATE TABLE rentals (chain_id BIGINT, marketplace VARCHAR, block_number BIGINT, block_time TIMESTAMPTZ,
  tx_hash VARCHAR, log_index INTEGER, buyer VARCHAR, provider VARCHAR, gpu_model VARCHAR, gpu_model_raw VARCHAR,
  gpu_count INTEGER, start_time TIMESTAMPTZ, end_time TIMESTAMPTZ, duration_hours DOUBLE, is_open BOOLEAN,
  payment_token VARCHAR, payment_amount DOUBLE, payment_raw VARCHAR, payment_usd DOUBLE,
  h100e_hours DOUBLE, h100e_method VARCHAR, kyc VARCHAR, h100e_hours_low DOUBLE, h100e_hours_high DOUBLE,
  gpu_hours DOUBLE, workload VARCHAR, price_usd DOUBLE, price_time TIMESTAMPTZ, price_source VARCHAR);
CREATE TABLE address_clusters (address VARCHAR, cluster_id VARCHAR, cluster_size BIGINT, role VARCHAR);
CREATE TABLE cluster_evidence (chain_id BIGINT, address_a VARCHAR, address_b VARCHAR, heuristic VARCHAR,
  detail VARCHAR, tx_hash VARCHAR);
CREATE TABLE entity_weekly (cluster_id VARCHAR, week_start DATE, marketplace VARCHAR, rentals BIGINT,
  payment_usd DOUBLE, h100e_hours DOUBLE);
CREATE TABLE gpu_specs (gpu VARCHAR, vendor VARCHAR, market_class VARCHAR, dense_bf16_tflops DOUBLE,
  eccn_oct2023 VARCHAR, h100e_bf16 DOUBLE, h100e_tpp DOUBLE, h100e_mem_bw DOUBLE, source VARCHAR,
  memory_gb DOUBLE, h100e DOUBLE, h100e_basis VARCHAR);
CREATE TABLE chains (chain_id BIGINT PRIMARY KEY, name VARCHAR, rpc_host VARCHAR, head_block BIGINT,
  head_time TIMESTAMPTZ, safe_block BIGINT, safe_time TIMESTAMPTZ);
CREATE TABLE sources (chain_id BIGINT, source VARCHAR, kind VARCHAR, marketplace VARCHAR, contract VARCHAR,
  start_block BIGINT, events VARCHAR[]);
CREATE TABLE coverage (chain_id BIGINT, source VARCHAR, from_block BIGINT, to_block BIGINT);
CREATE TABLE blocks (chain_id BIGINT, block_number BIGINT, block_hash VARCHAR, block_time TIMESTAMPTZ);
CREATE TABLE analysis_runs (key VARCHAR, value VARCHAR);
CREATE TABLE rental_flags (chain_id BIGINT, marketplace VARCHAR, block_number BIGINT, block_time TIMESTAMPTZ,
  tx_hash VARCHAR, log_index INTEGER, reason VARCHAR, value DOUBLE, limit_value DOUBLE,
  withheld_h100e_hours DOUBLE, withheld_payment_usd DOUBLE);
CREATE TABLE funding (chain_id BIGINT, address VARCHAR, status VARCHAR, funder VARCHAR, block_number BIGINT,
  block_time TIMESTAMPTZ, tx_hash VARCHAR, value_wei VARCHAR, value_eth DOUBLE, checked_to_block BIGINT);
CREATE TABLE service_addresses (address VARCHAR, reason VARCHAR, by_behaviour BOOLEAN);
CREATE TABLE address_activity (address VARCHAR, is_buyer BOOLEAN, first_funded BIGINT, buyers_funded BIGINT,
  other_recipients BIGINT, independent_senders BIGINT, forwarders_in BIGINT, nonce BIGINT, hub BOOLEAN);
CREATE TABLE entities (cluster_id VARCHAR, utc_offset INTEGER);
"""

ARB, BASE = 42161, 8453
# Each chain's block clock: (safe block, its time, seconds per block), so block numbers and times agree.
CLOCKS = {
    ARB: (299_999_960, dt.datetime(2026, 2, 20, 11, tzinfo=dt.UTC), 0.25),
    BASE: (25_999_970, dt.datetime(2026, 2, 20, 10, tzinfo=dt.UTC), 2.0),
}
REPORT_WEEK = "2026-W07"
DEVNET_WEEK = "2026-W46"  # the last week of the devnet economy (it closes on Monday 2026-11-16 00:00 UTC)


def addr(tag: str) -> str:
    return "0x" + tag * 20


A1, A2, AF = addr("a1"), addr("a2"), addr("af")
B1, BF = addr("b1"), addr("bf")
C1 = addr("c1")
D1, DF = addr("d1"), addr("df")
E1 = addr("e1")  # a buyer the analysis did not cluster
PROVIDER = addr("99")
EXCHANGE = addr("ee")  # a funder of many buyers: a service address, so it merges no one
EXCHANGE_REASON = "first funder of 25 buyers (more than 20)"
UNKNOWN_GPU_RAW = '=RTX-9090 | <b>ULTRA</b>'

def block_at(chain: int, when: dt.datetime) -> int:
    safe, safe_time, seconds = CLOCKS[chain]
    return safe - round((safe_time - when).total_seconds() / seconds)


def time_of(chain: int, block: int) -> dt.datetime:
    safe, safe_time, seconds = CLOCKS[chain]
    return safe_time - dt.timedelta(seconds=(safe - block) * seconds)


_counter = iter(range(1, 1000))
LOW, HIGH = 0.75, 1.5   # every rental's low and high H100e-hours: 220.0 this week gives 165.0 to 330.0


def rental(
    chain: int, market: str, time: str, buyer: str, gpu: str | None, h100e: float | None, usd: float | None,
    *, count: int = 1, hours: float | None = 10.0, open_: bool = False, token: str = "USDC",
    amount: float = 1.0, method: str | None = "duration", raw: str | None = None, kyc: str = "none",
) -> tuple[object, ...]:
    n = next(_counter)
    start = dt.datetime.fromisoformat(time).replace(tzinfo=dt.UTC)
    end = None if open_ or hours is None else start + dt.timedelta(hours=hours)
    return (
        chain, market, block_at(chain, start), start, "0x" + f"{n:064x}", n % 3, buyer, PROVIDER, gpu,
        raw if raw is not None else (gpu or ""), count, start, end,
        None if open_ else hours, open_, token, amount, str(int(amount * 10**6)), usd,
        h100e, method if h100e is not None else None, kyc,
        None if h100e is None else h100e * LOW, None if h100e is None else h100e * HIGH,
        None if hours is None or open_ else hours * count, None, None, None, None,
    )


RENTALS = [
    # 2026-W07
    rental(ARB, "livepeer", "2026-02-09 00:00:00", A1, "H100", 80.0, 100.0, count=8),
    rental(ARB, "iexec", "2026-02-10 10:00:00", A2, "A100", 20.0, 75.0, token="RLC"),
    rental(BASE, "morpheus", "2026-02-11 08:30:00", B1, "H100", 50.0, 200.0, token="MOR"),
    rental(ARB, "morpheus", "2026-02-12 13:00:00", B1, None, None, None, token="MOR", raw=UNKNOWN_GPU_RAW),
    rental(ARB, "livepeer", "2026-02-13 17:45:00", B1, "A100", 10.0, 30.0, token="ETH", amount=0.01),
    rental(ARB, "iexec", "2026-02-14 09:00:00", C1, "H200", 30.0, 30.0, token="RLC"),
    rental(BASE, "morpheus", "2026-02-15 12:00:00", C1, "H200", 30.0, 300.0, token="MOR", method="payment"),
    rental(ARB, "livepeer", "2026-02-15 23:59:59", E1, "H100", None, 60.0, token="ETH", open_=True),
    # 2026-W06
    rental(ARB, "livepeer", "2026-02-03 12:00:00", A1, "H100", 100.0, 120.0),
    rental(ARB, "iexec", "2026-02-05 12:00:00", D1, "A100", 40.0, 50.0, token="RLC"),
    rental(BASE, "morpheus", "2026-02-08 23:59:59", B1, "T4", 20.0, 10.0, token="MOR"),
    # 2026-W05, 2025-W50 (inside the 12-week window) and 2025-W40 (before it)
    rental(ARB, "iexec", "2026-01-28 12:00:00", D1, "A100", 10.0, 12.0, token="RLC"),
    rental(ARB, "livepeer", "2025-12-10 12:00:00", A1, "H100", 5.0, 6.0),
    rental(ARB, "livepeer", "2025-10-01 12:00:00", A2, "H100", 7.0, 8.0),
]

CLUSTERS = [
    (A1, "cl-a", 3, "buyer"), (A2, "cl-a", 3, "buyer"), (AF, "cl-a", 3, "funder"),
    (B1, "cl-b", 2, "buyer"), (BF, "cl-b", 2, "funder"),
    (C1, "cl-c", 1, "buyer"),
    (D1, "cl-d", 2, "buyer"), (DF, "cl-d", 2, "funder"),
]

EVIDENCE = [
    (ARB, AF, A1, "first_funder", "funded 0.1 ETH", "0x01"),
    (ARB, AF, A2, "first_funder", "funded 0.1 ETH", "0x02"),
    (ARB, A1, A2, "shared_deposit", "same deposit address", "0x03"),
    (BASE, BF, B1, "first_funder", "funded 0.05 ETH", "0x04"),
    (ARB, DF, D1, "first_funder", "funded 1 ETH", "0x05"),
    (ARB, A1, B1, "rejected_link", "different clusters: never counted", "0x06"),
]

# Consistent with the rentals for 2026-W07 only; 2026-W06 is left out to exercise the stale-analysis note.
ENTITY_WEEKLY = [
    ("cl-a", "2026-02-09", "livepeer", 1, 100.0, 80.0), ("cl-a", "2026-02-09", "iexec", 1, 75.0, 20.0),
    ("cl-b", "2026-02-09", "morpheus", 2, 200.0, 50.0), ("cl-b", "2026-02-09", "livepeer", 1, 30.0, 10.0),
    ("cl-c", "2026-02-09", "iexec", 1, 30.0, 30.0), ("cl-c", "2026-02-09", "morpheus", 1, 300.0, 30.0),
    (E1, "2026-02-09", "livepeer", 1, 60.0, None),
]

GPU_SPECS = [
    ("H100", "NVIDIA", "data center", 989.4, "3A090.a", 1.0, 1.0, 1.0, "https://www.nvidia.com/h100/", 80.0,
     1.0, "dense BF16"),
    ("H200", "NVIDIA", "data center", 989.4, "3A090.a", 1.0, 1.0, 1.43, "NVIDIA H200 datasheet", 141.0,
     1.0, "dense BF16"),
    ("A100", "NVIDIA", "data center", 312.0, "3A090.a", 312.0 / 989.4, 0.32, 0.6, "NVIDIA A100 datasheet", 80.0,
     312.0 / 989.4, "dense BF16"),
    ("T4", "NVIDIA", "inference", 65.0, None, 0.0, 0.07, 0.1, "NVIDIA T4 datasheet", 16.0,
     65.0 / 989.4, "dense FP16 tensor (no BF16)"),
]

CHAINS = [
    (ARB, "Arbitrum One", None, 300_000_000, "2026-02-20 12:00:00+00", 299_999_960, "2026-02-20 11:00:00+00"),
    (BASE, "Base", None, 26_000_000, "2026-02-20 11:00:00+00", 25_999_970, "2026-02-20 10:00:00+00"),
]


def funded(chain: int, address: str, funder: str | None, time: str, status: str = "funded") -> tuple[object, ...]:
    n = next(_counter)
    when = dt.datetime.fromisoformat(time).replace(tzinfo=dt.UTC) if funder else None
    return (chain, address, status, funder, n if funder else None, when, "0x" + f"{n:064x}" if funder else None,
            "100000000000000000" if funder else None, 0.1 if funder else None, 299_999_960)


FUNDING = [
    funded(ARB, A1, AF, "2025-09-01 00:00:00"),
    funded(BASE, A1, EXCHANGE, "2025-09-05 00:00:00"),  # later than the Arbitrum funding: not the first
    funded(ARB, A2, AF, "2025-09-02 00:00:00"),
    funded(BASE, B1, BF, "2025-09-03 00:00:00"),
    funded(ARB, C1, EXCHANGE, "2026-02-01 00:00:00"),
    funded(ARB, E1, None, "", status="no_archive"),
]

SERVICE_ADDRESSES = [(EXCHANGE, EXCHANGE_REASON, True), (PROVIDER, "marketplace provider", False)]
ADDRESS_ACTIVITY = [(EXCHANGE, False, 40, 25, 300, 2, 0, 340, True)]

SOURCES = [
    (ARB, "livepeer/TicketBroker#aa", "marketplace", "livepeer", addr("0a"), 100, ["TicketRedeemed"]),
    (ARB, "iexec/PocoDiamond#bb", "marketplace", "iexec", addr("0b"), 500, ["OrdersMatched"]),
    (ARB, "morpheus/Diamond#cc", "marketplace", "morpheus", addr("0c"), 5, ["SessionOpened"]),
    (BASE, "morpheus/Diamond#dd", "marketplace", "morpheus", addr("0d"), 10, ["SessionOpened"]),
    (ARB, "funding", "funding", None, None, 0, None),
]

COVERAGE = [
    (ARB, "livepeer/TicketBroker#aa", 100, 1000),
    (ARB, "livepeer/TicketBroker#aa", 2000, 299_999_960),
    (ARB, "iexec/PocoDiamond#bb", 500, 299_999_960),
    (ARB, "morpheus/Diamond#cc", 5, 299_999_000),
    (BASE, "morpheus/Diamond#dd", 10, 25_999_970),
]

# The blocks with logs: every rental's, and the first and last block of each coverage interval, so Arbitrum's
# marketplace data runs from 2023-10-06 to 2026-02-20 10:56 (morpheus ends 960 blocks before the safe block)
# with a 4-minute gap in livepeer in 2023; Base's from 2024-06-28 to 2026-02-20 10:00.
BLOCKS = sorted({
    *((r[0], r[2]) for r in RENTALS),
    *((c[0], c[2]) for c in COVERAGE),
    *((c[0], c[3]) for c in COVERAGE),
})
BLOCK_ROWS = [(chain, n, f"0x{chain:08x}{n:056x}", time_of(chain, n)) for chain, n in BLOCKS]

ANALYSIS_RUNS = [
    ("clustering", "common first funder"),
    ("max_funder_fanout", "20"),
    ("h100_dense_bf16_tflops", "989.4"),
]


# The analysis tables that only restate the ones above (each address's entity, each address's first funding):
# built by running analyze's own queries on the dataset, so the report reads them as it reads a real analysis.
PUBLISHED = ("address_entities", "address_funding")


def publish(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuilds the PUBLISHED tables from the dataset's tables with the analysis queries that make them."""
    steps = {q.name.split("_", 1)[1]: q for q in queries()}
    for name in PUBLISHED:
        con.execute(steps[name].path.read_text())


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every table the report reads, empty: the SCHEMA and the PUBLISHED tables built from it."""
    con.execute(SCHEMA)
    publish(con)


def build_database(path: Path) -> Path:
    """Creates every input table of the report, fills it with the dataset above and publishes its analysis."""
    con = duckdb.connect(str(path))
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(SCHEMA)
        inserts: dict[str, Sequence[tuple[object, ...]]] = {
            "rentals": RENTALS, "address_clusters": CLUSTERS, "cluster_evidence": EVIDENCE,
            "entity_weekly": ENTITY_WEEKLY, "gpu_specs": GPU_SPECS, "chains": CHAINS, "sources": SOURCES,
            "coverage": COVERAGE, "blocks": BLOCK_ROWS, "analysis_runs": ANALYSIS_RUNS, "funding": FUNDING,
            "service_addresses": SERVICE_ADDRESSES, "address_activity": ADDRESS_ACTIVITY,
        }
        for table, rows in inserts.items():
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        publish(con)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_database(tmp_path_factory.mktemp("db") / "auditor.duckdb")


@pytest.fixture
def ro_con(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(db_path), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def devnet_report(analysed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The devnet economy's last week, written once from a read-only connection to the analysed devnet."""
    from auditor.report import write_weekly_report

    con = duckdb.connect(str(analysed_db), read_only=True)
    try:
        return write_weekly_report(con, DEVNET_WEEK, tmp_path_factory.mktemp("devnet-report"))
    finally:
        con.close()


@pytest.fixture(scope="session")
def report_dir(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2026-W07 report, written once from a read-only connection."""
    from auditor.report import write_weekly_report

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return write_weekly_report(con, REPORT_WEEK, tmp_path_factory.mktemp("out"))
    finally:
        con.close()
