"""How event parameters become DuckDB columns, and how decoded values are made to fit them.

Integers wider than 128 bits (uint256 amounts, winProb) are stored exactly as DuckDB BIGNUM (arbitrary
precision); analysts cast them (`faceValue::DOUBLE / 1e18`) as needed.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from auditor.model import EventSpec, Param, normalize_address

COMMON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("chain_id", "BIGINT NOT NULL"),
    ("contract", "VARCHAR NOT NULL"),
    ("block_number", "BIGINT NOT NULL"),
    ("block_time", "TIMESTAMPTZ"),
    ("tx_hash", "VARCHAR NOT NULL"),
    ("tx_index", "INTEGER NOT NULL"),
    ("log_index", "INTEGER NOT NULL"),
)
_RESERVED = {name for name, _ in COMMON_COLUMNS}
_INT = re.compile(r"^(u?)int(\d*)$")


def is_dynamic(type_: str) -> bool:
    """Whether an ABI type is hashed when indexed (its value cannot be recovered from the topic)."""
    return type_ in ("string", "bytes") or type_.endswith("]") or type_.startswith("tuple")


def _scalar_type(type_: str) -> str:
    m = _INT.match(type_)
    if m:
        unsigned, bits = m.group(1) == "u", int(m.group(2) or 256)
        if bits <= 32:
            return "BIGINT"
        if bits <= 64:
            return "UBIGINT" if unsigned else "BIGINT"
        if bits <= 128:
            return "UHUGEINT" if unsigned else "HUGEINT"
        return "BIGNUM"
    if type_ == "bool":
        return "BOOLEAN"
    return "VARCHAR"


def column_type(p: Param) -> str:
    """The DuckDB type of a parameter's column."""
    if p.indexed and is_dynamic(p.type):
        return "VARCHAR"
    if p.type.startswith("tuple"):
        return "JSON"
    if p.type.endswith("]"):
        inner = p.type[: p.type.rindex("[")]
        return _scalar_type(inner) + "[]" if "[" not in inner else "JSON"
    return _scalar_type(p.type)


def column_name(p: Param, position: int) -> str:
    """A parameter's column name: as in the ABI, moved aside if it collides with a common column."""
    name = p.name or f"arg{position}"
    return f"{name}_" if name.lower() in _RESERVED else name


def table_columns(spec: EventSpec) -> list[tuple[str, str]]:
    """Every column of an event's table, common columns first."""
    cols = list(COMMON_COLUMNS)
    cols += [(column_name(p, i), column_type(p)) for i, p in enumerate(spec.params)]
    return cols


def _plain(value: Any) -> Any:
    """Decoded ABI value to something JSON can hold: bytes to hex, big ints to text."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def to_column(p: Param, value: Any) -> Any:
    """A decoded value shaped for its column type."""
    ctype = column_type(p)
    if ctype == "JSON":
        return orjson.dumps(_plain(value)).decode()
    if ctype.endswith("[]"):
        return [to_column(Param("", p.type[: p.type.rindex("[")], False), v) for v in value]
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, str) and p.type == "address":
        return normalize_address(value)
    if ctype in ("BIGNUM", "HUGEINT", "UHUGEINT") and isinstance(value, int):
        return str(value)
    return value
