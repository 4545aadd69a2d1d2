"""The devnet's ground truth: who owns which wallet, every rental, every first funding and every price, as played.

Written as ground_truth.json by start_devnet, with prices.csv beside it; tests load it with `load_truth` to score
the indexer and the analyses. For a seed the file is identical between runs except tx hashes. Times are
ISO-8601 UTC (`...Z`); token amounts are decimal strings (they overflow JSON numbers). "The end of the calendar"
is the closing block, `chains[*].last_time` = 2026-11-16T00:00:00Z.

Per marketplace, a rental's defining event (its `tx_hash` and `log_index`) and its fields; fields not named
are null. `workload` is set for livepeer only, the `iexec_*` fields for iexec only.
- livepeer: WinningTicketRedeemed; payment = the WinningTicketTransfer amount before it in wei (ETH): the face
  value, less when the deposit fell short, 0 when nothing was transferred; no GPU or times on-chain. workload = "ai"
  if the recipient had a ServiceURIUpdate on the AIServiceRegistry at or before the ticket's block time, else
  "transcoding" (every orchestrator's URI is on the main ServiceRegistry).
- iexec: OrdersMatched of the match tx; buyer = the requester (first Lock), provider = the workerpool;
  payment = the requester's Lock in nRLC; start = first TaskInitialize, end = last TaskFinalize (null while
  any task is unfinished: the calendar's last deals, and a few deals whose last task was initialized and never
  finalized). From the deal as `viewDeal(dealid)` returns it: iexec_deal_id = the dealid (0x hex, as in
  OrdersMatched), iexec_tag = the tag as an int (bit 0 TEE, bits 1-2 the TEE framework, bit 8 = 0x100 GPU),
  iexec_category = the category id (0 XS .. 4 XL, workClockTimeRef 300, 1200, 3600, 10800, 36000 s) and
  iexec_deadline = the tasks' final deadline, startTime (the match's block time) + 10 x that reference time;
  every finalized task finalized by it.
- spheron: LeaseCreated; GPU model and count (g.u x replicas) from the order's specs, both null for a spec
  without GPU or an unparseable one; start = lease startTime, end = LeaseClosed endTime (null if open);
  payment = acceptedPrice (USDC).
- morpheus: SessionOpened; start and end = the open and close block times (end null if still open).
- swan: TaskCreated; buyer = user, provider = cpList[0], gpu_count = len(cpList); start = its block time,
  end = min(start + the last totalDuration (TaskExtended), TaskTerminated's terminateTimestamp), null if that
  is after the end of the calendar; payment = reward in SWAN wei.
- aleph: one rental per ALEPH stream (FlowUpdated with token = ALEPH, topic1), from the FlowUpdated opening it
  (the defining event) to the one setting its rate to 0; an instance's tx opens two, to the compute node and to
  the community wallet (`labels.aleph_community_wallet`). buyer = sender, provider = receiver; start and end =
  the opening and closing block times (end null if open); payment = exact sum of flowRate x seconds over the
  stream's rate segments in ALEPH wei, up to the end of the calendar for open streams. FlowUpdated of other
  super tokens on the same contract are noise and no rentals.
- golem: one rental per GLM Transfer from a requestor (an owner of an Approval to the multi-transfer contract)
  to a provider; a tx often holds several. payment = value in GLM wei; no GPU or times. Other GLM Transfers and
  Approvals (exchange funding, holders, providers cashing out) are no rentals.

Beyond rentals:
- prices: every Chainlink AnswerUpdated planted, as {chain_id, asset, proxy, aggregator, phase, round_id, time,
  usd, answer, decimals, tx_hash, block_number, log_index}: `answer` is the int256 as a decimal string,
  usd = answer / 10**decimals, time = updatedAt = the block time, phase = the proxy's phase whose aggregator
  emitted it (the proxy's phaseId is the last phase).
- imported_prices: the rows of prices.csv (asset, time, usd), one per day at 00:00Z per token without a feed.
- labels: named addresses: aleph_community_wallet, aleph_super_token (ALEPH, lowercase) and
  aleph_other_super_token (the noise streams' token); the clustering traps bridge_relayer (funds bridged
  parties), payment_processor (takes USDC from several solos, forwards part to the exchange, pays merchants) and
  phisher (drains solos that approved it).
- entities: per party its `style` (funder, exchange, bridge, weak; solo), `utc_offset` (hours; it rents between
  07:00 and 23:00 local time) and `deposits` (its exchange deposit addresses), besides funders and wallets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from auditor.devnet.economy import Economy
from auditor.devnet.feeds import DailyPrice
from auditor.devnet.plan import DealTerms, iso
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
    style: str = "solo"
    utc_offset: int = 0
    deposits: tuple[str, ...] = ()


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
    workload: str | None = None   # livepeer only: "ai" or "transcoding"
    iexec_deal_id: str | None = None
    iexec_tag: int | None = None
    iexec_category: int | None = None
    iexec_deadline: str | None = None


@dataclass(frozen=True)
class FundingTruth:
    chain_id: int
    address: str
    funder: str
    tx_hash: str
    block_number: int


@dataclass(frozen=True)
class PriceTruth:
    """A planted Chainlink answer."""

    chain_id: int
    asset: str
    proxy: str
    aggregator: str
    phase: int
    round_id: int
    time: str
    usd: float
    answer: str
    decimals: int
    tx_hash: str
    block_number: int
    log_index: int


@dataclass(frozen=True)
class ImportedPriceTruth:
    """A row of prices.csv."""

    asset: str
    time: str
    usd: float


@dataclass(frozen=True)
class GroundTruth:
    seed: int
    chains: dict[int, ChainTruth]
    exchange: tuple[str, ...]
    entities: tuple[EntityTruth, ...]
    providers: dict[str, tuple[str, ...]]
    rentals: tuple[RentalTruth, ...]
    funding: tuple[FundingTruth, ...]
    prices: tuple[PriceTruth, ...]
    imported_prices: tuple[ImportedPriceTruth, ...]
    labels: dict[str, str]

    def entity_of(self) -> dict[str, str]:
        """Entity id by address, for every funder and wallet."""
        return {a: e.entity_id for e in self.entities for a in (*e.funders, *e.wallets)}


def _opt_iso(ts: int | None) -> str | None:
    return None if ts is None else iso(ts)


def _deal_fields(deal: DealTerms | None) -> dict[str, Any]:
    if deal is None:
        return {"iexec_deal_id": None, "iexec_tag": None, "iexec_category": None, "iexec_deadline": None}
    return {"iexec_deal_id": "0x" + deal.deal_id.hex(), "iexec_tag": deal.tag, "iexec_category": deal.category,
            "iexec_deadline": iso(deal.deadline)}


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
            "workload": r.workload, **_deal_fields(r.deal),
        })
    rentals.sort(key=lambda x: (x["chain_id"], x["block_number"], x["log_index"]))
    funding = [{"chain_id": f.chain_id, "address": f.address, "funder": f.funder,
                "tx_hash": landed[f.chain_id][f.tx].tx_hash, "block_number": landed[f.chain_id][f.tx].block_number}
               for f in economy.fundings]
    funding.sort(key=lambda x: (x["chain_id"], x["address"]))
    prices = []
    for a in economy.feed_answers:
        land = landed[a.chain_id][a.tx]
        prices.append({"chain_id": a.chain_id, "asset": a.asset, "proxy": a.proxy, "aggregator": a.aggregator,
                       "phase": a.phase, "round_id": a.round_id, "time": iso(a.time),
                       "usd": a.answer / 10**a.decimals, "answer": str(a.answer), "decimals": a.decimals,
                       "tx_hash": land.tx_hash, "block_number": land.block_number, "log_index": land.log_indexes[0]})
    prices.sort(key=lambda x: (x["chain_id"], x["asset"], x["block_number"]))
    return {
        "seed": economy.seed,
        "chains": {str(c.chain_id): {"genesis_block": c.genesis_block, "last_block": c.last_block,
                                     "last_time": iso(c.last_time)} for c in economy.chains},
        "exchange": sorted(economy.exchange),
        "entities": [{"entity_id": e.entity_id, "kind": e.kind, "funders": sorted(e.funders),
                      "wallets": sorted(e.wallets), "style": economy.styles[e.entity_id],
                      "utc_offset": economy.utc_offsets[e.entity_id],
                      "deposits": sorted(economy.deposits.get(e.entity_id, ()))}
                     for e in sorted(economy.entities, key=lambda e: e.entity_id)],
        "providers": {m: sorted(a) for m, a in economy.providers.items()},
        "rentals": rentals,
        "funding": funding,
        "prices": prices,
        "imported_prices": [{"asset": p.asset, "time": iso(p.time), "usd": p.usd} for p in economy.daily_prices],
        "labels": dict(sorted(economy.labels.items())),
    }


def write_truth(path: Path, document: dict[str, Any]) -> None:
    path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")


def write_price_file(path: Path, prices: tuple[DailyPrice, ...]) -> None:
    """prices.csv: `asset,time,usd`, the input `auditor prices import` reads for tokens without a feed."""
    lines = ["asset,time,usd", *(f"{p.asset},{iso(p.time)},{p.usd!r}" for p in prices)]
    path.write_text("\n".join(lines) + "\n")


def write_label_file(path: Path, economy: Economy) -> None:
    """labels.csv: the devnet's service addresses in the label-list format (chain_id,address,category,label,
    source), as an analyst would list the exchanges and bridges of a real chain."""
    rows = ["chain_id,address,category,label,source"]
    for chain in sorted(c.chain_id for c in economy.chains):
        rows += [f"{chain},{a},cex_hot,Devnet exchange: hot wallet,devnet plan" for a in economy.exchange]
        rows.append(f"{chain},{economy.labels['bridge_relayer']},bridge,Devnet bridge: relayer,devnet plan")
    path.write_text("\n".join(rows) + "\n")


def load_truth(path: Path) -> GroundTruth:
    """A ground_truth.json as typed values."""
    try:
        raw = orjson.loads(path.read_bytes())
        return GroundTruth(
            seed=raw["seed"],
            chains={int(k): ChainTruth(**v) for k, v in raw["chains"].items()},
            exchange=tuple(raw["exchange"]),
            entities=tuple(EntityTruth(e["entity_id"], e["kind"], tuple(e["funders"]), tuple(e["wallets"]),
                                       e.get("style", "solo"), e.get("utc_offset", 0), tuple(e.get("deposits", ())))
                           for e in raw["entities"]),
            providers={m: tuple(a) for m, a in raw["providers"].items()},
            rentals=tuple(RentalTruth(**r) for r in raw["rentals"]),
            funding=tuple(FundingTruth(**f) for f in raw["funding"]),
            prices=tuple(PriceTruth(**p) for p in raw.get("prices", [])),
            imported_prices=tuple(ImportedPriceTruth(**p) for p in raw.get("imported_prices", [])),
            labels=dict(raw.get("labels", {})),
        )
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise DevnetError(f"cannot read ground truth {path}: {exc}") from exc
