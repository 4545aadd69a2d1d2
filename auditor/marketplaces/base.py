"""What a marketplace is to the auditor: contracts per chain, the events indexed, its rentals SQL with the variables
and functions that SQL needs, and its facts (KYC, how hours are estimated, the token it pays in)."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb

from auditor.abi import event_from_json, load_abi_events, snake_case
from auditor.errors import AuditorError
from auditor.model import EventSpec, Source, normalize_address
from auditor.resources import project_dir
from auditor.rpc.client import Rpc


@dataclass(frozen=True)
class Deployment:
    """A contract's address on one chain, and the first block worth scanning (0 when unknown)."""

    chain_id: int
    address: str
    start_block: int = 0


@dataclass(frozen=True)
class Contract:
    """One contract of a marketplace: its ABI file under contracts_abi/, the events indexed, where it lives."""

    name: str
    abi: str
    events: tuple[str, ...]
    deployments: tuple[Deployment, ...]
    topic1: tuple[str, ...] = ()   # only logs whose first indexed parameter is one of these addresses


@dataclass(frozen=True)
class BuyerColumn:
    """A table column that holds buyer addresses, for funding discovery."""

    table: str
    column: str
    where: str = ""   # a SQL condition on the table's rows, when only some rows name buyers


@dataclass(frozen=True)
class Enrichment:
    """A lookup per item that a marketplace needs beyond its logs (iExec: viewDeal per deal). The engine runs
    every marketplace's enrichments alike: items still to do, looked up concurrently, each answer stored as
    it arrives, each failure recorded with its reason and retried on the next run."""

    step: str                                                        # names the item in enrichment_failures
    todo: Callable[[duckdb.DuckDBPyConnection, int, str], list[Any]]  # (con, chain, contract) -> items
    key: Callable[[Any], str]                                        # an item's id, e.g. the deal id
    lookup: Callable[[Rpc, str, Any, int, int], Awaitable[Any]]      # (client, contract, item, state_from, safe)
    store: Callable[[duckdb.DuckDBPyConnection, int, str, Any], None]  # (con, chain, contract, answer)


@dataclass(frozen=True)
class Token:
    """What a marketplace's rentals pay in: rentals SQL turns raw integers into amounts with token_amount(raw)."""

    symbol: str
    decimals: int


@dataclass(frozen=True)
class SqlVariable:
    """A DuckDB variable a marketplace's rentals SQL reads with getvariable(name); names are global, so they
    start with the marketplace's name."""

    name: str
    value: str | int | float | bool


def address_variable(name: str, address: str) -> SqlVariable:
    """An address as rentals SQL compares it with indexed columns: normalized like every stored address."""
    return SqlVariable(name, normalize_address(address))


@dataclass(frozen=True)
class SqlFunction:
    """A scalar function a marketplace's rentals SQL calls for what SQL cannot express well (parsing a spec,
    hashing an id). It must be pure and is handed NULLs, so it answers None for what it cannot read."""

    name: str
    function: Callable[..., Any]
    parameters: tuple[str, ...]   # DuckDB types
    returns: str


@dataclass(frozen=True)
class Marketplace:
    """One marketplace, the whole of it: what is indexed (contracts, buyers, enrichments), how its rentals are
    read from that (`rentals`: one SELECT of rentals columns, with its variables and functions) and its facts,
    which the analysis publishes as marketplace_facts and stamps on its rentals (marketplace, kyc, h100e_method
    and, where a row names none, payment_token)."""

    name: str
    title: str
    contracts: tuple[Contract, ...]
    buyers: tuple[BuyerColumn, ...]
    kyc: str                       # none: a bare wallet can rent
    h100e_method: str              # duration | payment
    method_note: str
    rentals: Path                  # its rentals SQL
    caveats: str = ""
    enrichments: tuple[Enrichment, ...] = ()
    token: Token | None = None     # None: each row names its own (or none)
    variables: tuple[SqlVariable, ...] = ()
    functions: tuple[SqlFunction, ...] = ()
    buyer_sends: bool = True       # the buyer sends the rental's transaction (its hour of day is the buyer's)
    unestimated_workloads: tuple[str, ...] = ()   # workloads that are not AI compute: no H100e
    network_chains: tuple[int, ...] = ()  # chains read by a source of its own, not EVM logs (Akash: an LCD)
    reads: str = ""                       # what that source reads there, for `auditor marketplaces`

    def table(self, event: str) -> str:
        return f"{self.name}_{snake_case(event)}"

    @cached_property
    def event_specs(self) -> dict[str, tuple[EventSpec, ...]]:
        """Event specs per contract name, read from contracts_abi/."""
        out: dict[str, tuple[EventSpec, ...]] = {}
        for contract in self.contracts:
            entries = load_abi_events(project_dir("contracts_abi") / contract.abi)
            missing = [e for e in contract.events if e not in entries]
            if missing:
                raise AuditorError(f"{contract.abi} lacks events {missing}")
            out[contract.name] = tuple(event_from_json(entries[e], self.table(e)) for e in contract.events)
        return out

    @property
    def chains(self) -> tuple[int, ...]:
        return tuple(sorted({d.chain_id for c in self.contracts for d in c.deployments} | set(self.network_chains)))

    def sources(self, chain_id: int) -> list[Source]:
        """The sources this marketplace has on a chain. The key changes when the indexed events change,
        so added events are back-filled rather than silently missing before the old cursor."""
        out = []
        for contract in self.contracts:
            specs = self.event_specs[contract.name]
            topic1 = tuple(bytes(12) + bytes.fromhex(a.removeprefix("0x")) for a in contract.topic1)
            fingerprint = hashlib.sha256(b"".join(sorted(s.topic0 for s in specs)) + b"".join(topic1)).hexdigest()[:8]
            for d in contract.deployments:
                if d.chain_id == chain_id:
                    out.append(Source(key=f"{self.name}/{contract.name}#{fingerprint}", chain_id=chain_id,
                                      address=normalize_address(d.address), events=specs, start_block=d.start_block,
                                      marketplace=self.name, topic1=topic1))
        return out
