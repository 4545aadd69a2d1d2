"""The REST (LCD) answers, one function per route: query parameters and a height in, protobuf JSON out.

No HTTP here: server.py maps paths to these and ApiError to the gateway's error answer. Filters follow the
filter messages of the protos (a zero dseq/gseq/oseq/bseq or an empty string filters nothing; a state that is
not one of the enum's names is refused with "invalid state value"). Deployment and v1beta5 market lists page
as Akash's queriers do (paging.paginate_akash); the legacy v1beta4 market lists, providers and bank balances
with cosmos-sdk's Paginate.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from auditor.devnet.akash import legacy, view
from auditor.devnet.akash.accounts import Accounts
from auditor.devnet.akash.bank import Ledger, build_ledger
from auditor.devnet.akash.bech32 import ACCOUNT_HRP, decode
from auditor.devnet.akash.cosmos import (
    MAX_TX_PAGE,
    block_json,
    block_time,
    node_info,
    parse_query,
    tx_json,
    tx_matches,
    tx_response,
)
from auditor.devnet.akash.model import Deployment, Market
from auditor.devnet.akash.paging import (
    INVALID_ARGUMENT,
    NOT_FOUND,
    OWNER_PATH,
    PROVIDER_PATH,
    STATE_PATH,
    ApiError,
    Listed,
    paginate,
    paginate_akash,
    parse_page,
    parse_uint,
)
from auditor.devnet.akash.shapes import Json
from auditor.devnet.akash.txs import Tx, plan_txs

Query = Mapping[str, str]
DEPLOYMENT_STATES = ("active", "closed")
ORDER_STATES = ("open", "active", "closed")
BID_STATES = ("open", "active", "lost", "closed")
LEASE_STATES = {"v1beta4": ("active", "insufficient_funds", "closed"),
                "v1beta5": ("active", "insufficient_funds", "closed", "reclaiming")}


@dataclass(frozen=True)
class Filters:
    owner: str
    dseq: int
    gseq: int
    oseq: int
    provider: str
    state: str


def _filters(query: Query, states: tuple[str, ...], prefix: str = "filters.") -> Filters:
    state = query.get(prefix + "state", "")
    if state and state not in states:
        raise ApiError(INVALID_ARGUMENT, "invalid state value")
    return Filters(query.get(prefix + "owner", ""), parse_uint(query, prefix + "dseq"),
                   parse_uint(query, prefix + "gseq"), parse_uint(query, prefix + "oseq"),
                   query.get(prefix + "provider", ""), state)


def _ids_match(f: Filters, owner: str, dseq: int, gseq: int = 0, provider: str = "") -> bool:
    return ((not f.owner or f.owner == owner) and (not f.dseq or f.dseq == dseq)
            and (not f.gseq or f.gseq == gseq) and (not f.oseq or f.oseq == 1)
            and (not f.provider or f.provider == provider))


def _valid(address: str, what: str) -> None:
    try:
        if decode(address)[0] == ACCOUNT_HRP:
            return
    except ValueError:
        pass
    raise ApiError(INVALID_ARGUMENT, f"invalid {what} address")


def _path(f: Filters, by_provider: bool = True) -> int:
    if f.owner:
        return OWNER_PATH
    return PROVIDER_PATH if by_provider and f.provider else STATE_PATH


def _sort_key(owner: str, dseq: int, gseq: int | None = None, provider: str | None = None) -> str:
    key = f"{owner}/{dseq:020d}"
    if gseq is not None:
        key += f"/{gseq:010d}/{1:010d}"
    if provider is not None:
        key += f"/{provider}/{0:010d}"
    return key


class AkashApi:
    """The plan of one seed, its txs and ledger, answering any route at any height up to the latest."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.txs: tuple[Tx, ...] = plan_txs(market)
        self.ledger: Ledger = build_ledger(market, self.txs)
        self.accounts = Accounts(market, self.txs)
        self._tx_heights = [tx.height for tx in self.txs]
        self._by_hash = {tx.hash: tx for tx in self.txs}

    @property
    def latest(self) -> int:
        return self.market.latest_height

    def time_of(self, height: int) -> int:
        return block_time(self.market.genesis_height, self.market.sizes.genesis_time, height)

    def height(self, header: str | None) -> int:
        """The state height a request asks for (x-cosmos-block-height), the latest when it names none."""
        if header is None or header == "" or header == "0":
            return self.latest
        if not header.lstrip("-").isdigit():
            raise ApiError(INVALID_ARGUMENT, f"invalid height header: {header!r}")
        height = int(header)
        if height < 0:
            raise ApiError(INVALID_ARGUMENT, "height must be non-negative")
        if height > self.latest:
            raise ApiError(INVALID_ARGUMENT,
                           "cannot query with height in the future; please provide a valid height: invalid height")
        if height < self.market.genesis_height:
            raise ApiError(INVALID_ARGUMENT, f"failed to load state at height {height}; version does not exist "
                                             f"(latest height: {self.latest})")
        return height

    # cosmos
    def node_info(self) -> Json:
        return node_info()

    def block(self, height_text: str) -> Json:
        if height_text == "latest":
            height = self.latest
        else:
            if not height_text.lstrip("-").isdigit():
                raise ApiError(INVALID_ARGUMENT, f'type mismatch, parameter: height, error: strconv.ParseInt: '
                                                 f'parsing "{height_text}": invalid syntax')
            height = int(height_text)
            if height > self.latest:
                raise ApiError(INVALID_ARGUMENT, "requested block height is bigger then the chain length")
            if height < self.market.genesis_height:
                raise ApiError(INVALID_ARGUMENT, f"height {height} is not available, lowest height is "
                                                 f"{self.market.genesis_height}")
        lo, hi = bisect_left(self._tx_heights, height), bisect_right(self._tx_heights, height)
        return block_json(height, self.time_of(height), self.txs[lo:hi])

    def balances(self, address: str, query: Query, at: int) -> Json:
        try:
            hrp, _ = decode(address)
        except ValueError as exc:
            raise ApiError(INVALID_ARGUMENT, f"invalid address: decoding bech32 failed: {exc}") from exc
        if hrp != ACCOUNT_HRP:
            raise ApiError(INVALID_ARGUMENT,
                           f"invalid address: invalid Bech32 prefix; expected {ACCOUNT_HRP}, got {hrp}")
        items = [(denom, {"denom": denom, "amount": str(amount)})
                 for denom, amount in self.ledger.balances(address, at)]
        page, pagination = paginate(items, parse_page(query))
        return {"balances": page, "pagination": pagination}

    def account(self, address: str, at: int) -> Json:
        """x/auth's Account query (cosmos-sdk x/auth/keeper/grpc_query.go): NotFound for an unused address."""
        try:
            decode(address)
        except ValueError as exc:
            raise ApiError(INVALID_ARGUMENT, f"decoding bech32 failed: {exc}") from exc
        found = self.accounts.account_json(address, at)
        if found is None:
            raise ApiError(NOT_FOUND, f"account {address} not found")
        return {"account": found}

    def tx_search(self, query: Query) -> Json:
        text = query.get("query", "")
        if not text and query.get("events"):
            raise ApiError(INVALID_ARGUMENT, "query cannot be empty")
        conditions = parse_query(text)
        page = parse_uint(query, "page", 1)
        limit = min(parse_uint(query, "limit", MAX_TX_PAGE) or MAX_TX_PAGE, MAX_TX_PAGE)
        if page <= 0:
            raise ApiError(INVALID_ARGUMENT, "page must be greater than 0")
        found = [tx for tx in self.txs if tx_matches(tx, conditions)]
        if query.get("order_by") in ("ORDER_BY_DESC", "2"):
            found.reverse()
        pages = max(1, -(-len(found) // limit))
        if page > pages:
            raise ApiError(INVALID_ARGUMENT, f"page should be within [1, {pages}] range, given {page}")
        chosen = found[(page - 1) * limit: page * limit]
        return {"txs": [tx_json(tx) for tx in chosen],
                "tx_responses": [tx_response(tx, self.time_of(tx.height)) for tx in chosen],
                "pagination": None, "total": str(len(found))}

    def tx(self, txhash: str) -> Json:
        tx = self._by_hash.get(txhash.upper())
        if tx is None:
            raise ApiError(NOT_FOUND, f"tx not found: {txhash}")
        return {"tx": tx_json(tx), "tx_response": tx_response(tx, self.time_of(tx.height))}

    # akash
    def deployments(self, version: str, query: Query, at: int) -> Json:
        f = _filters(query, DEPLOYMENT_STATES)
        items = [Listed(_sort_key(d.owner, d.dseq), view.deployment_state(d, at), view.deployment_json(d, at, version))
                 for d in view.live_deployments(self.market, at) if _ids_match(f, d.owner, d.dseq)]
        # x/deployment's querier has only the state path: an owner filter does not change the order
        page, pagination = paginate_akash(items, query, DEPLOYMENT_STATES, STATE_PATH)
        return {"deployments": page, "pagination": pagination}

    def _deployment(self, query: Query, at: int, prefix: str = "id.") -> Deployment:
        owner, dseq = query.get(prefix + "owner", ""), parse_uint(query, prefix + "dseq")
        _valid(owner, "owner")
        found = next((d for d in view.live_deployments(self.market, at) if d.owner == owner and d.dseq == dseq), None)
        if found is None:
            raise ApiError(NOT_FOUND, "Deployment not found")
        return found

    def deployment(self, version: str, query: Query, at: int) -> Json:
        return view.deployment_json(self._deployment(query, at), at, version)

    def orders(self, version: str, query: Query, at: int) -> Json:
        f = _filters(query, ORDER_STATES)
        render: Callable[..., Json] = legacy.order_json if version == "v1beta4" else view.order_json
        items = [Listed(_sort_key(d.owner, d.dseq, g.gseq), view.order_state(d, g, at), render(d, g, at))
                 for d in view.live_deployments(self.market, at) for g in d.groups
                 if _ids_match(f, d.owner, d.dseq, g.gseq)]
        page, pagination = self._page(version, items, query, f, ORDER_STATES, by_provider=False)
        return {"orders": page, "pagination": pagination}

    def _page(self, version: str, items: list[Listed], query: Query, f: Filters, states: tuple[str, ...],
              by_provider: bool = True) -> tuple[list[Json], Json]:
        if version == "v1beta5":
            return paginate_akash(items, query, states, _path(f, by_provider))
        chosen = sorted((x for x in items if not f.state or x.state == f.state), key=lambda x: x.key)
        return paginate([(x.key, x.item) for x in chosen], parse_page(query))

    def bids(self, version: str, query: Query, at: int) -> Json:
        f = _filters(query, BID_STATES)
        render: Callable[..., Json] = legacy.bid_json if version == "v1beta4" else view.bid_json
        items = [Listed(_sort_key(d.owner, d.dseq, b.gseq, b.provider), view.bid_state(d, b, at), render(d, b, at))
                 for d in view.live_deployments(self.market, at) for b in d.bids
                 if b.height <= at and _ids_match(f, d.owner, d.dseq, b.gseq, b.provider)]
        page, pagination = self._page(version, items, query, f, BID_STATES)
        return {"bids": page, "pagination": pagination}

    def leases(self, version: str, query: Query, at: int) -> Json:
        f = _filters(query, LEASE_STATES[version])
        render: Callable[..., Json] = legacy.lease_json if version == "v1beta4" else view.lease_json
        items = [Listed(_sort_key(d.owner, d.dseq, lease.gseq, lease.provider), view.lease_state(lease, at),
                        render(d, lease, at))
                 for d in view.live_deployments(self.market, at) for lease in d.leases
                 if lease.open_height <= at and _ids_match(f, d.owner, d.dseq, lease.gseq, lease.provider)]
        # Akash's querier walks active, insufficient_funds and closed leases; none is ever reclaiming here
        page, pagination = self._page(version, items, query, f, LEASE_STATES[version][:3])
        return {"leases": page, "pagination": pagination}

    def lease(self, version: str, query: Query, at: int) -> Json:
        gseq, provider = parse_uint(query, "id.gseq"), query.get("id.provider", "")
        _valid(query.get("id.owner", ""), "owner")
        _valid(provider, "provider")
        d = next((x for x in view.live_deployments(self.market, at) if x.owner == query.get("id.owner")
                  and x.dseq == parse_uint(query, "id.dseq")), None)
        lease = next((x for x in (d.leases if d else ()) if x.gseq == gseq and x.provider == provider
                      and x.open_height <= at), None)
        if d is None or lease is None:
            raise ApiError(NOT_FOUND, "invalid lease: lease not found")
        return (legacy.lease_json if version == "v1beta4" else view.lease_json)(d, lease, at)

    def providers(self, query: Query) -> Json:
        items = [(p.owner, view.provider_json(p)) for p in sorted(self.market.providers, key=lambda p: p.owner)]
        page, pagination = paginate(items, parse_page(query))
        return {"providers": page, "pagination": pagination}

    def provider(self, owner: str) -> Json:
        found = next((p for p in self.market.providers if p.owner == owner), None)
        if found is None:
            raise ApiError(NOT_FOUND, f"invalid provider: {owner}")
        return {"provider": view.provider_json(found)}
