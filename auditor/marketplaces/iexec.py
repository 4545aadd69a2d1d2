"""iExec PoCo on Arbitrum: deals matched between requesters and workerpools, paid in RLC."""

from auditor.marketplaces.base import BuyerColumn, Contract, Deployment, Marketplace

MARKETPLACE = Marketplace(
    name="iexec",
    title="iExec PoCo",
    contracts=(
        Contract("PocoDiamond", "iexec/PocoDiamond.json",
                 ("Lock", "OrdersMatched", "SchedulerNotice", "TaskInitialize", "TaskFinalize"),
                 (Deployment(42161, "0x098bFCb1E50ebcA0BaA92C12eA0c3F045A1aD9f0"),)),
    ),
    buyers=(BuyerColumn("iexec_lock", "owner"),),
    kyc="none",
    h100e_method="payment",
    method_note="one rental per deal (OrdersMatched); the requester is the first Lock owner in the match tx, "
                "the provider the workerpool of its SchedulerNotice; run time = TaskInitialize to TaskFinalize "
                "of its tasks (ids keccak256(dealid, index)); H100e from the locked RLC's USD value",
    caveats="the GPU tag (bit 8) and category are only in viewDeal (eth_call), not read yet, so CPU deals "
            "count too; RLC needs an imported price",
)
