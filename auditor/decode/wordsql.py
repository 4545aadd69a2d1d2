"""Static ABI words decoded by DuckDB inside the INSERT, checked beforehand by Arrow, with eth-abi's strictness.

Events made of single static words (addresses, integers, bools, bytesN) are most of what is indexed; decoding
them value by value in Python cost more than fetching them. Here the checks (padding, sign extension, range)
are vectorized Arrow string tests on the 64-hex-digit words; Arrow cuts each value's hex out of the text (byte
slices, in the fetching threads) and the SQL only casts. Integers that are negative or need more than 128 bits
(rare: uint256 amounts are almost always smaller) are converted by a Python function called from SQL.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

WORD_INT_FUNCTION = "auditor_word_int"
_INT = re.compile(r"^(u?)int(\d+)$")
_BYTES = re.compile(r"^bytes(\d+)$")
_HIGH_ZERO = "0" * 32
_END = 1 << 30   # past the end of any answer's text


def word_int(word: str, signed: bool) -> str:
    """A 64-hex-digit word as a decimal integer (two's complement when signed): DuckDB's hex casts stop at 128
    bits and its BIGNUM has no exact multiplication."""
    return str(int.from_bytes(bytes.fromhex(word), "big", signed=signed))


def word_ok(text: pa.Array | pa.ChunkedArray, start: int, canonical: str) -> pa.Array | None:
    """Per log, whether the word at 0-based character `start` of `text` ("0x" and lowercase hex, long enough)
    is a valid encoding of the type; None when every word is (uint256, int256, bytes32)."""
    def words() -> pa.Array:
        return pc.utf8_slice_codeunits(text, start, start + 64)

    def starting(prefix: str) -> pa.Array:
        return pc.starts_with(text, "0x" + prefix) if start == 2 else pc.starts_with(words(), prefix)

    if canonical == "address":
        return starting("0" * 24)
    if canonical == "bool":
        return pc.match_substring_regex(words(), "^0{63}[01]$")
    m = _INT.match(canonical)
    if m:
        pad = (256 - int(m.group(2))) // 4
        if not pad:
            return None
        if m.group(1):
            return starting("0" * pad)
        return pc.match_substring_regex(words(), f"^(0{{{pad}}}[0-7]|f{{{pad}}}[89a-f])")
    m = _BYTES.match(canonical)
    if m and int(m.group(1)) < 32:
        return pc.ends_with(words(), "0" * (64 - 2 * int(m.group(1))))
    return None


def _cut(text: pa.Array | pa.ChunkedArray, start: int, stop: int, prefix: str = "") -> pa.Array | pa.ChunkedArray:
    """text[start:stop] (0-based characters of checked hex, so bytes), after `prefix`: a byte slice, with none of
    the Unicode scan a substring costs DuckDB in the single writer thread."""
    return pc.binary_replace_slice(pc.binary_replace_slice(text, stop, _END, ""), 0, start, prefix)


def word_columns(canonical: str, ctype: str, text: pa.Array | pa.ChunkedArray, text_sql: str, start: int,
                 name: str) -> tuple[dict[str, pa.Array | pa.ChunkedArray], str]:
    """The word at 0-based character `start` of `text` (checked lowercase hex, long enough; `text_sql` names it
    in the batch): the columns, named from `name`, that Arrow cuts out of it for the batch, and the SQL value
    over them in its column type. DuckDB only casts; a wide or negative integer (rare) goes to word_int."""
    if canonical == "address":
        return {name: _cut(text, start + 24, start + 64, "0x")}, name
    if canonical == "bool":
        return {name: _cut(text, start + 63, start + 64)}, f"{name} = '1'"
    m = _BYTES.match(canonical)
    if m:
        return {name: _cut(text, start, start + 2 * int(m.group(1)), "0x")}, name
    m = _INT.match(canonical)
    if not m:
        raise ValueError(f"{canonical} is not a static word type")
    signed = "false" if m.group(1) else "true"
    low, narrow = f"{name}_low", f"{name}_narrow"
    columns = {low: _cut(text, start + 32, start + 64, "0x"),
               narrow: pc.equal(_cut(text, start, start + 32), _HIGH_ZERO)}
    return columns, (f"CASE WHEN {narrow} THEN CAST(CAST({low} AS UHUGEINT) AS {ctype}) "
                     f"ELSE CAST({WORD_INT_FUNCTION}(substr({text_sql}, {start + 1}, 64), {signed}) AS {ctype}) END")
