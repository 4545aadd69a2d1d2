"""Akash Network (Cosmos chain akashnet-2): leases carry their provider, price per block and open/close heights,
and the winning bid's resources_offer names the GPU model, so hours are exact: lease duration x GPU count x
the GPU's H100-equivalence. Indexed from an LCD's list endpoints (auditor.sync.akash), not from EVM logs."""

from pathlib import Path

from auditor.chains import AKASH_CHAIN_ID
from auditor.marketplaces.base import Marketplace, SqlVariable

PRICING_BOT = "akash1pas6v0905jgyznpvnjhg7tsthuyqek60gkz7uf"   # the Akash Console's pricing bot (bids only)
USDC_IBC = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"   # axlUSDC over IBC

MARKETPLACE = Marketplace(
    name="akash",
    title="Akash Network",
    contracts=(),
    buyers=(),
    kyc="none",
    h100e_method="duration",
    method_note="one rental per lease: hours from the block it opened at to the block it closed at (open leases: "
                "to the safe block) x GPU count (units x count of the winning bid's resources_offer) x the "
                "H100-equivalence of the offered GPU model (memory, interface), all on-chain",
    rentals=Path(__file__).with_name("rentals.sql"),
    caveats="kyc card where a card on-ramp (the Console's funding wallet, labelled card_onramp) granted the "
            "owner fees or deposits; AKT and ACT need imported prices; the Console pricing bot is left out",
    variables=(SqlVariable("akash_pricing_bot", PRICING_BOT), SqlVariable("akash_usdc_denom", USDC_IBC)),
    unestimated_workloads=("cpu",),
    network_chains=(AKASH_CHAIN_ID,),
    reads="LCD list endpoints (deployments, bids, leases, providers; v1beta5 or v1beta4) at the safe height, "
          "block times, tx search (owners' transfers and grants)",
)
