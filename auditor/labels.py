"""`auditor labels import`: the analyst's own list of service addresses (exchange hot wallets, bridges...).

Same columns as the shipped list (auditor/data/service_labels.csv): `chain_id,address,category,label,source`.
Labelled addresses never merge entities; an exchange hot wallet (`cex_hot`) is also what a deposit address
forwards to. Re-importing an address replaces its label. The whole file loads or nothing does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from auditor import csvimport
from auditor.chains import AKASH_CHAIN_ID
from auditor.errors import InputError

SPEC = csvimport.CsvImport("label", ("chain_id", "address", "category", "label"),
                           "chain_id,address,category,label,source")
# card_onramp: takes card payments and funds the wallets it sells to (the Akash Console's funding wallet grants
# fees and deposits to card-paid wallets): their rentals are kyc 'card', not a bare wallet's.
CATEGORIES = ("cex_hot", "bridge", "router", "relayer", "faucet", "mev", "card_onramp", "other")
AKASH_ADDRESS = r"akash1[02-9ac-hj-np-z]{38}([02-9ac-hj-np-z]{20})?"   # bech32, on chain_id AKASH_CHAIN_ID


def import_labels(con: duckdb.DuckDBPyConnection, csv_path: Path) -> int:
    """Load a label CSV into user_labels in one transaction; returns the number of rows loaded."""
    source = "source" if "source" in csvimport.columns(con, SPEC, csv_path) else "NULL"
    select = f"""
        SELECT TRY_CAST(trim(chain_id) AS BIGINT) AS chain_id, lower(trim(address)) AS address,
               lower(trim(category)) AS category, trim(label) AS label, {source} AS source,
               row_number() OVER () + 1 AS line
        FROM {csvimport.READ}"""

    def validate(params: dict[str, Any]) -> None:
        bad = con.execute(f"""
            SELECT line FROM ({select})
            WHERE chain_id IS NULL OR NOT (regexp_full_match(coalesce(address, ''), '0x[0-9a-f]{{40}}')
                                           OR chain_id = $akash AND regexp_full_match(address, $akash_address))
               OR category NOT IN (SELECT unnest($categories)) OR coalesce(label, '') = ''
            ORDER BY line LIMIT 1""", {**params, "categories": list(CATEGORIES), "akash": AKASH_CHAIN_ID,
                                   "akash_address": AKASH_ADDRESS}).fetchone()
        if bad:
            raise InputError(f"label file {csv_path.name} line {bad[0]}: need a chain id, a 0x address of 40 hex "
                             f"digits (on Akash, {AKASH_CHAIN_ID}: an akash1 address), a category "
                             f"({', '.join(CATEGORIES)}) and a label")
        dup = con.execute(f"SELECT chain_id, address FROM ({select}) GROUP BY ALL HAVING count(*) > 1 LIMIT 1",
                          params).fetchone()
        if dup:
            raise InputError(f"label file {csv_path.name} lists {dup[1]} on chain {dup[0]} more than once")

    insert = f"INSERT OR REPLACE INTO user_labels SELECT chain_id, address, category, label, source, $name " \
             f"FROM ({select})"
    return csvimport.load(con, SPEC, csv_path, insert, validate)
