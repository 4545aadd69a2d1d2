"""Defaults shared by the library and the command line, so the CLI never restates them."""

from __future__ import annotations

CHUNK_BLOCKS = 10_000      # blocks per eth_getLogs to start with (the governor shrinks and grows it)
CONCURRENCY = 8            # requests in flight per chain
RETRY_FOR_S = 60.0         # what one RPC request may spend on retries before the run stops with its error
MAX_PRICE_AGE_HOURS = 48   # a token price older than this does not value a payment
MAX_FUNDER_FANOUT: int | None = None   # no cap: services are found by behaviour (queries/20_service_addresses.sql)
MAX_ENTITY_SIZE = 200      # an entity with more addresses is flagged, not merged
MAX_GPUS_PER_RENTAL = 4096 # a rental asking for more GPUs is kept, flagged implausible and left out of sums
SQL_TIMEOUT_S = 300.0      # auditor sql stops a query after this long
SQL_MAX_ROWS = 1_000_000   # auditor sql's table view shows at most this many rows (it is laid out whole)
SQL_TABLE_ROWS = 1_000     # ... and this many unless --limit says otherwise: a screenful, not a minute of layout
SQL_MAX_STREAM_ROWS = 1_000_000_000   # csv and json stream as rows come: bounded by time, not memory
CLUSTERING = "strict"
REPORT_DIR = "reports"
DEMO_DB = "auditor-demo/demo.duckdb"
DEMO_REPORT_DIR = "auditor-demo/reports"
NATIVE_MAX_CHANGES = 300   # an address with more txs or balance changes is a hub: stored as such, never expanded
NATIVE_MAX_HOPS = 2        # native-coin scans reach this many hops from a buyer
FUNDING_LEVELS = 3         # first funding is traced for buyers, their funders, and those funders' funders
