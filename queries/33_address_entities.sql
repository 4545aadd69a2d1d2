-- name: address_entities
-- purpose: the one entity of every address the report attributes: each clustered address and each buyer, one
--          row per address. A clustered address takes its cluster and role (the smallest of each, should
--          address_clusters list it twice); a buyer the clustering left out is an entity of its own (cluster_id
--          is its address, role 'buyer', clustered false), so no rental loses its entity.
-- parameters: none
CREATE OR REPLACE TABLE address_entities AS
WITH clustered AS (
    SELECT address, min(cluster_id) AS cluster_id, min(role) AS role
    FROM address_clusters
    WHERE address IS NOT NULL
    GROUP BY address
)
SELECT address, cluster_id, role, true AS clustered FROM clustered
UNION ALL
SELECT DISTINCT r.buyer, r.buyer, 'buyer', false
FROM rentals r
WHERE r.buyer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM clustered c WHERE c.address = r.buyer)
ORDER BY address;
