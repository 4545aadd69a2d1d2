"""RPC URLs carry API keys in their path or query: only the redacted form is ever shown or stored."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
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


_URL_IN_TEXT = re.compile(r"(?:https?|wss?)://[^\s'\"<>()\[\]{},]+", re.I)


def redact_text(text: str) -> str:
    """`text` with every URL in it redacted: aiohttp's errors (a redirect loop, a bad response) quote the
    URL they reached, which may be a provider's redirect target carrying the key, not the URL we were given."""
    return _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), text)


RPC_URLS_ENV = "AUDITOR_RPC_URLS"
MAX_URL_FILE_BYTES = 1 << 20
_SEPARATORS = re.compile(r"[\s,]+")
_COMMENT = re.compile(r"(?:^|\s)#.*$")


def resolve_rpc_urls(flags: Sequence[str], file: Path | None = None,
                     env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The RPC URLs of a run: those given as flags and in `file` (one or more a line, comma or whitespace
    separated, `#` comments); only when neither is given, those in the environment variable AUDITOR_RPC_URLS.
    Keys then never need to be on a command line, where `ps` shows them to every local user. Each URL is
    checked (check_url); duplicates are dropped, order kept."""
    urls = [u for flag in flags for u in _split(flag)]
    if file is not None:
        urls += _split(read_secret_file(file, "--rpc-file"))
    if not urls:
        urls = _split((os.environ if env is None else env).get(RPC_URLS_ENV, ""))
    if not urls:
        raise InputError(f"give at least one RPC URL: --rpc URL, --rpc-file PATH or {RPC_URLS_ENV}")
    return tuple(dict.fromkeys(check_url(u) for u in urls))


def read_secret_file(path: Path, what: str) -> str:
    """The text of a file that holds keys, refused unless it is a regular file of this user that no one else
    may read or write (mode 0600 or stricter): the same rule ssh applies to a private key."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"{what} {path}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())   # of the file opened, not of a name that may change meanwhile
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{what} {path}: not a regular file")
        if st.st_uid != os.getuid():
            raise InputError(f"{what} {path}: owned by another user (uid {st.st_uid}); it holds API keys")
        if st.st_mode & 0o077:
            raise InputError(f"{what} {path}: mode {stat.S_IMODE(st.st_mode):04o} lets other users read or write "
                             f"it; it holds API keys: chmod 600 {path}")
        if st.st_size > MAX_URL_FILE_BYTES:
            raise InputError(f"{what} {path}: larger than {MAX_URL_FILE_BYTES} bytes, not a list of URLs")
        data = f.read(MAX_URL_FILE_BYTES + 1)
    try:
        return data.decode()
    except UnicodeDecodeError:
        raise InputError(f"{what} {path}: not UTF-8 text") from None


def _split(text: str) -> list[str]:
    return [u for line in text.splitlines() for u in _SEPARATORS.split(_COMMENT.sub("", line)) if u]
