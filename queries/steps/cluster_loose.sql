-- cluster_loose: loose links, any one heuristic's edge, over every node, for components.py.
CREATE OR REPLACE TEMP TABLE _cluster_links AS
SELECT a, b FROM _cluster_edges UNION SELECT b, a FROM _cluster_edges;
CREATE OR REPLACE TEMP TABLE _cluster_parent AS SELECT id AS node, id AS parent FROM _cluster_nodes;
