"""Issue 15 item 6 (URLs): a key in an RPC URL is never printed, whoever quotes the URL (aiohttp's redirect
error, a provider's error text), and URLs can come from AUDITOR_RPC_URLS or a 0600 file instead of the command
line, where `ps` shows them to every local user."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from auditor.errors import InputError, RpcError, TransientRpcError
from auditor.rpc.urls import RPC_URLS_ENV, redact_text, resolve_rpc_urls
from tests.faultproxy import FaultProxy
from tests.security.rpcnode import index, morpheus_node

KEY = "SECRETKEY123"
OTHER_KEY = "REDIRECTKEY456"


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with morpheus_node(tmp_path_factory.mktemp("anvil") / "anvil.log") as url:
        yield url


@pytest.mark.parametrize("spelling", ["HTTP://{host}/v2/{key}", "http://{host}/v2/%7e{key}"])
def test_a_redirect_loop_does_not_quote_the_key(node: str, tmp_path: Path, spelling: str) -> None:
    """aiohttp's 'too many redirects' quotes the URL in its own (normalised) spelling, which the old code's
    search for the URL as given did not find. The error is redacted where it is made, not only when the CLI
    prints it: enrichment failures store their reason in the database and the report shows it."""
    where: list[str] = []

    def inject(body: Any, n: int) -> web.HTTPException:
        return web.HTTPTemporaryRedirect(f"{where[0]}/v3/{OTHER_KEY}?n={n}")
    with FaultProxy(node, inject=inject) as proxy:
        where.append(proxy.url)
        url = spelling.format(host=proxy.url.removeprefix("http://"), key=KEY)
        with pytest.raises(TransientRpcError, match="TooManyRedirects") as failed:
            index(url, tmp_path / "a.duckdb", retry_for=5)
    assert KEY not in str(failed.value) and OTHER_KEY not in str(failed.value)


def test_a_provider_error_quoting_the_url_does_not_quote_the_key(node: str, tmp_path: Path) -> None:
    def echo(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        return {"jsonrpc": "2.0", "id": request["id"],
                "error": {"code": -32000, "message": f"https://rpc.example/v2/{KEY} is not authorised"}}
    with FaultProxy(node, echo) as proxy, pytest.raises(RpcError) as failed:
        index(proxy.url, tmp_path / "a.duckdb")
    assert "https://rpc.example/… is not authorised" in str(failed.value) and KEY not in str(failed.value)


def test_redact_text_leaves_no_path_or_query() -> None:
    text = f"url='https://a.example:8545/v2/{KEY}?k={KEY}', then wss://b.example/{KEY} (and http://c/x#{KEY})"
    assert KEY not in redact_text(text)
    assert redact_text(text) == "url='https://a.example:8545/…', then wss://b.example/… (and http://c/…)"


def url_file(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "rpc.urls"
    path.write_text(text)
    path.chmod(mode)
    return path


def test_urls_from_a_file_and_the_environment(tmp_path: Path) -> None:
    path = url_file(tmp_path, f"# keys\nhttps://arb.example/v2/{KEY}  # Arbitrum\n\nhttps://base.example/{KEY},"
                              f" https://arb.example/v2/{KEY}\n")
    assert resolve_rpc_urls([], path, {}) == (f"https://arb.example/v2/{KEY}", f"https://base.example/{KEY}")
    env = {RPC_URLS_ENV: f"https://a.example/{KEY}, https://b.example/{KEY}\nhttps://c.example"}
    assert resolve_rpc_urls([], None, env) == (f"https://a.example/{KEY}", f"https://b.example/{KEY}",
                                               "https://c.example")
    # flags and the file are explicit: the environment is the default when neither is given
    assert resolve_rpc_urls(["https://flag.example"], path, env) == (
        "https://flag.example", f"https://arb.example/v2/{KEY}", f"https://base.example/{KEY}")
    assert resolve_rpc_urls(["https://flag.example"], None, env) == ("https://flag.example",)
    with pytest.raises(InputError, match="give at least one RPC URL"):
        resolve_rpc_urls([], None, {RPC_URLS_ENV: " , "})


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_a_url_file_others_may_read_or_write_is_refused(tmp_path: Path, mode: int) -> None:
    path = url_file(tmp_path, f"https://arb.example/v2/{KEY}\n", mode)
    with pytest.raises(InputError, match="chmod 600") as refused:
        resolve_rpc_urls([], path, {})
    assert KEY not in str(refused.value)


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
def test_a_url_file_of_another_user_is_refused(tmp_path: Path) -> None:
    path = url_file(tmp_path, f"https://arb.example/v2/{KEY}\n")
    os.chown(path, 4242, -1)
    with pytest.raises(InputError, match="owned by another user"):
        resolve_rpc_urls([], path, {})


def test_a_url_file_that_is_not_a_file_or_holds_no_url_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo, 0o600)
    with pytest.raises(InputError, match="not a regular file"):
        resolve_rpc_urls([], fifo, {})
    with pytest.raises(InputError, match="cannot be read"):
        resolve_rpc_urls([], tmp_path / "missing", {})
    bad = url_file(tmp_path, f"ftp://arb.example/{KEY}\n")
    with pytest.raises(InputError, match="must be an http") as refused:
        resolve_rpc_urls([], bad, {})
    assert KEY not in str(refused.value)
