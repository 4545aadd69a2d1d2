-- cluster_bridge_touches: which groups each hub reaches, for auditor/analyze/bridges.py. A group is a component
-- of the evidence other than funding (_cluster_parent, from cluster_bridges.sql) with two or more addresses; a
-- hub is the funder or collector side of an evidence row (getvariable('bridge_role') is the role being judged,
-- but anchors of either role count), its own group aside. _bridge_ties: the hub pairs evidence links directly
-- (a funder and the sub-funder it funded).
CREATE OR REPLACE TEMP TABLE _bridge_touches AS
WITH groups AS (
    SELECT parent FROM _cluster_parent GROUP BY parent HAVING count(*) >= 2
),
member AS (
    SELECT n.address, p.parent FROM _cluster_nodes n JOIN _cluster_parent p ON p.node = n.id
    WHERE p.parent IN (SELECT parent FROM groups)
)
SELECT DISTINCT e.address_b AS hub, e.heuristic = getvariable('bridge_role') AS judged, m.parent
FROM cluster_evidence e
JOIN member m ON m.address = e.address_a
LEFT JOIN member own ON own.address = e.address_b
WHERE e.heuristic IN ('common_first_funder', 'sweep_to_collector')
  AND m.parent IS DISTINCT FROM own.parent;

CREATE OR REPLACE TEMP TABLE _bridge_ties AS
SELECT DISTINCT e.address_a AS a, e.address_b AS b
FROM cluster_evidence e
WHERE e.address_a IN (SELECT hub FROM _bridge_touches) AND e.address_b IN (SELECT hub FROM _bridge_touches);
