"""iExec deals in the simulated economy: the match tx, its tasks, and the deal the PoCo diamond returns from viewDeal.

The PocoDiamond emitter answers `viewDeal(id)` with IexecLibCore_v5.Deal decoded from the code of the deal's data
account (`deal_account`: a STOP byte, then the ABI-encoded Deal), and an all-zero Deal for an unknown id, as the
real diamond does. The account is placed as of the match tx's block, so the deal exists from that block on.
Code, not storage: anvil's time per mined block grows with the chain's total storage, not with its code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Literal

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from auditor.devnet.actors import Workerpool
from auditor.devnet.plan import (
    ARBITRUM,
    DAY,
    END_TIME,
    HOUR,
    DealTerms,
    Emit,
    Ledger,
    Rental,
    address,
    contract_address,
    word,
)

POCO = "iexec/PocoDiamond"
DEAL_TYPE = ("((address,address,uint256),(address,address,uint256),(address,address,uint256),uint256,uint256,bytes32,"
             "address,address,address,string,uint256,uint256,uint256,uint256,uint256,address)")
DEAL_ACCOUNT_PREFIX = b"devnet/iexec/deal"   # the emitter derives the same address
# workClockTimeRef of categories 0 (XS) to 4 (XL), seconds; a task's final deadline is its deal's startTime
# plus DEADLINE_FACTOR of them.
CATEGORY_REFS = (300, 1200, 3600, 10800, 36000)
DEADLINE_FACTOR = 10
TAG_TEE = 0x1
TAG_GPU = 0x100
TEE_TAGS = (TAG_TEE, TAG_TEE | 0x2, TAG_TEE | 0x4)   # TEE alone, with Scone, with Gramine
GPU_SHARE = 0.6
TEE_SHARE = 0.2
ROOMY_SHARE = 0.2        # deals that ask one category more than their tasks need
DATASET_SHARE = 0.3
APPS = 8
DATASETS = 5
STUCK_DEALS = 3          # a task initialized and never finalized: its deadline passes, nobody claims
STUCK_BEFORE = END_TIME - 7 * DAY
RUNNING_DEALS = 2        # the last deals' last task is still running when the calendar ends
RUNNING_AFTER = END_TIME - 3 * DAY
_PARAMS = ("", "", '{"iexec_args":"--epochs 3"}',
           '{"iexec_args":"--model llama-3-8b --steps 200 --batch 16","iexec_input_files":[]}')
_ZERO = "0x" + "00" * 20

Fate = Literal["stuck", "running"]


@dataclass(frozen=True)
class Resource:
    pointer: str
    owner: str
    price: int   # nRLC per task


NO_RESOURCE = Resource(_ZERO, _ZERO, 0)


@dataclass(frozen=True)
class Deal:
    """IexecLibCore_v5.Deal as viewDeal returns it (names as in the contract, snake-cased)."""

    deal_id: bytes
    app: Resource
    dataset: Resource
    workerpool: Resource
    trust: int
    category: int
    tag: int
    requester: str
    beneficiary: str
    callback: str
    params: str
    start_time: int
    bot_first: int
    bot_size: int
    worker_stake: int
    scheduler_reward_ratio: int
    sponsor: str

    @property
    def deadline(self) -> int:
        return self.start_time + DEADLINE_FACTOR * CATEGORY_REFS[self.category]


def task_id(deal_id: bytes, index: int) -> bytes:
    """iExec's keccak256(abi.encodePacked(dealid, uint256(index)))."""
    return keccak(deal_id + index.to_bytes(32, "big"))


def category_for(longest: int) -> int:
    """The smallest category whose final deadline leaves `longest` seconds after the deal starts."""
    return next((c for c, ref in enumerate(CATEGORY_REFS) if DEADLINE_FACTOR * ref >= longest), len(CATEGORY_REFS) - 1)


def deal_fates(seed: int, deals: list[tuple[int, int]]) -> dict[int, Fate]:
    """The fate ("stuck" or "running") of a few of the (seq, time) deals, given in time order; the others are
    done. Drawn from their own generator, so the rest of the economy keeps its draws."""
    rng = random.Random(f"{seed}/iexec/fates")
    running = [seq for seq, t in deals if t >= RUNNING_AFTER][-RUNNING_DEALS:]
    early = [seq for seq, t in deals if t < STUCK_BEFORE]
    stuck = rng.sample(early, k=min(STUCK_DEALS, len(early)))
    fates: dict[int, Fate] = {seq: "running" for seq in running}
    return fates | {seq: "stuck" for seq in stuck}


def abi_value(deal: Deal) -> tuple[Any, ...]:
    """The deal as a DEAL_TYPE value, as viewDeal returns it."""
    app, dataset, pool = ((r.pointer, r.owner, r.price) for r in (deal.app, deal.dataset, deal.workerpool))
    return (app, dataset, pool, deal.trust, deal.category, deal.tag.to_bytes(32, "big"), deal.requester,
            deal.beneficiary, deal.callback, deal.params, deal.start_time, deal.bot_first, deal.bot_size,
            deal.worker_stake, deal.scheduler_reward_ratio, deal.sponsor)


def deal_account(deal_id: bytes) -> str:
    """Where a deal's data lives: the emitter's address(uint160(uint256(keccak256(prefix ++ id))))."""
    return "0x" + keccak(DEAL_ACCOUNT_PREFIX + deal_id)[-20:].hex()


def deal_code(deal: Deal) -> str:
    """The data account's code: STOP, so calling it does nothing, then abi.encode(deal)."""
    return "0x00" + encode([DEAL_TYPE], [abi_value(deal)]).hex()


def _pool_policy(seed: int, pool: str) -> tuple[int, int]:
    """A workerpool's worker stake ratio and scheduler reward ratio, in percent."""
    rng = random.Random(f"{seed}/iexec/policy/{pool}")
    return rng.choice((10, 20, 30, 35)), rng.choice((1, 5, 10, 20))


def _tag(rng: random.Random) -> int:
    gpu = TAG_GPU if rng.random() < GPU_SHARE else 0
    return gpu | (rng.choice(TEE_TAGS) if rng.random() < TEE_SHARE else 0)


def _resource(rng: random.Random, seed: int, kind: str, count: int, price: int) -> Resource:
    n = rng.randrange(count)
    return Resource(address(seed, f"iexec/{kind}/{n}"), address(seed, f"iexec/{kind}-owner/{n % 3}"), price)


def make_deal(seed: int, number: int, time: int, buyer: str, pool: Workerpool, price: int, volume: int,
              longest: int) -> Deal:
    """Deal `number`, matched at `time`, whose tasks end at most `longest` seconds after it; `price` per task
    is split between app, dataset and workerpool."""
    rng = random.Random(f"{seed}/iexec/deal/{number}")
    category = min(category_for(longest) + (rng.random() < ROOMY_SHARE), len(CATEGORY_REFS) - 1)
    tag = _tag(rng)
    app = _resource(rng, seed, "app", APPS, rng.choice((0, 0, price // 10)))
    dataset = (_resource(rng, seed, "dataset", DATASETS, rng.choice((0, price // 20)))
               if rng.random() < DATASET_SHARE else NO_RESOURCE)
    pool_price = price - app.price - dataset.price
    stake_ratio, reward_ratio = _pool_policy(seed, pool.address)
    return Deal(deal_id=word(seed, f"iexec/deal/{number}"), app=app, dataset=dataset,
                workerpool=Resource(pool.address, pool.owner, pool_price), trust=rng.choice((0, 1, 1, 1, 5)),
                category=category, tag=tag, requester=buyer, beneficiary=buyer, callback=_ZERO,
                params=rng.choice(_PARAMS), start_time=time, bot_first=0, bot_size=volume,
                worker_stake=pool_price * stake_ratio // 100, scheduler_reward_ratio=reward_ratio, sponsor=buyer)


def write_deal(ledger: Ledger, number: int, time: int, buyer: str, pool: Workerpool, fate: Fate | None) -> None:
    """One match tx (Lock, Lock, SchedulerNotice, OrdersMatched) carrying the deal, then an init and a finalize
    per task; a stuck deal's last task is never finalized, a running deal's ends after the calendar."""
    rng, seed = ledger.rng, ledger.seed
    deal_id = word(seed, f"iexec/deal/{number}")
    volume = rng.choice((1, 1, 2, 2, 3, 4))
    price = rng.randint(1, 50) * 10**8   # nRLC per task
    paid = price * volume
    hashes = tuple(word(seed, f"iexec/deal/{number}/{kind}") for kind in ("app", "dataset", "wp", "request"))
    runs = []
    for index in range(volume):
        start = time + rng.randint(60, 20 * 60) + index * rng.randint(0, 300)
        runs.append((start, start + rng.randint(10 * 60, 8 * HOUR)))
    if fate == "running":
        last = runs[-1][0]
        runs[-1] = (last, END_TIME + random.Random(f"{seed}/iexec/running/{number}").randint(HOUR, 12 * HOUR))
    deal = make_deal(seed, number, time, buyer, pool, price, volume, max(end for _, end in runs) - time)
    poco = contract_address("iexec", "PocoDiamond", ARBITRUM)
    emits = (Emit(POCO, "Lock", (buyer, paid)),
             Emit(POCO, "Lock", (pool.owner, paid * 3 // 10)),
             Emit(POCO, "SchedulerNotice", (pool.address, deal_id)),
             Emit(POCO, "OrdersMatched", (deal_id, *hashes, volume)))
    key = ledger.send(ARBITRUM, time, pool.scheduler, poco, *emits,
                      code=((deal_account(deal_id), deal_code(deal)),))
    starts, ends = [], []
    for index, (start, end) in enumerate(runs):
        task = task_id(deal_id, index)
        if start <= END_TIME:
            starts.append(start)
            ledger.send(ARBITRUM, start, pool.scheduler, poco, Emit(POCO, "TaskInitialize", (task, pool.address)))
        if end <= END_TIME and not (fate == "stuck" and index == volume - 1):
            ends.append(end)
            result = f'{{"storage":"ipfs","location":"/ipfs/{task.hex()[:46]}"}}'.encode()
            ledger.send(ARBITRUM, end, pool.scheduler, poco, Emit(POCO, "TaskFinalize", (task, result)))
    terms = DealTerms(deal_id, deal.tag, deal.category, deal.deadline)
    ledger.rent(Rental("iexec", ARBITRUM, key, 3, buyer, pool.address, start_time=min(starts, default=None),
                       end_time=max(ends) if len(ends) == volume else None, payment_token="RLC", payment_raw=paid,
                       deal=terms))
