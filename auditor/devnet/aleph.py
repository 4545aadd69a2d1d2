"""Aleph Cloud instances in the simulated economy: Superfluid ALEPH streams on Base, plus other tokens' streams.

An instance is one tx by the buyer opening two streams, to a compute node (CRN) at rate r and to the community
wallet at r / 5; one tx may change both rates, one tx stops both. Superfluid keeps one flow per sender and
receiver, so a buyer's instances never overlap. Streams of another super token share the CFA contract and must be
ignored by the indexer (it filters on topic1 = ALEPH).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from auditor.devnet.actors import Providers
from auditor.devnet.markets import Intent
from auditor.devnet.plan import BASE, CLOSE_TIME, END_TIME, ETHER, HOUR, Emit, Ledger, Rental, address, contract_address
from auditor.marketplaces.aleph import ALEPH_SUPER_TOKEN
from auditor.model import normalize_address

CFA = "aleph/ConstantFlowAgreementV1"
ALEPH = normalize_address(ALEPH_SUPER_TOKEN)
COMMUNITY_SHARE = 5              # the community wallet streams at a fifth of the compute node's rate
MIN_SPACING = 2 * HOUR           # a buyer's next instance starts at least this long after its previous one
OPEN_INSTANCES = 3               # buyers' last instances left streaming when the calendar ends
UPDATE_SHARE = 0.3
NOISE_STREAMS = 6
_INSTANCE_HOURS = (6, 12, 24, 48, 72, 120, 168, 336, 504)
# ALEPH per hour to the compute node, in thousandths: 0.01-0.5 ALEPH/hour.
_MILLI_ALEPH_PER_HOUR = (10, 500)


@dataclass(frozen=True)
class Instance:
    buyer: str
    node: str
    start: int
    rates: tuple[tuple[int, int], ...]   # (from time, wei per second to the node), in time order
    end: int | None                      # None: still streaming at the end of the calendar


@dataclass(frozen=True)
class _FlowTx:
    time: int
    seq: int
    sender: str
    token: str
    flows: tuple[tuple[str, int], ...]   # (receiver, new rate), in log order
    opens: Instance | None = None


def _rate(milli_per_hour: int) -> int:
    return milli_per_hour * ETHER // 1000 // HOUR


def stream_payment(rates: tuple[tuple[int, int], ...], end: int | None, share: int = 1) -> int:
    """Exact wei streamed: sum of rate x seconds over the rate segments, up to `end` (the closing block if None)."""
    stop = CLOSE_TIME if end is None else end
    bounds = [t for t, _ in rates[1:]] + [stop]
    return sum(r // share * (until - t) for (t, r), until in zip(rates, bounds, strict=True))


def plan_instances(ledger: Ledger, intents: list[Intent]) -> list[Instance]:
    """Each buyer's intents as sequential instances; an intent within MIN_SPACING of the buyer's previous one is
    dropped (the buyer keeps that instance), and each instance stops before the buyer's next starts."""
    rng = ledger.rng
    by_buyer: dict[str, list[Intent]] = defaultdict(list)
    for it in intents:
        if not by_buyer[it.buyer] or it.time - by_buyer[it.buyer][-1].time >= MIN_SPACING:
            by_buyer[it.buyer].append(it)
    lasts = sorted((its[-1].time, buyer) for buyer, its in by_buyer.items())
    forced_open = {buyer for _, buyer in lasts[-OPEN_INSTANCES:]}
    out = []
    for buyer, its in by_buyer.items():
        for it, nxt in zip(its, [*its[1:], None], strict=True):
            drawn = it.time + rng.choice(_INSTANCE_HOURS) * HOUR + rng.randint(0, HOUR)
            end: int | None = drawn
            if nxt is not None:
                end = min(drawn, nxt.time - rng.randint(5 * 60, MIN_SPACING // 2))
            elif drawn > END_TIME or buyer in forced_open:
                end = None
            rates = [(it.time, _rate(rng.randint(*_MILLI_ALEPH_PER_HOUR)))]
            last = END_TIME if end is None else end
            if rng.random() < UPDATE_SHARE and last - it.time > 2 * HOUR:
                changed = round(rates[0][1] * rng.uniform(0.5, 2.0))
                rates.append((rng.randint(it.time + HOUR, last - HOUR), changed))
            out.append(Instance(buyer, it.provider, it.time, tuple(rates), end))
    return out


def _instance_txs(instances: list[Instance], community: str) -> list[_FlowTx]:
    txs: list[_FlowTx] = []
    for inst in instances:
        first, *changes = inst.rates
        txs.append(_FlowTx(first[0], len(txs), inst.buyer, ALEPH,
                           ((inst.node, first[1]), (community, first[1] // COMMUNITY_SHARE)), opens=inst))
        for t, rate in changes:
            flows = ((inst.node, rate), (community, rate // COMMUNITY_SHARE))
            txs.append(_FlowTx(t, len(txs), inst.buyer, ALEPH, flows))
        if inst.end is not None:
            txs.append(_FlowTx(inst.end, len(txs), inst.buyer, ALEPH, ((inst.node, 0), (community, 0))))
    return txs


def other_super_token(seed: int) -> str:
    return address(seed, "aleph/other-super-token")


def _noise_txs(ledger: Ledger, start_seq: int) -> list[_FlowTx]:
    """Streams of another super token (payroll-like) between addresses outside the GPU economy."""
    rng, seed = ledger.rng, ledger.seed
    token = other_super_token(seed)
    txs: list[_FlowTx] = []
    for i in range(NOISE_STREAMS):
        sender = address(seed, f"aleph/noise/sender/{i % 3}")
        receiver = address(seed, f"aleph/noise/receiver/{i}")
        start = rng.randint(END_TIME - 14 * 7 * 24 * HOUR, END_TIME - 7 * 24 * HOUR)
        txs.append(_FlowTx(start, start_seq + len(txs), sender, token, ((receiver, _rate(rng.randint(100, 5000))),)))
        if i % 2:
            stop = rng.randint(start + HOUR, END_TIME)
            txs.append(_FlowTx(stop, start_seq + len(txs), sender, token, ((receiver, 0),)))
    return txs


def write_aleph(ledger: Ledger, providers: Providers, intents: list[Intent]) -> None:
    """All FlowUpdated txs in time order, so the running totals are those the chain would report."""
    cfa = contract_address("aleph", "ConstantFlowAgreementV1", BASE)
    community = providers.aleph_community
    instance_txs = _instance_txs(plan_instances(ledger, intents), community)
    txs = sorted(instance_txs + _noise_txs(ledger, len(instance_txs)), key=lambda t: (t.time, t.seq))
    flow: dict[tuple[str, str, str], int] = defaultdict(int)
    out_total: dict[tuple[str, str], int] = defaultdict(int)
    in_total: dict[tuple[str, str], int] = defaultdict(int)
    for tx in txs:
        emits = []
        for receiver, rate in tx.flows:
            old = flow[(tx.token, tx.sender, receiver)]
            flow[(tx.token, tx.sender, receiver)] = rate
            out_total[(tx.token, tx.sender)] += rate - old
            in_total[(tx.token, receiver)] += rate - old
            emits.append(Emit(CFA, "FlowUpdated", (tx.token, tx.sender, receiver, rate,
                                                   out_total[(tx.token, tx.sender)], in_total[(tx.token, receiver)],
                                                   b"")))
        key = ledger.send(BASE, tx.time, tx.sender, cfa, *emits)
        inst = tx.opens
        if inst is None:
            continue
        for position, (receiver, share) in enumerate(((inst.node, 1), (community, COMMUNITY_SHARE))):
            ledger.rent(Rental("aleph", BASE, key, position, inst.buyer, receiver, start_time=inst.start,
                               end_time=inst.end, payment_token="ALEPH",
                               payment_raw=stream_payment(inst.rates, inst.end, share)))
