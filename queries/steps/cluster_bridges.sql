-- cluster_bridges: the groups that evidence other than funders and collectors links (deposit reuse,
-- self-authorization), for components.py; cluster_bridges_apply.sql then finds who bridges them.
CREATE OR REPLACE TEMP TABLE _cluster_links AS
SELECT a, b FROM _cluster_edges WHERE heuristic IN ('deposit_reuse', 'self_authorization')
UNION
SELECT b, a FROM _cluster_edges WHERE heuristic IN ('deposit_reuse', 'self_authorization');
CREATE OR REPLACE TEMP TABLE _cluster_parent AS SELECT id AS node, id AS parent FROM _cluster_nodes;
