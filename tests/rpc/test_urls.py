"""RPC URLs are shown only as scheme://host[:port]/…; keys in paths, queries or user info never appear."""

from __future__ import annotations

import pytest

from auditor.errors import InputError
from auditor.rpc.urls import check_url, redact_url


@pytest.mark.parametrize(("url", "shown"), [
    ("https://arb-mainnet.g.alchemy.com/v2/SECRETKEY", "https://arb-mainnet.g.alchemy.com/…"),
    ("https://base.example.org/?apikey=SECRET", "https://base.example.org/…"),
    ("https://user:SECRET@rpc.example.org", "https://rpc.example.org/…"),
    ("http://127.0.0.1:8545", "http://127.0.0.1:8545"),
    ("http://127.0.0.1:8545/", "http://127.0.0.1:8545"),
    ("garbage", "<unreadable url>"),
])
def test_redact(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    assert "SECRET" not in redact_url(url)


@pytest.mark.parametrize("url", ["ws://host/SECRET", "host:8545", "ftp://x/SECRET", "http://host:99999/SECRET"])
def test_check_rejects_without_echoing(url: str) -> None:
    with pytest.raises(InputError) as err:
        check_url(url)
    assert "SECRET" not in str(err.value)
