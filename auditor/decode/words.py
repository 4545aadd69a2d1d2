"""Decoding 32-byte ABI words of static elementary types by slicing, with eth-abi's strictness.

eth-abi decodes roughly 30k logs/s one by one; most event fields are static words (addresses, integers,
bools, bytesN), which slicing decodes several times faster. Anything else goes through eth-abi.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_INT = re.compile(r"^(u?)int(\d+)$")
_BYTES = re.compile(r"^bytes(\d+)$")
_ZERO12 = bytes(12)


class WordError(ValueError):
    """A word that is not a valid encoding of its type (dirty padding, out of range)."""


def _address(w: bytes) -> str:
    if w[:12] != _ZERO12:
        raise WordError("address with non-zero padding")
    return "0x" + w[12:].hex()


def _bool(w: bytes) -> bool:
    v = int.from_bytes(w, "big")
    if v > 1:
        raise WordError("bool out of range")
    return v == 1


def _uint(bits: int) -> Callable[[bytes], int]:
    limit = 1 << bits

    def decode(w: bytes) -> int:
        v = int.from_bytes(w, "big")
        if v >= limit:
            raise WordError(f"uint{bits} out of range")
        return v
    return decode


def _int(bits: int) -> Callable[[bytes], int]:
    low, high = -(1 << (bits - 1)), 1 << (bits - 1)

    def decode(w: bytes) -> int:
        v = int.from_bytes(w, "big", signed=True)
        if not low <= v < high:
            raise WordError(f"int{bits} out of range")
        return v
    return decode


def _bytes_n(n: int) -> Callable[[bytes], bytes]:
    def decode(w: bytes) -> bytes:
        if any(w[n:]):
            raise WordError(f"bytes{n} with non-zero padding")
        return w[:n]
    return decode


def word_decoder(canonical: str) -> Callable[[bytes], Any] | None:
    """A decoder for one 32-byte word of this type, or None when the type is not a single static word."""
    if canonical == "address":
        return _address
    if canonical == "bool":
        return _bool
    m = _INT.match(canonical)
    if m:
        bits = int(m.group(2))
        return _uint(bits) if m.group(1) else _int(bits)
    m = _BYTES.match(canonical)
    if m:
        return _bytes_n(int(m.group(1)))
    return None
