"""The devnet's ground truth: who owns which wallet, every rental and every first funding, as played.

Written as ground_truth.json by start_devnet; tests load it with `load_truth` to score the indexer and the
analyses. For a seed the file is identical between runs except tx hashes. Times are ISO-8601 UTC (`...Z`);
token amounts are decimal strings (they overflow JSON numbers).

Per marketplace, a rental's defining event (its `tx_hash` and `log_index`) and its fields:
- livepeer: WinningTicketRedeemed; payment = faceValue in wei (ETH); no GPU or times on-chain.
- iexec: OrdersMatched of the match tx; buyer = the requester (first Lock), provider = the workerpool;
  payment = the requester's Lock in nRLC; start = first TaskInitialize, end = last TaskFinalize (null while
  any task is unfinished).
- spheron: LeaseCreated; GPU model and count (g.u x replicas) from the order's specs, both null for a spec
  without GPU or an unparseable one; start = lease startTime, end = LeaseClosed endTime (null if open);
  payment = acceptedPrice (USDC).
- morpheus: SessionOpened; start and end = the open and close block times (end null if still open).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from auditor.devnet.economy import Economy
from auditor.devnet.plan import iso
from auditor.devnet.simulate import Landed
from auditor.errors import DevnetError


@dataclass(frozen=True)
class ChainTruth:
    genesis_block: int
    last_block: int
    last_time: str


@dataclass(frozen=True)
class EntityTruth:
    entity_id: str
    kind: str          # "entity" or "solo"
    funders: tuple[str, ...]
    wallets: tuple[str, ...]


@dataclass(frozen=True)
class RentalTruth:
    chain_id: int
    marketplace: str
    tx_hash: str
    log_index: int
    block_number: int
    block_time: str
    buyer: str
    provider: str
    gpu_model_raw: str | None
    gpu_count: int | None
    start_time: str | None
    end_time: str | None
    payment_token: str | None
    payment_raw: str | None


@dataclass(frozen=True)
class FundingTruth:
    chain_id: int
    address: str
    funder: str
    tx_hash: str
    block_number: int


@dataclass(frozen=True)
class GroundTruth:
    seed: int
    chains: dict[int, ChainTruth]
    exchange: tuple[str, ...]
    entities: tuple[EntityTruth, ...]
    providers: dict[str, tuple[str, ...]]
    rentals: tuple[RentalTruth, ...]
    funding: tuple[FundingTruth, ...]

    def entity_of(self) -> dict[str, str]:
        """Entity id by address, for every funder and wallet."""
        return {a: e.entity_id for e in self.entities for a in (*e.funders, *e.wallets)}


def _opt_iso(ts: int | None) -> str | None:
    return None if ts is None else iso(ts)


def truth_document(economy: Economy, landed: Mapping[int, Mapping[int, Landed]]) -> dict[str, Any]:
    """The ground-truth JSON document for a played economy."""
    txs = economy.txs_by_key()
    rentals = []
    for r in economy.rentals:
        land, tx = landed[r.chain_id][r.tx], txs[r.tx]
        rentals.append({
            "chain_id": r.chain_id, "marketplace": r.marketplace, "tx_hash": land.tx_hash,
            "log_index": land.log_indexes[r.log_position], "block_number": land.block_number,
            "block_time": iso(tx.time), "buyer": r.buyer, "provider": r.provider,
            "gpu_model_raw": r.gpu_model_raw, "gpu_count": r.gpu_count,
            "start_time": _opt_iso(r.start_time), "end_time": _opt_iso(r.end_time),
            "payment_token": r.payment_token, "payment_raw": None if r.payment_raw is None else str(r.payment_raw),
        })
    rentals.sort(key=lambda x: (x["chain_id"], x["block_number"], x["log_index"]))
    funding = [{"chain_id": f.chain_id, "address": f.address, "funder": f.funder,
                "tx_hash": landed[f.chain_id][f.tx].tx_hash, "block_number": landed[f.chain_id][f.tx].block_number}
               for f in economy.fundings]
    funding.sort(key=lambda x: (x["chain_id"], x["address"]))
    return {
        "seed": economy.seed,
        "chains": {str(c.chain_id): {"genesis_block": c.genesis_block, "last_block": c.last_block,
                                     "last_time": iso(c.last_time)} for c in economy.chains},
        "exchange": sorted(economy.exchange),
        "entities": [{"entity_id": e.entity_id, "kind": e.kind, "funders": sorted(e.funders),
                      "wallets": sorted(e.wallets)} for e in sorted(economy.entities, key=lambda e: e.entity_id)],
        "providers": {m: sorted(a) for m, a in economy.providers.items()},
        "rentals": rentals,
        "funding": funding,
    }


def write_truth(path: Path, document: dict[str, Any]) -> None:
    path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")


def load_truth(path: Path) -> GroundTruth:
    """A ground_truth.json as typed values."""
    try:
        raw = orjson.loads(path.read_bytes())
        return GroundTruth(
            seed=raw["seed"],
            chains={int(k): ChainTruth(**v) for k, v in raw["chains"].items()},
            exchange=tuple(raw["exchange"]),
            entities=tuple(EntityTruth(e["entity_id"], e["kind"], tuple(e["funders"]), tuple(e["wallets"]))
                           for e in raw["entities"]),
            providers={m: tuple(a) for m, a in raw["providers"].items()},
            rentals=tuple(RentalTruth(**r) for r in raw["rentals"]),
            funding=tuple(FundingTruth(**f) for f in raw["funding"]),
        )
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise DevnetError(f"cannot read ground truth {path}: {exc}") from exc
