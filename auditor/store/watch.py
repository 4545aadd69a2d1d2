"""What funding discovery watches and stores beyond first fundings: watched addresses, code flags, tx senders."""

from __future__ import annotations

from functools import cache

import duckdb

from auditor.model import Code
from auditor.store.failures import clear_failures
from auditor.store.funding import buyers_sql
from auditor.store.sqlfiles import store_sql
from auditor.store.tx import transaction


@cache
def _sql(name: str) -> str:
    return store_sql(name).replace("{buyers}", buyers_sql())


def _column(con: duckdb.DuckDBPyConnection, name: str, chain_id: int) -> list[str]:
    return [r[0] for r in con.execute(_sql(name), {"chain": chain_id}).fetchall()]


def watched_buyers(con: duckdb.DuckDBPyConnection, chain_id: int) -> list[str]:
    """Every buyer address of the chain, sorted."""
    return [r[0] for r in con.execute(f"SELECT DISTINCT address FROM ({buyers_sql()}) b WHERE address IS NOT NULL "
                                      "ORDER BY address", {"chain": chain_id}).fetchall()]


def watched_hubs(con: duckdb.DuckDBPyConnection, chain_id: int) -> list[str]:
    return _column(con, "watch_hubs", chain_id)


def codes_to_check(con: duckdb.DuckDBPyConnection, chain_id: int, candidates: str = "code_candidates"
                   ) -> list[tuple[str, int]]:
    """(address, first block it appears in) of addresses whose code is not known yet (`candidates`: the SQL
    naming them). Known ones get their first block lowered where data found since shows them earlier, so the
    value never depends on run order."""
    rows = [(str(a), int(b)) for a, b in con.execute(_sql(candidates), {"chain": chain_id}).fetchall()]
    known = dict(con.execute("SELECT address, seen_block FROM address_code WHERE chain_id = ?", [chain_id]).fetchall())
    lower = [(a, b) for a, b in rows if a in known and b < known[a]]
    if lower:
        con.execute("UPDATE address_code c SET seen_block = x.b FROM (SELECT unnest($a) AS a, unnest($b) AS b) x "
                    "WHERE c.chain_id = $chain AND c.address = x.a",
                    {"chain": chain_id, "a": [a for a, _ in lower], "b": [b for _, b in lower]}).fetchall()
    return [(a, b) for a, b in rows if a not in known]


def senders_to_fetch(con: duckdb.DuckDBPyConnection, chain_id: int) -> list[tuple[str, int]]:
    return [(str(h), int(b)) for h, b in con.execute(_sql("sender_candidates"), {"chain": chain_id}).fetchall()]


def write_codes(con: duckdb.DuckDBPyConnection, chain_id: int, codes: list[Code], seen: list[int],
                step: str = "code") -> None:
    """One transaction per batch; final answers, kept with the block each address first appears in (a reorg
    below it removes them); the failures of `step` for them forgotten."""
    if not codes:
        return
    with transaction(con, "storing watch data"):
        con.execute("INSERT OR REPLACE INTO address_code SELECT $chain, unnest($a), unnest($c), unnest($d), "
                    "unnest($s), unnest($seen)",
                    {"chain": chain_id, "a": [c.address for c in codes], "c": [c.is_contract for c in codes],
                     "d": [c.delegated for c in codes], "s": [c.size for c in codes], "seen": seen}).fetchall()
        clear_failures(con, chain_id, step, [c.address for c in codes])


def write_senders(con: duckdb.DuckDBPyConnection, chain_id: int, rows: list[tuple[str, int, str]]) -> None:
    if not rows:
        return
    with transaction(con, "storing watch data"):
        con.execute("INSERT OR REPLACE INTO tx_senders SELECT $chain, unnest($h), unnest($b), unnest($s)",
                    {"chain": chain_id, "h": [r[0] for r in rows], "b": [r[1] for r in rows],
                     "s": [r[2] for r in rows]}).fetchall()
        clear_failures(con, chain_id, "sender", [r[0] for r in rows])


def prune_watch(con: duckdb.DuckDBPyConnection, chain_id: int, keys: list[str]) -> None:
    """Forget watch sources no longer wanted (their buyer went away in a reorg), their coverage, and the
    transfers and approvals no remaining watch source asks for, so the store equals a run that never saw them."""
    with transaction(con, "storing watch data"):
        params = {"chain": chain_id, "keys": keys}
        con.execute("DELETE FROM coverage WHERE chain_id = $chain AND source LIKE 'watch/%' "
                    "AND source NOT IN (SELECT unnest($keys))", params).fetchall()
        con.execute("DELETE FROM sources WHERE chain_id = $chain AND kind = 'watch' "
                    "AND source NOT IN (SELECT unnest($keys))", params).fetchall()
        for statement in _sql("watch_prune").split(";\n\n"):
            con.execute(statement, params).fetchall()
