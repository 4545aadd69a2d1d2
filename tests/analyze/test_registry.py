"""The analysis engine iterates the marketplace registry: it names no marketplace, and a marketplace it has
never seen (built here, with its own rentals SQL, variable, function and facts) is analysed like the shipped ones
without a change to the engine or the shared queries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from auditor.analyze import plan, queries, rentals_queries, run_analysis
from auditor.errors import AuditorError
from auditor.marketplaces import MARKETPLACES
from auditor.marketplaces.base import Marketplace, SqlFunction, Token, address_variable
from auditor.resources import PACKAGE_DIR, project_dir
from auditor.store.db import open_db

CHAIN = 31337
T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
TREASURY = "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"   # mixed case: the variable must be normalized
BUYERS = ("0x" + "b1" * 20, "0x" + "b2" * 20)
PROVIDER = "0x" + "90" * 20

TOY_SQL = """-- name: rentals_toy
-- purpose: one rental per toy payment to a provider (not to the treasury), GPU from the memo.
-- parameters: toy_treasury (address)
SELECT chain_id, block_number, block_time, tx_hash, log_index, payer AS buyer, payee AS provider,
       toy_gpu(memo) AS gpu_model_raw, block_time AS start_time, block_time + INTERVAL 2 HOUR AS end_time,
       2.0 AS duration_hours, false AS is_open, token_amount(amount) AS payment_amount,
       amount::VARCHAR AS payment_raw, CASE WHEN memo = 'cpu' THEN 'cpu' ELSE 'ai-inference' END AS workload
FROM toy_payments
WHERE payee <> getvariable('toy_treasury');
"""


def engine_files() -> list[Path]:
    """The engine (auditor/analyze/) and the shared SQL (queries/, with its steps)."""
    return sorted([*(PACKAGE_DIR / "analyze").rglob("*.py"), *project_dir("queries").rglob("*.sql")])


def test_the_engine_and_the_shared_sql_name_no_marketplace() -> None:
    names = re.compile("|".join(m.name for m in MARKETPLACES), re.IGNORECASE)
    files = engine_files()
    assert len(files) > 20
    found = [f"{path}:{n}: {line.strip()}" for path in files
             for n, line in enumerate(path.read_text().splitlines(), 1) if names.search(line)]
    assert found == []


def test_every_marketplace_brings_its_own_rentals_sql_and_runs_after_the_rentals_table() -> None:
    for m in MARKETPLACES:
        assert m.rentals.is_file() and m.rentals.parent.name == m.name, m.name
    names = [step.name for step in plan()]
    first = names.index("10_rentals") + 1
    assert names[first:first + len(MARKETPLACES)] == [q.name for q in rentals_queries(MARKETPLACES)]
    assert names[first + len(MARKETPLACES)] == "19_values"
    assert all(q.purpose for q in [*queries(), *rentals_queries(MARKETPLACES)])


def toy_marketplace(tmp_path: Path) -> Marketplace:
    sql = tmp_path / "toy" / "rentals.sql"
    sql.parent.mkdir()
    sql.write_text(TOY_SQL)
    return Marketplace(
        name="toy", title="Toy market", contracts=(), buyers=(), kyc="none", h100e_method="payment",
        method_note="one rental per toy payment", rentals=sql, token=Token("TOY", 6),
        variables=(address_variable("toy_treasury", TREASURY),),
        functions=(SqlFunction("toy_gpu", lambda memo: None if memo in (None, "cpu") else memo.split(":")[0],
                               ("VARCHAR",), "VARCHAR"),),
        unestimated_workloads=("cpu",))


def build(db: Path) -> None:
    with open_db(db, create=True) as con:
        con.execute("CREATE TABLE toy_payments (chain_id BIGINT, block_number BIGINT, block_time TIMESTAMPTZ, "
                    "tx_hash VARCHAR, log_index INTEGER, payer VARCHAR, payee VARCHAR, amount HUGEINT, memo VARCHAR)")
        payments = [(1, BUYERS[0], PROVIDER, 40_000_000, "h100:8"),      # 40 TOY
                    (2, BUYERS[1], PROVIDER, 12_500_000, "cpu"),         # 12.5 TOY, CPU: no H100e
                    (3, BUYERS[1], TREASURY.lower(), 99_000_000, "h100:1")]   # to the treasury: not a rental
        for n, payer, payee, amount, memo in payments:
            con.execute("INSERT INTO toy_payments VALUES ($c, $n, $t, $tx, 0, $payer, $payee, $amount, $memo)",
                        {"c": CHAIN, "n": n, "t": T0 + dt.timedelta(minutes=n), "tx": f"0x{n:064x}",
                         "payer": payer, "payee": payee, "amount": amount, "memo": memo})
        con.execute("INSERT INTO price_imports VALUES ('TOY', $t, 0.5, 'test.csv')", {"t": T0})


def test_a_new_marketplace_is_analysed_without_an_engine_change(tmp_path: Path) -> None:
    db = tmp_path / "toy.duckdb"
    build(db)
    toy = toy_marketplace(tmp_path)
    with open_db(db) as con:
        steps = run_analysis(con, registry=(*MARKETPLACES, toy))
        rentals = con.execute("""
            SELECT buyer, provider, marketplace, kyc, h100e_method, payment_token, payment_amount, payment_raw,
                   payment_usd, gpu_model_raw, workload, h100e_hours
            FROM rentals ORDER BY block_number""").fetchall()
        facts = con.execute("SELECT kyc, h100e_method, payment_token, token_decimals, buyer_sends, "
                            "unestimated_workloads FROM marketplace_facts WHERE marketplace = 'toy'").fetchall()
        entities = con.execute("SELECT address, role FROM address_entities ORDER BY address").fetchall()
        weekly = con.execute("SELECT marketplace, sum(rentals) FROM entity_weekly GROUP BY ALL").fetchall()
    assert "rentals_toy" in [s.name for s in steps]
    assert rentals == [
        (BUYERS[0], PROVIDER, "toy", "none", "payment", "TOY", 40.0, "40000000", 20.0, "h100", "ai-inference",
         pytest.approx(20.0 / 2.0)),   # $20 at the shipped central $2.00 per H100-hour
        (BUYERS[1], PROVIDER, "toy", "none", "payment", "TOY", 12.5, "12500000", 6.25, None, "cpu", None),
    ]
    assert facts == [("none", "payment", "TOY", 6, True, ["cpu"])]
    assert entities == [(b, "buyer") for b in BUYERS]
    assert weekly == [("toy", 2)]


def test_the_shipped_registry_alone_leaves_the_new_marketplace_out(tmp_path: Path) -> None:
    db = tmp_path / "toy.duckdb"
    build(db)
    with open_db(db) as con:
        run_analysis(con)
        assert con.execute("SELECT count(*) FROM rentals").fetchall() == [(0,)]
        run_analysis(con, registry=(*MARKETPLACES, toy_marketplace(tmp_path)))   # again on one connection
        assert con.execute("SELECT count(*) FROM rentals").fetchall() == [(2,)]


def test_a_rentals_sql_may_not_retype_what_the_registry_states(tmp_path: Path) -> None:
    db = tmp_path / "toy.duckdb"
    build(db)
    toy = toy_marketplace(tmp_path)
    toy.rentals.write_text(TOY_SQL.replace("SELECT chain_id,", "SELECT chain_id, 'none' AS kyc,"))
    with open_db(db) as con, pytest.raises(AuditorError, match="kyc come from the registry"):
        run_analysis(con, registry=(toy,))


def test_a_marketplace_variable_or_function_may_not_take_another_name(tmp_path: Path) -> None:
    toy = toy_marketplace(tmp_path)
    db = tmp_path / "toy.duckdb"
    build(db)
    twin = dataclasses.replace(toy, name="twin", functions=())
    with open_db(db) as con:
        with pytest.raises(AuditorError, match="variable toy_treasury is already taken"):
            run_analysis(con, registry=(toy, twin))
        with pytest.raises(AuditorError, match="variable max_funder_fanout is already taken"):
            run_analysis(con, registry=(dataclasses.replace(toy, variables=(address_variable(
                "max_funder_fanout", TREASURY),)),))
        with pytest.raises(AuditorError, match="function toy_gpu is already taken"):
            run_analysis(con, registry=(toy, dataclasses.replace(twin, variables=(), functions=toy.functions)))
