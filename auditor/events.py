"""The events the auditor indexes that belong to no marketplace: ERC-20 transfers and approvals (the watch) and
Chainlink's AnswerUpdated (the price feeds).

Declared at the bottom of the imports so the store creates their tables at migration without importing the
stages that index them.
"""

from __future__ import annotations

from auditor.abi import event_from_json, load_abi_events, parse_event_signature
from auditor.model import EventSpec
from auditor.resources import project_dir

TRANSFER = parse_event_signature("Transfer(address indexed from, address indexed to, uint256 value)",
                                 table="token_transfer")
APPROVAL = parse_event_signature("Approval(address indexed owner, address indexed spender, uint256 value)",
                                 table="token_approval")
WATCH_EVENTS: tuple[EventSpec, ...] = (TRANSFER, APPROVAL)

FEED_TABLE = "chainlink_answer_updated"


def answer_updated() -> EventSpec:
    """`AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)`."""
    entries = load_abi_events(project_dir("contracts_abi") / "chainlink" / "Aggregator.json")
    return event_from_json(entries["AnswerUpdated"], FEED_TABLE)


def own_events() -> list[EventSpec]:
    """Every event table here, for the store to create beside the marketplaces'."""
    return [answer_updated(), *WATCH_EVENTS]
