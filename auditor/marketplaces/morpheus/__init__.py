"""Morpheus compute marketplace on Base (earlier Arbitrum): users open inference sessions with providers."""

from pathlib import Path

from auditor.marketplaces.base import BuyerColumn, Contract, Deployment, Marketplace, Token

MARKETPLACE = Marketplace(
    name="morpheus",
    title="Morpheus (sessions)",
    contracts=(
        Contract("Diamond", "morpheus/Diamond.json", ("SessionOpened", "SessionClosed"),
                 (Deployment(8453, "0x6aBE1d282f72B474E54527D93b979A4f64d3030a"),
                  # the earlier diamond (smart-contracts/deploy/data/config_arbitrum_mainnet.json)
                  Deployment(42161, "0xDE819AaEE474626E3f34Ef0263373357e5a6C71b"))),
    ),
    buyers=(BuyerColumn("morpheus_session_opened", "user"),),
    kyc="none",
    h100e_method="payment",
    method_note="one rental per session: user, provider, opened to closed",
    rentals=Path(__file__).with_name("rentals.sql"),
    caveats="LLM inference, often proxied to hosted APIs; no GPU on-chain; stake and price need getSession/getBid",
    token=Token("MOR", 18),
)
