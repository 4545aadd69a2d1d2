-- name: cluster_evidence
-- purpose: the merge evidence, and the graph the entities are the connected components of. Heuristic "common
--          first funder": a buyer and the wallet that first funded it (a plain native-coin transfer) are one
--          entity, unless the funder is a service address. Every edge is kept with its evidence. Addresses get
--          dense integer ids in address order (so a component's smallest id is its smallest address), then
--          components.py labels the components (_cluster_parent) before 22_address_clusters names them.
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

CREATE OR REPLACE TEMP TABLE _cluster_nodes AS
SELECT row_number() OVER (ORDER BY address) - 1 AS id, address
FROM (SELECT buyer AS address FROM rentals WHERE buyer IS NOT NULL
      UNION SELECT address_a FROM cluster_evidence
      UNION SELECT address_b FROM cluster_evidence);

CREATE OR REPLACE TEMP TABLE _cluster_links AS
WITH pairs AS (
    SELECT a.id AS a, b.id AS b
    FROM cluster_evidence e
    JOIN _cluster_nodes a ON a.address = e.address_a
    JOIN _cluster_nodes b ON b.address = e.address_b
    WHERE a.id <> b.id
)
SELECT a, b FROM pairs UNION SELECT b, a FROM pairs;

CREATE OR REPLACE TEMP TABLE _cluster_parent AS SELECT id AS node, id AS parent FROM _cluster_nodes;
