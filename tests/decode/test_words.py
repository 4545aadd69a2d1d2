"""The word-slicing decoder agrees with eth-abi on every static event, valid or not (property tests)."""

from __future__ import annotations

from typing import Any

import pytest
from eth_abi.abi import encode
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.decode.abi import parse_event_signature
from auditor.decode.logs import _word_plan, decode_group, decode_log, decode_log_abi
from auditor.errors import RpcError
from auditor.model import RawLog

TYPES = ["address", "bool", "uint8", "uint32", "uint64", "uint96", "uint128", "uint256", "int8", "int96",
         "int256", "bytes4", "bytes32"]


def value_of(t: str) -> st.SearchStrategy[Any]:
    if t == "address":
        return st.binary(min_size=20, max_size=20).map(lambda b: "0x" + b.hex())
    if t == "bool":
        return st.booleans()
    if t.startswith("uint"):
        return st.integers(0, 2 ** int(t[4:]) - 1)
    if t.startswith("int"):
        bits = int(t[3:])
        return st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    return st.binary(min_size=int(t[5:]), max_size=int(t[5:]))


@st.composite
def events(draw: st.DrawFn) -> tuple[str, list[str], list[bool], list[Any]]:
    types = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=6))
    indexed = [draw(st.booleans()) for _ in types]
    while sum(indexed) > 3:
        indexed[indexed.index(True)] = False
    values = [draw(value_of(t)) for t in types]
    params = ", ".join(f"{t}{' indexed' if ix else ''} p{i}" for i, (t, ix) in enumerate(zip(types, indexed,
                                                                                           strict=True)))
    return f"E({params})", types, indexed, values


def log_for(sig: str, types: list[str], indexed: list[bool], values: list[Any], data_suffix: bytes = b"") -> RawLog:
    spec = parse_event_signature(sig)
    topics = [spec.topic0] + [encode([t], [v]) for t, ix, v in zip(types, indexed, values, strict=True) if ix]
    plain = [(t, v) for t, ix, v in zip(types, indexed, values, strict=True) if not ix]
    data = encode([t for t, _ in plain], [v for _, v in plain]) + data_suffix
    return RawLog("0x" + "11" * 20, tuple(topics), data, 1, "0x", 0, "0x", 0, 0)


@settings(max_examples=300)
@given(events())
def test_fast_path_equals_eth_abi(event: tuple[str, list[str], list[bool], list[Any]]) -> None:
    sig, types, indexed, values = event
    spec = parse_event_signature(sig)
    assert _word_plan(spec) is not None
    log = log_for(sig, types, indexed, values)
    assert decode_log(spec, log) == decode_log_abi(spec, log)


@settings(max_examples=300)
@given(events(), st.integers(0, 10_000), st.integers(0, 255))
def test_corrupted_words_fail_the_same_way(event: tuple[str, list[str], list[bool], list[Any]], position: int,
                                           byte: int) -> None:
    sig, types, indexed, values = event
    spec = parse_event_signature(sig)
    log = log_for(sig, types, indexed, values)
    if not log.data:
        return
    i = position % len(log.data)
    data = log.data[:i] + bytes([byte]) + log.data[i + 1:]
    bad = RawLog(log.address, log.topics, data, 1, "0x", 0, "0x", 0, 0)
    try:
        expected: Any = decode_log_abi(spec, bad)
    except RpcError:
        expected = RpcError
    if expected is RpcError:
        with pytest.raises(RpcError):
            decode_log(spec, bad)
    else:
        assert decode_log(spec, bad) == expected


def test_dynamic_events_use_eth_abi() -> None:
    assert _word_plan(parse_event_signature("X(string s, uint256 a)")) is None
    assert _word_plan(parse_event_signature("X(bytes32 indexed a, address b)")) is not None


@settings(max_examples=100)
@given(st.lists(events(), min_size=1, max_size=1).flatmap(
    lambda e: st.tuples(st.just(e[0]), st.lists(st.tuples(*[value_of(t) for t in e[0][1]]), min_size=1, max_size=5))))
def test_columns_equal_row_by_row(case: tuple[tuple[str, list[str], list[bool], list[Any]], list[tuple[Any, ...]]]
                                  ) -> None:
    (sig, types, indexed, _), value_rows = case
    spec = parse_event_signature(sig)
    logs = [log_for(sig, types, indexed, list(values)) for values in value_rows]
    columns = decode_group(7, spec, logs)
    rows = [decode_log_abi(spec, log) for log in logs]
    for name in rows[0]:
        assert columns[name] == [r[name] for r in rows]
    assert columns["chain_id"] == [7] * len(logs)
