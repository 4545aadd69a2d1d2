"""Spheron Protocol on Base: orders carry a resource spec (GPU model and count), leases carry start and end."""

from pathlib import Path

from auditor.marketplaces.base import BuyerColumn, Contract, Deployment, Marketplace, SqlFunction
from auditor.marketplaces.spheron.specs import gpu_struct

MARKETPLACE = Marketplace(
    name="spheron",
    title="Spheron Protocol",
    contracts=(
        Contract("OrderRequest", "spheron/OrderRequest.json", ("OrderCreated",),
                 (Deployment(8453, "0xC1A0AF3224465c2a5099C14c5A1A4f6680C30A86"),)),
        Contract("ComputeLease", "spheron/ComputeLease.json", ("LeaseCreated", "LeaseClosed"),
                 (Deployment(8453, "0x8A9f22D855bBE978C0D47De0963a3B15022E8ce0"),)),
    ),
    buyers=(BuyerColumn("spheron_order_created", "creator"),
            BuyerColumn("spheron_lease_created", "tenantAddress")),
    kyc="none",
    h100e_method="duration",
    method_note="one rental per lease: hours from lease start to close (open leases: to the last indexed block) "
                "x GPU count from the order's specs x the GPU's H100-equivalence",
    rentals=Path(__file__).with_name("rentals.sql"),
    caveats="acceptedPrice units unconfirmed, so no USD yet; console users may share custodial addresses",
    # no token: an order names its own, by address (the tokens table gives the symbol)
    functions=(SqlFunction("spheron_gpu", gpu_struct, ("VARCHAR",), "STRUCT(model VARCHAR, count INTEGER)"),),
)
