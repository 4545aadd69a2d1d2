"""`auditor index` against real nodes it cannot use, and window arguments against a real devnet."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.cli import main
from auditor.devnet import Devnet
from auditor.devnet.anvil import Anvil


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    _, err = capsys.readouterr()
    return int(exit_info.value.code or 0), err


def test_chain_without_marketplaces(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with Anvil(chain_id=1, genesis_block=0, genesis_time=1_785_715_200, log_path=tmp_path / "anvil.log") as node:
        db = tmp_path / "a.duckdb"
        code, err = run(capsys, "index", "--rpc", node.url, "--db", str(db))
    assert code == 1
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert "Ethereum (chain id 1)" in err and "no supported marketplace" in err
    assert not db.exists()


def test_a_chain_whose_marketplace_was_not_asked_for_says_what_it_has(capsys: pytest.CaptureFixture[str],
                                                                        devnet: Devnet, tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    code, err = run(capsys, "index", "--rpc", devnet.urls[254], "--db", str(db), "--marketplace", "livepeer")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "Swan Chain (chain id 254), which has swan" in err and "livepeer is on Arbitrum One" in err
    assert not db.exists()


def test_to_block_beyond_head(capsys: pytest.CaptureFixture[str], devnet: Devnet, truth: dict[str, object],
                              tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    code, err = run(capsys, "index", "--rpc", devnet.urls[8453], "--db", str(db), "--to-block", str(10**12))
    assert code == 1
    assert "beyond the head" in err
    assert not db.exists()


def test_window_and_marketplace_filter(capsys: pytest.CaptureFixture[str], devnet: Devnet,
                                       truth: dict[str, object], tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "a.duckdb"
    code, err = run(capsys, "index", "--rpc", devnet.urls[8453], "--db", str(db), "--marketplace", "morpheus",
                    "--from-block", "30000100", "--to-block", "30000400", "--no-funding")
    assert code == 0, err
    con = duckdb.connect(str(db), read_only=True)
    try:
        blocks = con.execute("SELECT min(block_number), max(block_number), count(*) FROM morpheus_session_opened"
                             ).fetchone()
        others = con.execute("SELECT count(*) FROM spheron_lease_created").fetchone()
        coverage = con.execute("SELECT source, from_block, to_block FROM coverage").fetchall()
        funding = con.execute("SELECT count(*) FROM funding").fetchone()
    finally:
        con.close()
    assert blocks is not None and blocks[2] > 0 and blocks[0] >= 30000100 and blocks[1] <= 30000400
    assert others == (0,) and funding == (0,)
    # The price feeds come along with any marketplace: payments need them.
    assert sorted((s.split("#")[0], a, b) for s, a, b in coverage if not s.startswith("chainlink/")) == [
        ("morpheus/Diamond", 30000100, 30000400)]
    assert {(a, b) for s, a, b in coverage if s.startswith("chainlink/")} == {(30000100, 30000400)}
