"""The DuckDB variables the analysis SQL reads with getvariable(name): the parameters, the package data files and
every marketplace's own, from the registry. Values are bound, never formatted into SQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import duckdb

from auditor.errors import AuditorError
from auditor.marketplaces.base import Marketplace
from auditor.resources import package_data

DATA_FILES = {
    "gpu_specs_csv": "gpus.csv",
    "gpu_aliases_csv": "gpu_aliases.csv",
    "tokens_csv": "tokens.csv",
    "service_labels_csv": "service_labels.csv",
}
CURRENT_MARKETPLACE = "marketplace"   # the marketplace whose rentals SQL is running (token_amount reads it)


def variables(parameters: Mapping[str, object], registry: Iterable[Marketplace]) -> dict[str, object]:
    """Every variable by name; two that share a name are a registry error, not a silent overwrite."""
    out: dict[str, object] = {**parameters, **{k: str(package_data(v)) for k, v in DATA_FILES.items()}}
    for marketplace in registry:
        for variable in marketplace.variables:
            if variable.name in out or variable.name == CURRENT_MARKETPLACE:
                raise AuditorError(f"marketplace {marketplace.name}: SQL variable {variable.name} is already taken")
            out[variable.name] = variable.value
    return out


def set_variables(con: duckdb.DuckDBPyConnection, values: Mapping[str, object]) -> None:
    for name, value in values.items():
        con.execute(f"SET VARIABLE {name} = ?", [value])


def set_current_marketplace(con: duckdb.DuckDBPyConnection, marketplace: Marketplace) -> None:
    con.execute(f"SET VARIABLE {CURRENT_MARKETPLACE} = ?", [marketplace.name])
