-- cluster_heuristic: the graph of one heuristic's edges alone (getvariable('cluster_heuristic')), over the
-- nodes those edges touch, for components.py.
CREATE OR REPLACE TEMP TABLE _cluster_links AS
SELECT a, b FROM _cluster_edges WHERE heuristic = getvariable('cluster_heuristic')
UNION
SELECT b, a FROM _cluster_edges WHERE heuristic = getvariable('cluster_heuristic');
CREATE OR REPLACE TEMP TABLE _cluster_parent AS SELECT DISTINCT a AS node, a AS parent FROM _cluster_links;
