"""Every field of an Akash LCD answer checked where it enters, in the protobuf JSON mapping the gateway writes:
int64 as decimal strings, uint32 as numbers, enums by name, DecCoin amounts as decimals with up to 18 places,
bech32 addresses. A structural field that fails (an id, a height, an amount) makes the answer an
InvalidResponseError, asked again and never stored; free text that anyone can put on-chain (a provider's host
URI, attributes) is kept, cut and stripped of control characters, so it can neither stop the run nor reach a
terminal raw."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from auditor.errors import InvalidResponseError

INT64_MAX = 2**63 - 1
UINT32_MAX = 2**32 - 1
MAX_TEXT = 256
# bech32 data part of a 20-byte (accounts) or 32-byte (module, ICA) address; lowercase only, as Akash writes it
_ADDRESS = re.compile(r"akash1[02-9ac-hj-np-z]{38}(?:[02-9ac-hj-np-z]{20})?")
_INT = re.compile(r"[0-9]{1,19}")
_DEC = re.compile(r"[0-9]{1,20}(?:\.[0-9]{1,18})?")
_DENOM = re.compile(r"[a-zA-Z][a-zA-Z0-9/:._-]{2,127}")   # cosmos-sdk's coin denom grammar
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_PART = re.compile(r"\*|[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")


def bad(what: str, value: Any) -> InvalidResponseError:
    return InvalidResponseError(f"Akash node returned a malformed {what}: {str(value)[:60]!r}")


def obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad(what, value)
    return value


def items(value: Any, what: str) -> list[Any]:
    """A repeated field (null means empty in the gateway's mapping)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise bad(what, value)
    return value


def height(value: Any, what: str = "height") -> int:
    """An int64 height (a decimal string); 0 is allowed (the mapping's default, e.g. closed_on of an open lease)."""
    if not isinstance(value, str) or not _INT.fullmatch(value) or int(value) > INT64_MAX:
        raise bad(what, value)
    return int(value)


def uint32(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= UINT32_MAX:
        raise bad(what, value)
    return value


def big(value: Any, what: str) -> int:
    """A math.Int quantity (ResourceValue.val: CPU millis, bytes, GPU units) as a decimal string."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,38}", value):
        raise bad(what, value)
    return int(value)


def address(value: Any, what: str = "address") -> str:
    if not isinstance(value, str) or not _ADDRESS.fullmatch(value):
        raise bad(what, value)
    return value


def amount(value: Any, what: str = "amount") -> Decimal:
    if not isinstance(value, str) or not _DEC.fullmatch(value):
        raise bad(what, value)
    return Decimal(value)


def denom(value: Any) -> str:
    if not isinstance(value, str) or not _DENOM.fullmatch(value):
        raise bad("denom", value)
    return value


def coin(value: Any, what: str) -> tuple[str, Decimal]:
    """(denom, amount) of a Coin or DecCoin."""
    c = obj(value, what)
    return denom(c.get("denom")), amount(c.get("amount"), f"{what} amount")


def enum(value: Any, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise bad(what, value)
    return str(value)


def text(value: Any) -> str | None:
    """Free text as stored: control and bidi characters removed, at most MAX_TEXT characters."""
    if value is None:
        return None
    return _CONTROL.sub("", str(value))[:MAX_TEXT]


def part(value: str) -> str | None:
    """One component of a GPU attribute key (vendor, model, ram, interface), or None when it is not one."""
    return value if _PART.fullmatch(value) else None
