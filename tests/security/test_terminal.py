"""The terminal against hostile strings: issue 15 item 5 (terminal part) and item 6's redirect leak.

On-chain values and provider messages are written by strangers. The real CLI runs as a subprocess (on pipes,
and on a pseudo-terminal, where rich would emit hyperlinks and styles) and the raw bytes it writes are checked:
no escape sequence of the attacker's, no OSC 8 hyperlink, rich markup shown as the characters it is.
"""

from __future__ import annotations

import http.server
import json
import os
import pty
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import auditor
from auditor.analyze import AnalyzeOptions, run_analysis
from auditor.store.db import open_db

ROOT = Path(auditor.__file__).resolve().parents[1]
HOSTILE = [
    "[/bold]",                                              # rich markup that crashed `auditor sql` (exit 70)
    "[link=https://evil.example/phish]H100[/link]",         # a clickable hyperlink once read as markup
    "\x1b]0;owned\x07",                                     # OSC 0: sets the window title
    "\x1b]52;c;ZWNobyBvd25lZA==\x07",                        # OSC 52: writes the clipboard
    "\x1b]8;;https://evil.example/\x1b\\A100\x1b]8;;\x1b\\",  # a raw OSC 8 hyperlink
    "\x1b[2J\x1b[H",                                        # clears the screen
    "\x9b31m",                                              # C1 CSI, one character
    "H100\u202egnp.exe",                                    # a bidi override: reads as H100exe.png
    "line\rover",                                           # a carriage return overwrites the line
]
SGR = re.compile(rb"\x1b\[[0-9;]*m")   # rich's own colours and bold on a terminal: ours, not the attacker's


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An analysed database whose rentals hold the hostile strings as GPU models."""
    path = tmp_path_factory.mktemp("terminal") / "a.duckdb"
    with open_db(path, create=True) as con:
        run_analysis(con, AnalyzeOptions())
        for i, text in enumerate(HOSTILE):
            con.execute("INSERT INTO rentals (chain_id, marketplace, log_index, gpu_model_raw, gpu_count) "
                        "VALUES (1, 'spheron', ?, ?, 1)", [i, text])
    return path


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE")}
    return {**out, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}


def auditor_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, env=env(), timeout=120,
                          check=False)


def on_a_terminal(*args: str) -> tuple[int, bytes]:
    """The command with stdout and stderr on a pseudo-terminal, as a user at a shell runs it."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "auditor", *args], stdin=subprocess.DEVNULL, stdout=follower,
                            stderr=follower, env={**env(), "TERM": "xterm-256color"})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:   # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(timeout=120), b"".join(chunks)


def assert_inert(raw: bytes) -> None:
    assert b"\x1b" not in raw, raw
    assert b"\x07" not in raw and "\x9b".encode() not in raw and "\u202e".encode() not in raw
    assert b"\r" not in raw.replace(b"\r\n", b"")


SELECT = ('SELECT gpu_model_raw AS "[/bold]", gpu_model_raw AS "[link=https://evil.example/]x" FROM rentals '
          'ORDER BY log_index')


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_hostile_values_print_as_text(db: Path, fmt: str) -> None:
    result = auditor_cli("sql", SELECT, "--db", str(db), "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert_inert(result.stdout + result.stderr)
    out = result.stdout.decode()
    assert "[link=https://evil.example/phish]H100[/link]" in out.replace("\\/", "/")
    assert "\\x1b]52;c;ZWNobyBvd25lZA==\\x07" in out.replace("\\\\", "\\")   # shown, as an escape, not acted on
    if fmt == "json":
        assert next(r["[/bold]"] for r in json.loads(out)) == "[/bold]"


def test_a_terminal_gets_no_hyperlink_and_no_attacker_escape(db: Path) -> None:
    code, raw = on_a_terminal("sql", SELECT, "--db", str(db))
    assert code == 0, raw
    assert b"\x1b]" not in raw, raw   # no OSC at all: no hyperlink (OSC 8), title (OSC 0) or clipboard (OSC 52)
    assert_inert(SGR.sub(b"", raw).replace(b"\r\n", b"\n"))
    assert b"[/bold]" in raw and b"[link=https://evil.example/phish]H100[/link]" in raw


def test_an_error_message_prints_as_text(db: Path) -> None:
    result = auditor_cli("sql", "SELECT error(gpu_model_raw) FROM rentals WHERE log_index = 3", "--db", str(db))
    assert result.returncode == 1
    assert_inert(result.stdout + result.stderr)
    err = result.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and "\\x1b]52;" in err


class _Provider(http.server.BaseHTTPRequestHandler):
    """A JSON-RPC endpoint whose error message is an escape-laden, markup-laden string."""

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        message = "\x1b]52;c;b3duZWQ=\x07\x1b[2J [/bold] [link=https://evil.example/]support[/link]"
        body = json.dumps({"jsonrpc": "2.0", "id": request["id"],
                           "error": {"code": -32603, "message": message}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


class _Redirects(http.server.BaseHTTPRequestHandler):
    """Redirects every request back to itself: aiohttp gives up with TooManyRedirects, quoting the URL."""

    def do_POST(self) -> None:
        self.send_response(302)
        self.send_header("Location", f"http://localhost:{self.server.server_address[1]}{self.path}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *_: object) -> None:
        pass


def serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def provider() -> Iterator[int]:
    yield from serve(_Provider)


@pytest.fixture
def redirects() -> Iterator[int]:
    yield from serve(_Redirects)


def test_a_provider_message_prints_as_text(provider: int, tmp_path: Path) -> None:
    code, raw = on_a_terminal("index", "--rpc", f"http://127.0.0.1:{provider}/v2/SECRETKEY",
                              "--db", str(tmp_path / "a.duckdb"))
    assert code == 1, raw
    assert b"\x1b]" not in raw and b"SECRETKEY" not in raw
    assert_inert(SGR.sub(b"", raw).replace(b"\r\n", b"\n"))
    assert b"[/bold] [link=https://evil.example]support[/link]" in raw   # shown, URL redacted to its host


def test_a_redirect_loop_does_not_print_the_key(redirects: int, tmp_path: Path) -> None:
    # The upper-case host is what the user typed; aiohttp's message quotes it normalized, so an exact-match
    # scrub of the URL misses it.
    result = auditor_cli("index", "--rpc", f"http://LOCALHOST:{redirects}/v2/SECRETKEY?apikey=SECRET2",
                         "--db", str(tmp_path / "a.duckdb"))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "TooManyRedirects" in err and "SECRETKEY" not in err and "SECRET2" not in err, err
