"""Swan Chain's JobManager (FCP task manager): users create tasks on computing providers for a duration, in SWAN."""

from pathlib import Path

from auditor.marketplaces.base import BuyerColumn, Contract, Deployment, Marketplace, Token

SWAN_CHAIN = 254

MARKETPLACE = Marketplace(
    name="swan",
    title="Swan Chain (JobManager)",
    contracts=(
        Contract("JobManager", "swan/JobManager.json",
                 ("TaskCreated", "TaskExtended", "TaskTerminated", "TaskCompleted"),
                 (Deployment(SWAN_CHAIN, "0x88f0c31c2cD9d5382d870a417dA144bACd19f027", 3097778),)),
    ),
    buyers=(BuyerColumn("swan_task_created", "user"),),
    kyc="none",
    h100e_method="payment",
    method_note="one rental per task: the user pays reward SWAN to the computing providers in cpList for "
                "duration seconds (extended by TaskExtended, cut short by TaskTerminated); GPU-hours = hours x "
                "providers, H100e from the reward's USD value",
    rentals=Path(__file__).with_name("rentals.sql"),
    caveats="the GPU model is off-chain (task config), so H100e is payment-based; one GPU per listed provider "
            "is assumed for gpu_count",
    token=Token("SWAN", 18),
)
