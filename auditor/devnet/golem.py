"""Golem payments in the simulated economy: GLM transfers on Polygon from requestors to providers.

A requestor gets GLM from the exchange, approves the payment driver's multi-transfer contract, then pays
providers, often several in one tx. Unrelated holders move GLM and approve other spenders, and providers cash
out to the exchange: GLM logs that are not rentals.
"""

from __future__ import annotations

from auditor.devnet.actors import Providers
from auditor.devnet.markets import Intent
from auditor.devnet.plan import (
    DAY,
    END_TIME,
    GENESIS_TIME,
    HOUR,
    POLYGON,
    Emit,
    Ledger,
    Rental,
    address,
    contract_address,
)
from auditor.marketplaces.golem import MULTI_TRANSFER

GLM = "golem/GLM"
UNLIMITED = 2**256 - 1
HOLDERS = 6
HOLDER_TRANSFERS = 14
OTHER_APPROVALS = 4
_BATCH_SIZES = (1, 2, 3, 4)
_BATCH_WEIGHTS = (35, 30, 20, 15)
# One provider's payment in milli-GLM: 0.5-25 GLM, $0.15-7.5 at ~$0.30 a GLM.
_MILLI_GLM = (500, 25_000)
_MILLI = 10**15


def _transfer(sender: str, to: str, value: int) -> Emit:
    return Emit(GLM, "Transfer", (sender, to, value))


def write_golem(ledger: Ledger, providers: Providers, intents: list[Intent], exchange: str) -> None:
    """Payment batches, each requestor's GLM funding and approval before its first one, then the noise."""
    rng = ledger.rng
    glm = contract_address("golem", "GLM", POLYGON)
    paid: dict[str, int] = {}
    first: dict[str, int] = {}
    earned: dict[str, tuple[int, int]] = {}   # provider -> (GLM received, last time)
    for it in intents:
        others = [p for p in providers.golem if p != it.provider]
        payees = (it.provider, *rng.sample(others, k=rng.choices(_BATCH_SIZES, weights=_BATCH_WEIGHTS)[0] - 1))
        values = [rng.randint(*_MILLI_GLM) * _MILLI for _ in payees]
        # erc20_payment_lib pays a batch with golemTransferIndirectPacked, its default on Polygon: the requestor's
        # GLM goes to the multi-transfer contract in one leg, then from the contract to each provider; a single
        # payment is a plain transfer.
        indirect = len(payees) > 1
        legs = [_transfer(MULTI_TRANSFER if indirect else it.buyer, p, v) for p, v in zip(payees, values, strict=True)]
        if indirect:
            legs.insert(0, _transfer(it.buyer, MULTI_TRANSFER, sum(values)))
        key = ledger.send(POLYGON, it.time, it.buyer, glm, *legs)
        for position, (payee, value) in enumerate(zip(payees, values, strict=True), start=int(indirect)):
            ledger.rent(Rental("golem", POLYGON, key, position, it.buyer, payee, payment_token="GLM",
                               payment_raw=value))
            earned[payee] = (earned.get(payee, (0, 0))[0] + value, it.time)
        paid[it.buyer] = paid.get(it.buyer, 0) + sum(values)
        first.setdefault(it.buyer, it.time)
    for requestor, t in first.items():
        approved = t - rng.randint(10 * 60, 2 * HOUR)
        funded = approved - rng.randint(10 * 60, 6 * HOUR)
        ledger.send(POLYGON, funded, exchange, glm, _transfer(exchange, requestor, paid[requestor] * 6 // 5))
        ledger.send(POLYGON, approved, requestor, glm, Emit(GLM, "Approval", (requestor, MULTI_TRANSFER, UNLIMITED)))
    for provider, (value, last) in earned.items():
        t = rng.randint(min(last + HOUR, END_TIME), END_TIME)
        ledger.send(POLYGON, t, provider, glm, _transfer(provider, exchange, value // 2))
    _holder_noise(ledger, glm, exchange)


def _holder_noise(ledger: Ledger, glm: str, exchange: str) -> None:
    rng, seed = ledger.rng, ledger.seed
    holders = [address(seed, f"golem/holder/{i}") for i in range(HOLDERS)]
    for h in holders:
        t = rng.randint(GENESIS_TIME + DAY, GENESIS_TIME + 3 * DAY)
        ledger.send(POLYGON, t, exchange, glm, _transfer(exchange, h, rng.randint(1000, 50_000) * 10**18))
    for _ in range(HOLDER_TRANSFERS):
        a, b = rng.sample(holders, k=2)
        t = rng.randint(GENESIS_TIME + 4 * DAY, END_TIME)
        ledger.send(POLYGON, t, a, glm, _transfer(a, b, rng.randint(*_MILLI_GLM) * _MILLI * 10))
    router = address(seed, "golem/dex-router")
    for h in rng.sample(holders, k=OTHER_APPROVALS):
        t = rng.randint(GENESIS_TIME + 4 * DAY, END_TIME)
        ledger.send(POLYGON, t, h, glm, Emit(GLM, "Approval", (h, router, rng.choice((UNLIMITED, 10**22)))))
