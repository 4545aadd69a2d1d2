"""The scalar functions the marketplaces' rentals SQL calls (spec parsing, id hashing), registered from the
registry so the engine names none of them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

import duckdb
from duckdb.func import FunctionNullHandling

from auditor.errors import AuditorError
from auditor.marketplaces.base import Marketplace, SqlFunction


def _functions(registry: Iterable[Marketplace]) -> list[SqlFunction]:
    out: dict[str, SqlFunction] = {}
    for marketplace in registry:
        for function in marketplace.functions:
            if function.name in out:
                raise AuditorError(f"marketplace {marketplace.name}: SQL function {function.name} is already taken")
            out[function.name] = function
    return list(out.values())


def register_functions(con: duckdb.DuckDBPyConnection, registry: Iterable[Marketplace]) -> None:
    """Every marketplace's functions on this connection, replacing any an earlier run registered (DuckDB
    refuses a second function of the same name)."""
    for function in _functions(registry):
        with contextlib.suppress(duckdb.InvalidInputException):   # not registered yet
            con.remove_function(function.name)
        con.create_function(function.name, function.function, list(function.parameters), function.returns,
                            null_handling=FunctionNullHandling.SPECIAL, side_effects=False)
