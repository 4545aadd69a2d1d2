"""x/auth account types (GET /cosmos/auth/v1beta1/accounts/{address}), the Akash counterpart of eth_getCode:
a BaseAccount is a key's plain account (an EOA to the clustering); a ModuleAccount (escrow, fee collector, ...)
or any other account type is not one. An address the chain has never seen answers NotFound ("account ... not
found", cosmos-sdk x/auth/keeper/grpc_query.go): no account, so not a module either."""

from __future__ import annotations

from typing import Any

from auditor.errors import RpcResponseError
from auditor.extract.akash import fields as f
from auditor.extract.akash.lcd import HEIGHT_HEADER
from auditor.model import Code
from auditor.rpc.client import Rpc
from auditor.rpc.rest import GRPC_NOT_FOUND

ACCOUNTS_PATH = "/cosmos/auth/v1beta1/accounts/"
BASE_ACCOUNT = "/cosmos.auth.v1beta1.BaseAccount"
MODULE_ACCOUNT = "/cosmos.auth.v1beta1.ModuleAccount"
MAX_TYPE_CHARS = 128


def _named(value: Any, address: str, what: str) -> None:
    """The account's own address field, which must be the address asked about."""
    if f.address(f.obj(value, what).get("address"), f"{what} address") != address:
        raise f.bad(f"{what} address (another account's)", value)


def account_code(answer: Any, address: str) -> Code:
    """A QueryAccountResponse checked, as the address's Code (size 0: an account holds no code here)."""
    account = f.obj(f.obj(answer, "account response").get("account"), "account")
    kind = account.get("@type")
    if not isinstance(kind, str) or not kind.startswith("/") or len(kind) > MAX_TYPE_CHARS:
        raise f.bad("account type", kind)
    if kind == BASE_ACCOUNT:
        _named(account, address, "account")
    elif kind == MODULE_ACCOUNT:
        _named(account.get("base_account"), address, "module account")
        if not isinstance(account.get("name"), str):
            raise f.bad("module account name", account.get("name"))
    return Code(address, kind != BASE_ACCOUNT, False, 0)


async def account_type(client: Rpc, address: str, height: int) -> Code:
    """Whether `address` is a plain account at `height` (not found: never used, so a plain one)."""
    try:
        answer = await client.get(ACCOUNTS_PATH + address, headers={HEIGHT_HEADER: str(height)})
    except RpcResponseError as exc:
        if exc.code == GRPC_NOT_FOUND and f"account {address} not found" in str(exc):
            return Code(address, False, False, 0)
        raise
    return account_code(answer, address)
