-- entity_addresses: every address of every entity active this week, with its role, this week's rentals and
-- where its first native coin came from: a service address (exchange-like funder, contract or provider, with
-- the reason), 'unknown/own wallet' (any other funder), 'no funder found (status)', or 'not traced'
-- (funding is looked up for buyers only), as address_funding has it. Each address's entity is its row of
-- address_entities (a buyer the analysis did not cluster is an entity of its own).
-- Sums are exact (each value cast to DECIMAL(38, 9) first); H100e-hours are NULL where no rental has an estimate.
-- params: week_start, week_end
WITH active AS (
    SELECT DISTINCT e.cluster_id AS entity
    FROM rentals AS r
    JOIN address_entities AS e ON e.address = r.buyer
    WHERE r.block_time >= $week_start AND r.block_time < $week_end
), members AS (
    SELECT e.cluster_id AS entity, e.address, e.role
    FROM address_entities AS e
    JOIN active AS a ON a.entity = e.cluster_id
), weekly AS (
    SELECT buyer, count(*) AS rentals, sum(h100e_hours::DECIMAL(38, 9)) AS h100e_hours
    FROM rentals
    WHERE block_time >= $week_start AND block_time < $week_end
    GROUP BY buyer
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
    f.funding_source
FROM members AS m
LEFT JOIN weekly AS w ON w.buyer = m.address
LEFT JOIN address_funding AS f ON f.address = m.address
ORDER BY m.entity, m.role <> 'buyer', rentals DESC, m.address
