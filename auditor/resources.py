"""Finds the project's data directories (queries/, contracts_abi/) in a wheel or a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from auditor.errors import AuditorError

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def project_dir(name: str) -> Path:
    """A top-level data directory: bundled in the wheel, or beside the package in a checkout."""
    for candidate in (PACKAGE_DIR / "_bundled" / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise AuditorError(f"installation is incomplete: directory {name}/ not found")


def package_data(name: str) -> Path:
    """A file shipped inside the package (auditor/data/)."""
    return PACKAGE_DIR / "data" / name
