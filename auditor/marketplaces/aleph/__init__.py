"""Aleph Cloud pay-as-you-go instances: Superfluid streams of ALEPH from users to compute resource nodes."""

from pathlib import Path

from auditor.marketplaces.base import BuyerColumn, Contract, Deployment, Marketplace, Token, address_variable

AVALANCHE, BASE = 43114, 8453
ALEPH_SUPER_TOKEN = "0xc0Fbc4967259786C743361a5885ef49380473dCF"

MARKETPLACE = Marketplace(
    name="aleph",
    title="Aleph Cloud (Superfluid streams)",
    contracts=(
        # The CFA is shared by every Superfluid token: only ALEPH streams (topic1 = token) are fetched.
        Contract("ConstantFlowAgreementV1", "aleph/ConstantFlowAgreementV1.json", ("FlowUpdated",),
                 # first blocks: npm @superfluid-finance/metadata 1.6.4, networks startBlockV1
                 (Deployment(AVALANCHE, "0x6946c5B38Ffea373b0a2340b4AEf0De8F6782e58", 14700000),
                  Deployment(BASE, "0x19ba78B9cDB05A877718841c574325fdB53601bb", 1000000)),
                 topic1=(ALEPH_SUPER_TOKEN,)),
    ),
    buyers=(BuyerColumn("aleph_flow_updated", "sender", "flowRate > 0"),),
    kyc="none",
    h100e_method="payment",
    method_note="one rental per stream (sender to compute node, or to the community wallet), from the update "
                "that opens it to the one that stops it; ALEPH paid = flow rate x seconds, summed over rate "
                "changes; H100e from the ALEPH's USD value",
    rentals=Path(__file__).with_name("rentals.sql"),
    caveats="the GPU model is in off-chain Aleph INSTANCE messages, so H100e is payment-based; streams still open "
            "are counted up to the last indexed block; ALEPH needs an imported price",
    token=Token("ALEPH", 18),
    variables=(address_variable("aleph_token", ALEPH_SUPER_TOKEN),),
)
