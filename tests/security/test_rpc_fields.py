"""Issue 15 item 4: every field of an RPC answer is checked where it enters. A hostile node (the fault proxy
rewriting a real anvil's answers) cannot put a script, a forged hash, a wrong block or a time in year 3000 into
the database: the answer is asked again, and when the node insists the run stops with one line, exit 1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from auditor.errors import InvalidResponseError
from tests.faultproxy import FaultProxy, Rewrite
from tests.security.rpcnode import SESSIONS, cli, index, morpheus_node

EVIL = "0x<script>alert(1)</script>=HYPERLINK(\"x\")\u001b[31m"
OTHER_HASH = "0x" + "ab" * 32
YEAR_3000 = hex(32_503_680_000)


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with morpheus_node(tmp_path_factory.mktemp("anvil") / "anvil.log") as url:
        yield url


def on_logs(change: Callable[[dict[str, Any]], None], times: int | None = None) -> Rewrite:
    """A rewrite that applies `change` to every log of the first `times` eth_getLogs answers (all if None)
    and drops blockTimestamp, as most providers do, so headers are fetched too."""
    seen = [0]

    def rewrite(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        if request["method"] == "eth_getLogs" and isinstance(response.get("result"), list):
            seen[0] += 1
            for log in response["result"]:
                log.pop("blockTimestamp", None)
                if times is None or seen[0] <= times:
                    change(log)
        return response
    return rewrite


def on_result(method: str, change: Callable[[Any], Any]) -> Rewrite:
    def rewrite(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        if request["method"] == method and response.get("result") is not None:
            response["result"] = change(response["result"])
        return response
    return rewrite


def stored_text(db: Path) -> str:
    """Every value of every table, as one string (empty when the run left no database)."""
    if not db.exists():
        return ""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main'").fetchall()]
        return "\n".join(str(con.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)
    finally:
        con.close()


def sessions(db: Path) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT s.block_number, s.tx_hash, b.block_hash, b.block_time "
                           "FROM morpheus_session_opened s JOIN blocks b USING (chain_id, block_number) "
                           "ORDER BY 1").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(("field", "value"), [
    ("transactionHash", EVIL + "0" * 10), ("blockHash", "0x" + "zz" * 32), ("transactionHash", "0x" + "ee" * 31),
    ("blockNumber", "-0x1"), ("logIndex", "0x_1"), ("blockNumber", hex(2**63)),
])
def test_a_malformed_log_field_is_refused(node: str, tmp_path: Path, field: str, value: str) -> None:
    db = tmp_path / "a.duckdb"

    def change(log: dict[str, Any]) -> None:
        log[field] = value
    with FaultProxy(node, on_logs(change)) as proxy, pytest.raises(InvalidResponseError, match="malformed log"):
        index(proxy.url, db, funding=False)
    assert "script" not in stored_text(db) and "zz" * 8 not in stored_text(db)


def test_a_malformed_answer_is_asked_again(node: str, tmp_path: Path) -> None:
    def change(log: dict[str, Any]) -> None:
        log["transactionHash"] = EVIL
    with FaultProxy(node, on_logs(change, times=1)) as proxy:
        index(proxy.url, tmp_path / "a.duckdb", funding=False)
    with FaultProxy(node) as proxy:
        index(proxy.url, tmp_path / "direct.duckdb", funding=False)
    got = sessions(tmp_path / "a.duckdb")
    assert got == sessions(tmp_path / "direct.duckdb") and len(got) == SESSIONS


def test_logs_under_another_block_hash_are_refused(node: str, tmp_path: Path) -> None:
    """The log names a block hash its header does not have: a fork between the two calls, or a lie."""
    def change(log: dict[str, Any]) -> None:
        log["blockHash"] = OTHER_HASH
    db = tmp_path / "a.duckdb"
    with FaultProxy(node, on_logs(change)) as proxy, pytest.raises(InvalidResponseError, match="chain changed"):
        index(proxy.url, db, funding=False)
    assert OTHER_HASH[2:] not in stored_text(db)


def test_logs_under_another_block_hash_once_are_fetched_again(node: str, tmp_path: Path) -> None:
    def change(log: dict[str, Any]) -> None:
        log["blockHash"] = OTHER_HASH
    with FaultProxy(node, on_logs(change, times=1)) as proxy:
        index(proxy.url, tmp_path / "a.duckdb", funding=False)
    got = sessions(tmp_path / "a.duckdb")
    assert len(got) == SESSIONS and OTHER_HASH[2:] not in stored_text(tmp_path / "a.duckdb")


def test_a_header_of_another_block_is_refused(node: str, tmp_path: Path) -> None:
    """The old code stored the logs with NULL block times."""
    def shifted(block: dict[str, Any]) -> dict[str, Any]:
        block["number"] = hex(int(block["number"], 16) + 1)
        return block
    db = tmp_path / "a.duckdb"
    with FaultProxy(node, on_result("eth_getBlockByNumber", shifted)) as proxy, \
            pytest.raises(InvalidResponseError, match="when asked for block"):
        index(proxy.url, db, funding=False)
    assert "None" not in stored_text(db)


@pytest.mark.parametrize("where", ["header", "log"])
def test_a_block_time_in_year_3000_is_refused(node: str, tmp_path: Path, where: str) -> None:
    def future(block: dict[str, Any]) -> dict[str, Any]:
        block["timestamp"] = YEAR_3000
        return block

    def change(log: dict[str, Any]) -> None:
        log["blockTimestamp"] = YEAR_3000
    rewrite = on_result("eth_getBlockByNumber", future) if where == "header" else on_logs(change)
    if where == "log":  # keep the timestamp the change sets
        inner = rewrite

        def rewrite(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
            if request["method"] == "eth_getLogs":
                for log in response.get("result") or []:
                    log["blockTimestamp"] = YEAR_3000
                return response
            return inner(request, response)
    db = tmp_path / "a.duckdb"
    with FaultProxy(node, rewrite) as proxy, pytest.raises(InvalidResponseError, match="future"):
        index(proxy.url, db, funding=False)
    assert "32503680000" not in stored_text(db)


@pytest.mark.parametrize("method", ["eth_chainId", "eth_blockNumber"])
def test_numbers_above_int64_are_a_one_line_error(node: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  method: str) -> None:
    """The old code exited 70 ('unexpected') on a chain id or head of 2**63."""
    with FaultProxy(node, on_result(method, lambda _: hex(2**63))) as proxy:
        code, err = cli(capsys, "index", "--rpc", proxy.url, "--db", str(tmp_path / "a.duckdb"),
                        "--confirmations", "0", "--no-funding")
    assert code == 1
    assert err.startswith("error: ") and "above the largest supported" in err and err.count("\n") == 1


def test_a_full_block_with_a_hostile_sender_is_not_stored(node: str, tmp_path: Path) -> None:
    """Funding reads full blocks: a script as a sender is refused, the buyer's funding left for a later run."""
    def hostile(block: dict[str, Any]) -> dict[str, Any]:
        for tx in block.get("transactions", []):
            if isinstance(tx, dict):
                tx["from"] = EVIL
        return block
    db = tmp_path / "a.duckdb"
    with FaultProxy(node, on_result("eth_getBlockByNumber", hostile)) as proxy:
        summary = index(proxy.url, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM funding WHERE funder LIKE '%script%'").fetchone() == (0,)
        reasons = con.execute("SELECT reason FROM enrichment_failures").fetchall()
    finally:
        con.close()
    (failure,) = summary.failures_of("funding").failures
    assert "malformed transaction sender" in failure.reason and (failure.reason,) in reasons
    assert "\x1b" not in failure.reason  # the recorded reason quotes the value inert
