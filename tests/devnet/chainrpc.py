"""Plain JSON-RPC helpers for checking the played devnet without the auditor's own RPC or decoding code.

Expected topic0s are hard-coded reference values, and logs are decoded by slicing 32-byte words.
"""

from __future__ import annotations

import socket
import time
from typing import Any

from auditor.devnet import Devnet
from auditor.devnet.jsonrpc import LocalRpc
from auditor.marketplaces import MARKETPLACES

WINNING_TICKET_REDEEMED = "0xc389eb51ed006dbf2528507f010efdf5225ea596e1e1741d74f550dab1925ee7"
LEASE_CREATED = "0x5ac8ea04e47ef9fd0cb3dc8fb52cafc453271d39b0e0b60c8674e64bf08737c4"
SESSION_OPENED = "0x2bd7c890baf595977d256a6e784512c873ac58ba612b4895dbb7f784bfbf4839"
ORDERS_MATCHED = "0xd811b592ed0899225773e8933d8df64bd0b62761a9d7aad4ed5b22735f4610a4"
LOCK = "0x625fed9875dada8643f2418b838ae0bc78d9a148a18eee4ee1979ff0f3f5d427"
SCHEDULER_NOTICE = "0x692ad61076dceddd0f1a861f737553dd61fc8501cf4190d29c4e90af6607f765"
SERVICE_URI_UPDATE = "0xfbb63068732c85741c9f8e61caffaabe038d577bfafd2d2dcc0e352a4f653a4c"
TASK_CREATED = "0x1455e6e35b1b89916dd3024a995f41593b0b27f0e7cb61b253a69ba2c2d37951"
TASK_EXTENDED = "0xd1fa78153d824892404081883d06a6a4d9dd70c117aff5a8bf61c8961ffc941c"
TASK_TERMINATED = "0x58136d68c79c10fb55282098b850a5a1c041b28af29cb65ea657a824f5bd6a36"
TASK_COMPLETED = "0x2ea2764b7d80d0107c1d2c0210ead4a6fdee0f86235483a041d9faffbf875880"
FLOW_UPDATED = "0x57269d2ebcccecdcc0d9d2c0a0b80ead95f344e28ec20f50f709811f209d4e0e"
TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
APPROVAL = "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925"
ANSWER_UPDATED = "0x0559884fd3a460db3073b7fc896cc77986f16e378210ded43186175bf646fc5f"
PHASE_ID = "0x58303b10"
PHASE_AGGREGATORS = "0xc1597304"


def rpc(url: str, method: str, *params: Any) -> Any:
    with LocalRpc(url, timeout=60) as node:
        return node.call(method, *params)


def rpc_batch(url: str, calls: list[tuple[str, list[Any]]]) -> list[Any]:
    with LocalRpc(url, timeout=60) as node:
        return node.batch(calls)


def get_logs(net: Devnet, chain_id: int, address: str, topics: list[Any]) -> list[dict[str, Any]]:
    """Every log of `address` matching `topics` on a devnet chain (from its genesis: anvil scans from 0 for
    "earliest", slow on a chain started at block 300,000,000)."""
    chain = net.truth.chains[chain_id]
    return list(rpc(net.urls[chain_id], "eth_getLogs", {"fromBlock": hex(chain.genesis_block), "toBlock": "latest",
                                                         "address": address, "topics": topics}))


def port_open(url: str) -> bool:
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def words(data: str) -> list[bytes]:
    raw = bytes.fromhex(data.removeprefix("0x"))
    return [raw[i:i + 32] for i in range(0, len(raw), 32)]


def as_int(word: bytes | str, signed: bool = False) -> int:
    raw = word if isinstance(word, bytes) else bytes.fromhex(word.removeprefix("0x"))
    return int.from_bytes(raw, "big", signed=signed)


def as_address(word: bytes | str) -> str:
    hexed = word.hex() if isinstance(word, bytes) else word.removeprefix("0x")
    return "0x" + hexed[-40:]


def topic_of(address: str) -> str:
    return "0x" + "0" * 24 + address.removeprefix("0x").lower()


def iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def log_time(log: dict[str, Any]) -> int:
    return int(log["blockTimestamp"], 16)


def same_abi_addresses(marketplace: str, contract: str, chain_id: int) -> list[str]:
    """Every deployment on the chain of the marketplace's contracts that share `contract`'s ABI (Swan's two
    JobManagers)."""
    m = next(m for m in MARKETPLACES if m.name == marketplace)
    abi = next(c for c in m.contracts if c.name == contract).abi
    return sorted(d.address.lower() for c in m.contracts if c.abi == abi for d in c.deployments
                  if d.chain_id == chain_id)


def registry_address(marketplace: str, contract: str, chain_id: int | None = None) -> str:
    m = next(m for m in MARKETPLACES if m.name == marketplace)
    deployments = next(c for c in m.contracts if c.name == contract).deployments
    return next(d for d in deployments if chain_id in (None, d.chain_id)).address.lower()
