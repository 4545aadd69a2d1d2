"""iExec PoCo on Arbitrum: deals matched between requesters and workerpools, paid in RLC."""

from pathlib import Path

from auditor.marketplaces.base import (
    BuyerColumn,
    Contract,
    Deployment,
    Enrichment,
    Marketplace,
    SqlFunction,
    Token,
)
from auditor.marketplaces.iexec.deals import deals_to_view, view_deal, write_deal
from auditor.marketplaces.iexec.tasks import task_id

MARKETPLACE = Marketplace(
    name="iexec",
    title="iExec PoCo",
    contracts=(
        Contract("PocoDiamond", "iexec/PocoDiamond.json",
                 ("Lock", "OrdersMatched", "SchedulerNotice", "TaskInitialize", "TaskFinalize"),
                 # deployment block: iExec's PoCo subgraph config (ARBITRUM_MAINNET deploymentBlock)
                 (Deployment(42161, "0x098bFCb1E50ebcA0BaA92C12eA0c3F045A1aD9f0", 363864242),)),
    ),
    buyers=(BuyerColumn("iexec_lock", "owner"),),
    kyc="none",
    h100e_method="payment",
    method_note="one rental per deal (OrdersMatched); the requester is the first Lock owner in the match tx, "
                "the provider the workerpool of its SchedulerNotice; run time = TaskInitialize to TaskFinalize "
                "of its tasks (ids keccak256(dealid, index)), unfinished tasks capped at the deal's deadline "
                "(start + 10 x the category's reference time, from viewDeal); deals tagged GPU (tag bit 8, "
                "from viewDeal) get H100e from the locked RLC's USD value, CPU deals none",
    rentals=Path(__file__).with_name("rentals.sql"),
    caveats="the GPU model is not on-chain (workerpool descriptions are off-chain); viewDeal needs an eth_call "
            "per deal; RLC needs an imported price",
    enrichments=(Enrichment("deal", deals_to_view, lambda ref: str(ref.dealid), view_deal, write_deal),),
    token=Token("RLC", 9),
    functions=(SqlFunction("iexec_task_id", task_id, ("VARCHAR", "BIGINT"), "VARCHAR"),),
    unestimated_workloads=("cpu",),
)
