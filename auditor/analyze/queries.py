"""The analysis SQL: the shared queries (queries/NN_name.sql, run in order), each marketplace's rentals SQL, and
the steps the engine runs between them (queries/steps/). Every file is read by auditor.sqlfile.read_sql."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from auditor.marketplaces.base import Marketplace
from auditor.resources import project_dir
from auditor.sqlfile import read_sql

_QUERY = re.compile(r"^(\d{2})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Query:
    """A named analysis: its file and the purpose line of its header."""

    name: str
    path: Path
    purpose: str


def step_sql(name: str) -> str:
    """A step the engine runs between queries: queries/steps/<name>.sql."""
    return read_sql(project_dir("queries") / "steps" / f"{name}.sql")


def _purpose(path: Path) -> str:
    return next((line.split(":", 1)[1].strip() for line in read_sql(path).splitlines()
                 if line.startswith("-- purpose:")), "")


def queries() -> list[Query]:
    """The shared analyses, in the order they run."""
    return [Query(path.stem, path, _purpose(path))
            for path in sorted(project_dir("queries").glob("*.sql")) if _QUERY.match(path.name)]


def rentals_query(marketplace: Marketplace) -> Query:
    """A marketplace's rentals SQL as a named analysis."""
    return Query(f"rentals_{marketplace.name}", marketplace.rentals, _purpose(marketplace.rentals))


def rentals_queries(registry: Iterable[Marketplace]) -> list[Query]:
    """Every marketplace's rentals SQL, in registry order (the order they run)."""
    return [rentals_query(m) for m in registry]
