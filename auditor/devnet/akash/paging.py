"""cosmos.base.query.v1beta1 pagination and the gateway's query-parameter parsing, with its error texts.

As cosmos-sdk types/query/pagination.go: `pagination.key` (base64) or `pagination.offset`, not both; limit 0
means the default (and then, as there, the total is counted); `total` is counted when `count_total` is set or
no limit is given, never with a key (then "0"); the `next_key` is null on the last page. Unlike a real node
the limit is capped at MAX_LIMIT.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from auditor.devnet.akash.shapes import Json

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
INVALID_ARGUMENT = 3
NOT_FOUND = 5
UNIMPLEMENTED = 12
_KEY_PREFIX = b"\x01"
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


class ApiError(Exception):
    """An answer the gateway gives as google.rpc.Status: gRPC code, HTTP status, message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def http_status(self) -> int:
        return {INVALID_ARGUMENT: 400, NOT_FOUND: 404, UNIMPLEMENTED: 501}.get(self.code, 500)


def parse_uint(query: Mapping[str, str], name: str, default: int = 0) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise ApiError(INVALID_ARGUMENT,
                       f'type mismatch, parameter: {name}, error: strconv.ParseUint: parsing "{raw}": invalid syntax')
    return int(raw)


def parse_bool(query: Mapping[str, str], name: str) -> bool:
    raw = query.get(name)
    if raw is None or raw == "":
        return False
    if raw in _TRUE or raw in _FALSE:
        return raw in _TRUE
    raise ApiError(INVALID_ARGUMENT,
                   f'type mismatch, parameter: {name}, error: strconv.ParseBool: parsing "{raw}": invalid syntax')


@dataclass(frozen=True)
class PageRequest:
    key: str | None
    offset: int
    limit: int
    count_total: bool
    reverse: bool


def parse_page(query: Mapping[str, str]) -> PageRequest:
    raw_key = query.get("pagination.key") or None
    key = None
    if raw_key is not None:
        try:
            decoded = base64.b64decode(raw_key.replace("-", "+").replace("_", "/") + "=" * (-len(raw_key) % 4),
                                       validate=True)
        except binascii.Error as exc:
            raise ApiError(INVALID_ARGUMENT, f"type mismatch, parameter: pagination.key, error: {exc}") from exc
        if not decoded.startswith(_KEY_PREFIX):
            raise ApiError(INVALID_ARGUMENT, "invalid request: invalid pagination key")
        key = decoded[len(_KEY_PREFIX):].decode(errors="replace")
    offset = parse_uint(query, "pagination.offset")
    if key is not None and offset > 0:
        raise ApiError(INVALID_ARGUMENT, "invalid request, either offset or key is expected, got both")
    limit = parse_uint(query, "pagination.limit")
    count_total = parse_bool(query, "pagination.count_total") or limit == 0
    return PageRequest(key, offset, min(limit or DEFAULT_LIMIT, MAX_LIMIT), count_total,
                       parse_bool(query, "pagination.reverse"))


def encode_key(sort_key: str) -> str:
    return base64.b64encode(_KEY_PREFIX + sort_key.encode()).decode()


def paginate(items: Sequence[tuple[str, Json]], page: PageRequest) -> tuple[list[Json], Json]:
    """One page of (sort key, item) pairs, already sorted ascending by key, and its PageResponse."""
    ordered = list(reversed(items)) if page.reverse else list(items)
    if page.key is not None:
        start = next((i for i, (k, _) in enumerate(ordered) if (k <= page.key if page.reverse else k >= page.key)),
                     len(ordered))
    else:
        start = page.offset
    chosen = ordered[start:start + page.limit]
    rest = ordered[start + page.limit:]
    total = str(len(items)) if page.count_total and page.key is None else "0"
    return [item for _, item in chosen], {"next_key": encode_key(rest[0][0]) if rest else None, "total": total}


@dataclass(frozen=True)
class Listed:
    """One object of an Akash list query: its primary-key order, its state, its JSON."""

    key: str
    state: str
    item: Json


_AKASH_KEY_PREFIX = b"\x02"
OWNER_PATH, PROVIDER_PATH, STATE_PATH = 2, 1, 0


def _akash_key(path: int, states: Sequence[str], key: str) -> str:
    body = json.dumps([path, list(states), key], separators=(",", ":")).encode()
    return base64.b64encode(_AKASH_KEY_PREFIX + body).decode()


def _resume(raw: str) -> tuple[int, list[str], str]:
    try:
        decoded = base64.b64decode(raw.replace("-", "+").replace("_", "/") + "=" * (-len(raw) % 4), validate=True)
        path, states, key = json.loads(decoded[len(_AKASH_KEY_PREFIX):]) if decoded.startswith(
            _AKASH_KEY_PREFIX) else (None, None, None)
    except (binascii.Error, ValueError) as exc:
        raise ApiError(INVALID_ARGUMENT, "invalid pagination key") from exc
    if not isinstance(path, int) or not isinstance(states, list) or not isinstance(key, str):
        raise ApiError(INVALID_ARGUMENT, "invalid pagination key")
    return path, [str(s) for s in states], key


def paginate_akash(items: Sequence[Listed], query: Mapping[str, str], all_states: tuple[str, ...],
                   path: int) -> tuple[list[Json], Json]:
    """Pagination as Akash's own x/deployment and x/market queriers do it (pkg.akt.dev/node keeper/grpc_query.go):

    without an owner or provider filter the objects come state by state in the enum's order (reversed with
    `reverse`), each state in primary-key order; with one (`path`), in primary-key order whatever the state. A
    key resumes path, states and position; an offset needs `filters.state`; `total` is the number of objects
    on this page, counted or not. `items` are the objects matching every filter but the state.
    """
    page = parse_page({k: v for k, v in query.items() if k != "pagination.key"})
    state = query.get("filters.state", "")
    if page.offset > 0 and not state:
        raise ApiError(INVALID_ARGUMENT,
                       "invalid request parameters. if offset is set, filter.state must be provided")
    resume = None
    raw_key = query.get("pagination.key")
    if raw_key:
        path, states, resume = _resume(raw_key)
    else:
        states = [state] if state else list(all_states)
        if page.reverse and path == STATE_PATH:
            states.reverse()
    ordered = sorted(items, key=lambda x: x.key, reverse=page.reverse)
    if path == STATE_PATH:
        ordered = [x for s in states for x in ordered if x.state == s]
    else:
        ordered = [x for x in ordered if x.state in states]
    if resume is not None:
        first = states[0] if path == STATE_PATH else None
        start = next((i for i, x in enumerate(ordered) if (first is None or x.state == first)
                      and (x.key <= resume if page.reverse else x.key >= resume)), len(ordered))
        if path == STATE_PATH:
            start = min(start, next((i for i, x in enumerate(ordered) if x.state != first), len(ordered)))
        ordered = ordered[start:]
    chosen = ordered[page.offset:page.offset + page.limit]
    rest = ordered[page.offset + page.limit:]
    next_key = None
    if rest:
        following = rest[0]
        left = states[states.index(following.state):] if path == STATE_PATH else states
        next_key = _akash_key(path, left, following.key)
    return [x.item for x in chosen], {"next_key": next_key, "total": str(len(chosen))}
