-- components_shortcut: pointer jumping, every node's parent becomes its grandparent; _cluster_jumps counts
-- the nodes that moved, so the caller repeats until none does (depth halves each time).
CREATE OR REPLACE TEMP TABLE _cluster_jumped AS
SELECT p.node, q.parent, q.parent <> p.parent AS moved
FROM _cluster_parent p
JOIN _cluster_parent q ON q.node = p.parent;
CREATE OR REPLACE TEMP TABLE _cluster_parent AS SELECT node, parent FROM _cluster_jumped;
