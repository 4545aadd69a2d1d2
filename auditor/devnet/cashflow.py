"""USDC flows of the simulated economy: the evidence the clustering heuristics look for, and their traps.

Per entity style (actors.py): "funder" wallets sweep USDC back to their funder (a collector: first funder and
sweep, two heuristics); "exchange" wallets cash out through the entity's own exchange deposit address, which
forwards to the hot wallet (deposit reuse); "bridge" wallets are fresh EOAs a main wallet sends USDC to and
approves, and which then spend that allowance (fresh-EOA transfer and self-authorization). Solo buyers withdraw
USDC and cash out through deposit addresses of their own. Traps: the hot wallet tops up deposit addresses, a
payment processor takes USDC from several solos and forwards part to the exchange (a deposit look-alike that also
pays merchants), and a phisher drains solos that approved it.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.devnet.actors import Party
from auditor.devnet.markets import WAKING
from auditor.devnet.plan import ARBITRUM, BASE, DAY, END_TIME, HOUR, POLYGON, USDC_BASE, Emit, Funding, Ledger, address

TOKEN = "golem/GLM"   # the ERC-20 emitter (Transfer, Approval), placed at each chain's USDC address
USDC = {ARBITRUM: "0xaf88d065e77c8cc2239327c5edb3a432268e5831", BASE: USDC_BASE,
        POLYGON: "0x3c499c542cef5e3811e1192ce70d8cc03d5c3359"}
MICRO = 10**6
PROCESSOR_CLIENTS = 5
PHISHING_VICTIMS = 4
MERCHANTS = 2


@dataclass(frozen=True)
class Traps:
    """Addresses of the traps, for the ground truth."""

    processor: str
    merchants: tuple[str, ...]
    phisher: str
    deposits: dict[str, tuple[str, ...]]   # party id -> its exchange deposit addresses


def _transfer(src: str, dst: str, value: int) -> Emit:
    return Emit(TOKEN, "Transfer", (src, dst, value))


class CashFlows:
    """Writes the USDC txs into the ledger; `first` is when each (chain, address) first acts, `funded` when
    each was first funded with native coin."""

    def __init__(self, ledger: Ledger, exchange: str, first: dict[tuple[int, str], int],
                 fundings: list[Funding]) -> None:
        self.ledger, self.rng, self.exchange, self.first = ledger, ledger.rng, exchange, first
        self.funded = {(f.chain_id, f.address): ledger.drafts[f.tx].time for f in fundings}
        self.deposits: dict[str, tuple[str, ...]] = {}
        self.topped_up: set[tuple[int, str]] = set()

    def _send(self, chain: int, t: int, sender: str, *emits: Emit) -> None:
        self.ledger.send(chain, min(t, END_TIME), sender, USDC[chain], *emits)

    def _own(self, chain: int, t: int, sender: str, party: Party, *emits: Emit) -> int:
        """A tx the party sends itself: moved to its waking hours, as people act; returns its time."""
        while not WAKING[0] <= ((t // HOUR + party.utc_offset) % 24) < WAKING[1] and t + HOUR <= END_TIME:
            t += HOUR
        self._send(chain, t, sender, *emits)
        return t

    def _usdc(self) -> int:
        return self.rng.randint(200, 5000) * MICRO

    def _later(self, t: int, low: int, high: int) -> int:
        return min(END_TIME - 60, t + self.rng.randint(low, high))

    def _withdraw(self, chain: int, wallet: str) -> int:
        """The exchange sends USDC between the native funding and the first use; returns the amount."""
        lo = self.funded.get((chain, wallet), self.first[(chain, wallet)] - HOUR) + 1
        t = self.rng.randint(lo, max(lo, self.first[(chain, wallet)] - 1))
        value = self._usdc()
        self._send(chain, t, self.exchange, _transfer(self.exchange, wallet, value))
        return value

    def _cash_out(self, chain: int, party: Party, wallet: str, deposit: str, value: int) -> None:
        """Wallet pays the deposit address, which forwards the same amount to the hot wallet."""
        t = self._later(self.first[(chain, wallet)], HOUR, 20 * DAY)
        t = self._own(chain, t, wallet, party, _transfer(wallet, deposit, value))
        self._send(chain, self._later(t, 5 * 60, 3 * HOUR), deposit, _transfer(deposit, self.exchange, value))

    def write(self, parties: tuple[Party, ...]) -> Traps:
        solos_by_chain: dict[int, list[str]] = {c: [] for c in USDC}
        for party in parties:
            for chain in USDC:
                used = sorted((self.first[(chain, w.address)], w.address) for w in party.wallets
                              if (chain, w.address) in self.first)
                if used:
                    self._party(party, chain, [w for _, w in used])
                    if party.kind == "solo":
                        solos_by_chain[chain] += [w for _, w in used]
        return self._traps(solos_by_chain)

    def _party(self, party: Party, chain: int, wallets: list[str]) -> None:
        seed = self.ledger.seed
        if party.style == "bridge":
            # The main wallet is the entity's first one on every chain: an EOA is the same on all of them.
            main = party.wallets[0].address
            fresh = [w for w in wallets if w != main]
            if main in wallets:
                self._withdraw(chain, main)
            for k in fresh:
                after = max(self.funded[(chain, k)], self.funded[(chain, main)])
                t = self._later(after, 10 * 60, 2 * HOUR)
                t = self._own(chain, t, main, party, _transfer(main, k, self._usdc()))
                allowance = self._usdc()
                t = self._own(chain, self._later(t, HOUR, 6 * HOUR), main, party,
                              Emit(TOKEN, "Approval", (main, k, allowance)))
                self._own(chain, self._later(t, 10 * 60, 3 * HOUR), k, party, _transfer(main, k, allowance // 2))
            return
        for w in wallets:
            value = self._withdraw(chain, w)
            if party.style == "funder" and party.funder:
                t = self._later(self.first[(chain, w)], DAY, 30 * DAY)
                self._own(chain, t, w, party, _transfer(w, party.funder, value * self.rng.randint(40, 90) // 100))
            elif party.style == "exchange" or (party.kind == "solo" and self.rng.random() < 0.6):
                # Exchanges give a customer one deposit address for every EVM chain.
                deposit = address(seed, f"{party.party_id}/deposit")
                if (chain, deposit) not in self.topped_up:
                    self.topped_up.add((chain, deposit))
                    self.deposits[party.party_id] = (deposit,)
                    top_up = self.rng.randint(1, 5) * MICRO // 10   # the exchange pays the sweep's gas in kind
                    self._send(chain, self._later(self.first[(chain, w)], 0, DAY), self.exchange,
                               _transfer(self.exchange, deposit, top_up))
                for _ in range(self.rng.choice((1, 1, 2))):
                    self._cash_out(chain, party, w, deposit, value * self.rng.randint(20, 45) // 100)

    def _traps(self, solos: dict[int, list[str]]) -> Traps:
        seed, rng = self.ledger.seed, self.rng
        processor = address(seed, "trap/payment-processor")
        merchants = tuple(address(seed, f"trap/merchant/{i}") for i in range(MERCHANTS))
        received = 0
        for s in rng.sample(solos[BASE], k=min(PROCESSOR_CLIENTS, len(solos[BASE]))):
            value = self._usdc() // 4
            received += value
            t = self._later(self.first[(BASE, s)], HOUR, 10 * DAY)
            self._send(BASE, t, s, _transfer(s, processor, value))
            self._send(BASE, self._later(t, 10 * 60, 2 * HOUR), processor,
                       _transfer(processor, self.exchange, value * 7 // 10))
        for m in merchants:
            self._send(BASE, END_TIME - rng.randint(HOUR, DAY), processor, _transfer(processor, m, received // 8))
        phisher = address(seed, "trap/phisher")
        for s in rng.sample(solos[ARBITRUM], k=min(PHISHING_VICTIMS, len(solos[ARBITRUM]))):
            t = self._later(self.first[(ARBITRUM, s)], HOUR, 5 * DAY)
            self._send(ARBITRUM, t, s, Emit(TOKEN, "Approval", (s, phisher, 2**256 - 1)))
            self._send(ARBITRUM, self._later(t, HOUR, DAY), phisher, _transfer(s, phisher, self._usdc() // 10))
        return Traps(processor, merchants, phisher, dict(self.deposits))
