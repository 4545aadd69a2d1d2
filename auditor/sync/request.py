"""What `auditor index` is asked to do, checked before any I/O so bad input never touches the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor import defaults
from auditor.abi import parse_event_signature
from auditor.errors import InputError
from auditor.marketplaces import select
from auditor.model import Source, normalize_address
from auditor.rpc.client import RETRY_FOR_S

MAX_RETRY_FOR_S = 86_400.0
NATIVE_METHODS = ("auto", "trace", "ots", "bisect")


@dataclass(frozen=True)
class AdhocEvent:
    """`--contract/--event`: any event of any contract, into table evt_<event>."""

    contract: str
    signature: str


@dataclass(frozen=True)
class IndexRequest:
    rpc_urls: tuple[str, ...]
    db_path: Path
    from_block: int | None = None
    to_block: int | None = None
    marketplaces: tuple[str, ...] = ()
    confirmations: int | None = None
    concurrency: int = defaults.CONCURRENCY
    chunk_blocks: int = defaults.CHUNK_BLOCKS
    adhoc: AdhocEvent | None = None
    funding: bool = True
    retry_for: float = RETRY_FOR_S    # seconds one request may spend on retries, whichever endpoints it tries
    native_method: str = "auto"       # how native-coin transfers are found: auto | trace | ots | bisect


def validate(req: IndexRequest) -> AdhocEvent | None:
    """Check the request before any I/O."""
    if not req.rpc_urls:
        raise InputError("give at least one --rpc URL")
    for name, value in (("--from-block", req.from_block), ("--to-block", req.to_block),
                        ("--confirmations", req.confirmations)):
        if value is not None and value < 0:
            raise InputError(f"{name} must not be negative")
    if req.from_block is not None and req.to_block is not None and req.from_block > req.to_block:
        raise InputError(f"--from-block {req.from_block} is after --to-block {req.to_block}")
    if req.concurrency < 1 or req.chunk_blocks < 1:
        raise InputError("--concurrency and --chunk-blocks must be at least 1")
    if not 0 < req.retry_for <= MAX_RETRY_FOR_S:  # also refuses nan
        raise InputError(f"--retry-for must be more than 0 and at most {MAX_RETRY_FOR_S:.0f} seconds")
    if req.native_method not in NATIVE_METHODS:
        raise InputError(f"--native-method must be one of {', '.join(NATIVE_METHODS)}, not {req.native_method!r}")
    select(list(req.marketplaces))
    if req.adhoc:
        try:
            normalize_address(req.adhoc.contract)
        except ValueError:
            raise InputError(f"--contract {req.adhoc.contract!r} is not a 0x-prefixed 20-byte hex address") \
                from None
        parse_event_signature(req.adhoc.signature)
        if req.marketplaces:
            raise InputError("--contract/--event and --marketplace cannot be combined")
    return req.adhoc


def adhoc_source(chain: int, adhoc: AdhocEvent) -> Source:
    spec = parse_event_signature(adhoc.signature)
    address = normalize_address(adhoc.contract)
    return Source(key=f"evt/{address}#{spec.topic0.hex()[:8]}", chain_id=chain, address=address, events=(spec,))
