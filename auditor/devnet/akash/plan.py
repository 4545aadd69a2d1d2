"""The simulated Akash economy as a pure, seeded plan: every object with the heights at which it changes.

Nothing here knows about HTTP or JSON. `plan_market` decides providers, owners and their funding, deployments
with group specs, bids, leases and how each lease ends; `view` renders any height from these heights alone, so
a query at an older height (x-cosmos-block-height) is as cheap as one at the head.

Simplifications, each deliberate: every group has one order (oseq 1) and bids have bseq 0; a lease closed by its
provider leaves the group open with no new order until the owner closes the deployment; a lease runs out of funds
at the first block whose accrued price exceeds the deposit (no settlement period), and only single-group
deployments run out; providers withdraw a lease's earnings when it closes.
"""

from __future__ import annotations

import hashlib
import random
from decimal import Decimal

from auditor.devnet.akash.catalog import DENOMS, MIN_DEPOSIT, PRICING_BOT, PROVIDER_REASONS, UAKT
from auditor.devnet.akash.funding import Owner, plan_owners
from auditor.devnet.akash.model import Deployment, Lease, Market, Provider, Sizes
from auditor.devnet.akash.specs import plan_bids, plan_groups, plan_providers


def _plan_deployment(rng: random.Random, market: tuple[int, Sizes, tuple[Provider, ...]], owner: Owner,
                     dseq: int) -> Deployment:
    seed, sizes, providers = market
    latest = sizes.genesis_height + sizes.span_blocks
    bot = owner.address == PRICING_BOT
    denom = UAKT if bot else rng.choices(DENOMS, [4, 3, 3])[0]
    groups = plan_groups(rng, denom, bot)
    bids = [bid for group in groups for bid in plan_bids(rng, providers, group, dseq)]
    digest = hashlib.sha256(f"{seed}/{owner.address}/{dseq}".encode()).digest()
    source, depositor = ("grant", owner.funder) if owner.kind == "card" else ("balance", owner.address)
    if bot or not bids or rng.random() < 0.08:
        close = dseq + rng.randint(20, 300)
        return Deployment(owner.address, dseq, groups, digest, denom, MIN_DEPOSIT, depositor, source, tuple(bids), (),
                          close if close <= latest else None, False)
    leases = []
    lease_height = max(b.height for b in bids) + rng.randint(1, 5)
    mode = rng.choices(["owner", "provider", "funds", "open"], [9, 4, 3, 4])[0]
    if mode == "funds" and len(groups) > 1:
        mode = "owner"
    duration = rng.randint(600, 30_000)
    for group in groups:
        mine = [b for b in bids if b.gseq == group.gseq]
        if not mine:
            continue
        win = min(mine, key=lambda b: (b.price, b.provider))
        leases.append(Lease(group.gseq, win.provider, win.price, win.gpu, win.offered.gpu_units * group.count,
                            lease_height, None, None))
    rate = sum((lease.price for lease in leases), Decimal(0))
    end = lease_height + duration
    if mode == "funds" and end <= latest:
        # The deposit runs out in block logic: the first block whose accrued price exceeds it closes the lease.
        deposit = max(MIN_DEPOSIT, int(rate * duration))
        close = lease_height + int(Decimal(deposit) / rate) + 1
        if close <= latest:
            return Deployment(owner.address, dseq, groups, digest, denom, deposit, depositor, source, tuple(bids),
                              tuple(_closed(lease, close, 20000) for lease in leases), close, True)
    deposit = max(MIN_DEPOSIT, int(rate * (latest - lease_height) * Decimal("1.25")) + MIN_DEPOSIT)
    close_deployment: int | None = None
    if mode == "owner" and end <= latest:
        leases = [_closed(lease, end, 1) for lease in leases]
        close_deployment = end
    elif mode == "provider" and end <= latest:
        leases[0] = _closed(leases[0], end, rng.choice(PROVIDER_REASONS))
        after = end + rng.randint(10, 400)
        if after <= latest:
            leases = [lease if lease.close_height else _closed(lease, after, 1) for lease in leases]
            close_deployment = after
    return Deployment(owner.address, dseq, groups, digest, denom, deposit, depositor, source, tuple(bids),
                      tuple(leases), close_deployment, False)


def _closed(lease: Lease, height: int, reason: int) -> Lease:
    return Lease(lease.gseq, lease.provider, lease.price, lease.gpu, lease.gpu_count, lease.open_height, height,
                 reason)


def plan_market(seed: int, sizes: Sizes | None = None) -> Market:
    """The whole economy for a seed: the same seed and sizes always give the same market."""
    sizes = sizes or Sizes()
    rng = random.Random(seed)
    providers = plan_providers(rng, seed, sizes)
    owners = plan_owners(rng, seed, sizes.owners)
    first, last = sizes.genesis_height + 600, sizes.genesis_height + int(sizes.span_blocks * 0.9)
    deployments = []
    for owner in owners:
        count = sizes.bot_deployments if owner.address == PRICING_BOT else rng.randint(
            1, sizes.max_deployments_per_owner)
        for dseq in sorted(rng.sample(range(first, last), count)):
            deployments.append(_plan_deployment(rng, (seed, sizes, providers), owner, dseq))
    return Market(seed, sizes, providers, owners, tuple(sorted(deployments, key=lambda d: (d.owner, d.dseq))))
