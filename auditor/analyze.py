"""`auditor analyze`: runs queries/NN_name.sql in order, in one transaction, on what is indexed.

Deterministic: the same indexed data gives the same tables. Parameters reach the SQL as DuckDB variables
(`getvariable('name')`), never formatted into it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from duckdb.func import FunctionNullHandling

from auditor.errors import InputError, StoreError
from auditor.marketplaces.spheron_specs import parse_gpu
from auditor.resources import package_data, project_dir

DEFAULT_MAX_FUNDER_FANOUT = 10
_QUERY = re.compile(r"^(\d{2})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class AnalyzeOptions:
    max_funder_fanout: int = DEFAULT_MAX_FUNDER_FANOUT


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


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    """Scalar functions the analyses use that SQL cannot express well."""
    con.create_function("spheron_gpu", _spheron_gpu, ["VARCHAR"], "STRUCT(model VARCHAR, count INTEGER)",
                        null_handling=FunctionNullHandling.SPECIAL, side_effects=False)


def set_variables(con: duckdb.DuckDBPyConnection, options: AnalyzeOptions) -> dict[str, str]:
    """The analyses' parameters as DuckDB variables; returns them for the record (analysis_runs)."""
    if options.max_funder_fanout < 1:
        raise InputError("--max-funder-fanout must be at least 1")
    values: dict[str, object] = {
        "gpu_specs_csv": str(package_data("gpus.csv")),
        "gpu_aliases_csv": str(package_data("gpu_aliases.csv")),
        "max_funder_fanout": options.max_funder_fanout,
    }
    for name, value in values.items():
        con.execute(f"SET VARIABLE {name} = ?", [value])
    return {"max_funder_fanout": str(options.max_funder_fanout)}


ASSUMPTIONS = {
    "clustering": "common first funder: a buyer joins the wallet that first funded it, unless that wallet is a "
                  "service address (marketplace contract, provider, or funder of more than max_funder_fanout buyers)",
    "h100e_definition": "dense BF16 tensor throughput / 989.4 TFLOPS (H100 SXM); GPUs without BF16 count 0",
    "h100e_duration": "hours x GPU count x the GPU's h100e_bf16 (Spheron leases)",
    "h100e_payment": "payment-based marketplaces (Livepeer, iExec, Morpheus) have no H100e estimate yet",
    "open_rentals": "open leases and sessions count up to the chain's last indexed (safe) block",
    "week": "ISO week (Monday 00:00 UTC) of the rental's block time",
}


def run_analysis(con: duckdb.DuckDBPyConnection, options: AnalyzeOptions | None = None) -> list[StepResult]:
    """Rebuild every analysis table in one transaction: all of them change, or none."""
    options = options or AnalyzeOptions()
    register_functions(con)
    params = set_variables(con, options)
    results = []
    con.execute("BEGIN")
    try:
        for query in queries():
            started = time.perf_counter()
            try:
                con.execute(query.path.read_text())
            except duckdb.Error as exc:
                raise StoreError(f"analysis {query.name} failed: {str(exc).splitlines()[0]}") from exc
            results.append(StepResult(query.name, time.perf_counter() - started))
        con.execute("CREATE OR REPLACE TABLE analysis_runs (key VARCHAR, value VARCHAR)")
        rows = sorted({**ASSUMPTIONS, **params}.items())
        con.executemany("INSERT INTO analysis_runs VALUES (?, ?)", rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return results
