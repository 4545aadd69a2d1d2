"""The money of a family economy: first fundings, cash-outs and the traps, written into the ledger as real txs.

Each planted link between two addresses of one owner is recorded (`Flows.links`): funder -> wallet, funder ->
sub-funder, wallet -> deposit address, wallet -> collector, main wallet -> fresh wallet. Nothing else connects
an owner's addresses, so these links are what any method could find. Amounts are never equal between a receipt
and what is sent on: deposit addresses sweep several receipts at once (native coin: the balance less the gas;
USDC: the whole balance), funders fund in bursts and hold change. Native-coin values are planned so that no
sender overdraws (build.check_balances checks it).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from auditor.devnet.cashflow import TOKEN, USDC
from auditor.devnet.families.cast import Member, Owner
from auditor.devnet.families.params import FamilyParams
from auditor.devnet.markets import WAKING
from auditor.devnet.plan import ARBITRUM, BASE, DAY, END_TIME, ETHER, GENESIS_TIME, HOUR, Emit, Ledger

MICRO = 10**6
GWEI = 10**9
TRANSFER_GAS = 21_000
AIRDROP_BUYER_SHARE = 0.4
MERCHANTS = 3
TOP_UP_SHARE = 0.35
CHAINS = (ARBITRUM, BASE)   # Livepeer and iExec; Spheron and Morpheus


@dataclass(frozen=True)
class Link:
    """A planted on-chain link between two addresses of one owner."""

    a: str
    b: str
    kind: str


@dataclass(frozen=True)
class Services:
    """The economy's service addresses: none of them belongs to an owner."""

    hot_wallets: tuple[str, ...]
    relayer: str
    processor: str
    merchants: tuple[str, ...]
    distributor: str
    router: str


class Flows:
    """Writes one family economy's transfers; `first_use` is when each (chain, address) first acts."""

    def __init__(self, ledger: Ledger, params: FamilyParams, services: Services,
                 first_use: dict[tuple[int, str], int], tag: str) -> None:
        self.ledger, self.rng, self.params, self.svc = ledger, ledger.rng, params, services
        self.first_use, self.tag = first_use, tag
        self.links: list[Link] = []
        self.funded: dict[tuple[int, str], int] = {}        # first native inflow time
        self.native_in: dict[tuple[int, str], int] = defaultdict(int)
        self.usdc_in: dict[tuple[int, str], int] = {}
        self.receipts: dict[tuple[int, str, bool], list[tuple[int, int]]] = defaultdict(list)
        self.bystanders: list[str] = []                      # non-buyers the services pay

    # -- primitives (traps.py uses them too) ---------------------------------------------------------------------
    def native(self, chain: int, t: int, src: str, dst: str, value: int) -> None:
        self.ledger.send(chain, t, src, dst, value=value)
        self.funded.setdefault((chain, dst), t)
        self.funded[(chain, dst)] = min(self.funded[(chain, dst)], t)
        self.native_in[(chain, dst)] += value

    def token(self, chain: int, t: int, sender: str, src: str, dst: str, value: int) -> None:
        self.ledger.send(chain, t, sender, USDC[chain], Emit(TOKEN, "Transfer", (src, dst, value)))

    def eth(self, centre: float) -> int:
        """A native amount around `centre` ETH: round (as people type them) or odd (as balances are)."""
        value = self.rng.lognormvariate(math.log(centre), 0.8)
        if self.rng.random() < 0.4:
            return max(1, round(value * 100)) * ETHER // 100
        return int(value * ETHER) + self.rng.randint(0, 10**12)

    def dollars(self) -> int:
        return int(self.rng.lognormvariate(math.log(800), 1.0) * MICRO) + self.rng.randint(0, MICRO)

    def own(self, t: int, owner: Owner) -> int:
        """A time the owner acts itself: moved forward into its waking hours."""
        while not WAKING[0] <= ((t // HOUR + owner.utc_offset) % 24) < WAKING[1] and t + HOUR <= END_TIME:
            t += HOUR
        return t

    def before(self, t: int, low: int, high: int) -> int:
        return max(GENESIS_TIME + 60, t - self.rng.randint(low, high))

    def after(self, t: int, low: int, high: int) -> int:
        return min(END_TIME - 60, t + self.rng.randint(low, high))

    def usdc_for(self, chain: int, wallet: str, before: int) -> int:
        """The wallet's USDC, withdrawn from the exchange once, after its native funding and before `before`."""
        if (chain, wallet) not in self.usdc_in:
            low = self.funded.get((chain, wallet), before - HOUR) + 1
            t = self.rng.randint(low, max(low, before - 1))
            value, hot = self.dollars(), self.rng.choice(self.svc.hot_wallets)
            self.token(chain, t, hot, hot, wallet, value)
            self.usdc_in[(chain, wallet)] = value
        return self.usdc_in[(chain, wallet)]

    # -- first fundings --------------------------------------------------------------------------------------
    def fund(self, owner: Owner, airdropped_first: set[str]) -> None:
        by_source: dict[tuple[int, str], list[Member]] = defaultdict(list)
        for m in owner.members:
            use = self.first_use[(m.chain_id, m.address)]
            if m.address in airdropped_first:
                self.native(m.chain_id, self.before(use, 5 * DAY, 8 * DAY), self.svc.distributor, m.address,
                             self.rng.randint(1, 20) * 10**14)
            if m.funding in ("exchange", "bridge"):
                payer = self.svc.relayer if m.funding == "bridge" else self.rng.choice(self.svc.hot_wallets)
                self.native(m.chain_id, self.before(use, 30 * 60, 4 * DAY), payer, m.address, self.eth(0.3))
            elif m.funding == "funder" and owner.funder:
                by_source[(m.chain_id, owner.funder)].append(m)
            elif owner.subfunders:
                by_source[(m.chain_id, self.rng.choice(owner.subfunders))].append(m)
        tops: dict[int, list[tuple[int, int]]] = defaultdict(list)   # the funder's own sends per chain
        for (chain, source), members in sorted(by_source.items()):
            start, total = self._bursts(chain, source, members)
            if source == owner.funder:
                tops[chain].append((start, total))
                continue
            assert owner.funder is not None
            t = self.before(start, HOUR, DAY)
            value = total + self.eth(0.2)
            self.native(chain, t, owner.funder, source, value)
            self.links.append(Link(owner.funder, source, "funds sub-funder"))
            tops[chain].append((t, value))
        for chain, sends in sorted(tops.items()):
            assert owner.funder is not None
            first = min(t for t, _ in sends)
            self.native(chain, self.before(first, HOUR, DAY), self.rng.choice(self.svc.hot_wallets),
                         owner.funder, sum(v for _, v in sends) + self.eth(1.0))

    def _bursts(self, chain: int, source: str, members: list[Member]) -> tuple[int, int]:
        """The source funds its wallets in bursts, minutes apart, before their first use; returns the first
        burst's time and the total sent."""
        members = sorted(members, key=lambda m: self.first_use[(chain, m.address)])
        start, total, i = END_TIME, 0, 0
        while i < len(members):
            burst = members[i:i + self.rng.randint(1, self.params.burst_most)]
            i += len(burst)
            first = min(self.first_use[(chain, m.address)] for m in burst)
            t = self.before(first - 600 * len(burst), HOUR, 2 * DAY)
            start = min(start, t)
            for m in burst:
                value = self.eth(0.15)
                self.native(chain, t, source, m.address, value)
                self.links.append(Link(source, m.address, "funds wallet"))
                total += value
                t += self.rng.randint(20, 600)
        return start, total

    # -- cash-outs -------------------------------------------------------------------------------------------
    def cash_out(self, owner: Owner) -> None:
        handoffs: dict[int, list[Member]] = defaultdict(list)
        for m in owner.members:
            if m.cashout == "handoff":
                handoffs[m.chain_id].append(m)
            elif m.cashout in ("deposit", "own_deposit") and m.deposit:
                self._pay(owner, m, m.deposit, deposit=True)
                self.links.append(Link(m.address, m.deposit, "pays deposit address"))
            elif m.cashout == "sweep" and owner.collector:
                self._pay(owner, m, owner.collector, deposit=False)
                self.links.append(Link(m.address, owner.collector, "sweeps to collector"))
        for chain, members in sorted(handoffs.items()):
            self._hand_off(owner, chain, members)

    def _pay(self, owner: Owner, m: Member, to: str, deposit: bool) -> None:
        """One or two payments from the wallet after its first use, in its coin, never its whole balance."""
        chain, use = m.chain_id, self.first_use[(m.chain_id, m.address)]
        t = use
        for _ in range(self.rng.choice((1, 1, 2))):
            t = self.own(min(END_TIME - DAY, self.after(t, HOUR, 20 * DAY)), owner)
            if m.native:
                value = int(self.native_in[(chain, m.address)] * self.rng.uniform(0.15, 0.45))
                self.ledger.send(chain, t, m.address, to, value=value)
            else:
                value = int(self.usdc_for(chain, m.address, use) * self.rng.uniform(0.15, 0.45))
                self.token(chain, t, m.address, m.address, to, value)
            if deposit:
                self.receipts[(chain, to, m.native)].append((t, value))

    def _hand_off(self, owner: Owner, chain: int, members: list[Member]) -> None:
        """The group's main wallet sends USDC to each fresh one and approves it; the fresh one then pulls part
        of the allowance in its own tx."""
        main, *fresh = members
        self.usdc_for(chain, main.address, self.first_use[(chain, main.address)])
        for k in fresh:
            after = max(self.funded[(chain, k.address)], self.funded[(chain, main.address)],
                        self.first_use[(chain, main.address)])
            t = self.own(self.after(after, 10 * 60, 2 * HOUR), owner)
            self.token(chain, t, main.address, main.address, k.address, self.dollars() // 4)
            allowance = self.dollars()
            t = self.own(self.after(t, HOUR, 6 * HOUR), owner)
            self.ledger.send(chain, t, main.address, USDC[chain], Emit(TOKEN, "Approval",
                                                                       (main.address, k.address, allowance)))
            t = self.own(self.after(t, 10 * 60, 3 * HOUR), owner)
            self.token(chain, t, k.address, main.address, k.address, allowance // 2)
            self.links.append(Link(main.address, k.address, "hands off to fresh wallet"))

    def sweep_deposits(self) -> None:
        """Deposit addresses sweep to a hot wallet, several receipts at once: native coin less the gas, USDC
        whole (after the exchange sent the gas, sometimes)."""
        for (chain, deposit, native), receipts in sorted(self.receipts.items()):
            hot = self.rng.choice(self.svc.hot_wallets)
            receipts.sort()
            i = 0
            while i < len(receipts):
                batch = receipts[i:i + self.rng.randint(1, self.params.aggregate_most)]
                i += len(batch)
                t = self.after(batch[-1][0], 10 * 60, 12 * HOUR)
                while i < len(receipts) and receipts[i][0] <= t:
                    batch.append(receipts[i])
                    i += 1
                total = sum(v for _, v in batch)
                if native:
                    gas = TRANSFER_GAS * self.rng.randint(5, 80) * GWEI
                    self.ledger.send(chain, t, deposit, hot, value=max(0, total - gas))
                else:
                    if self.rng.random() < 0.5:
                        self.ledger.send(chain, t - self.rng.randint(60, 600), hot, deposit,
                                         value=TRANSFER_GAS * 100 * GWEI)
                    self.token(chain, t, deposit, deposit, hot, total)

    def top_up(self, members: list[Member]) -> None:
        """Later exchange withdrawals to wallets, whoever funded them first (planned after the cash-outs, whose
        amounts must not count on them)."""
        for m in members:
            if self.rng.random() < TOP_UP_SHARE:
                t = self.after(self.first_use[(m.chain_id, m.address)], HOUR, 30 * DAY)
                self.native(m.chain_id, t, self.rng.choice(self.svc.hot_wallets), m.address, self.eth(0.3))
