"""Bech32 addresses (BIP-173), so every account the endpoint serves is one a Cosmos client accepts."""

from __future__ import annotations

import hashlib

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
ACCOUNT_HRP = "akash"
VALCONS_HRP = "akashvalcons"


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate(_GENERATOR):
            chk ^= gen if (top >> i) & 1 else 0
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: bytes | list[int], from_bits: int, to_bits: int, pad: bool) -> list[int]:
    acc, bits, out, maxv = 0, 0, [], (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if pad and bits:
        out.append((acc << (to_bits - bits)) & maxv)
    elif not pad and (bits >= from_bits or (acc << (to_bits - bits)) & maxv):
        raise ValueError("invalid padding in bech32 data")
    return out


def encode(hrp: str, payload: bytes) -> str:
    """The bech32 string of `payload` (20 bytes for an account) under human-readable part `hrp`."""
    data = _convert_bits(payload, 8, 5, True)
    polymod = _polymod([*_hrp_expand(hrp), *data, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[d] for d in data + checksum)


def decode(address: str) -> tuple[str, bytes]:
    """(hrp, payload) of a bech32 string; ValueError when the checksum or the characters are wrong."""
    if address.lower() != address and address.upper() != address:
        raise ValueError("mixed-case bech32 string")
    address = address.lower()
    sep = address.rfind("1")
    if sep < 1 or sep + 7 > len(address) or len(address) > 90:
        raise ValueError(f"not a bech32 string: {address!r}")
    hrp, rest = address[:sep], address[sep + 1:]
    if any(c not in CHARSET for c in rest):
        raise ValueError(f"invalid bech32 character in {address!r}")
    data = [CHARSET.index(c) for c in rest]
    if _polymod([*_hrp_expand(hrp), *data]) != 1:
        raise ValueError(f"invalid bech32 checksum in {address!r}")
    return hrp, bytes(_convert_bits(data[:-6], 5, 8, False))


def account_address(label: str, hrp: str = ACCOUNT_HRP) -> str:
    """A deterministic valid address for a named actor of the plan (its 20 bytes are a hash of the label)."""
    return encode(hrp, hashlib.sha256(label.encode()).digest()[:20])
