-- cluster_strict: strict links. Deposit reuse links on its own; any other pair of addresses is linked only when
-- two independent heuristics each put them in one component (the partitions' intersection), so one mistaken
-- edge of one kind cannot merge two entities. Over every node, for components.py.
CREATE OR REPLACE TEMP TABLE _cluster_links AS
WITH agree AS (
    SELECT x.node, min(x.node) OVER (PARTITION BY x.heuristic, x.parent, y.heuristic, y.parent) AS head
    FROM _heuristic_parent x
    JOIN _heuristic_parent y ON y.node = x.node AND x.heuristic < y.heuristic
    WHERE x.heuristic <> 'deposit_reuse' AND y.heuristic <> 'deposit_reuse'
),
pairs AS (
    SELECT a, b FROM _cluster_edges WHERE heuristic = 'deposit_reuse'
    UNION
    SELECT node, head FROM agree WHERE node <> head
)
SELECT a, b FROM pairs UNION SELECT b, a FROM pairs;
CREATE OR REPLACE TEMP TABLE _cluster_parent AS SELECT id AS node, id AS parent FROM _cluster_nodes;
