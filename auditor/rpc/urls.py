"""RPC URLs carry API keys in their path or query: only the redacted form is ever shown or stored."""

from __future__ import annotations

from urllib.parse import urlsplit

from auditor.errors import InputError


def redact_url(url: str) -> str:
    """`https://host[:port]/…`: scheme and host only, the rest (where keys live) elided."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<unreadable url>"
    if not parts.scheme or not host:
        return "<unreadable url>"
    tail = "/…" if (parts.path not in ("", "/") or parts.query or parts.fragment or parts.username) else ""
    return f"{parts.scheme}://{host}{port}{tail}"


def check_url(url: str) -> str:
    """The URL if it is a usable http(s) JSON-RPC endpoint, else an InputError that does not echo it."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise InputError(f"RPC URL {redact_url(url)} is not a valid URL") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"RPC URL {redact_url(url)} must be an http:// or https:// URL")
    return url
