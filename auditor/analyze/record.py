"""analysis_runs: what an analysis assumed and was asked, one key-value row each, for the report to show.

The stated assumptions are shipped data (auditor/data/analysis_assumptions.csv, like the H100-hour prices): their
wording names the shipped marketplaces, which is the registry's business, not the engine's.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache

import duckdb

from auditor.resources import package_data


@cache
def assumptions() -> dict[str, str]:
    """The analysis's stated assumptions by key."""
    with package_data("analysis_assumptions.csv").open(newline="") as fh:
        return {r["key"]: r["value"] for r in csv.DictReader(fh)}


def record_run(con: duckdb.DuckDBPyConnection, parameters: Mapping[str, object]) -> None:
    """Rebuild analysis_runs: the assumptions and the parameters, sorted by key."""
    con.execute("CREATE OR REPLACE TABLE analysis_runs (key VARCHAR, value VARCHAR)")
    rows = sorted({**assumptions(), **{k: str(v) for k, v in parameters.items()}}.items())
    con.executemany("INSERT INTO analysis_runs VALUES (?, ?)", rows)
