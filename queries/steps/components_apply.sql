-- components_apply: applies the hooks; parents only ever decrease, so the trees stay acyclic.
CREATE OR REPLACE TEMP TABLE _cluster_parent AS
SELECT p.node, least(p.parent, coalesce(h.target, p.parent)) AS parent
FROM _cluster_parent p
LEFT JOIN _cluster_hooks h ON h.node = p.node;
