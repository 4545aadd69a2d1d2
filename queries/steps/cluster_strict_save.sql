-- cluster_strict_save: the strict components, then the hubs: an address that is no buyer (a funder, collector,
-- deposit address) and that strict links left alone joins the one strict component all its evidence points
-- into; a hub whose evidence points into several stays alone.
CREATE OR REPLACE TEMP TABLE _strict_parent AS
WITH sizes AS (
    SELECT parent, count(*) AS n FROM _cluster_parent GROUP BY parent
),
hubs AS (
    SELECT p.node FROM _cluster_parent p
    JOIN sizes s ON s.parent = p.parent
    JOIN _cluster_nodes c ON c.id = p.node
    WHERE s.n = 1 AND c.address NOT IN (SELECT address FROM _buyers)
),
neighbours AS (
    SELECT h.node, q.parent
    FROM hubs h
    JOIN (SELECT a AS node, b AS other FROM _cluster_edges
          UNION ALL SELECT b, a FROM _cluster_edges) e ON e.node = h.node
    JOIN _cluster_parent q ON q.node = e.other
),
target AS (
    SELECT node, min(parent) AS parent FROM neighbours GROUP BY node HAVING count(DISTINCT parent) = 1
)
SELECT p.node, coalesce(t.parent, p.parent) AS parent
FROM _cluster_parent p LEFT JOIN target t ON t.node = p.node;
