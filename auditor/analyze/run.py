"""Runs the analysis: the shared queries (queries/NN_name.sql) in order and, right after the rentals table is
made, every marketplace's rentals SQL in registry order, all in one transaction.

Deterministic: the same indexed data and registry give the same tables. The engine names no marketplace: what
it knows of them (rentals SQL, variables, functions, facts) it reads from the registry.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb

from auditor.analyze.clustering import build_entities
from auditor.analyze.facts import publish_facts
from auditor.analyze.functions import register_functions
from auditor.analyze.options import AnalyzeOptions, parameters
from auditor.analyze.queries import queries, step_sql
from auditor.analyze.record import record_run
from auditor.analyze.rentals import add_rentals
from auditor.analyze.variables import set_variables, variables
from auditor.marketplaces import MARKETPLACES
from auditor.marketplaces.base import Marketplace
from auditor.sqlfile import database_error, read_sql
from auditor.store.tx import transaction

RENTALS_QUERY = "10_rentals"   # the query that makes the table the marketplaces' rentals go into
# Steps run right after the query they follow (in the same transaction): the plausibility flags once every
# rental is valued, and what SQL cannot express well.
AFTER: dict[str, Callable[[duckdb.DuckDBPyConnection], object]] = {
    "19_values": lambda con: con.execute(step_sql("rental_flags")),
    "21_cluster_evidence": build_entities,
}


@dataclass(frozen=True)
class StepResult:
    name: str
    seconds: float


@dataclass(frozen=True)
class Step:
    """One thing the analysis runs, by name."""

    name: str
    run: Callable[[duckdb.DuckDBPyConnection], object]


def _query_step(name: str, sql: str) -> Step:
    after = AFTER.get(name)

    def run(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(sql)
        if after is not None:
            after(con)
    return Step(name, run)


def _rentals_step(marketplace: Marketplace) -> Step:
    return Step(f"rentals_{marketplace.name}", lambda con: add_rentals(con, marketplace))


def plan(registry: Sequence[Marketplace] = MARKETPLACES) -> list[Step]:
    """The steps in the order they run: the facts, then the shared queries with every marketplace's rentals
    after the rentals table."""
    steps = [Step("marketplace_facts", lambda con: publish_facts(con, registry))]
    for query in queries():
        steps.append(_query_step(query.name, read_sql(query.path)))
        if query.name == RENTALS_QUERY:
            steps += [_rentals_step(m) for m in registry]
    return steps


def run_analysis(con: duckdb.DuckDBPyConnection, options: AnalyzeOptions | None = None,
                 registry: Sequence[Marketplace] = MARKETPLACES) -> list[StepResult]:
    """Rebuild every analysis table in one transaction: all of them change, or none. `registry`: the
    marketplaces analysed (the shipped registry unless a test brings its own)."""
    params = parameters(options or AnalyzeOptions())
    register_functions(con, registry)
    set_variables(con, variables(params, registry))
    results = []
    with transaction(con, "running the analysis"):
        for step in plan(registry):
            started = time.perf_counter()
            try:
                step.run(con)
            except duckdb.Error as exc:
                raise database_error(exc, f"analysis {step.name} failed") from exc
            results.append(StepResult(step.name, time.perf_counter() - started))
        record_run(con, params)
    return results
