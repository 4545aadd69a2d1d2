-- cluster_bridges: the groups that deposit reuse and self-authorization link (getvariable('bridge_heuristics'),
-- clustering.py's BRIDGE_PASSES), for components.py; auditor/analyze/bridges.py then judges the funders and
-- collectors that reach them.
CREATE OR REPLACE TEMP TABLE _cluster_links AS
SELECT a, b FROM _cluster_edges WHERE list_contains(getvariable('bridge_heuristics'), heuristic)
UNION
SELECT b, a FROM _cluster_edges WHERE list_contains(getvariable('bridge_heuristics'), heuristic);
CREATE OR REPLACE TEMP TABLE _cluster_parent AS SELECT id AS node, id AS parent FROM _cluster_nodes;
