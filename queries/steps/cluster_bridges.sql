-- cluster_bridges: the groups that evidence other than first funders links (getvariable('bridge_heuristics'):
-- every other heuristic for judging funders; deposit reuse and self-authorization alone for judging collectors,
-- whose own sweeps must not make their group), for components.py; cluster_bridges_apply.sql then finds who
-- bridges them.
CREATE OR REPLACE TEMP TABLE _cluster_links AS
SELECT a, b FROM _cluster_edges WHERE list_contains(getvariable('bridge_heuristics'), heuristic)
UNION
SELECT b, a FROM _cluster_edges WHERE list_contains(getvariable('bridge_heuristics'), heuristic);
CREATE OR REPLACE TEMP TABLE _cluster_parent AS SELECT id AS node, id AS parent FROM _cluster_nodes;
