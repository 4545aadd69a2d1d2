"""Untrusted text leaves the program with its controls and invisible marks shown, never acted on."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from auditor.text import clean, shorten


def test_terminal_and_bidi_tricks_become_visible_escapes() -> None:
    title = "\x1b]0;owned\x07"                      # OSC 0: sets the window title
    clipboard = "\x1b]52;c;ZWNobyBvd25lZA==\x07"   # OSC 52: writes the clipboard
    assert clean(title) == "\\x1b]0;owned\\x07"
    assert clean(clipboard).startswith("\\x1b]52;")
    assert clean("abc\u202edcba") == "abc\\u202edcba"   # right-to-left override
    assert clean("a\rb\nc\x85d\u200be") == "a\\x0db\\x0ac\\x85d\\u200be"
    assert clean("line one\nline\rtwo", keep_newlines=True) == "line one\nline\\x0dtwo"
    assert clean("vendor/nvidia/model/h100 80Gi — ok") == "vendor/nvidia/model/h100 80Gi — ok"


@given(st.text())
def test_cleaned_text_has_no_control_or_format_character(text: str) -> None:
    out = clean(text)
    assert all(unicodedata.category(c) != "Cc" and c not in "\u200b\u200e\u200f\u202a\u202b\u202c\u202d"
               "\u202e\u2066\u2067\u2068\u2069\ufeff" for c in out)
    assert clean(out) == out   # escaping is done once: the escapes themselves are plain text


def test_shorten_marks_the_cut() -> None:
    assert shorten("abcdef", 6) == "abcdef"
    assert shorten("abcdefg", 6) == "abcde…" and len(shorten("abcdefg", 6)) == 6
