"""Akash account types in address_code, so the clustering sees Akash owners and their counterparties as plain
accounts: looked up once over HTTP, failures recorded and retried, malformed answers never stored.

The simulated economy has no owner paying a common non-owner account (owners only receive: from the exchange,
a private funder or the Console's grants), so no deposit_reuse or sweep_to_collector can form; what is checked
is that every counterparty is now visible to those heuristics as a plain account (_eoas)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import aiohttp
import duckdb
import pytest
from aiohttp import web

from auditor.chains import AKASH_CHAIN_ID
from auditor.devnet.akash.accounts import module_address
from auditor.devnet.akash.bech32 import account_address
from auditor.devnet.akash.funding import funders
from auditor.devnet.akash.server import AkashNode
from auditor.errors import InvalidResponseError
from auditor.extract.akash.accounts import account_code, account_type
from auditor.model import Code
from auditor.rpc.client import RpcClient
from tests.akash.conftest import SEED, index, tables
from tests.faultproxy import FaultProxy

ACCOUNTS = "/cosmos/auth/v1beta1/accounts/"


def _rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_owners_and_counterparties_are_plain_accounts(akash: AkashNode, akash_db: Path) -> None:
    codes = dict(_rows(akash_db, "SELECT address, is_contract FROM address_code WHERE chain_id = ?",
                       [AKASH_CHAIN_ID]))
    owners = {a for (a,) in _rows(akash_db, "SELECT address FROM funding WHERE chain_id = ?", [AKASH_CHAIN_ID])}
    ends = {a for row in _rows(akash_db, 'SELECT "from", "to" FROM native_transfer WHERE chain_id = ?',
                               [AKASH_CHAIN_ID]) for a in row}
    funder_rows = _rows(akash_db, "SELECT funder FROM funding WHERE chain_id = ? AND funder IS NOT NULL",
                        [AKASH_CHAIN_ID])
    who = funders(SEED)
    assert {who.exchange, who.console, *who.private} <= {a for (a,) in funder_rows} | ends
    assert owners and set(codes) == owners | ends | {a for (a,) in funder_rows}
    latest = akash.api.latest
    for address, is_contract in codes.items():
        served = akash.api.accounts.account_json(address, latest)
        assert is_contract == (served is not None and served["@type"] != "/cosmos.auth.v1beta1.BaseAccount")
    assert not any(codes.values())   # the economy's addresses are all BaseAccounts: every one an EOA
    assert _rows(akash_db, "SELECT count(*) FROM enrichment_failures WHERE step = 'akash-account'") == [(0,)]
    # what 21_cluster_evidence.sql's _eoas keeps: the plain accounts that are not services (the exchange is one)
    eoas = {a for (a,) in _rows(akash_db, "SELECT address FROM address_code WHERE NOT is_contract "
                                          "EXCEPT SELECT address FROM service_addresses")}
    assert set(who.private) <= eoas and owners & eoas


def test_a_rerun_asks_no_account_again(akash: AkashNode, akash_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "again.duckdb"
    shutil.copy(akash_db, db)
    before = tables(db)
    with FaultProxy(akash.url) as proxy:
        index((proxy.url,), db)
    assert proxy.requests and not [r for r in proxy.requests if ACCOUNTS in r]
    assert tables(db, skip=("chains.rpc_host",))["address_code"] == before["address_code"]


def test_failed_and_malformed_lookups_are_retried_next_run(akash: AkashNode, tmp_path: Path) -> None:
    clean = tmp_path / "clean.duckdb"
    index((akash.url,), clean)
    who = funders(SEED)
    other = account_address("akash/someone-else")

    def broken(request: dict[str, Any], n: int) -> web.Response | None:
        path = request.get("path", "")
        if path == ACCOUNTS + who.private[0]:   # another account's answer: never stored
            return web.json_response({"account": {"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": other,
                                                  "pub_key": None, "account_number": "1", "sequence": "0"}})
        if path == ACCOUNTS + who.private[1]:
            return web.json_response({"code": 2, "message": "internal error", "details": []}, status=400)
        return None

    db = tmp_path / "broken.duckdb"
    with FaultProxy(akash.url, inject=broken) as proxy:
        index((proxy.url,), db)
    assert _rows(db, "SELECT item FROM enrichment_failures WHERE step = 'akash-account' ORDER BY 1") == sorted(
        [(who.private[0],), (who.private[1],)])
    assert _rows(db, "SELECT count(*) FROM address_code WHERE address IN (?, ?)", list(who.private)) == [(0,)]
    index((akash.url,), db)
    assert tables(db) == tables(clean)


@pytest.mark.parametrize(("address", "is_contract"), [
    (module_address("escrow"), True), (module_address("fee_collector"), True),
    (funders(SEED).exchange, False), (account_address("never/used"), False)])
def test_account_types_over_http(akash: AkashNode, address: str, is_contract: bool) -> None:
    async def ask() -> Code:
        async with aiohttp.ClientSession() as session:
            return await account_type(RpcClient(akash.url, session), address, akash.api.latest)
    assert asyncio.run(ask()) == Code(address, is_contract, False, 0)


@pytest.mark.parametrize("answer", [
    {}, {"account": None}, {"account": {"@type": 7}}, {"account": {"@type": "/cosmos.auth.v1beta1.BaseAccount"}},
    {"account": {"@type": "/cosmos.auth.v1beta1.ModuleAccount", "base_account": None, "name": "escrow"}},
    {"account": {"@type": "/cosmos.auth.v1beta1.ModuleAccount",
                 "base_account": {"address": module_address("escrow")}, "name": None}},
    {"account": {"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": "akash1\u202eevil"}}])
def test_malformed_account_answers_are_refused(answer: dict[str, Any]) -> None:
    with pytest.raises(InvalidResponseError):
        account_code(answer, module_address("escrow"))
