"""Decoding iExec's viewDeal answer: the real struct layout, an unknown deal, and garbage."""

from __future__ import annotations

from eth_abi.abi import encode

from auditor.marketplaces.iexec.deals import DEAL_TYPE, DealRef, decode_deal

REF = DealRef("0x" + "ab" * 32, 123, 4, "0x" + "cd" * 32)
POOL, OWNER, USER = "0x" + "11" * 20, "0x" + "22" * 20, "0x" + "33" * 20
ZERO = "0x" + "00" * 20


def deal(requester: str = USER, start: int = 1_790_000_000, tag: bytes = (0x101).to_bytes(32, "big")) -> bytes:
    value = ((ZERO, ZERO, 0), (ZERO, ZERO, 0), (POOL, OWNER, 25 * 10**8), 1, 3, tag, requester, requester, ZERO,
             '{"iexec_args":"--gpu"}', start, 0, 4, 0, 10, ZERO)
    return encode([DEAL_TYPE], [value])


def test_found_deal() -> None:
    d = decode_deal(REF, deal())
    assert d.status == "found"
    assert (d.requester, d.workerpool, d.workerpool_owner, d.workerpool_price) == (USER, POOL, OWNER, 25 * 10**8)
    assert (d.category, d.start_time, d.bot_size) == (3, 1_790_000_000, 4)
    assert d.tag == "0x" + "00" * 30 + "0101"


def test_unknown_deal_is_empty() -> None:
    assert decode_deal(REF, deal(requester=ZERO, start=0, tag=bytes(32))).status == "empty"


def test_garbage_is_unreadable() -> None:
    assert decode_deal(REF, b"").status == "unreadable"
    assert decode_deal(REF, deal()[:200]).status == "unreadable"
