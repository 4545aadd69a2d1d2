"""Provider error texts (as published by the providers) to the action the indexer takes."""

from __future__ import annotations

import pytest

from auditor.errors import RateLimitedError, RpcResponseError, TooManyResultsError, TransientRpcError
from auditor.rpc.classify import classify_error, suggested_blocks


@pytest.mark.parametrize(("message", "blocks"), [
    ("Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on "
     "the response size, or you can request any block range with a cap of 10K logs in the response. Based on your "
     "parameters, this block range should work: [0x10, 0x4e]", 63),
    ("query returned more than 10000 results. Try with this block range [0x100, 0x1ff].", 256),
    ("query exceeds max results 20000, retry with the range 6000000-6000509", 510),
    ("You can make eth_getLogs requests with up to a 500 block range", 500),
    ("eth_getLogs is limited to a 1,000 blocks range", 1000),
    ("requested too many blocks from 1 to 5000, maximum is set to 2048", 2048),
    ("please limit the query to at most 1000 blocks", 1000),
    ("maximum block range: 50000", 50000),
    ("eth_getLogs range is too large, max is 10k blocks", 10000),
    ("Block range limit exceeded.", 10000),
    ("block range too large", 2000),
    ("query returned more than 10000 results", None),
])
def test_suggested_blocks(message: str, blocks: int | None) -> None:
    assert suggested_blocks(message) == blocks


def test_too_many_results_vs_rate_limit_share_a_code() -> None:
    too_many = classify_error("eth_getLogs", {"code": -32005, "message": "query returned more than 10000 results"}, "x")
    assert isinstance(too_many, TooManyResultsError) and too_many.suggested is None
    limited = classify_error("eth_getLogs", {"code": -32005, "message": "daily request count exceeded, request "
                                                                      "rate limited"}, "x")
    assert isinstance(limited, RateLimitedError)
    assert isinstance(classify_error("eth_call", {"code": -32016, "message": "over rate limit"}, "x"),
                      RateLimitedError)


def test_other_errors() -> None:
    head = classify_error("eth_getBalance", {"code": -32000, "message": "header not found"}, "x")
    assert isinstance(head, TransientRpcError) and not isinstance(head, RateLimitedError)
    missing = classify_error("eth_getLogs", {"code": -32601, "message": "the method eth_getLogs does not exist"}, "x")
    assert type(missing) is RpcResponseError and not missing.transient
