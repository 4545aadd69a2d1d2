"""Economy families: seeded generators of devnet economies that vary what clustering could be tuned to.

The demo economy (economy.py) was planned with the same assumptions as the clustering heuristics, so its
scores bound the method from above. A family varies sizes (1 to 200 wallets, heavy-tailed), tradecraft
(private funders and funding trees, deposit addresses with aggregated sweeps in native coin and USDC, bridged
wallets handing off to fresh ones, exchange-only funding) and traps (hot wallets, relayer, payment processor,
airdrop, DEX router). The truth says who owns every address and which wallets a planted link connects
(linktruth.py): recall is scored against that linkable partition, precision against ownership.
"""

from __future__ import annotations

from auditor.devnet.families.build import FamilyEconomy, plan_family
from auditor.devnet.families.params import FAMILIES, FamilyParams

__all__ = ["FAMILIES", "FamilyEconomy", "FamilyParams", "plan_family"]
