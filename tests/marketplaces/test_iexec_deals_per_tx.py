"""iExec: each deal's buyer is the payer of its own Lock. PoCo's matchOrders (IexecPoco1Facet.sol) locks the
payer's escrow, then the workerpool owner's stake, then emits SchedulerNotice and OrdersMatched; a transaction
that matches several deals in turn (a batch contract) repeats that sequence per deal, so deal 2's payer is the
first Lock after deal 1's OrdersMatched, not the transaction's first Lock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from auditor.analyze import run_analysis
from auditor.store.db import open_db

T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
TX = "0x" + "77" * 32
PAYERS = ("0x" + "a1" * 20, "0x" + "a2" * 20)
POOL_OWNER = "0x" + "0e" * 20
POOLS = ("0x" + "e1" * 20, "0x" + "e2" * 20)


def test_two_deals_in_one_transaction_each_get_their_own_payer(tmp_path: Path) -> None:
    db = tmp_path / "iexec.duckdb"
    with open_db(db, create=True) as con:
        log = 0
        for n, (payer, pool) in enumerate(zip(PAYERS, POOLS, strict=True), start=1):
            deal = f"0x{n:064x}"
            for owner, amount in ((payer, 5_000_000_000 * n), (POOL_OWNER, 1_000_000_000)):
                con.execute("INSERT INTO iexec_lock VALUES (42161, 'poco', 100, $t, $tx, 0, $i, $o, $a)",
                            {"t": T0, "tx": TX, "i": log, "o": owner, "a": amount})
                log += 1
            con.execute("INSERT INTO iexec_scheduler_notice VALUES (42161, 'poco', 100, $t, $tx, 0, $i, $w, $d)",
                        {"t": T0, "tx": TX, "i": log, "w": pool, "d": deal})
            con.execute("INSERT INTO iexec_orders_matched VALUES (42161, 'poco', 100, $t, $tx, 0, $i, $d, "
                        "'0x', '0x', '0x', '0x', 1)", {"t": T0, "tx": TX, "i": log + 1, "d": deal})
            log += 2
        run_analysis(con)
        got = con.execute("SELECT buyer, provider, payment_raw FROM rentals WHERE marketplace = 'iexec' "
                          "ORDER BY log_index").fetchall()
    assert got == [(PAYERS[0], POOLS[0], "5000000000"), (PAYERS[1], POOLS[1], "10000000000")]


def test_a_sponsored_deal_is_the_requesters_not_the_sponsors(tmp_path: Path) -> None:
    """sponsorMatchOrders (IexecPoco1Facet.sol) locks the sponsor's RLC: the Lock names the sponsor, viewDeal the
    requester, who is the one renting."""
    db = tmp_path / "sponsored.duckdb"
    requester, sponsor, deal = "0x" + "c2" * 20, "0x" + "5a" * 20, "0x" + "d1" * 32
    with open_db(db, create=True) as con:
        con.execute("INSERT INTO iexec_lock VALUES (42161, 'poco', 100, $t, $tx, 0, 0, $o, 7000000000)",
                    {"t": T0, "tx": TX, "o": sponsor})
        con.execute("INSERT INTO iexec_orders_matched VALUES (42161, 'poco', 100, $t, $tx, 0, 2, $d, "
                    "'0x', '0x', '0x', '0x', 1)", {"t": T0, "tx": TX, "d": deal})
        con.execute("INSERT INTO iexec_deals (chain_id, contract, block_number, log_index, tx_hash, dealid, status, "
                    "requester, workerpool, category, tag, start_time) VALUES (42161, 'poco', 100, 2, $tx, $d, "
                    "'found', $r, $w, 0, $tag, $t)",
                    {"tx": TX, "d": deal, "r": requester, "w": POOLS[0], "tag": "0x" + "00" * 30 + "0100", "t": T0})
        run_analysis(con)
        got = con.execute("SELECT buyer, payment_raw, workload FROM rentals WHERE marketplace = 'iexec'").fetchall()
    assert got == [(requester, "7000000000", "gpu")]
