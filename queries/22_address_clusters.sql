-- name: address_clusters
-- purpose: every buyer and every address the evidence pulls in, mapped to its entity: the connected component
--          found by components.py. cluster_id is derived from the component's smallest address, so it is
--          stable while membership is.
-- parameters: none
CREATE OR REPLACE TABLE address_clusters AS
WITH labelled AS (
    SELECT n.address, r.address AS root
    FROM _cluster_parent p
    JOIN _cluster_nodes n ON n.id = p.node
    JOIN _cluster_nodes r ON r.id = p.parent
)
SELECT l.address,
       'e_' || substr(md5(l.root), 1, 12) AS cluster_id,
       count(*) OVER (PARTITION BY l.root) AS cluster_size,
       CASE WHEN l.address IN (SELECT buyer FROM rentals) THEN 'buyer' ELSE 'funder' END AS role
FROM labelled l
ORDER BY cluster_id, address;
