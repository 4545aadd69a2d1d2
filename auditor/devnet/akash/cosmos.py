"""The Cosmos SDK part of the endpoint: node info, blocks (6 s apart), tx responses and the tx search query.

Shapes: cosmos-sdk v0.53 as Akash's chain-sdk swagger (docs/swagger-ui/swagger.yaml) documents them:
cosmos.base.tendermint.v1beta1 GetNodeInfoResponse / GetLatestBlockResponse / GetBlockByHeightResponse and
cosmos.tx.v1beta1 GetTxsEventResponse. Tx search takes `query` (CometBFT query syntax) as cosmos-sdk v0.50+
does; the `events` parameter, deprecated since v0.47, is refused there, and so here.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from auditor.devnet.akash.bech32 import VALCONS_HRP, encode
from auditor.devnet.akash.catalog import BLOCK_SECONDS, CHAIN_ID, TX_FEE_UAKT, TX_GAS, UAKT
from auditor.devnet.akash.paging import INVALID_ARGUMENT, ApiError
from auditor.devnet.akash.shapes import Json, b64
from auditor.devnet.akash.txs import Tx

APP_VERSION = "v1.0.0"
COSMOS_SDK_VERSION = "v0.53.7-akash.2"
COMETBFT_VERSION = "0.38.21"
MAX_TX_PAGE = 100
_CONDITION = re.compile(r"^\s*([A-Za-z0-9_.\-/]+)\s*(<=|>=|=|<|>|CONTAINS)\s*(?:'([^']*)'|(\d+))\s*$")


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def node_info(moniker: str = "akash-devnet") -> Json:
    node_id = hashlib.sha256(moniker.encode()).hexdigest()[:40]
    return {
        "default_node_info": {
            "protocol_version": {"p2p": "8", "block": "11", "app": "0"},
            "default_node_id": node_id,
            "listen_addr": "tcp://127.0.0.1:26656",
            "network": CHAIN_ID,
            "version": COMETBFT_VERSION,
            "channels": b64(bytes.fromhex("40202122233038606100")),
            "moniker": moniker,
            "other": {"tx_index": "on", "rpc_address": "tcp://127.0.0.1:26657"},
        },
        "application_version": {
            "name": "akash", "app_name": "akash", "version": APP_VERSION,
            "git_commit": hashlib.sha1(APP_VERSION.encode()).hexdigest(),
            "build_tags": "netgo,ledger,mainnet", "go_version": "go version go1.24.5 linux/amd64",
            "build_deps": [{"path": "github.com/cosmos/cosmos-sdk", "version": "v0.53.5",
                            "sum": "h1:" + b64(hashlib.sha256(b"cosmos-sdk").digest())}],
            "cosmos_sdk_version": COSMOS_SDK_VERSION,
        },
    }


def _h(label: str, height: int) -> bytes:
    return hashlib.sha256(f"{label}/{height}".encode()).digest()


def block_time(genesis_height: int, genesis_time: int, height: int) -> int:
    return genesis_time + (height - genesis_height) * BLOCK_SECONDS


def _block_id(height: int) -> Json:
    return {"hash": b64(_h("block", height)), "part_set_header": {"total": 1, "hash": b64(_h("parts", height))}}


def block_json(height: int, time: int, txs: Iterable[Tx]) -> Json:
    """GetBlockByHeightResponse: `block` (CometBFT, proposer as bytes) and `sdk_block` (proposer as bech32)."""
    proposer = _h("proposer", height % 7)[:20]
    last_id = _block_id(height - 1)
    raw = [b64(tx.raw) for tx in txs]

    def header(proposer_address: str) -> Json:
        return {"version": {"block": "11", "app": "0"}, "chain_id": CHAIN_ID, "height": str(height),
                "time": iso(time), "last_block_id": last_id, "last_commit_hash": b64(_h("commit", height - 1)),
                "data_hash": b64(_h("data", height)), "validators_hash": b64(_h("vals", 0)),
                "next_validators_hash": b64(_h("vals", 0)), "consensus_hash": b64(_h("consensus", 0)),
                "app_hash": b64(_h("app", height)), "last_results_hash": b64(_h("results", height - 1)),
                "evidence_hash": b64(hashlib.sha256(b"").digest()),
                "proposer_address": proposer_address}

    commit = {"height": str(height - 1), "round": 0, "block_id": last_id,
              "signatures": [{"block_id_flag": "BLOCK_ID_FLAG_COMMIT", "validator_address": b64(proposer),
                              "timestamp": iso(time - BLOCK_SECONDS), "signature": b64(_h("sig", height) * 2)}]}
    body = {"data": {"txs": raw}, "evidence": {"evidence": []}, "last_commit": commit}
    return {"block_id": _block_id(height),
            "block": {"header": header(b64(proposer)), **body},
            "sdk_block": {"header": header(encode(VALCONS_HRP, proposer)), **body}}


def _fee(tx: Tx) -> Json:
    return {"amount": [{"denom": UAKT, "amount": str(TX_FEE_UAKT)}], "gas_limit": str(TX_GAS), "payer": "",
            "granter": tx.granter}


def tx_json(tx: Tx) -> Json:
    """cosmos.tx.v1beta1.Tx as the gateway writes it (messages as Any with @type)."""
    pub_key = {"@type": "/cosmos.crypto.secp256k1.PubKey", "key": b64(b"\x02" + _h(tx.signer, 0)[:32])}
    return {"body": {"messages": list(tx.messages), "memo": "", "timeout_height": "0", "extension_options": [],
                     "non_critical_extension_options": []},
            "auth_info": {"signer_infos": [{"public_key": pub_key,
                                            "mode_info": {"single": {"mode": "SIGN_MODE_DIRECT"}},
                                            "sequence": str(tx.sequence)}],
                          "fee": _fee(tx), "tip": None},
            "signatures": [b64(_h(tx.hash, 1) * 2)]}


def tx_response(tx: Tx, time: int) -> Json:
    """cosmos.base.abci.v1beta1.TxResponse of a successful tx (v0.50+: empty raw_log and logs)."""
    return {"height": str(tx.height), "txhash": tx.hash, "codespace": "", "code": 0,
            "data": (b"\x12" + tx.messages[0]["@type"].encode()).hex().upper(), "raw_log": "", "logs": [],
            "info": "", "gas_wanted": str(TX_GAS), "gas_used": str(TX_GAS * 3 // 4),
            "tx": {"@type": "/cosmos.tx.v1beta1.Tx", **tx_json(tx)}, "timestamp": iso(time),
            "events": [{"type": kind, "attributes": [{"key": k, "value": v, "index": True} for k, v in attrs]}
                       for kind, attrs in tx.events]}


def parse_query(query: str) -> list[tuple[str, str, str]]:
    """CometBFT tx query conditions joined by AND: (key, operator, value)."""
    if not query.strip():
        raise ApiError(INVALID_ARGUMENT, "query cannot be empty")
    conditions = []
    for part in re.split(r"\s+AND\s+", query.strip()):
        found = _CONDITION.match(part)
        if not found:
            raise ApiError(INVALID_ARGUMENT, f"failed to search for txs: invalid query: {part!r}")
        key, op, text, number = found.groups()
        conditions.append((key, op, text if text is not None else number))
    return conditions


def _compare(actual: str, op: str, wanted: str) -> bool:
    if op == "=":
        return actual == wanted
    if op == "CONTAINS":
        return wanted in actual
    if not (actual.lstrip("-").isdigit() and wanted.lstrip("-").isdigit()):
        return False
    a, w = int(actual), int(wanted)
    return {"<": a < w, "<=": a <= w, ">": a > w, ">=": a >= w}[op]


def tx_matches(tx: Tx, conditions: list[tuple[str, str, str]]) -> bool:
    for key, op, wanted in conditions:
        if key == "tx.height":
            if not _compare(str(tx.height), op, wanted):
                return False
            continue
        if key == "tx.hash":
            if tx.hash != wanted.upper():
                return False
            continue
        kind, _, attr = key.rpartition(".")
        if not any(k == attr and _compare(v, op, wanted)
                   for event_kind, attrs in tx.events if event_kind == kind for k, v in attrs):
            return False
    return True


def decode_raw(raw: str) -> bytes:
    return base64.b64decode(raw)
