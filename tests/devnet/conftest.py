"""One played devnet for all devnet tests, checked to be gone after."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from auditor.devnet import Devnet, start_devnet
from tests.devnet.chainrpc import port_open


@pytest.fixture(scope="package")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devnet]:
    started = time.monotonic()
    with start_devnet(tmp_path_factory.mktemp("devnet")) as played:
        print(f"start_devnet took {time.monotonic() - started:.1f}s")
        yield played
    assert not any(port_open(url) for url in played.urls.values()), "anvil still listening after start_devnet exited"
