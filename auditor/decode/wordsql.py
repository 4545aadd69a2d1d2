"""Static ABI words decoded by DuckDB inside the INSERT, checked beforehand by Arrow, with eth-abi's strictness.

Events made of single static words (addresses, integers, bools, bytesN) are most of what is indexed; decoding
them value by value in Python cost more than fetching them. Here the checks (padding, sign extension, range)
are vectorized Arrow string tests on the 64-hex-digit words, and the values are SQL over the log table's text:
substrings for addresses and bytes, hex casts for integers. Integers that are negative or need more than 128
bits (rare: uint256 amounts are almost always smaller) are converted by a Python function called from SQL.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

WORD_INT_FUNCTION = "auditor_word_int"
_INT = re.compile(r"^(u?)int(\d+)$")
_BYTES = re.compile(r"^bytes(\d+)$")
_HIGH_ZERO = "0" * 32


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


def word_sql(canonical: str, ctype: str, text: str, start: int) -> str:
    """The SQL value, in its column type, of the word at 1-based character `start` of `text` (an SQL expression
    of lowercase hex)."""
    def part(offset: int, length: int) -> str:
        return f"substr({text}, {start + offset}, {length})"

    if canonical == "address":
        return f"'0x' || {part(24, 40)}"
    if canonical == "bool":
        return f"{part(63, 1)} = '1'"
    m = _BYTES.match(canonical)
    if m:
        return f"'0x' || {part(0, 2 * int(m.group(1)))}"
    m = _INT.match(canonical)
    if not m:
        raise ValueError(f"{canonical} is not a static word type")
    signed = "false" if m.group(1) else "true"
    return (f"CASE WHEN {part(0, 32)} = '{_HIGH_ZERO}' "
            f"THEN CAST(CAST('0x' || {part(32, 32)} AS UHUGEINT) AS {ctype}) "
            f"ELSE CAST({WORD_INT_FUNCTION}({part(0, 64)}, {signed}) AS {ctype}) END")
