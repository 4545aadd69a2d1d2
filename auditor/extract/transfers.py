"""Watch sources: the ERC-20 transfers and approvals of one address in the tokens worth watching on its chain.

Buyers are watched both ways (transfers from and to it, approvals by and to it); hubs (addresses several buyers
pay) only outbound, which is what tells a deposit address (it forwards to an exchange) from a collector. One source per
address and direction, so a newly watched address is back-filled from the start while the others continue.
"""

from __future__ import annotations

import csv
import hashlib
from functools import cache

from auditor.events import WATCH_EVENTS
from auditor.model import Source, normalize_address
from auditor.resources import package_data


@cache
def watch_tokens(chain_id: int) -> tuple[str, ...]:
    """The tokens whose transfers are watched on a chain (tokens.csv, watch = yes), sorted."""
    with package_data("tokens.csv").open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["watch"] == "yes" and int(r["chain_id"]) == chain_id]
    return tuple(sorted(normalize_address(r["address"]) for r in rows))


def _topic(address: str) -> bytes:
    return bytes(12) + bytes.fromhex(address.removeprefix("0x"))


def watch_sources(chain_id: int, address: str, inbound: bool) -> list[Source]:
    """The watch sources of an address: outbound transfers and approvals, and (`inbound`) transfers to it.
    The key carries a fingerprint of the tokens, so a token added later is back-filled."""
    tokens = watch_tokens(chain_id)
    if not tokens:
        return []
    fp = hashlib.sha256(",".join(tokens).encode()).hexdigest()[:8]
    out = [Source(key=f"watch/out/{address}#{fp}", chain_id=chain_id, address=address, events=WATCH_EVENTS,
                  topic1=(_topic(address),), contracts=tokens)]
    if inbound:
        out.append(Source(key=f"watch/in/{address}#{fp}", chain_id=chain_id, address=address, events=WATCH_EVENTS,
                          topic2=(_topic(address),), contracts=tokens))
    return out
