-- entity_addresses: every address of every entity active this week, with its role, this week's rentals and
-- where its first native coin came from: a service address (exchange-like funder, contract or provider, with
-- the reason), 'unknown/own wallet' (any other funder), 'no funder found (status)', or 'not traced'
-- (funding is looked up for buyers only). A buyer the analysis did not cluster is an entity of its own.
-- Sums are exact (each value cast to DECIMAL(38, 9) first); H100e-hours are NULL where no rental has an estimate.
-- params: week_start, week_end
WITH clusters AS (
    SELECT address, min(cluster_id) AS cluster_id, min(role) AS role FROM address_clusters GROUP BY address
), active AS (
    SELECT DISTINCT coalesce(c.cluster_id, r.buyer) AS entity
    FROM rentals AS r
    LEFT JOIN clusters AS c ON c.address = r.buyer
    WHERE r.block_time >= $week_start AND r.block_time < $week_end
), members AS (
    SELECT c.cluster_id AS entity, c.address, c.role
    FROM clusters AS c
    JOIN active AS a ON a.entity = c.cluster_id
    UNION
    SELECT a.entity, a.entity, 'buyer'
    FROM active AS a
    WHERE a.entity NOT IN (SELECT cluster_id FROM clusters)
), weekly AS (
    SELECT buyer, count(*) AS rentals, sum(h100e_hours::DECIMAL(38, 9)) AS h100e_hours
    FROM rentals
    WHERE block_time >= $week_start AND block_time < $week_end
    GROUP BY buyer
), first_funding AS (
    SELECT DISTINCT ON (address) address, chain_id, status, funder, block_time, tx_hash, value_eth
    FROM funding
    ORDER BY address, status <> 'funded', block_time NULLS LAST, chain_id
)
SELECT
    m.entity AS cluster_id,
    m.address,
    m.role,
    coalesce(w.rentals, 0) AS rentals,
    CASE WHEN w.buyer IS NULL THEN 0 ELSE w.h100e_hours END AS h100e_hours,  -- NULL: rentals, none estimated
    f.status AS funding_status,
    f.chain_id AS funding_chain_id,
    f.funder,
    f.value_eth AS funding_value_eth,
    strftime(f.block_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS funding_time,
    f.tx_hash AS funding_tx_hash,
    CASE
        WHEN f.address IS NULL THEN 'not traced'
        WHEN f.status <> 'funded' OR f.funder IS NULL THEN 'no funder found (' || f.status || ')'
        WHEN s.address IS NOT NULL THEN 'service (' || s.reason || ')'
        ELSE 'unknown/own wallet'
    END AS funding_source
FROM members AS m
LEFT JOIN weekly AS w ON w.buyer = m.address
LEFT JOIN first_funding AS f ON f.address = m.address
LEFT JOIN service_addresses AS s ON s.address = f.funder
ORDER BY m.entity, m.role <> 'buyer', rentals DESC, m.address
