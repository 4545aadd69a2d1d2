"""x/auth accounts (cosmos.auth.v1beta1 QueryAccountResponse): the chain's module accounts and a BaseAccount
for every address the plan's ledger or txs touch, from the height it first appears on.

Module accounts and their permissions are Akash's (akash-network/node app/app.go MacPerms); their addresses are
cosmos-sdk's authtypes.NewModuleAddress(name), the first 20 bytes of SHA-256(name). Account numbers follow first
appearance (module accounts first, from genesis), as x/auth hands them out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from auditor.devnet.akash.bech32 import ACCOUNT_HRP, encode
from auditor.devnet.akash.funding import funders
from auditor.devnet.akash.model import Market
from auditor.devnet.akash.shapes import Json, b64
from auditor.devnet.akash.txs import Tx

BASE_ACCOUNT = "/cosmos.auth.v1beta1.BaseAccount"
MODULE_ACCOUNT = "/cosmos.auth.v1beta1.ModuleAccount"
SECP256K1 = "/cosmos.crypto.secp256k1.PubKey"
MODULE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "fee_collector": (),
    "escrow": (),
    "distribution": (),
    "mint": ("minter",),
    "bonded_tokens_pool": ("burner", "staking"),
    "not_bonded_tokens_pool": ("burner", "staking"),
    "gov": ("burner",),
    "transfer": ("minter", "burner"),
}


def module_address(name: str) -> str:
    return encode(ACCOUNT_HRP, hashlib.sha256(name.encode()).digest()[:20])


def pub_key(address: str) -> Json:
    """The deterministic filler key tx_json shows for the signer (cosmos.py)."""
    return {"@type": SECP256K1, "key": b64(b"\x02" + hashlib.sha256(f"{address}/0".encode()).digest()[:32])}


@dataclass(frozen=True)
class Account:
    address: str
    number: int
    since: int                 # the first height the account exists at
    module: str = ""           # the module's name for a module account
    signed: tuple[int, ...] = ()   # heights of the txs it signed, sorted


class Accounts:
    """Every account of the plan, answered as of any height."""

    def __init__(self, market: Market, txs: tuple[Tx, ...]) -> None:
        g = market.genesis_height
        first: dict[str, int] = {}
        signed: dict[str, list[int]] = {}

        def seen(address: str, height: int) -> None:
            first[address] = min(first.get(address, height), height)

        who = funders(market.seed)
        for address in (who.exchange, who.console, *(p.owner for p in market.providers)):
            seen(address, g)
        for tx in txs:
            seen(tx.signer, tx.height)
            signed.setdefault(tx.signer, []).append(tx.height)
            for msg in tx.messages:
                if msg["@type"] == "/cosmos.bank.v1beta1.MsgSend":
                    seen(msg["to_address"], tx.height)
        self._by_address: dict[str, Account] = {}
        for number, name in enumerate(MODULE_PERMISSIONS):
            address = module_address(name)
            self._by_address[address] = Account(address, number, g, module=name)
        start = len(self._by_address)
        for number, address in enumerate(sorted(first, key=lambda a: (first[a], a)), start):
            self._by_address[address] = Account(address, number, first[address],
                                                signed=tuple(sorted(signed.get(address, ()))))

    def module_accounts(self) -> list[str]:
        return [a.address for a in self._by_address.values() if a.module]

    def account_json(self, address: str, at: int) -> Json | None:
        """The Any in QueryAccountResponse.account at height `at`, None when no such account exists yet."""
        account = self._by_address.get(address)
        if account is None or account.since > at:
            return None
        sequence = sum(h <= at for h in account.signed)
        base = {"address": address, "pub_key": pub_key(address) if sequence else None,
                "account_number": str(account.number), "sequence": str(sequence)}
        if not account.module:
            return {"@type": BASE_ACCOUNT, **base}
        return {"@type": MODULE_ACCOUNT, "base_account": {**base, "pub_key": None},
                "name": account.module, "permissions": list(MODULE_PERMISSIONS[account.module])}
