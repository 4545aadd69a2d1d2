"""Golem on Polygon: requestors pay providers in GLM, mostly through the payment driver's multi-transfer contract."""

from pathlib import Path

from auditor.marketplaces.base import BuyerColumn, Contract, Deployment, Marketplace, Token, address_variable

POLYGON = 137
MULTI_TRANSFER = "0x50100d4faf5f3b09987dea36dc2eddd57a3e561b"

MARKETPLACE = Marketplace(
    name="golem",
    title="Golem (GLM payments)",
    contracts=(
        Contract("GLM", "golem/GLM.json", ("Transfer", "Approval"),
                 (Deployment(POLYGON, "0x0B220b82F3eA3B7F6d9A1D8ab58930C064A2b5Bf"),)),
    ),
    buyers=(BuyerColumn("golem_approval", "owner", f"spender = '{MULTI_TRANSFER}'"),),
    kyc="none",
    h100e_method="payment",
    method_note="one rental per GLM transfer from a requestor (an address that approved the payment driver's "
                f"multi-transfer contract {MULTI_TRANSFER}) to another address; H100e from the GLM's USD value",
    rentals=Path(__file__).with_name("rentals.sql"),
    caveats="agreements and GPU offers are off-chain; a requestor's transfers that are not payments (to an "
            "exchange, say) are counted too, and requestors paying only by direct transfer are missed",
    token=Token("GLM", 18),
    variables=(address_variable("golem_multi_transfer", MULTI_TRANSFER),),
)
