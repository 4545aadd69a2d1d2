"""Decoding hand-built log payloads; the expected values are written out independently of eth-abi."""

from __future__ import annotations

import pytest

from auditor.decode.logs import Dispatcher, decode_log
from auditor.errors import RpcError
from auditor.marketplaces import BY_NAME
from auditor.model import RawLog
from tests.decode.logtables import stored, table_of

SENDER = "0x" + "ab" * 20
RECIPIENT = "0x" + "cd" * 20


def word(n: int) -> str:
    return f"{n:064x}"


def addr_word(a: str) -> str:
    return "0" * 24 + a[2:]


def spec(market: str, table: str):  # type: ignore[no-untyped-def]
    m = BY_NAME[market]
    return next(s for specs in m.event_specs.values() for s in specs if s.table == table)


def raw(topics: list[str], data: str, address: str = "0x" + "11" * 20) -> RawLog:
    return RawLog(address=address, topics=tuple(bytes.fromhex(t) for t in topics), data=bytes.fromhex(data),
                  block_number=7, block_hash="0x" + "00" * 32, block_time=1_700_000_000, tx_hash="0x" + "99" * 32,
                  tx_index=0, log_index=3)


def test_winning_ticket_redeemed() -> None:
    s = spec("livepeer", "livepeer_winning_ticket_redeemed")
    face = 25 * 10**15                      # 0.025 ETH
    win_prob = 2**256 - 1                   # does not fit any 128-bit integer: kept exactly (BIGNUM)
    aux = word(4321) + "ee" * 32            # creationRound, creationRoundBlockHash
    data = word(face) + word(win_prob) + word(12) + word(99) + word(5 * 32) + word(64) + aux
    row = decode_log(s, raw([s.topic0.hex(), addr_word(SENDER), addr_word(RECIPIENT)], data))
    assert row["sender"] == SENDER and row["recipient"] == RECIPIENT
    assert row["faceValue"] == str(face)
    assert row["winProb"] == "115792089237316195423570985008687907853269984665640564039457584007913129639935"
    assert row["senderNonce"] == "12" and row["recipientRand"] == "99"
    assert row["auxData"] == "0x" + aux


def test_order_created_with_string_specs() -> None:
    s = spec("spheron", "spheron_order_created")
    text = "{s:[{n:t,r:{g:{u:2,a:{vendor:{nvidia:[{model:h100}]}}}},c:1}]}"
    encoded = text.encode().hex()
    padded = encoded + "0" * (-len(encoded) % 64)
    # orderId, creator, maxPrice, numOfBlocks, token, offset(specs), version, mode, len(specs), specs
    data = (word(42) + addr_word(SENDER) + word(10**18) + word(3600) + addr_word(RECIPIENT) + word(8 * 32)
            + word(1) + word(0) + word(len(text)) + padded)
    row = decode_log(s, raw([s.topic0.hex()], data))
    assert row == {"orderId": 42, "creator": SENDER, "maxPrice": str(10**18), "numOfBlocks": 3600,
                   "token": RECIPIENT, "specs": text, "version": 1, "mode": 0}


def test_session_opened_all_indexed() -> None:
    s = spec("morpheus", "morpheus_session_opened")
    session = "5e" * 32
    row = decode_log(s, raw([s.topic0.hex(), addr_word(SENDER), session, addr_word(RECIPIENT)], ""))
    assert row == {"user": SENDER, "sessionId": "0x" + session, "providerId": RECIPIENT}


def test_wrong_topic_count_is_rejected() -> None:
    s = spec("morpheus", "morpheus_session_opened")
    with pytest.raises(RpcError):
        decode_log(s, raw([s.topic0.hex(), addr_word(SENDER)], ""))


def test_short_data_is_rejected() -> None:
    s = spec("spheron", "spheron_lease_closed")
    with pytest.raises(RpcError):
        decode_log(s, raw([s.topic0.hex()], word(1)))


def test_dispatcher_routes_by_contract_and_topic0() -> None:
    s = spec("livepeer", "livepeer_deposit_funded")
    contract = "0x" + "11" * 20
    dispatcher = Dispatcher([(contract, s)])
    ok = raw([s.topic0.hex(), addr_word(SENDER)], word(5))
    elsewhere = raw([s.topic0.hex(), addr_word(SENDER)], word(5), address="0x" + "22" * 20)
    rows = dispatcher.decode(42161, table_of([ok, elsewhere._replace(log_index=4)]))
    assert list(rows) == ["livepeer_deposit_funded"]
    assert stored(42161, rows["livepeer_deposit_funded"]) == [{
        "chain_id": "42161", "contract": contract, "block_number": "7", "block_time": "1700000000",
        "tx_hash": "0x" + "99" * 32, "tx_index": "0", "log_index": "3", "sender": SENDER, "amount": "5"}]


def test_dispatcher_decodes_abi_events_in_python() -> None:
    s = spec("spheron", "spheron_order_created")
    contract = "0x" + "11" * 20
    text = "h100"
    data = (word(42) + addr_word(SENDER) + word(2**200) + word(3600) + addr_word(RECIPIENT) + word(8 * 32)
            + word(1) + word(0) + word(len(text)) + text.encode().hex().ljust(64, "0"))
    rows = Dispatcher([(contract, s)]).decode(1, table_of([raw([s.topic0.hex()], data)]))
    got = stored(1, rows["spheron_order_created"])[0]
    assert {k: got[k] for k in ("orderId", "creator", "maxPrice", "specs", "block_time")} == {
        "orderId": "42", "creator": SENDER, "maxPrice": str(2**200), "specs": text, "block_time": "1700000000"}
