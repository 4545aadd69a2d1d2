"""Untrusted text on its way out: on-chain strings, RPC fields and provider messages are written by strangers.

One rule for every place text leaves the program (terminal, Markdown, CSV, logs): control characters (C0, DEL,
C1: ESC sequences set window titles, clear screens, write the clipboard through OSC 52) and the Unicode bidi
and invisible formatting marks (which make `abc` read as `cba`, or hide text) become visible escapes, so a value
can neither act on the reader's terminal nor pass for another one. Each output format then adds its own escaping.
"""

from __future__ import annotations

import re

# All C0 controls (newline too: it breaks a table row or a terminal line; formats that quote it opt in), DEL and
# C1; the bidi marks, embeddings, overrides and isolates; zero-width and other invisible formatting marks.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_UNSAFE_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str, keep_newlines: bool = False) -> str:
    """`text` with every control, bidi and invisible formatting character shown as a \\xNN or \\uNNNN escape;
    keep_newlines leaves "\\n" as it is (for multi-line cells of formats that quote them)."""
    unsafe = _UNSAFE_BUT_NEWLINE if keep_newlines else _UNSAFE
    return unsafe.sub(_escape, text) if unsafe.search(text) else text   # most text is clean: no copy


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, the cut marked with an ellipsis (the full value stays in the CSV)."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"
