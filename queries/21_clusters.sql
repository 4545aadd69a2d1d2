-- name: clusters
-- purpose: entities. Heuristic "common first funder": a buyer and the wallet that first funded it (a plain
--          native-coin transfer) are one entity, unless the funder is a service address. Buyers sharing a
--          funder thus join one star-shaped cluster. Every edge is kept with its evidence; entities are the
--          connected components. cluster_id is derived from the component's smallest address, so it is
--          stable while membership is.
-- parameters: none
CREATE OR REPLACE TABLE cluster_evidence AS
SELECT f.chain_id,
       f.address AS address_a,
       f.funder AS address_b,
       'common_first_funder' AS heuristic,
       'first funded by ' || f.funder || ' with ' || round(f.value_eth, 6) || ' native coin in block '
           || f.block_number || ' on chain ' || f.chain_id AS detail,
       f.tx_hash
FROM funding f
WHERE f.status = 'funded'
  AND f.funder NOT IN (SELECT address FROM service_addresses)
  AND f.address IN (SELECT buyer FROM rentals)
ORDER BY address_a, address_b, chain_id;

CREATE OR REPLACE TEMP TABLE _edges AS
SELECT address_a AS a, address_b AS b FROM cluster_evidence
UNION SELECT address_b, address_a FROM cluster_evidence;

CREATE OR REPLACE TEMP TABLE _nodes AS
SELECT DISTINCT buyer AS node FROM rentals WHERE buyer IS NOT NULL
UNION SELECT a FROM _edges;

CREATE OR REPLACE TEMP TABLE _components AS
WITH RECURSIVE reach(node, label) AS (
    SELECT node, node FROM _nodes
    UNION
    SELECT e.b, r.label FROM reach r JOIN _edges e ON e.a = r.node
)
SELECT node, min(label) AS root FROM reach GROUP BY node;

CREATE OR REPLACE TABLE address_clusters AS
SELECT c.node AS address,
       'e_' || substr(md5(c.root), 1, 12) AS cluster_id,
       count(*) OVER (PARTITION BY c.root) AS cluster_size,
       CASE WHEN c.node IN (SELECT buyer FROM rentals) THEN 'buyer' ELSE 'funder' END AS role
FROM _components c
ORDER BY cluster_id, address;
