"""`auditor analyze`: rebuilds the analysis tables from what is indexed, for every marketplace in the registry.

Parameters reach the SQL as DuckDB variables (`getvariable('name')`), never formatted into it.
"""

from __future__ import annotations

from auditor.analyze.options import (
    AnalyzeOptions,
    H100HourPrice,
    default_h100_hour_price,
    parse_h100_hour_price,
)
from auditor.analyze.queries import Query, queries, rentals_queries
from auditor.analyze.run import StepResult, plan, run_analysis

__all__ = [
    "AnalyzeOptions",
    "H100HourPrice",
    "Query",
    "StepResult",
    "default_h100_hour_price",
    "parse_h100_hour_price",
    "plan",
    "queries",
    "rentals_queries",
    "run_analysis",
]
