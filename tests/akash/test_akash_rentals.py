"""Every lease the endpoint planted is one rental with the right owner, provider, GPU, count, duration (to the
block), payment and KYC; leases open, closed by their owner, by their provider and for lack of funds alike."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from auditor.chains import AKASH_CHAIN_ID
from auditor.devnet.akash.server import AkashNode
from tests.akash.conftest import index

BLOCK_SECONDS = 6
DENOM_TOKEN = {"uakt": "AKT", "uact": "ACT",
               "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1": "USDC"}


def _rentals(db: Path) -> dict[str, dict[str, Any]]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute("SELECT * FROM rentals WHERE marketplace = 'akash'")
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    by_id: dict[str, dict[str, Any]] = {}
    for row in rows:
        assert row["tx_hash"] not in by_id, f"lease {row['tx_hash']} appears twice"
        by_id[row["tx_hash"]] = row
    return by_id


def _id(lease: dict[str, Any]) -> str:
    return f"lease:{lease['owner']}/{lease['dseq']}/{lease['gseq']}/{lease['oseq']}/{lease['provider']}/{lease['bseq']}"


def test_every_planted_lease_is_one_rental(akash_db: Path, akash_truth: dict[str, Any]) -> None:
    rentals = _rentals(akash_db)
    assert sorted(rentals) == sorted(_id(lease) for lease in akash_truth["leases"])


def test_lease_parties_gpu_and_count(akash_db: Path, akash_truth: dict[str, Any]) -> None:
    rentals = _rentals(akash_db)
    for lease in akash_truth["leases"]:
        row = rentals[_id(lease)]
        assert (row["chain_id"], row["buyer"], row["provider"]) == (AKASH_CHAIN_ID, lease["owner"], lease["provider"])
        if lease["gpu_model"] is None:
            assert (row["gpu_model_raw"], row["gpu_count"], row["workload"], row["h100e_hours"]) == \
                (None, 0, "cpu", None)
        else:
            raw = f"{lease['gpu_model']}/{lease['gpu_memory']}/{lease['gpu_interface']}"
            assert (row["gpu_model_raw"], row["gpu_count"], row["workload"]) == (raw, lease["gpu_count"], "gpu")
            assert row["gpu_model"] is not None, f"{raw} maps to no gpu_specs row"


def test_lease_duration_to_the_block(akash_db: Path, akash_truth: dict[str, Any]) -> None:
    rentals = _rentals(akash_db)
    latest = akash_truth["chain"]["latest_height"]
    for lease in akash_truth["leases"]:
        row = rentals[_id(lease)]
        end = lease["close_height"] if lease["close_height"] is not None else latest
        assert row["block_number"] == lease["open_height"]
        assert row["start_time"].strftime("%Y-%m-%dT%H:%M:%SZ") == lease["open_time"]
        assert round(row["duration_hours"] * 3600) == (end - lease["open_height"]) * BLOCK_SECONDS
        assert row["is_open"] is (lease["close_height"] is None)
        if lease["close_time"] is not None:
            assert row["end_time"].strftime("%Y-%m-%dT%H:%M:%SZ") == lease["close_time"]


def test_lease_price_and_payment(akash_db: Path, akash_truth: dict[str, Any]) -> None:
    rentals = _rentals(akash_db)
    with duckdb.connect(str(akash_db), read_only=True) as con:
        stored = {f"lease:{r[0]}/{r[1]}/{r[2]}/{r[3]}/{r[4]}/{r[5]}": r[6:] for r in con.execute(
            "SELECT owner, dseq, gseq, oseq, provider, bseq, price_denom, price_amount, reason_code, closed_on "
            "FROM akash_lease").fetchall()}
    for lease in akash_truth["leases"]:
        key = _id(lease)
        denom, amount, reason, closed_on = stored[key]
        assert (denom, amount) == (lease["price_denom"], Decimal(lease["price_amount"]))
        assert (reason, closed_on) == (lease["close_reason"], lease["close_height"])
        row = rentals[key]
        assert Decimal(row["payment_raw"]) == Decimal(lease["total_paid"])
        assert row["payment_token"] == DENOM_TOKEN[lease["price_denom"]]


def test_every_way_a_lease_ends_is_covered(akash_truth: dict[str, Any]) -> None:
    ends = {lease["closed_by"] for lease in akash_truth["leases"]}
    assert ends == {None, "owner", "provider", "insufficient_funds"}
    assert {lease["gpu_model"] is None for lease in akash_truth["leases"]} == {True, False}


def test_card_paid_owners_are_kyc_card(akash_db: Path, akash_truth: dict[str, Any]) -> None:
    rentals = _rentals(akash_db)
    card = {o["address"] for o in akash_truth["owners"] if o["card_paid"]}
    leases = akash_truth["leases"]
    assert any(lease["owner"] in card for lease in leases) and any(lease["owner"] not in card for lease in leases)
    for lease in leases:
        row = rentals[_id(lease)]
        assert row["kyc"] == ("card" if lease["owner"] in card else "none")
        assert row["h100e_method"] == "duration"


def test_pricing_bot_is_no_buyer(akash_db: Path, akash_truth: dict[str, Any]) -> None:
    with duckdb.connect(str(akash_db), read_only=True) as con:
        deployments = con.execute("SELECT count(*) FROM akash_deployment WHERE owner = ?",
                                  [akash_truth["labels"]["pricing_bot"]]).fetchone()
        rentals = con.execute("SELECT count(*) FROM rentals WHERE buyer = ?",
                              [akash_truth["labels"]["pricing_bot"]]).fetchone()
    assert deployments is not None and deployments[0] > 0
    assert rentals == (0,)


def test_owners_first_funding(akash_db: Path, akash_truth: dict[str, Any]) -> None:
    with duckdb.connect(str(akash_db), read_only=True) as con:
        funding = dict(con.execute("SELECT address, funder FROM funding WHERE chain_id = ? AND status = 'funded'",
                                   [AKASH_CHAIN_ID]).fetchall())
    owners = [o for o in akash_truth["owners"] if o["funding_tx_hashes"]]
    assert owners
    for owner in owners:
        assert funding[owner["address"]] == owner["funder"]


def test_owners_akt_sends_are_native_transfers(akash_db: Path) -> None:
    with duckdb.connect(str(akash_db), read_only=True) as con:
        sends = con.execute("SELECT tx_hash, \"from\", \"to\", amount::HUGEINT * 1000000000000 FROM akash_transfer "
                            "WHERE kind = 'send' AND denom = 'uakt' ORDER BY ALL").fetchall()
        native = con.execute("SELECT tx_hash, \"from\", \"to\", value FROM native_transfer WHERE chain_id = ? "
                             "ORDER BY ALL", [AKASH_CHAIN_ID]).fetchall()
    assert sends and native == [(h, a, b, int(v)) for h, a, b, v in sends]


def test_from_block_keeps_objects_created_from_that_height(akash_truth: dict[str, Any], akash: AkashNode,
                                                         tmp_path: Path) -> None:
    heights = sorted(lease["open_height"] for lease in akash_truth["leases"])
    cut = heights[len(heights) // 2]
    db = tmp_path / "from.duckdb"
    index((akash.url,), db, from_block=cut)
    with duckdb.connect(str(db), read_only=True) as con:
        got = sorted(r[0] for r in con.execute("SELECT created_at FROM akash_lease").fetchall())
        deployments = con.execute("SELECT min(created_at) FROM akash_deployment").fetchone()
        coverage = con.execute("SELECT DISTINCT from_block FROM coverage").fetchall()
    assert got == [h for h in heights if h >= cut]
    assert deployments is not None and deployments[0] >= cut
    assert coverage == [(cut,)]
