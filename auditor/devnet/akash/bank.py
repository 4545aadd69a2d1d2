"""Bank balances at any height, from a ledger of every change: genesis, fees, sends, escrow deposits and refunds,
and what providers withdraw. Closing a lease for lack of funds moves nothing: it happens in block logic."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from auditor.devnet.akash.catalog import DENOMS, MIN_DEPOSIT, TX_FEE_UAKT, UAKT
from auditor.devnet.akash.funding import funders
from auditor.devnet.akash.model import Market, lease_paid
from auditor.devnet.akash.txs import Tx
from auditor.devnet.akash.view import lease_of

GENESIS_FUNDS = 10**15


@dataclass(frozen=True)
class Entry:
    height: int
    address: str
    denom: str
    delta: int


class Ledger:
    """Balances per address and denom as of any height (entries at height h count from h on)."""

    def __init__(self, entries: list[Entry]) -> None:
        self._by_account: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
        grouped: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        for entry in entries:
            grouped[entry.address, entry.denom].append(entry)
        for key, items in grouped.items():
            items.sort(key=lambda e: e.height)
            running, heights, totals = 0, [], []
            for item in items:
                running += item.delta
                heights.append(item.height)
                totals.append(running)
            self._by_account[key] = (heights, totals)
        self.addresses = frozenset(address for address, _ in self._by_account)

    def balance(self, address: str, denom: str, at: int) -> int:
        heights, totals = self._by_account.get((address, denom), ([], []))
        i = bisect.bisect_right(heights, at)
        return totals[i - 1] if i else 0

    def balances(self, address: str, at: int) -> list[tuple[str, int]]:
        """Non-zero balances sorted by denom, as x/bank lists them."""
        found = [(denom, self.balance(address, denom, at)) for denom in sorted(DENOMS)]
        return [(denom, amount) for denom, amount in found if amount]


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_DOWN))


def build_ledger(market: Market, txs: tuple[Tx, ...]) -> Ledger:
    who = funders(market.seed)
    g = market.genesis_height
    entries = [Entry(g, address, denom, GENESIS_FUNDS) for address in (who.exchange, who.console)
               for denom in DENOMS]
    entries += [Entry(g, p.owner, UAKT, 1_000_000_000) for p in market.providers]
    for tx in txs:
        entries.append(Entry(tx.height, tx.fee_payer, UAKT, -TX_FEE_UAKT))
        for msg in tx.messages:
            if msg["@type"] == "/cosmos.bank.v1beta1.MsgSend":
                for c in msg["amount"]:
                    entries.append(Entry(tx.height, msg["from_address"], c["denom"], -int(c["amount"])))
                    entries.append(Entry(tx.height, msg["to_address"], c["denom"], int(c["amount"])))
    for d in market.deployments:
        entries.append(Entry(d.dseq, d.depositor, d.denom, -d.deposit))
        for lease in d.leases:
            if lease.close_height is not None:
                paid = lease_paid(lease, d, lease.close_height)
                entries.append(Entry(lease.close_height, lease.provider, d.denom, _floor(paid)))
        if d.close_height is not None:
            paid = sum((lease_paid(lease, d, d.close_height) for lease in d.leases), Decimal(0))
            entries.append(Entry(d.close_height, d.depositor, d.denom, _floor(d.deposit - paid)))
        for bid in d.bids:
            entries.append(Entry(bid.height, bid.provider, UAKT, -MIN_DEPOSIT))
            won = lease_of(d, bid.gseq)
            if won is not None and won.provider == bid.provider:
                back = won.close_height
            elif won is not None:
                back = won.open_height
            else:
                back = d.close_height
            if back is not None:
                entries.append(Entry(back, bid.provider, UAKT, MIN_DEPOSIT))
    return Ledger(entries)
