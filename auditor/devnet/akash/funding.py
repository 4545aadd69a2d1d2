"""Who the deployment owners are and who pays for them: an exchange, private funders, the Console's card wallet."""

from __future__ import annotations

import random
from dataclasses import dataclass

from auditor.devnet.akash.bech32 import account_address
from auditor.devnet.akash.catalog import PRICING_BOT


@dataclass(frozen=True)
class Owner:
    """A deployment owner. kind: exchange (withdrew from an exchange), funder (a private wallet funds several
    owners: one entity), card (a Console managed wallet: card-paid, fee grant and deposit authorization from
    the Console's funding wallet, no tokens of its own), bot (the Console pricing bot)."""

    address: str
    entity: str
    kind: str
    funder: str


@dataclass(frozen=True)
class Funders:
    exchange: str
    console: str
    private: tuple[str, ...]


def funders(seed: int) -> Funders:
    return Funders(exchange=account_address(f"akash/{seed}/exchange-hot-wallet"),
                   console=account_address(f"akash/{seed}/console-funding-wallet"),
                   private=tuple(account_address(f"akash/{seed}/private-funder/{i}") for i in range(2)))


def plan_owners(rng: random.Random, seed: int, count: int) -> tuple[Owner, ...]:
    """`count` owners plus the pricing bot: about 40% exchange-funded, 35% in two privately funded entities,
    25% card-paid Console wallets."""
    who = funders(seed)
    owners = [Owner(PRICING_BOT, "console-pricing-bot", "bot", who.exchange)]
    for i in range(count):
        address = account_address(f"akash/{seed}/owner/{i}")
        kind = rng.choices(["exchange", "funder", "card"], [40, 35, 25])[0]
        if kind == "exchange":
            owners.append(Owner(address, f"solo-{i}", kind, who.exchange))
        elif kind == "funder":
            which = rng.randrange(len(who.private))
            owners.append(Owner(address, f"entity-{which}", kind, who.private[which]))
        else:
            owners.append(Owner(address, f"card-{i}", kind, who.console))
    return tuple(owners)
