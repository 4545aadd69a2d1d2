"""Livepeer TicketBroker on Arbitrum: gateways pay orchestrators for video and AI inference with winning tickets."""

from pathlib import Path

from auditor.marketplaces.base import BuyerColumn, Contract, Deployment, Marketplace, Token, address_variable

AI_SERVICE_REGISTRY = "0x04C0b249740175999E5BF5c9ac1dA92431EF34C5"

MARKETPLACE = Marketplace(
    name="livepeer",
    title="Livepeer (TicketBroker)",
    contracts=(
        Contract("TicketBroker", "livepeer/TicketBroker.json",
                 ("DepositFunded", "ReserveFunded", "WinningTicketTransfer", "WinningTicketRedeemed", "Withdrawal"),
                 (Deployment(42161, "0xa8bB618B1520E284046F3dFc448851A1Ff26e41B", 5856357),)),
        # Both registries write livepeer_service_uri_update; `contract` tells them apart.
        Contract("ServiceRegistry", "livepeer/ServiceRegistry.json", ("ServiceURIUpdate",),
                 (Deployment(42161, "0xC92d3A360b8f9e083bA64DE15d95Cf8180897431", 5860363),)),
        Contract("AIServiceRegistry", "livepeer/ServiceRegistry.json", ("ServiceURIUpdate",),
                 (Deployment(42161, AI_SERVICE_REGISTRY, 201993861),)),   # livepeer/protocol deployments
    ),
    buyers=(BuyerColumn("livepeer_deposit_funded", "sender"),
            BuyerColumn("livepeer_winning_ticket_redeemed", "sender")),
    kyc="none",
    h100e_method="payment",
    method_note="one rental per winning ticket: the gateway (sender) pays the orchestrator what the broker "
                "transferred (WinningTicketTransfer: the face value, or less when deposit and reserve fall short); "
                "tickets to orchestrators registered on the AI service registry are AI inference (H100e from "
                "the ETH's USD value), the others video transcoding (no H100e)",
    rentals=Path(__file__).with_name("rentals.sql"),
    caveats="no GPU or duration on-chain; the AI registry address is from community docs",
    token=Token("ETH", 18),
    variables=(address_variable("livepeer_ai_registry", AI_SERVICE_REGISTRY),),
    # orchestrators redeem the winning tickets: a ticket's time is the orchestrator's, not the gateway's
    buyer_sends=False,
    unestimated_workloads=("transcoding",),
)
