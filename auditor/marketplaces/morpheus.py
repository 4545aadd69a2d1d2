"""Morpheus compute marketplace on Base: users open inference sessions with providers."""

from auditor.marketplaces.base import BuyerColumn, Contract, Deployment, Marketplace

MARKETPLACE = Marketplace(
    name="morpheus",
    title="Morpheus (sessions)",
    contracts=(
        Contract("Diamond", "morpheus/Diamond.json", ("SessionOpened", "SessionClosed"),
                 (Deployment(8453, "0x6aBE1d282f72B474E54527D93b979A4f64d3030a"),)),
    ),
    buyers=(BuyerColumn("morpheus_session_opened", "user"),),
    kyc="none",
    h100e_method="payment",
    method_note="one rental per session: user, provider, opened to closed",
    caveats="LLM inference, often proxied to hosted APIs; no GPU on-chain; stake and price need getSession/getBid",
)
