-- components_hook: for every link whose ends are in different trees, the root side with the larger label is
-- hooked under the smaller one (Shiloach-Vishkin). Returns nothing; fills _cluster_hooks.
CREATE OR REPLACE TEMP TABLE _cluster_hooks AS
SELECT pu.parent AS node, min(pv.parent) AS target
FROM _cluster_links l
JOIN _cluster_parent pu ON pu.node = l.a
JOIN _cluster_parent pv ON pv.node = l.b
WHERE pv.parent < pu.parent
GROUP BY pu.parent;
