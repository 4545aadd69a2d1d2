"""Which kind of endpoint a URL is: an EVM JSON-RPC node (eth_chainId) or a Cosmos REST (LCD) gateway (its node
info names the network). eth_chainId is asked first, with the client's retries; only an answer that says "not
JSON-RPC" (HTTP 4xx or 501, a body that is not JSON-RPC) leads to the Cosmos question, so a flaky EVM provider
is never mistaken for anything else."""

from __future__ import annotations

import re
from typing import Any

from auditor.chains import AKASH_CHAIN_ID, AKASH_NETWORK
from auditor.errors import InputError, RpcError, TransientRpcError
from auditor.rpc.client import RpcClient
from auditor.rpc.eth import chain_id

NODE_INFO = "/cosmos/base/tendermint/v1beta1/node_info"
_NETWORK = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,49}")


async def detect_chain(client: RpcClient) -> int:
    """The chain id the store uses for the endpoint's chain (AKASH_CHAIN_ID for an Akash LCD)."""
    try:
        return await chain_id(client)
    except TransientRpcError:
        raise
    except RpcError as evm_error:
        try:
            info = await client.get(NODE_INFO)
        except RpcError as rest_error:
            raise RpcError(f"{client.where} is neither an EVM JSON-RPC nor a Cosmos REST (LCD) endpoint: "
                           f"eth_chainId: {_tail(evm_error, client.where)}; "
                           f"node_info: {_tail(rest_error, client.where)}") from None
    network = cosmos_network(info, client.where)
    if network != AKASH_NETWORK:
        raise InputError(f"{client.where} is a Cosmos REST endpoint of network {network}; the only Cosmos network "
                         f"supported is Akash ({AKASH_NETWORK})")
    return AKASH_CHAIN_ID


def cosmos_network(info: Any, where: str) -> str:
    """`default_node_info.network` of a GetNodeInfoResponse, checked for shape."""
    node = info.get("default_node_info") if isinstance(info, dict) else None
    network = node.get("network") if isinstance(node, dict) else None
    if not isinstance(network, str) or not _NETWORK.fullmatch(network):
        raise RpcError(f"{where}: node_info names no readable network ({str(network)[:40]!r})")
    return network


def _tail(exc: RpcError, where: str) -> str:
    return str(exc).removeprefix(f"{where}: ")[:200]
