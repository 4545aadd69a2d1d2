"""eth_getLogs answers as Arrow columns, with no Python object per log.

A 10,000-log answer is about 6 MB of JSON; parsed into dicts and then into per-log objects it cost the indexer
more than the node took to produce it. Here Arrow's JSON reader parses the body straight into columns (outside
the GIL), and the few per-log hex numbers are converted once per distinct value. Answers Arrow cannot type
(errors, odd ids, fields of unexpected JSON types) take the client's general path and are converted here too,
so every answer ends in the same validated table or a clear RpcError.
"""

from __future__ import annotations

import time
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from auditor.errors import InvalidResponseError
from auditor.logtable import LOG_SCHEMA
from auditor.model import FUTURE_SLACK_S

_TEXT = ("address", "data", "blockHash", "transactionHash")
_HEX_INT = {"blockNumber": "block_number", "blockTimestamp": "block_time", "transactionIndex": "tx_index",
            "logIndex": "log_index"}
_REQUIRED = ("address", "topics", "data", "blockNumber", "blockHash", "transactionHash", "transactionIndex",
             "logIndex")
_NODE_LOG = pa.struct([*((name, pa.string()) for name in (*_TEXT, *_HEX_INT)), ("topics", pa.list_(pa.string())),
                       ("removed", pa.bool_())])
_ANSWER = pa.schema([("id", pa.int64()), ("result", pa.list_(_NODE_LOG)), ("error", pa.null())])
_TOPIC = _HASH = "^0x[0-9a-f]{64}$"
_ADDRESS = "^0x[0-9a-f]{40}$"
_DATA = "^0x([0-9a-f]{2})*$"
_QUANTITY = "^0x[0-9a-f]{1,16}$"   # int64 at most; the conversion refuses the rest


def table_from_body(body: bytes, request_id: int) -> pa.Table | None:
    """The log table of a successful eth_getLogs answer with this id (a client.BodyParser, run in a worker
    thread), or None when the body is anything else, for the client's general path to handle."""
    logs = _logs_from_body(body, request_id)
    return None if logs is None else log_table(logs)


def _logs_from_body(body: bytes, request_id: int) -> pa.StructArray | None:
    """The log objects of a successful eth_getLogs answer with this id, or None when the body is anything else."""
    try:
        answer = pj.read_json(
            pa.BufferReader(body), read_options=pj.ReadOptions(use_threads=False, block_size=len(body) + 1),
            parse_options=pj.ParseOptions(explicit_schema=_ANSWER, unexpected_field_behavior="ignore"))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if answer.num_rows != 1 or answer["id"][0].as_py() != request_id or not answer["result"][0].is_valid:
        return None
    logs = answer["result"].chunk(0).flatten()
    assert isinstance(logs, pa.StructArray)
    return logs


def log_table(result: pa.StructArray | list[Any]) -> pa.Table:
    """A node's logs (parsed by Arrow, or JSON objects) as a log table (auditor.logtable), removed logs left
    out; a log that is not a well-formed log object (every address, hash and number of its exact shape, a
    plausible time) raises InvalidResponseError: the answer is asked again."""
    if isinstance(result, list):
        if not all(isinstance(x, dict) for x in result):
            raise InvalidResponseError("node returned a malformed log (not an object)")
        try:
            result = pa.array(result, type=_NODE_LOG)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
            raise InvalidResponseError(f"node returned a malformed log ({exc})") from None
    raw = pa.Table.from_struct_array(result)
    removed = pc.fill_null(raw["removed"], False)
    if pc.any(removed, min_count=0).as_py():
        raw = raw.filter(pc.invert(removed))
    for name in _REQUIRED:
        if raw[name].null_count:
            raise InvalidResponseError(f"node returned a malformed log (no {name})")
    topics = raw["topics"].combine_chunks()
    if topics.flatten().null_count:
        raise InvalidResponseError("node returned a malformed log (a null topic)")
    words = _lower_checked(topics.values, _TOPIC, "topic {} is not a 32-byte hex word")
    if words is not topics.values:
        topics = pa.ListArray.from_arrays(topics.offsets, words)
    text = {name: _lower_checked(raw[name], pattern, problem) for name, pattern, problem in (
        ("data", _DATA, "data {} is not hex"),
        ("address", _ADDRESS, "address {} is not a 20-byte hex address"),
        ("blockHash", _HASH, "blockHash {} is not a 32-byte hex hash"),
        ("transactionHash", _HASH, "transactionHash {} is not a 32-byte hex hash"))}
    numbers = {to: _hex_ints(raw[name], name) for name, to in _HEX_INT.items()}
    latest = pc.max(numbers["block_time"]).as_py()
    if latest is not None and latest > time.time() + FUTURE_SLACK_S:
        raise InvalidResponseError(f"node returned a malformed log (blockTimestamp {latest} is in the future)")
    return pa.table([text["address"], topics, text["data"], numbers["block_number"], text["blockHash"],
                     numbers["block_time"], text["transactionHash"], numbers["tx_index"], numbers["log_index"]],
                    schema=LOG_SCHEMA)


def _lower_checked(values: pa.Array | pa.ChunkedArray, pattern: str, problem: str) -> pa.Array | pa.ChunkedArray:
    """The values in lowercase, each matching the (lowercase) pattern, else InvalidResponseError. Nodes answer
    in lowercase: checked as they are, the values need no lowercase copy (megabytes per answer); only an
    answer that fails is lowered and checked again."""
    if pc.all(pc.match_substring_regex(values, pattern), min_count=0).as_py():
        return values
    lowered = pc.ascii_lower(values)
    _check(lowered, pattern, problem)
    return lowered


def _check(values: pa.Array | pa.ChunkedArray, pattern: str, problem: str) -> None:
    matches = pc.match_substring_regex(values, pattern)
    if not pc.all(matches, min_count=0).as_py():
        bad = pc.filter(values, pc.invert(matches))[0].as_py()
        raise InvalidResponseError(f"node returned a malformed log ({problem.format(repr(bad[:80]))})")


def _hex_ints(values: pa.ChunkedArray, name: str) -> pa.Array:
    """Hex quantities as int64, each distinct value converted once (block numbers, times and indexes repeat)."""
    encoded = pc.dictionary_encode(values).combine_chunks()
    _check(pc.ascii_lower(encoded.dictionary), _QUANTITY, f"{name} {{}} is not a hex number")
    try:
        distinct = pa.array([int(v, 16) for v in encoded.dictionary.to_pylist()], pa.int64())
    except (ValueError, OverflowError, pa.ArrowInvalid):
        raise InvalidResponseError(f"node returned a malformed log ({name} is not a hex number)") from None
    return distinct.take(encoded.indices)
