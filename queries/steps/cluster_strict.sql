-- cluster_strict: strict links. A strong signal (getvariable('strong'), clustering.py's STRONG) links on its own: a
-- private (non-service) first funder, deposit reuse, consolidation into a private collector, self-authorization
-- followed by a spend. Any other pair of addresses is linked only when two independent weaker heuristics each put
-- them in one component (the partitions' intersection, _heuristic_parent), so one mistaken edge of a weak kind
-- cannot merge two entities. Over every node, for components.py.
CREATE OR REPLACE TEMP TABLE _cluster_links AS
WITH agree AS (
    SELECT x.node, min(x.node) OVER (PARTITION BY x.heuristic, x.parent, y.heuristic, y.parent) AS head
    FROM _heuristic_parent x
    JOIN _heuristic_parent y ON y.node = x.node AND x.heuristic < y.heuristic
    WHERE NOT list_contains(getvariable('strong'), x.heuristic) AND NOT list_contains(getvariable('strong'), y.heuristic)
),
pairs AS (
    SELECT a, b FROM _cluster_edges WHERE list_contains(getvariable('strong'), heuristic)
    UNION
    SELECT node, head FROM agree WHERE node <> head
)
SELECT a, b FROM pairs UNION SELECT b, a FROM pairs;
CREATE OR REPLACE TEMP TABLE _cluster_parent AS SELECT id AS node, id AS parent FROM _cluster_nodes;
