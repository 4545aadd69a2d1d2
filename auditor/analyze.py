"""`auditor analyze`: runs queries/NN_name.sql in order, in one transaction, on what is indexed.

Deterministic: the same indexed data gives the same tables. Parameters reach the SQL as DuckDB variables
(`getvariable('name')`), never formatted into it.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
from duckdb.func import FunctionNullHandling
from eth_hash.auto import keccak

from auditor.clustering import build_entities
from auditor.errors import InputError, StoreError
from auditor.marketplaces import aleph, golem, livepeer
from auditor.marketplaces.spheron_specs import parse_gpu
from auditor.model import normalize_address
from auditor.resources import package_data, project_dir
from auditor.store.tx import transaction

DEFAULT_MAX_FUNDER_FANOUT = 10
DEFAULT_MAX_ENTITY_SIZE = 200   # Arbitrum's and LayerZero's sybil reviews looked hard at clusters above 20-200
MAX_SPENDER_OWNERS = 3          # a spender approved by more owners is a phisher or a relayer, not a self-approval
MAX_DEPOSIT_USERS = 20          # a "deposit address" used by more is a payment processor (Victor 2020, Tutela)
DEPOSIT_WINDOW_HOURS = 24       # a deposit address forwards within a day (Tutela: 3,200 blocks, ~12 h)
FRESH_DAYS = 7                  # a transfer within a week of the receiver's first funding is to a fresh EOA
CLUSTERING_MODES = ("strict", "loose")
# Steps SQL cannot express well, run right after the query they follow (in the same transaction).
AFTER: dict[str, Callable[[duckdb.DuckDBPyConnection], object]] = {"21_cluster_evidence": build_entities}
DEFAULT_MAX_PRICE_AGE_HOURS = 48
_QUERY = re.compile(r"^(\d{2})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class H100HourPrice:
    """The USD price of one H100-hour that turns payments into H100e-hours: low, central and high."""

    low: float
    central: float
    high: float
    source: str


def default_h100_hour_price() -> H100HourPrice:
    """The shipped assumption, with its sources (package data h100_hour_prices.csv)."""
    with package_data("h100_hour_prices.csv").open(newline="") as fh:
        rows = {r["estimate"]: r for r in csv.DictReader(fh)}
    return H100HourPrice(float(rows["low"]["usd_per_h100_hour"]), float(rows["central"]["usd_per_h100_hour"]),
                         float(rows["high"]["usd_per_h100_hour"]),
                         " | ".join(f"{k}: {rows[k]['source']}" for k in ("low", "central", "high")))


def parse_h100_hour_price(text: str) -> H100HourPrice:
    """`LOW,CENTRAL,HIGH` in USD per H100-hour, e.g. `1.5,2,3.2`."""
    try:
        low, central, high = (float(x) for x in text.split(","))
    except ValueError:
        raise InputError(f"--h100-hour-usd wants LOW,CENTRAL,HIGH in USD, e.g. 1.5,2,3.2 (got {text!r})") from None
    if not 0 < low <= central <= high < float("inf"):
        raise InputError("--h100-hour-usd needs 0 < LOW <= CENTRAL <= HIGH")
    return H100HourPrice(low, central, high, "set with --h100-hour-usd")


@dataclass(frozen=True)
class AnalyzeOptions:
    max_funder_fanout: int = DEFAULT_MAX_FUNDER_FANOUT
    clustering: str = "strict"
    max_entity_size: int = DEFAULT_MAX_ENTITY_SIZE
    h100_hour_price: H100HourPrice | None = None   # None: the shipped assumption
    max_price_age_hours: int = DEFAULT_MAX_PRICE_AGE_HOURS


@dataclass(frozen=True)
class StepResult:
    name: str
    seconds: float


@dataclass(frozen=True)
class Query:
    """A named analysis: its file and the purpose line of its header."""

    name: str
    path: Path
    purpose: str


def queries() -> list[Query]:
    """The analyses, in the order they run."""
    out = []
    for path in sorted(project_dir("queries").glob("*.sql")):
        if _QUERY.match(path.name):
            purpose = next((line.split(":", 1)[1].strip() for line in path.read_text().splitlines()
                            if line.startswith("-- purpose:")), "")
            out.append(Query(path.stem, path, purpose))
    return out


def _spheron_gpu(specs: str | None) -> dict[str, object] | None:
    parsed = parse_gpu(specs)
    return None if parsed is None else {"model": parsed[0], "count": parsed[1]}


def _iexec_task_id(deal_id: str | None, index: int | None) -> str | None:
    """iExec's task id: keccak256(abi.encodePacked(dealid, uint256(index)))."""
    if deal_id is None or index is None or index < 0:
        return None
    try:
        deal = bytes.fromhex(deal_id.removeprefix("0x"))
    except ValueError:
        return None
    return "0x" + keccak(deal + index.to_bytes(32, "big")).hex() if len(deal) == 32 else None


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    """Scalar functions the analyses use that SQL cannot express well."""
    con.create_function("spheron_gpu", _spheron_gpu, ["VARCHAR"], "STRUCT(model VARCHAR, count INTEGER)",
                        null_handling=FunctionNullHandling.SPECIAL, side_effects=False)
    con.create_function("iexec_task_id", _iexec_task_id, ["VARCHAR", "BIGINT"], "VARCHAR",
                        null_handling=FunctionNullHandling.SPECIAL, side_effects=False)


def set_variables(con: duckdb.DuckDBPyConnection, options: AnalyzeOptions) -> dict[str, str]:
    """The analyses' parameters as DuckDB variables; returns them for the record (analysis_runs)."""
    if options.max_funder_fanout < 1:
        raise InputError("--max-funder-fanout must be at least 1")
    if options.max_price_age_hours < 1:
        raise InputError("--max-price-age must be at least 1 hour")
    if options.clustering not in CLUSTERING_MODES:
        raise InputError(f"--clustering must be one of {', '.join(CLUSTERING_MODES)} (got {options.clustering!r})")
    if options.max_entity_size < 2:
        raise InputError("--max-entity-size must be at least 2")
    price = options.h100_hour_price or default_h100_hour_price()
    recorded: dict[str, object] = {
        "max_funder_fanout": options.max_funder_fanout,
        "clustering": options.clustering,
        "max_entity_size": options.max_entity_size,
        "max_spender_owners": MAX_SPENDER_OWNERS,
        "max_deposit_users": MAX_DEPOSIT_USERS,
        "deposit_window_hours": DEPOSIT_WINDOW_HOURS,
        "fresh_days": FRESH_DAYS,
        "max_price_age_hours": options.max_price_age_hours,
        "h100_usd_low": price.low,
        "h100_usd_central": price.central,
        "h100_usd_high": price.high,
        "h100_usd_source": price.source,
    }
    values: dict[str, object] = {
        **recorded,
        "gpu_specs_csv": str(package_data("gpus.csv")),
        "gpu_aliases_csv": str(package_data("gpu_aliases.csv")),
        "tokens_csv": str(package_data("tokens.csv")),
        "service_labels_csv": str(package_data("service_labels.csv")),
        "livepeer_ai_registry": normalize_address(livepeer.AI_SERVICE_REGISTRY),
        "aleph_token": normalize_address(aleph.ALEPH_SUPER_TOKEN),
        "golem_multi_transfer": normalize_address(golem.MULTI_TRANSFER),
    }
    for name, value in values.items():
        con.execute(f"SET VARIABLE {name} = ?", [value])
    return {k: str(v) for k, v in recorded.items()}


ASSUMPTIONS = {
    "clustering_heuristics": "common first funder, deposit-address reuse, sweep to a collector, self-authorization, "
                             "transfers to fresh EOAs (queries/21_cluster_evidence.sql); no edge touches a service "
                             "address (queries/20_service_addresses.sql)",
    "clustering_modes": "strict: deposit reuse, or two independent heuristics agreeing; loose: any one heuristic. "
                        "Components above max_entity_size are flagged, not merged",
    "h100e_definition": "dense BF16 tensor throughput / 989.4 TFLOPS (H100 SXM); GPUs without BF16 (V100, T4): "
                        "dense FP16 tensor throughput / 989.4, flagged in gpu_specs.h100e_basis",
    "h100e_duration": "hours x GPU count x the GPU's h100e (Spheron leases); low/high over the parts an "
                      "ambiguous GPU name may mean (a bare 'h100': PCIe 0.765 or SXM 1.0)",
    "h100e_payment": "USD paid / USD price of one H100-hour (central; low uses the high price, high the low "
                     "price) for Livepeer AI inference, GPU-tagged iExec deals, Swan, Aleph and Golem; Livepeer "
                     "transcoding, iExec CPU deals and Morpheus sessions (no price in the events) are not estimated",
    "prices": "a payment's USD value uses the token's latest price at or before its block (Chainlink feeds "
              "indexed on-chain, else `auditor prices import`), no older than max_price_age_hours",
    "open_rentals": "open leases, sessions, tasks and streams count up to the chain's last indexed (safe) block; "
                    "a payment up front for a set time (Swan tasks, iExec deals) is credited in proportion to the "
                    "share of that time elapsed (rentals.accrued_share)",
    "h100e_cap": "where GPU-hours are known, payment-based H100e-hours never exceed GPU-hours x the largest H100e "
                 "factor the GPU could be (the largest in gpu_specs when the model is unknown)",
    "week": "ISO week (Monday 00:00 UTC) of the rental's block time",
}


def run_analysis(con: duckdb.DuckDBPyConnection, options: AnalyzeOptions | None = None) -> list[StepResult]:
    """Rebuild every analysis table in one transaction: all of them change, or none."""
    options = options or AnalyzeOptions()
    register_functions(con)
    params = set_variables(con, options)
    results = []
    with transaction(con, "running the analysis"):
        for query in queries():
            started = time.perf_counter()
            try:
                con.execute(query.path.read_text())
                if query.name in AFTER:
                    AFTER[query.name](con)
            except duckdb.Error as exc:
                raise StoreError(f"analysis {query.name} failed: {str(exc).splitlines()[0]}") from exc
            results.append(StepResult(query.name, time.perf_counter() - started))
        con.execute("CREATE OR REPLACE TABLE analysis_runs (key VARCHAR, value VARCHAR)")
        rows = sorted({**ASSUMPTIONS, **params}.items())
        con.executemany("INSERT INTO analysis_runs VALUES (?, ?)", rows)
    return results
