"""`auditor status` and `auditor marketplaces`: what is indexed, how far behind, what is supported."""

from __future__ import annotations

import duckdb

from auditor.chains import chain_name
from auditor.marketplaces import MARKETPLACES, NOT_SUPPORTED
from auditor.model import normalize_address
from auditor.sqlfile import Table
from auditor.store.db import has_table
from auditor.store.tables import quote


def marketplace_tables() -> list[Table]:
    rows = []
    for m in MARKETPLACES:
        for c in m.contracts:
            for d in c.deployments:
                events = ", ".join(c.events)
                rows.append((m.name, chain_name(d.chain_id), d.chain_id, c.name, normalize_address(d.address), events,
                             m.h100e_method, m.kyc))
        for chain in m.network_chains:
            rows.append((m.name, chain_name(chain), chain, "(REST)", "", m.reads, m.h100e_method, m.kyc))
    methods = [(m.name, m.method_note, m.caveats) for m in MARKETPLACES]
    return [
        Table("Supported marketplaces", ("marketplace", "chain", "chain_id", "contract", "address", "events",
                                         "h100e_method", "kyc"), tuple(rows)),
        Table("How hours are estimated", ("marketplace", "method", "caveats"), tuple(methods)),
        Table("Not yet supported", ("network", "chain", "why"), NOT_SUPPORTED),
    ]


def status_tables(con: duckdb.DuckDBPyConnection) -> list[Table]:
    chains = con.execute(
        "SELECT chain_id, name, rpc_host, head_block, safe_block, head_block - safe_block, "
        "strftime(head_time, '%Y-%m-%d %H:%M:%SZ') FROM chains ORDER BY chain_id").fetchall()
    sources = con.execute("""
        SELECT s.chain_id, s.source, s.kind,
               coalesce(string_agg(c.from_block || '-' || c.to_block, ', ' ORDER BY c.from_block), 'nothing yet'),
               ch.head_block - max(c.to_block)
        FROM sources s
        LEFT JOIN coverage c ON c.chain_id = s.chain_id AND c.source = s.source
        LEFT JOIN chains ch ON ch.chain_id = s.chain_id
        GROUP BY s.chain_id, s.source, s.kind, ch.head_block ORDER BY s.chain_id, s.source""").fetchall()
    funding = con.execute("SELECT chain_id, status, count(*) FROM funding GROUP BY ALL ORDER BY ALL").fetchall()
    failures = con.execute(
        "SELECT chain_id, step, count(*), min(reason) FROM enrichment_failures GROUP BY ALL ORDER BY ALL"
    ).fetchall() if has_table(con, "enrichment_failures") else []
    native = con.execute(
        "SELECT chain_id, status, method, count(*), max(scanned_to_block) FROM native_scan GROUP BY ALL ORDER BY ALL"
    ).fetchall() if has_table(con, "native_scan") else []
    akash = con.execute(
        "SELECT chain_id, state, count(*), count(*) FILTER (closed_on IS NULL), max(snapshot_height) FROM akash_lease "
        "GROUP BY ALL ORDER BY ALL").fetchall() if has_table(con, "akash_lease") else []
    counts = []
    for (table,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall():
        row = con.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()
        if row and row[0]:
            counts.append((table, row[0]))
    return [
        Table("Chains", ("chain_id", "name", "rpc", "head", "indexed_to", "behind_head", "head_time"),
              tuple(chains)),
        Table("Sources", ("chain_id", "source", "kind", "indexed_blocks", "behind_head"), tuple(sources)),
        Table("Funding discovery", ("chain_id", "status", "addresses"), tuple(funding)),
        Table("Native-coin transfer scans", ("chain_id", "status", "method", "addresses", "scanned_to"),
              tuple(native)),
        Table("Akash leases (as of the snapshot height)", ("chain_id", "state", "leases", "open", "snapshot_height"),
              tuple(akash)),
        Table("Lookups that failed (retried on the next run)", ("chain_id", "step", "items", "a reason"),
              tuple(failures)),
        Table("Row counts", ("table", "rows"), tuple(counts)),
    ]
