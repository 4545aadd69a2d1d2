"""Livepeer TicketBroker on Arbitrum: gateways pay orchestrators for video and AI inference with winning tickets."""

from auditor.marketplaces.base import BuyerColumn, Contract, Deployment, Marketplace

MARKETPLACE = Marketplace(
    name="livepeer",
    title="Livepeer (TicketBroker)",
    contracts=(
        Contract("TicketBroker", "livepeer/TicketBroker.json",
                 ("DepositFunded", "ReserveFunded", "WinningTicketRedeemed", "Withdrawal"),
                 (Deployment(42161, "0xa8bB618B1520E284046F3dFc448851A1Ff26e41B", 5856357),)),
        Contract("AIServiceRegistry", "livepeer/ServiceRegistry.json", ("ServiceURIUpdate",),
                 (Deployment(42161, "0x04C0b249740175999E5BF5c9ac1dA92431EF34C5"),)),
    ),
    buyers=(BuyerColumn("livepeer_deposit_funded", "sender"),
            BuyerColumn("livepeer_winning_ticket_redeemed", "sender")),
    kyc="none",
    h100e_method="payment",
    method_note="one rental per winning ticket: the gateway (sender) pays faceValue ETH to the orchestrator",
    caveats="no GPU or duration on-chain; hours need an ETH price and an H100-hour price (not yet applied)",
)
