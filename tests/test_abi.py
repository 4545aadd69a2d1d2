"""Event signatures and ABI files to EventSpecs; topic0 values checked against the published reference table."""

from __future__ import annotations

import pytest

from auditor.abi import parse_event_signature, snake_case
from auditor.errors import InputError
from auditor.marketplaces import MARKETPLACES, all_event_specs

# topic0 values from the research notes' reference table (keccak256 of the canonical signature).
REFERENCE_TOPIC0 = {
    "livepeer_winning_ticket_transfer": "8b87351a208c06e3ceee59d80725fd77a23b4129e1b51ca231fc89b40712649c",
    "livepeer_winning_ticket_redeemed": "c389eb51ed006dbf2528507f010efdf5225ea596e1e1741d74f550dab1925ee7",
    "livepeer_deposit_funded": "5159e237d952190e68d5215430f305831be7c9c8776d1377c76679ae4773413f",
    "iexec_orders_matched": "d811b592ed0899225773e8933d8df64bd0b62761a9d7aad4ed5b22735f4610a4",
    "iexec_lock": "625fed9875dada8643f2418b838ae0bc78d9a148a18eee4ee1979ff0f3f5d427",
    "iexec_scheduler_notice": "692ad61076dceddd0f1a861f737553dd61fc8501cf4190d29c4e90af6607f765",
    "iexec_task_initialize": "252992fb0468d68d6a5784ec03214f0d0a362083f2d7ebd157af43b017a22e06",
    "spheron_order_created": "bf0becce6edeae4f448544a778fc7f178eeac2b2cefaef1b707c05bffa5d43d2",
    "spheron_lease_created": "5ac8ea04e47ef9fd0cb3dc8fb52cafc453271d39b0e0b60c8674e64bf08737c4",
    "spheron_lease_closed": "baca767d2b3fece79baf53cd48fae773ffcee43b36bb830add11531237d87d75",
    "morpheus_session_opened": "2bd7c890baf595977d256a6e784512c873ac58ba612b4895dbb7f784bfbf4839",
    "morpheus_session_closed": "337fbb0a41a596db800dc836595a57815f967185e3596615c646f2455ac3914a",
}


def test_marketplace_topic0s_match_reference() -> None:
    specs = {s.table: s for s in all_event_specs()}
    for table, topic0 in REFERENCE_TOPIC0.items():
        assert specs[table].topic0.hex() == topic0, table


def test_one_table_holds_one_event() -> None:
    """Two contracts may share a table (Livepeer's two service registries), never two different events."""
    events: dict[str, set[tuple[str, tuple[bool, ...]]]] = {}
    for spec in all_event_specs():
        events.setdefault(spec.table, set()).add((spec.signature, tuple(p.indexed for p in spec.params)))
    assert all(len(sigs) == 1 for sigs in events.values()), events
    assert len(events) == 23
    assert all(m.chains for m in MARKETPLACES)


def test_parse_transfer_signature() -> None:
    spec = parse_event_signature("Transfer(address indexed from, address indexed to, uint256 value)")
    assert spec.table == "evt_transfer"
    assert spec.signature == "Transfer(address,address,uint256)"
    assert spec.topic0.hex() == "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
    assert [(p.name, p.indexed) for p in spec.params] == [("from", True), ("to", True), ("value", False)]


def test_parse_widens_uint_and_expands_tuples() -> None:
    spec = parse_event_signature("event Deal(uint indexed id, (address,uint)[] parts, bytes32 tag)")
    assert spec.signature == "Deal(uint256,(address,uint256)[],bytes32)"


def test_unnamed_params_get_positional_names() -> None:
    spec = parse_event_signature("Ping(address indexed, uint8)")
    assert [p.name for p in spec.params] == ["arg0", "arg1"]


@pytest.mark.parametrize("bad", [
    "Transfer", "Transfer(address from", "Transfer(adress from)", "(address a)", "X(uint7 a)",
    "X(address indexed a, address indexed b, address indexed c, address indexed d)", "X(uint a, uint a)",
    "X(address from to)",
])
def test_bad_signatures_are_input_errors(bad: str) -> None:
    with pytest.raises(InputError):
        parse_event_signature(bad)


def test_snake_case() -> None:
    assert snake_case("WinningTicketRedeemed") == "winning_ticket_redeemed"
    assert snake_case("ServiceURIUpdate") == "service_uri_update"
    assert snake_case("LilypadPayment__ActiveEscrowLockedForJob") == "lilypad_payment_active_escrow_locked_for_job"
