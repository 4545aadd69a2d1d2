"""Provider errors, classified by message as well as code: codes differ between providers (-32005 means
"too many results" at some and "rate limited" at others), messages say what to do.

Three outcomes for eth_getLogs: a range is suggested (adopt it and keep it as a ceiling), the answer would be
too large with no number given (halve), or a rate limit (back off and send less at once, same range).
Patterns follow the providers' own texts collected in the research notes (Alchemy, Infura, QuickNode,
Ankr, Chainstack, BlockPI, Base, Coinbase, PublicNode, ...).
"""

from __future__ import annotations

import re
from typing import Any

from auditor.errors import RateLimitedError, RpcError, RpcResponseError, TooManyResultsError, TransientRpcError
from auditor.rpc.urls import redact_text

_HEX_RANGE = re.compile(r"(?:block range should work|try with this block range):?\s*\[0x([0-9a-f]+),\s*0x([0-9a-f]+)\]",
                        re.I)
_DEC_RANGE = re.compile(r"retry with the range (\d+)-(\d+)", re.I)
_MAX_BLOCKS = [re.compile(p, re.I) for p in (
    r"up to a ([\d,]+) block range",
    r"maximum is set to ([\d,]+)",
    r"max range: ([\d,]+)",
    r"maximum allowed number of requested blocks is ([\d,]+)",
    r"limited to (?:a )?([\d,]+)",
    r"exceeds the range allowed for your plan \(\d+ > ([\d,]+)\)",
    r"limit the query to at most ([\d,]+) blocks",
    r"maximum block range:? ([\d,]+)",
    r"max block range:? ([\d,]+)",
    r"max(?:imum)? block range = ([\d,]+)",
    r"maximum allowed is ([\d,]+) blocks",
    r"block range greater than ([\d,]+) max",
    r"block range exceeds ([\d,]+)",
    r"range is too large, max is ([\d,]+)k blocks",
    r"block range is too wide \(maximum ([\d,]+)\)",
    r"maximum \[from, to\] blocks distance: ([\d,]+)",
)]
_TOO_MANY = re.compile(
    r"query returned more than|too many (results|logs)|exceeds max results|exceeds limit of|logs? returned|"
    r"response size|response is too big|response too large|log response size exceeded|block range|"
    r"range threshold|range is too large|range too large|range is too wide|exceeded max allowed|"
    r"ranges over \d+ blocks|query timeout|limited to", re.I)
_RATE_LIMIT = re.compile(r"rate.?limit|too many requests|quota|throttl|exceeded .*(capacity|compute units)|"
                         r"request count exceeded|limit exceeded", re.I)
_HEAD = re.compile(r"header not found|after last accepted block|beyond current head|block is out of range|"
                   r"invalid block height|unknown block", re.I)
_FIXED = ((re.compile(r"block range limit exceeded", re.I), 10_000),
          (re.compile(r"block range too large", re.I), 2_000))


def suggested_blocks(text: str) -> int | None:
    """The largest block range a provider's message says it accepts, when it says one."""
    m = _HEX_RANGE.search(text)
    if m:
        return int(m.group(2), 16) - int(m.group(1), 16) + 1
    m = _DEC_RANGE.search(text)
    if m:
        return int(m.group(2)) - int(m.group(1)) + 1
    for pattern in _MAX_BLOCKS:
        m = pattern.search(text)
        if m:
            value = int(m.group(1).replace(",", ""))
            return value * 1000 if "k blocks" in m.group(0).lower() else value
    for pattern, value in _FIXED:
        if pattern.search(text):
            return value
    return None


def classify_error(method: str, error: dict[str, Any], where: str) -> RpcError:
    """A JSON-RPC error object as the matching exception."""
    code = error.get("code")
    message = str(error.get("message", ""))
    data = error.get("data")
    text = f"{message} {data}" if data else message
    shown = f"{where}: {method} failed: {redact_text(message)[:300]} (code {str(code)[:20]})"
    if method == "eth_getLogs" and not _RATE_LIMIT.search(text) and (_TOO_MANY.search(text) or suggested_blocks(text)):
        return TooManyResultsError(shown, code if isinstance(code, int) else None, method,
                                   suggested=suggested_blocks(text))
    if code in (429, -32016) or _RATE_LIMIT.search(text):
        return RateLimitedError(shown)
    if _HEAD.search(text):
        return TransientRpcError(shown)
    return RpcResponseError(shown, code if isinstance(code, int) else None, method)
