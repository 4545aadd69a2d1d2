"""The rentals of the simulated economy and the txs each marketplace uses to record them.

Rentals are first drawn as intents (when, who, with whom), then written in time order so ids and nonces grow
with time as on the real chains. Each writer sends the same event sequence the real contracts emit.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, replace

from auditor.devnet.actors import CHAIN_OF, Party, Providers, Workerpool
from auditor.devnet.iexec import Fate, deal_fates, write_deal
from auditor.devnet.plan import (
    ARBITRUM,
    BASE,
    DAY,
    END_TIME,
    GENESIS_TIME,
    HOUR,
    USDC_BASE,
    WEEK,
    Emit,
    Ledger,
    Rental,
    contract_address,
    word,
)
from auditor.devnet.spheron_sdk import NAMES as SPHERON_NAMES
from auditor.devnet.spheron_sdk import SDK_REPLICAS_WRITTEN, cpu_only_spec, spheron_spec

TICKET_BROKER = "livepeer/TicketBroker"
SERVICE_REGISTRY = "livepeer/ServiceRegistry"
ORDER_REQUEST = "spheron/OrderRequest"
COMPUTE_LEASE = "spheron/ComputeLease"
MORPHEUS = "morpheus/Diamond"

FIRST_RENTAL = GENESIS_TIME + 2 * DAY   # leaves room before it for funding
SPHERON_BLOCK_SECONDS = 2
OPEN_LEASES = 3
MIN_RENTALS_PER_WALLET = 2
WAKING = (7, 23)   # local hours in which parties rent
# USD per GPU-hour; Spheron's acceptedPrice is written in USDC micro-units per hour (units unconfirmed upstream).
_GPU_HOURLY = {"h100": 2.0, "a100-80g": 1.2, "rtx4090": 0.35, "l40s": 0.8, "rtx6000-ada": 0.7, "a10": 0.3}
_LEASE_HOURS = (1, 2, 3, 4, 6, 8, 12, 24, 24, 48, 72, 168)
# Livepeer's AI registry is a second ServiceRegistry deployment: same events, another address.
AI_SERVICE_REGISTRY = "AIServiceRegistry"
AI_ORCHESTRATORS = 3
GARBAGE_SPECS = ("{s:[{n:train,r:{c:{u:16},m:{u:", "not a spec ¯\\_(ツ)_/¯")


@dataclass(frozen=True)
class Intent:
    time: int
    seq: int
    market: str
    buyer: str
    provider: str
    gpus: tuple[str, ...]


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _time_in_week(rng: random.Random, week: int, utc_offset: int) -> int:
    """A moment of the week between 07:00 and 23:00 at the party's UTC offset (its waking hours)."""
    start = max(FIRST_RENTAL, GENESIS_TIME + week * WEEK)
    end = min(END_TIME - 2 * HOUR, GENESIS_TIME + (week + 1) * WEEK - 1)
    while True:
        t = rng.randint(start, end)
        if WAKING[0] <= ((t // HOUR + utc_offset) % 24) < WAKING[1]:
            return t


def plan_intents(rng: random.Random, parties: tuple[Party, ...]) -> list[Intent]:
    """Every rental's time, buyer wallet and provider, in time order. Every wallet rents at least twice and on
    each of its marketplaces, so an entity really has all its wallets where it says."""
    out: list[Intent] = []
    for party in parties:
        for week in range(party.start_week, party.end_week + 1):
            factor = party.growth ** (week - party.start_week)
            for market, rate in party.rates:
                wallets = [w.address for w in party.wallets if market in w.markets]
                for _ in range(_poisson(rng, rate * factor)):
                    out.append(_intent(rng, party, market, rng.choice(wallets), week, len(out)))
        used = {(i.buyer, i.market) for i in out}
        for wallet in party.wallets:   # a wallet rents at least once on each of its marketplaces
            for market in wallet.markets:
                if (wallet.address, market) not in used:
                    week = rng.randint(party.start_week, party.end_week)
                    out.append(_intent(rng, party, market, wallet.address, week, len(out)))
        counts = Counter(i.buyer for i in out)
        for wallet in party.wallets:
            for _ in range(MIN_RENTALS_PER_WALLET - counts[wallet.address]):
                week = rng.randint(party.start_week, party.end_week)
                out.append(_intent(rng, party, wallet.markets[0], wallet.address, week, len(out)))
    return sorted(out, key=lambda i: (i.time, i.seq))


def _intent(rng: random.Random, party: Party, market: str, buyer: str, week: int, seq: int) -> Intent:
    return Intent(time=_time_in_week(rng, week, party.utc_offset), seq=seq, market=market, buyer=buyer,
                  provider=rng.choice(party.providers_for(market)), gpus=party.gpus)


def _ticket_transfer(face: int, nonce: int) -> int:
    """What the broker transfers for a winning ticket (MixinTicketBrokerCore.redeemWinningTicket): the face value
    while the gateway's deposit covers it; else the deposit plus its reserve claim, less than face; nothing when
    both are empty. Which tickets fall short follows the ticket's nonce, so the economy's draws are unchanged."""
    if nonce % 29 == 0:
        return 0
    if nonce % 7 == 0:
        return face * (1 + nonce % 9) // 10
    return face


class MarketWriter:
    """Writes intents into the ledger as the txs of their marketplace."""

    def __init__(self, ledger: Ledger, providers: Providers) -> None:
        self.ledger = ledger
        self.rng = ledger.rng
        self.pools: dict[str, Workerpool] = {w.address: w for w in providers.iexec}
        self.orchestrators = providers.livepeer
        self.ticket_nonces: dict[str, int] = {}
        self.ticket_times: dict[str, list[int]] = {}
        self.deals = 0
        self.orders = 4000
        self.sessions = 0
        self.ai_since: dict[str, int] = {}

    def _at(self, contract: str, name: str | None = None) -> str:
        marketplace, default = contract.split("/")
        return contract_address(marketplace, name or default, CHAIN_OF[marketplace])

    def write(self, intents: list[Intent]) -> None:
        """Writes the Livepeer, iExec, Spheron and Morpheus intents; the other marketplaces have own writers."""
        spheron = [i.seq for i in intents if i.market == "spheron"]
        odd = self.rng.sample(spheron[:-OPEN_LEASES], k=4)
        specs = dict(zip(odd, (cpu_only_spec(), cpu_only_spec(), *GARBAGE_SPECS), strict=True))
        still_open = set(spheron[-OPEN_LEASES:])
        fates = deal_fates(self.ledger.seed, [(i.seq, i.time) for i in intents if i.market == "iexec"])
        for intent in intents:
            if intent.market == "livepeer":
                self.livepeer_ticket(intent)
            elif intent.market == "iexec":
                self.iexec_deal(intent, fates.get(intent.seq))
            elif intent.market == "spheron":
                self.spheron_lease(intent, specs.get(intent.seq), intent.seq in still_open)
            elif intent.market == "morpheus":
                self.morpheus_session(intent)
        self.livepeer_deposits()
        self.livepeer_service_uris()
        self.ledger.rentals = [replace(r, workload=self._workload(r)) if r.marketplace == "livepeer" else r
                               for r in self.ledger.rentals]

    def livepeer_ticket(self, it: Intent) -> None:
        rng = self.rng
        face = rng.randint(1, 60) * 10**15
        nonce = self.ticket_nonces.get(it.buyer, rng.randint(1, 10**6)) + rng.randint(1, 40)
        self.ticket_nonces[it.buyer] = nonce
        self.ticket_times.setdefault(it.buyer, []).append(it.time)
        win_prob = (2**256 - 1) // rng.choice((100, 250, 1000))
        creation_round = 4200 + (it.time - GENESIS_TIME) // DAY
        aux = creation_round.to_bytes(32, "big") + word(self.ledger.seed, f"livepeer/round/{creation_round}")
        args = (it.buyer, it.provider, face, win_prob, nonce, rng.getrandbits(256), aux)
        paid = _ticket_transfer(face, nonce)
        emits = (Emit(TICKET_BROKER, "WinningTicketTransfer", (it.buyer, it.provider, paid)),) if paid else ()
        key = self.ledger.send(ARBITRUM, it.time, it.provider, self._at(TICKET_BROKER),
                               *emits, Emit(TICKET_BROKER, "WinningTicketRedeemed", args))
        self.ledger.rent(Rental("livepeer", ARBITRUM, key, len(emits), it.buyer, it.provider,
                                payment_token="ETH", payment_raw=paid))

    def livepeer_deposits(self) -> None:
        """Each gateway deposits before its first ticket and again when its last deposit is three weeks old."""
        for gateway, times in self.ticket_times.items():
            last: int | None = None
            for t in times:
                if last is None or t - last > 3 * WEEK:
                    last = t - self.rng.randint(600, 6 * HOUR)
                    amount = self.rng.randint(500, 5000) * 10**15
                    self.ledger.send(ARBITRUM, last, gateway, self._at(TICKET_BROKER),
                                     Emit(TICKET_BROKER, "DepositFunded", (gateway, amount)))

    def livepeer_service_uris(self) -> None:
        """Every orchestrator registers its transcoding URI before the first ticket; a few join the AI
        registry weeks later, so their tickets turn from transcoding to AI work mid-calendar."""
        for i, orch in enumerate(self.orchestrators, start=1):
            t = GENESIS_TIME + self.rng.randint(6 * HOUR, 40 * HOUR)
            self.ledger.send(ARBITRUM, t, orch, self._at(SERVICE_REGISTRY),
                             Emit(SERVICE_REGISTRY, "ServiceURIUpdate", (orch, f"https://orch{i}.lp.example:8935")))
        for i, orch in enumerate(self.orchestrators[:AI_ORCHESTRATORS], start=1):
            t = self.rng.randint(GENESIS_TIME + 5 * WEEK, END_TIME - DAY)
            self.ai_since[orch] = t
            self.ledger.send(ARBITRUM, t, orch, self._at(SERVICE_REGISTRY, AI_SERVICE_REGISTRY),
                             Emit(SERVICE_REGISTRY, "ServiceURIUpdate", (orch, f"https://ai{i}.gpu.example:8936")))

    def _workload(self, rental: Rental) -> str:
        since = self.ai_since.get(rental.provider)
        return "ai" if since is not None and since <= self.ledger.drafts[rental.tx].time else "transcoding"

    def iexec_deal(self, it: Intent, fate: Fate | None) -> None:
        self.deals += 1
        write_deal(self.ledger, self.deals, it.time, it.buyer, self.pools[it.provider], fate)

    def spheron_lease(self, it: Intent, odd_spec: str | None, keep_open: bool) -> None:
        """An order by the buyer, a lease by the provider minutes later, a close by the buyer when done."""
        rng = self.rng
        self.orders += 1
        order = self.orders
        model = rng.choice(it.gpus)
        per_replica = rng.choices((1, 2, 4, 8), weights=(4, 3, 2, 2))[0]
        replicas = rng.choice((1, 1, 1, 1, 2, 3))
        hours = rng.choice(_LEASE_HOURS)
        spec = odd_spec or spheron_spec(rng.choice(SPHERON_NAMES), model, per_replica, replicas)
        gpu_model: str | None = None if odd_spec else model
        gpu_count: int | None = None if odd_spec else per_replica * SDK_REPLICAS_WRITTEN
        hourly = _GPU_HOURLY[model] * per_replica * replicas if gpu_count else 0.1
        accepted = round(hourly * 10**6 * rng.uniform(0.85, 1.1))
        order_args = (order, it.buyer, accepted * 12 // 10, hours * HOUR // SPHERON_BLOCK_SECONDS, USDC_BASE,
                      spec, 1, 0)
        self.ledger.send(BASE, it.time, it.buyer, self._at(ORDER_REQUEST),
                         Emit(ORDER_REQUEST, "OrderCreated", order_args))
        start = it.time + rng.randint(30, 15 * 60)

        def lease_created(block: int) -> tuple[Emit, ...]:
            args = (order, 0, order, accepted, it.provider, it.buyer, block, start, 0, 1)
            return (Emit(COMPUTE_LEASE, "LeaseCreated", args),)

        lease = self._at(COMPUTE_LEASE)
        key = self.ledger.send(BASE, start, it.provider, lease, at_block=lease_created)
        end = start + hours * HOUR + rng.randint(0, HOUR - 1)
        closed = not keep_open and end <= END_TIME
        if closed:
            self.ledger.send(BASE, end, it.buyer, lease,
                             Emit(COMPUTE_LEASE, "LeaseClosed", (order, it.provider, it.buyer, end, 2)))
        self.ledger.rent(Rental("spheron", BASE, key, 0, it.buyer, it.provider, gpu_model_raw=gpu_model,
                                gpu_count=gpu_count, start_time=start, end_time=end if closed else None,
                                payment_token="USDC", payment_raw=accepted))

    def morpheus_session(self, it: Intent) -> None:
        self.sessions += 1
        session = word(self.ledger.seed, f"morpheus/session/{self.sessions}")
        diamond = self._at(MORPHEUS)
        args = (it.buyer, session, it.provider)
        key = self.ledger.send(BASE, it.time, it.buyer, diamond, Emit(MORPHEUS, "SessionOpened", args))
        end = it.time + self.rng.randint(5 * 60, 12 * HOUR)
        if end <= END_TIME:
            self.ledger.send(BASE, end, it.buyer, diamond, Emit(MORPHEUS, "SessionClosed", args))
        self.ledger.rent(Rental("morpheus", BASE, key, 0, it.buyer, it.provider, start_time=it.time,
                                end_time=end if end <= END_TIME else None))
