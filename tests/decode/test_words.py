"""The word-slicing decoder agrees with eth-abi on every static event, valid or not (property tests)."""

from __future__ import annotations

from typing import Any

import pytest
from eth_abi.abi import encode
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.abi import parse_event_signature
from auditor.decode.logs import _word_plan, decode_log, decode_log_abi, decode_table
from auditor.errors import RpcError
from auditor.model import RawLog
from tests.decode.logtables import as_text, stored, table_of

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


def log_for_row(sig: str, types: list[str], indexed: list[bool], values: list[Any], n: int) -> RawLog:
    log = log_for(sig, types, indexed, values)
    return log._replace(block_number=n, block_hash="0x" + "ab" * 32, block_time=1_700_000_000 + n,
                        tx_hash=f"0x{n:064x}", log_index=n % 3)


@settings(max_examples=100, deadline=None)
@given(st.lists(events(), min_size=1, max_size=1).flatmap(
    lambda e: st.tuples(st.just(e[0]), st.lists(st.tuples(*[value_of(t) for t in e[0][1]]), min_size=1, max_size=5))))
@pytest.mark.slow
def test_stored_rows_equal_eth_abi(case: tuple[tuple[str, list[str], list[bool], list[Any]], list[tuple[Any, ...]]]
                                   ) -> None:
    """Words decoded by DuckDB (decode.wordsql) store exactly eth-abi's values, 256-bit and negative included."""
    (sig, types, indexed, _), value_rows = case
    spec = parse_event_signature(sig)
    logs = [log_for_row(sig, types, indexed, list(values), n) for n, values in enumerate(value_rows, start=1)]
    got = stored(7, decode_table(7, spec, table_of(logs)))
    for log, row in zip(logs, got, strict=True):
        expected = {name: as_text(v) for name, v in decode_log_abi(spec, log).items()}
        assert {name: row[name] for name in expected} == expected
        assert (row["chain_id"], row["contract"], row["block_number"], row["block_time"], row["tx_hash"],
                row["log_index"]) == ("7", log.address, str(log.block_number), str(log.block_time), log.tx_hash,
                                      str(log.log_index))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(events(), st.integers(0, 10_000), st.integers(0, 255))
def test_corrupted_words_fail_the_same_way_in_tables(event: tuple[str, list[str], list[bool], list[Any]],
                                                     position: int, byte: int) -> None:
    """A log whose words do not decode stops the table's decoding with decode_log's RpcError."""
    sig, types, indexed, values = event
    spec = parse_event_signature(sig)
    good = log_for_row(sig, types, indexed, values, 1)
    if not good.data:
        return
    i = position % len(good.data)
    bad = good._replace(data=good.data[:i] + bytes([byte]) + good.data[i + 1:], block_number=2, log_index=0)
    try:
        decode_log_abi(spec, bad)
    except RpcError as exc:
        with pytest.raises(RpcError, match=str(exc).split(" data ")[0].split(" has ")[0]):
            decode_table(7, spec, table_of([good, bad]))
        return
    assert len(stored(7, decode_table(7, spec, table_of([good, bad])))) == 2
