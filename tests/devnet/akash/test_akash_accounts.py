"""x/auth's account query: module accounts, a BaseAccount for every address the economy touches, and NotFound
for any other address (or before an account's first height), in cosmos-sdk's shapes."""

from __future__ import annotations

from auditor.devnet.akash.accounts import MODULE_PERMISSIONS, module_address
from auditor.devnet.akash.bech32 import account_address
from auditor.devnet.akash.server import AkashNode
from tests.devnet.akash.conftest import Get

ACCOUNTS = "/cosmos/auth/v1beta1/accounts/"
BASE_KEYS = {"address", "pub_key", "account_number", "sequence"}


def test_module_accounts_are_module_accounts(get: Get) -> None:
    numbers = set()
    for name, permissions in MODULE_PERMISSIONS.items():
        status, body = get(ACCOUNTS + module_address(name))
        assert status == 200, body
        account = body["account"]
        assert set(account) == {"@type", "base_account", "name", "permissions"}
        assert account["@type"] == "/cosmos.auth.v1beta1.ModuleAccount"
        assert (account["name"], account["permissions"]) == (name, list(permissions))
        base = account["base_account"]
        assert set(base) == BASE_KEYS and base["address"] == module_address(name)
        assert base["pub_key"] is None and base["sequence"] == "0"
        numbers.add(int(base["account_number"]))
    assert len(numbers) == len(MODULE_PERMISSIONS)
    # cosmos-sdk's well-known fee collector address, under Akash's prefix
    assert module_address("fee_collector") == "akash17xpfvakm2amg962yls6f84z3kell8c5lazw8j8"


def test_every_address_of_the_economy_is_a_base_account(node: AkashNode, get: Get) -> None:
    txs = node.api.txs
    signed = {tx.signer: sum(t.signer == tx.signer for t in txs) for tx in txs}
    recipients = {m["to_address"] for tx in txs for m in tx.messages if m["@type"].endswith("MsgSend")}
    addresses = set(signed) | recipients | {p.owner for p in node.api.market.providers} \
        | {o.address for o in node.api.market.owners if o.address in signed}
    numbers = set()
    for address in sorted(addresses):
        status, body = get(ACCOUNTS + address)
        assert status == 200, (address, body)
        account = body["account"]
        assert account["@type"] == "/cosmos.auth.v1beta1.BaseAccount" and set(account) == BASE_KEYS | {"@type"}
        assert account["address"] == address
        assert account["sequence"] == str(signed.get(address, 0))
        assert (account["pub_key"] is None) == (address not in signed)
        if account["pub_key"] is not None:
            assert account["pub_key"]["@type"] == "/cosmos.crypto.secp256k1.PubKey"
        numbers.add(account["account_number"])
    assert len(numbers) == len(addresses)


def test_an_account_exists_from_its_first_height(node: AkashNode, get: Get) -> None:
    """An owner funded by a send: not found before it, a BaseAccount with no key at it, its sequence counting
    the txs it signed up to the height asked."""
    txs = node.api.txs
    funded = next(tx for tx in txs if tx.messages[0]["@type"].endswith("MsgSend")
                  and tx.messages[0]["to_address"] in {o.address for o in node.api.market.owners})
    owner, height = funded.messages[0]["to_address"], funded.height
    status, body = get(ACCOUNTS + owner, height=height - 1)
    assert status == 404 and body == {"code": 5, "message": f"account {owner} not found", "details": []}
    status, body = get(ACCOUNTS + owner, height=height)
    assert status == 200 and body["account"]["pub_key"] is None and body["account"]["sequence"] == "0"
    signed = sorted(tx.height for tx in txs if tx.signer == owner)
    assert signed and signed[0] > height
    status, body = get(ACCOUNTS + owner, height=signed[-1])
    assert body["account"]["sequence"] == str(len(signed)) and body["account"]["pub_key"] is not None


def test_unknown_and_invalid_addresses(get: Get) -> None:
    stranger = account_address("never/used")
    status, body = get(ACCOUNTS + stranger)
    assert status == 404
    assert body == {"code": 5, "message": f"account {stranger} not found", "details": []}
    status, body = get(ACCOUNTS + "akash1notanaddress")
    assert status == 400 and body["code"] == 3
