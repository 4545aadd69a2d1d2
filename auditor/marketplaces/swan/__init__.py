"""Swan Chain's JobManager (FCP task manager): users create tasks on computing providers for a duration, in SWAN."""

from pathlib import Path

from auditor.marketplaces.base import BuyerColumn, Contract, Deployment, Marketplace, Token

SWAN_CHAIN = 254
JOB_EVENTS = ("TaskCreated", "TaskExtended", "TaskTerminated", "TaskCompleted")

MARKETPLACE = Marketplace(
    name="swan",
    title="Swan Chain (JobManager)",
    # Two JobManagers, one ABI (swanchain/go-computing-provider build/parameters.json, build/version.go): the
    # first from block 2129000, used below height 3144197 (2024-12-16); the current one from 3097778. Both write
    # the swan_task_* tables; `contract` tells them apart, and a task's events stay with the manager it was
    # created on.
    contracts=(
        Contract("JobManager", "swan/JobManager.json", JOB_EVENTS,
                 (Deployment(SWAN_CHAIN, "0x88f0c31c2cD9d5382d870a417dA144bACd19f027", 3097778),)),
        Contract("JobManagerLegacy", "swan/JobManager.json", JOB_EVENTS,
                 (Deployment(SWAN_CHAIN, "0x6e810C56d97d0cf64FB625d2Ed756379d0EDbC32", 2129000),)),
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
