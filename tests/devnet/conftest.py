"""The devnet tests read the session's one played devnet (tests/conftest.py): none of them changes its chains."""

from __future__ import annotations

import pytest

from auditor.devnet import Devnet


@pytest.fixture(scope="package")
def net(devnet: Devnet) -> Devnet:
    return devnet
