"""Event ABIs: from JSON ABI files or from a human-readable signature, to EventSpec values.

At the bottom of the imports: the decoder, the marketplaces' and the price feeds' declarations all read ABIs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from eth_hash.auto import keccak

from auditor.errors import InputError
from auditor.model import EventSpec, Param

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_WIDTHS = "|".join(str(8 * i) for i in range(32, 0, -1))
_ELEMENTARY = re.compile(rf"^(address|bool|string|function|bytes([1-9]|[12][0-9]|3[0-2])?|u?int({_WIDTHS})?)"
                         r"((\[[0-9]*\])*)$")


def snake_case(name: str) -> str:
    """CamelCase event name to a snake_case table suffix: WinningTicketRedeemed -> winning_ticket_redeemed."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return re.sub(r"_+", "_", s.replace("$", "_")).strip("_").lower()


def _param_from_json(entry: dict[str, Any]) -> Param:
    comps = tuple(_param_from_json(c) for c in entry.get("components", []) or [])
    return Param(name=entry.get("name", "") or "", type=entry["type"], indexed=bool(entry.get("indexed")),
                 components=comps)


def event_from_json(entry: dict[str, Any], table: str) -> EventSpec:
    """An EventSpec from one JSON ABI entry of type event."""
    params = tuple(_param_from_json(i) for i in entry["inputs"])
    spec = EventSpec(name=entry["name"], params=params, table=table, topic0=b"",
                     anonymous=bool(entry.get("anonymous")))
    return EventSpec(name=spec.name, params=params, table=table, topic0=keccak(spec.signature.encode()),
                     anonymous=spec.anonymous)


def load_abi_events(path: Path) -> dict[str, dict[str, Any]]:
    """The event entries of a JSON ABI file, by event name (first occurrence wins)."""
    entries = json.loads(path.read_text())
    events: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry.get("type") == "event":
            events.setdefault(entry["name"], entry)
    return events


def _split_top(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise InputError("unbalanced parentheses in event signature")
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if depth != 0:
        raise InputError("unbalanced parentheses in event signature")
    parts.append("".join(cur))
    return [p.strip() for p in parts]


def _parse_type(text: str) -> Param:
    """A type expression (no name): elementary or a tuple `(t1,t2)[]`."""
    text = text.strip()
    if text.startswith("("):
        close = text.rfind(")")
        inner, suffix = text[1:close], text[close + 1:]
        if not re.fullmatch(r"(\[[0-9]*\])*", suffix):
            raise InputError(f"bad tuple type {text!r} in event signature")
        comps = tuple(_parse_param(p, f"f{i}", allow_indexed=False) for i, p in enumerate(_split_top(inner)))
        return Param(name="", type="tuple" + suffix, indexed=False, components=comps)
    if not _ELEMENTARY.match(text):
        raise InputError(f"unknown type {text!r} in event signature")
    return Param(name="", type=text, indexed=False)


def _parse_param(text: str, default_name: str, allow_indexed: bool = True) -> Param:
    if not text:
        raise InputError("empty parameter in event signature")
    if text.startswith("("):
        depth = 0
        end = 0
        for end, ch in enumerate(text):  # noqa: B007 - `end` is used after the loop
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                break
        rest = text[end + 1:]
        m = re.match(r"^((?:\[[0-9]*\])*)(.*)$", rest)
        assert m is not None
        type_text, words = text[: end + 1] + m.group(1), m.group(2).split()
    else:
        first, *words = text.split()
        type_text = first
    indexed = False
    if words and words[0] == "indexed":
        if not allow_indexed:
            raise InputError("'indexed' is only allowed on top-level event parameters")
        indexed, words = True, words[1:]
    if len(words) > 1:
        raise InputError(f"cannot read event parameter {text!r}")
    name = words[0] if words else default_name
    if not _IDENT.match(name):
        raise InputError(f"bad parameter name {name!r} in event signature")
    base = _parse_type(type_text)
    return Param(name=name, type=base.type, indexed=indexed, components=base.components)


def parse_event_signature(signature: str, table: str | None = None) -> EventSpec:
    """An EventSpec from a human-readable signature like
    `Transfer(address indexed from, address indexed to, uint256 value)` (a leading `event ` is allowed)."""
    text = signature.strip().removeprefix("event ").strip().rstrip(";").strip()
    anonymous = text.endswith(" anonymous")
    text = text.removesuffix(" anonymous").strip()
    m = re.fullmatch(r"([A-Za-z_$][A-Za-z0-9_$]*)\s*\((.*)\)", text, flags=re.S)
    if not m:
        raise InputError(f"cannot read event signature {signature!r}: expected Name(type [indexed] name, ...)")
    name, body = m.group(1), m.group(2).strip()
    params = tuple(_parse_param(p, f"arg{i}") for i, p in enumerate(_split_top(body))) if body else ()
    if sum(p.indexed for p in params) > (4 if anonymous else 3):
        raise InputError("an event has at most 3 indexed parameters")
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise InputError("duplicate parameter names in event signature")
    spec = EventSpec(name=name, params=params, table=table or f"evt_{snake_case(name)}", topic0=b"",
                     anonymous=anonymous)
    return EventSpec(name=name, params=params, table=spec.table, topic0=keccak(spec.signature.encode()),
                     anonymous=anonymous)
