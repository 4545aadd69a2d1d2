-- name: address_clusters
-- purpose: every buyer and every address the evidence pulls in, mapped to its entity in the mode asked for
--          (strict by default, see auditor/analyze/clustering.py), with its strict and loose entities side by side. An
--          entity larger than max_entity_size is flagged, not accepted: its addresses fall back to their strict
--          entities (in loose mode) or stay alone. cluster_id is derived from the entity's smallest address, so
--          it is stable while membership is.
-- parameters: clustering (strict | loose), max_entity_size
CREATE OR REPLACE TABLE address_clusters AS
WITH modes AS (
    SELECT s.node, s.parent AS strict_parent, l.parent AS loose_parent,
           CASE WHEN getvariable('clustering') = 'loose' THEN l.parent ELSE s.parent END AS parent
    FROM _strict_parent s JOIN _loose_parent l ON l.node = s.node
),
sized AS (
    SELECT *, count(*) OVER (PARTITION BY parent) AS size,
           count(*) OVER (PARTITION BY strict_parent) AS strict_size
    FROM modes
),
capped AS (
    SELECT node, strict_parent, loose_parent,
           CASE WHEN size <= getvariable('max_entity_size') THEN parent
                WHEN strict_size <= getvariable('max_entity_size') THEN strict_parent
                ELSE node END AS parent,
           CASE WHEN size > getvariable('max_entity_size')
                THEN 'in a ' || getvariable('clustering') || ' component of ' || size || ' addresses (more than '
                     || getvariable('max_entity_size') || '), not merged: check its evidence' END AS flag
    FROM sized
),
roles AS (
    -- An address with several roles takes the most telling one: the funder of buyers first (an entity's own
    -- funder is often also where its sweeps go), then deposit address, collector, linked.
    SELECT address_b AS address,
           arg_min(CASE heuristic WHEN 'common_first_funder' THEN 'funder' WHEN 'deposit_reuse' THEN 'deposit'
                                  WHEN 'sweep_to_collector' THEN 'collector' ELSE 'linked' END,
                   CASE heuristic WHEN 'common_first_funder' THEN 1 WHEN 'deposit_reuse' THEN 2
                                  WHEN 'sweep_to_collector' THEN 3 ELSE 4 END) AS role
    FROM cluster_evidence GROUP BY address_b
),
named AS (
    SELECT n.address,
           'e_' || substr(md5(r.address), 1, 12) AS cluster_id,
           'e_' || substr(md5(rs.address), 1, 12) AS strict_cluster_id,
           'e_' || substr(md5(rl.address), 1, 12) AS loose_cluster_id,
           c.flag
    FROM capped c
    JOIN _cluster_nodes n ON n.id = c.node
    JOIN _cluster_nodes r ON r.id = c.parent
    JOIN _cluster_nodes rs ON rs.id = c.strict_parent
    JOIN _cluster_nodes rl ON rl.id = c.loose_parent
)
SELECT m.address, m.cluster_id,
       count(*) OVER (PARTITION BY m.cluster_id) AS cluster_size,
       CASE WHEN m.address IN (SELECT address FROM _buyers) THEN 'buyer' ELSE coalesce(o.role, 'linked') END AS role,
       m.strict_cluster_id, m.loose_cluster_id, m.flag
FROM named m
LEFT JOIN roles o ON o.address = m.address
ORDER BY m.cluster_id, m.address;
