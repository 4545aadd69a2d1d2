"""The real captured mainnet lease (leases_list_v1beta5.json) parses to the row read off the JSON by hand, and
fields that are not what the protobuf JSON mapping allows are refused where they enter."""

from __future__ import annotations

import base64
import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest

from auditor.chains import AKASH_CHAIN_ID, CHAINS
from auditor.errors import InvalidResponseError
from auditor.extract.akash import objects
from auditor.extract.akash.transfers import transfers
from auditor.store.akash import upsert
from auditor.store.db import open_db

FIXTURE = Path(__file__).resolve().parents[1] / "devnet" / "akash" / "fixtures" / "leases_list_v1beta5.json"


def _real_lease() -> dict[str, Any]:
    entry: dict[str, Any] = orjson.loads(FIXTURE.read_bytes())["leases"][0]
    return entry


def test_real_lease_parses_to_the_expected_row(tmp_path: Path) -> None:
    expected = ("akash102kdwsssl6jf4frdcz50mua6j0h6d8wdhjh7nq", 25880666, 1, 1,
                "akash19zzh7whjt4vfwxd5wtj3tjtyatnpntfhldshd8", 0, "active", "uact", Decimal("4.826603"), 25880690,
                None, "lease_closed_invalid", None, Decimal("13780746"))
    assert objects.lease(_real_lease()) == expected
    with open_db(tmp_path / "real.duckdb", create=True) as con:
        upsert(con, AKASH_CHAIN_ID, "akash_lease", [objects.lease(_real_lease())], 25880700)
        stored = con.execute("SELECT * EXCLUDE (chain_id, snapshot_height) FROM akash_lease").fetchall()
    assert stored == [expected]


def test_akash_chain_id_is_no_evm_chain_id() -> None:
    assert int.from_bytes(b"akash", "big") == AKASH_CHAIN_ID
    assert [c for c in CHAINS if c == AKASH_CHAIN_ID] == [AKASH_CHAIN_ID]
    assert CHAINS[AKASH_CHAIN_ID].name == "Akash"


def _set(entry: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(entry)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


@pytest.mark.parametrize(("path", "value"), [
    (("lease", "id", "owner"), "akash1'; DROP TABLE rentals; --"),
    (("lease", "id", "owner"), "AKASH102KDWSSSL6JF4FRDCZ50MUA6J0H6D8WDHJH7NQ"),
    (("lease", "id", "provider"), "cosmos19zzh7whjt4vfwxd5wtj3tjtyatnpntfhldshd8"),
    (("lease", "id", "dseq"), 25880666),
    (("lease", "id", "dseq"), "-1"),
    (("lease", "id", "dseq"), "99999999999999999999"),
    (("lease", "id", "gseq"), "1"),
    (("lease", "id", "gseq"), True),
    (("lease", "id", "gseq"), 2**32),
    (("lease", "created_at"), "2.5"),
    (("lease", "state"), "ACTIVE"),
    (("lease", "price", "amount"), "1e5"),
    (("lease", "price", "amount"), "NaN"),
    (("lease", "price", "amount"), "-4.8"),
    (("lease", "price", "denom"), "u"),
    (("lease", "reason"), "lease closed \x1b[31m"),
])
def test_malformed_lease_fields_are_refused(path: tuple[str, ...], value: Any) -> None:
    with pytest.raises(InvalidResponseError):
        objects.lease(_set(_real_lease(), path, value))


def test_provider_free_text_is_kept_without_control_characters() -> None:
    row = objects.provider({"owner": "akash19zzh7whjt4vfwxd5wtj3tjtyatnpntfhldshd8",
                            "host_uri": "https://p.example:8443\x1b[2J\u202e" + "x" * 1000,
                            "attributes": [{"key": "capabilities/gpu/vendor/nvidia/model/h100", "value": "true"},
                                           {"key": "capabilities/gpu/vendor/nvidia/model/../../etc", "value": "true"}],
                            "info": {"email": "a@b\x00c", "website": None}})
    _, host, email, website, _, models = row
    assert host is not None and host.startswith("https://p.example:8443[2J") and len(host) == 256
    assert (email, website, models) == ("a@bc", None, ["h100"])


def test_gpu_attributes_name_one_model_or_none() -> None:
    one = [{"key": "vendor/nvidia/model/h100/ram/80Gi/interface/sxm", "value": "true"},
           {"key": "vendor/nvidia/model/h100/ram/80Gi", "value": "true"}]
    assert objects.gpu_of(one)[:4] == ("nvidia", "h100", "80Gi", None)
    either = [*one, {"key": "vendor/nvidia/model/a100", "value": "true"}]
    assert objects.gpu_of(either)[:5] == (None, None, None, None, ["a100", "h100"])
    anything = [{"key": "vendor/nvidia/model/*", "value": "true"}]
    assert objects.gpu_of(anything)[1] is None


def _recv_tx(packet_data: dict[str, str], source: str, destination: str, success: str = "true") -> dict[str, Any]:
    """A relayer's tx receiving an ICS-20 packet, as GetTxsEvent writes it: the packet's data is the JSON ibc-go
    makes of FungibleTokenPacketData (sorted keys), base64 in the Msg's JSON."""
    data = base64.b64encode(orjson.dumps(packet_data, option=orjson.OPT_SORT_KEYS)).decode()
    packet = {"sequence": "7", "source_port": "transfer", "source_channel": source,
              "destination_port": "transfer", "destination_channel": destination, "data": data,
              "timeout_height": {"revision_number": "0", "revision_height": "0"}, "timeout_timestamp": "0"}
    return {"txhash": "AB" * 32, "code": 0, "height": "25880000", "timestamp": "2025-11-02T10:00:00Z",
            "tx": {"body": {"messages": [{"@type": "/ibc.core.channel.v1.MsgRecvPacket", "packet": packet,
                                          "signer": "akash1yggjjyk3pcurlu7jz2xzvvl7vntjlfkjzj7qlf"}]}},
            "events": [{"type": "fungible_token_packet", "attributes": [{"key": "success", "value": success}]}]}


def test_ibc_receipts_name_the_other_chains_sender_and_the_local_denom() -> None:
    owner = "akash102kdwsssl6jf4frdcz50mua6j0h6d8wdhjh7nq"
    usdc = _recv_tx({"amount": "2500000", "denom": "uusdc", "receiver": owner,
                     "sender": "osmo1clpqr4nrk4khgkxj78fcwwh6dl3uw4epasmvnj", "memo": ""}, "channel-1", "channel-208")
    rows = transfers(usdc, owner)
    # the receiving channel's trace: on Osmosis, channel-208/uusdc is axlUSDC, ibc/D189335C...
    assert [r[5:] for r in rows] == [("ibc-in", "osmo1clpqr4nrk4khgkxj78fcwwh6dl3uw4epasmvnj", owner,
                                      "ibc/D189335C6E4A68B513C10AB227BF1C1D38C746766278BA3EEB4FB14124F1D858",
                                      2500000)]
    home = _recv_tx({"amount": "9", "denom": "transfer/channel-9/uakt", "receiver": owner,
                     "sender": "osmo1clpqr4nrk4khgkxj78fcwwh6dl3uw4epasmvnj", "memo": ""}, "channel-9", "channel-2")
    assert transfers(home, owner)[0][8] == "uakt"
    failed = _recv_tx({"amount": "9", "denom": "uosmo", "receiver": owner, "sender": "osmo1x", "memo": ""},
                      "channel-1", "channel-2", success="false")
    assert transfers(failed, owner) == []
