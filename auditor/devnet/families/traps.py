"""The traps of a family economy: services that touch many owners and must never merge them.

The exchange pays non-buyers at all hours; a payment processor takes USDC from buyers of many owners and forwards
most of it to the exchange in daily batches; an airdrop distributor sends dust to very many addresses (for some
buyers, their first native coin); a DEX router is a contract many buyers call and swap USDC with.
"""

from __future__ import annotations

from collections import defaultdict

from auditor.devnet.cashflow import TOKEN
from auditor.devnet.families.cast import Member, Owner
from auditor.devnet.families.flows import CHAINS, Flows
from auditor.devnet.plan import DAY, END_TIME, GENESIS_TIME, HOUR, Emit


def noise(f: Flows, address_of: dict[str, str]) -> None:
    """The exchange pays non-buyers at all hours, in both coins and varied amounts."""
    for i in range(f.params.noise_withdrawals):
        chain = f.rng.choice(CHAINS)
        to = address_of[f"noise/{i}"]
        f.bystanders.append(to)
        t = f.rng.randint(GENESIS_TIME + 60, END_TIME - 60)
        hot = f.rng.choice(f.svc.hot_wallets)
        if f.rng.random() < 0.5:
            f.native(chain, t, hot, to, f.eth(0.5))
        else:
            f.token(chain, t, hot, hot, to, f.dollars())


def processor(f: Flows, payers: list[Member], owner_of: dict[str, Owner]) -> None:
    """Buyers of many owners pay the processor in USDC; it forwards most to the exchange in daily batches and
    pays merchants."""
    received: list[tuple[int, int, int]] = []   # (time, chain, value)
    for m in payers:
        chain, use = m.chain_id, f.first_use[(m.chain_id, m.address)]
        value = f.usdc_for(chain, m.address, use) // f.rng.randint(3, 8)
        t = f.own(f.after(use, HOUR, 10 * DAY), owner_of[m.address])
        f.token(chain, t, m.address, m.address, f.svc.processor, value)
        received.append((t, chain, value))
    by_day: dict[tuple[int, int], int] = defaultdict(int)
    for t, chain, value in received:
        by_day[(chain, t // DAY)] += value
    for (chain, day), value in sorted(by_day.items()):
        t = min(END_TIME - 60, (day + 1) * DAY + f.rng.randint(HOUR, 6 * HOUR))
        f.token(chain, t, f.svc.processor, f.svc.processor, f.rng.choice(f.svc.hot_wallets),
                    value * 7 // 10)
        merchant = f.rng.choice(f.svc.merchants)
        f.token(chain, t + 60, f.svc.processor, f.svc.processor, merchant, value * 2 // 10)
    f.bystanders += f.svc.merchants


def airdrop(f: Flows, later: list[Member], address_of: dict[str, str], count: int) -> None:
    """Dust to very many addresses: non-buyers any time, buyers after their first use."""
    for i in range(count):
        to = address_of[f"airdrop/{i}"]
        f.bystanders.append(to)
        chain = f.rng.choice(CHAINS)
        f.native(chain, f.rng.randint(GENESIS_TIME + 60, END_TIME - 60), f.svc.distributor, to,
                     f.rng.randint(1, 20) * 10**14)
    for m in later:
        t = f.after(f.first_use[(m.chain_id, m.address)], HOUR, 30 * DAY)
        f.native(m.chain_id, t, f.svc.distributor, m.address, f.rng.randint(1, 20) * 10**14)


def router(f: Flows, callers: list[Member], owner_of: dict[str, Owner]) -> None:
    """Buyers call the router (its own log) and get USDC out of it, or pay USDC into it."""
    for m in callers:
        chain, use = m.chain_id, f.first_use[(m.chain_id, m.address)]
        t = f.own(f.after(use, 10 * 60, 15 * DAY), owner_of[m.address])
        amount = f.dollars()
        f.ledger.send(chain, t, m.address, f.svc.router,
                         Emit(TOKEN, "Transfer", (m.address, f.svc.router, amount)))
        if f.rng.random() < 0.5:
            f.token(chain, t + 5, m.address, f.svc.router, m.address, amount)
        else:
            f.token(chain, t + 5, m.address, m.address, f.svc.router,
                        f.usdc_for(chain, m.address, t) // 3)
