"""A family economy's ground truth beyond truth.py's: the owner and role of every owned address, the planted
links, and the linkable partition of the buyer wallets.

Written under the key "family" of ground_truth.json (start_economy's truth_extra), read back with
load_family_truth. The linkable group of a wallet is the component of its owner's planted links that holds it,
named `<owner>/<smallest wallet of the component>`: an entity funded only by exchange withdrawals is as many
groups as wallets. Groups refine owners by construction (a link never joins two owners; planning checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from auditor.devnet.economy import Economy
from auditor.devnet.families.build import FamilyEconomy
from auditor.devnet.families.cast import Owner
from auditor.devnet.families.flows import Link
from auditor.errors import DevnetError


@dataclass(frozen=True)
class FamilyTruth:
    family: str
    seed: int
    owners: dict[str, str]      # buyer wallet -> owner id
    linkable: dict[str, str]    # buyer wallet -> linkable group id
    owned: dict[str, str]       # every owned address (wallets, funders, deposits, ...) -> owner id
    roles: dict[str, str]       # every owned address -> wallet | funder | subfunder | collector | deposit
    services: dict[str, str]    # service name -> address (hot wallets as hot_wallet/<i>)
    bystanders: tuple[str, ...]  # non-buyers the services pay: each its own owner


def _roles(o: Owner) -> dict[str, str]:
    roles = {d: "deposit" for d in o.deposits} | {s: "subfunder" for s in o.subfunders}
    if o.collector:
        roles[o.collector] = "collector"
    if o.funder:
        roles[o.funder] = "funder"   # a funder that also collects is a funder first
    return roles | {m.address: "wallet" for m in o.members}


def _find(parent: dict[str, str], a: str) -> str:
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def linkable_groups(owners: Iterable[Owner], links: Iterable[Link]) -> dict[str, str]:
    """Buyer wallet -> linkable group id (union-find over the planted links)."""
    owner_of = {a: o.party_id for o in owners for a in _roles(o)}
    parent = {a: a for a in owner_of}
    for link in links:
        if owner_of.get(link.a) != owner_of.get(link.b) or link.a not in owner_of:
            raise DevnetError(f"planted link {link} joins two owners or an address nobody owns")
        ra, rb = _find(parent, link.a), _find(parent, link.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    wallets_of: dict[str, list[str]] = {}
    for o in owners:
        for m in o.members:
            wallets_of.setdefault(_find(parent, m.address), []).append(m.address)
    return {w: f"{owner_of[w]}/{min(ws)}" for ws in wallets_of.values() for w in ws}


def family_truth(fam: FamilyEconomy) -> dict[str, Any]:
    """The "family" section of ground_truth.json."""
    roles = {a: r for o in fam.owners for a, r in _roles(o).items()}
    services = {f"hot_wallet/{i}": a for i, a in enumerate(fam.services.hot_wallets)}
    services |= {k: v for k, v in asdict(fam.services).items() if isinstance(v, str)}
    return {"family": {
        "name": fam.family, "seed": fam.seed, "params": asdict(fam.params),
        "owned": {a: o.party_id for o in fam.owners for a in sorted(_roles(o))},
        "roles": dict(sorted(roles.items())),
        "links": [[x.a, x.b, x.kind] for x in fam.links],
        "linkable": dict(sorted(linkable_groups(fam.owners, fam.links).items())),
        "services": services,
        "labelled": [a for _, a in fam.labelled],
        "bystanders": list(fam.bystanders),
    }}


def truth_of(fam: FamilyEconomy) -> FamilyTruth:
    """The truth of a planned family economy, as load_family_truth reads it back after playing."""
    return _parse(family_truth(fam)["family"])


def _parse(raw: dict[str, Any]) -> FamilyTruth:
    owned, roles = dict(raw["owned"]), dict(raw["roles"])
    wallets = {a: owned[a] for a, r in roles.items() if r == "wallet"}
    return FamilyTruth(raw["name"], raw["seed"], wallets, dict(raw["linkable"]), owned, roles,
                       dict(raw["services"]), tuple(raw["bystanders"]))


def load_family_truth(path: Path) -> FamilyTruth:
    try:
        return _parse(orjson.loads(path.read_bytes())["family"])
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise DevnetError(f"cannot read the family truth in {path}: {exc}") from exc


def label_writer(fam: FamilyEconomy) -> Callable[[Path, Economy], None]:
    """labels.csv for start_economy: only the services an analyst would have labelled (FamilyEconomy.labelled)."""
    def write(path: Path, _economy: Economy) -> None:
        rows = ["chain_id,address,category,label,source"]
        for chain in sorted(c.chain_id for c in fam.economy.chains):
            rows += [f"{chain},{a},{cat},Devnet {cat},family plan" for cat, a in fam.labelled]
        path.write_text("\n".join(rows) + "\n")
    return write
