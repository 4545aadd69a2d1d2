-- entities: every entity active this week, ranked by H100e-hours, then rentals, then id.
-- An entity is an address cluster; each address's is its row of address_entities, where a buyer the analysis
-- did not cluster is an entity of its own.
-- Evidence counts cluster_evidence rows whose two addresses both belong to the cluster (all time); its strength
-- is 'corroborated' when two or more heuristics link the cluster. Funding sources: where each of the entity's
-- buyers got its first native coin (address_funding.funding_source), in alphabetical order.
-- GPU models: the week's models by H100e-hours ('unknown' where the marketplace does not say); the previous week's
-- H100e-hours and the change beside this week's, so a growing entity shows as one.
-- Sums are exact (each value cast to DECIMAL(38, 9) first); H100e-hours are NULL where no rental has an estimate.
-- params: week_start, week_end, prev_start
WITH clusters AS (
    SELECT address, cluster_id, role FROM address_entities WHERE clustered
), members AS (
    SELECT
        cluster_id,
        count(*) AS addresses,
        count(*) FILTER (WHERE role = 'buyer') AS buyer_addresses,
        count(*) FILTER (WHERE role = 'funder') AS funder_addresses
    FROM clusters
    GROUP BY cluster_id
), evidence AS (
    SELECT
        ca.cluster_id,
        count(*) AS evidence_rows,
        count(DISTINCT e.heuristic) AS heuristic_count,
        string_agg(DISTINCT e.heuristic, ', ' ORDER BY e.heuristic) AS heuristics
    FROM cluster_evidence AS e
    JOIN clusters AS ca ON ca.address = e.address_a
    JOIN clusters AS cb ON cb.address = e.address_b
    WHERE ca.cluster_id = cb.cluster_id
    GROUP BY ca.cluster_id
), attributed AS (
    SELECT r.*, e.cluster_id AS entity, coalesce(e.clustered, false) AS clustered
    FROM rentals AS r
    LEFT JOIN address_entities AS e ON e.address = r.buyer
), funding_sources AS (
    SELECT b.entity, string_agg(DISTINCT f.funding_source, '; ' ORDER BY f.funding_source) AS funding_sources,
           string_agg(DISTINCT f.funding_origin, ', ' ORDER BY f.funding_origin) AS funding_origins
    FROM (SELECT DISTINCT entity, buyer FROM attributed) AS b
    LEFT JOIN address_funding AS f ON f.address = b.buyer
    GROUP BY b.entity
), firsts AS (
    SELECT entity, min(block_time) AS first_rental FROM attributed GROUP BY entity
), previous AS (
    SELECT entity, sum(h100e_hours::DECIMAL(38, 9)) AS prev_h100e_hours
    FROM attributed
    WHERE block_time >= $prev_start AND block_time < $week_start
    GROUP BY entity
), models AS (
    SELECT entity, coalesce(gpu_model, 'unknown') AS gpu, sum(h100e_hours::DECIMAL(38, 9)) AS hours, count(*) AS n
    FROM attributed
    WHERE block_time >= $week_start AND block_time < $week_end
    GROUP BY ALL
), gpus AS (
    SELECT entity, string_agg(gpu, ', ' ORDER BY gpu = 'unknown', hours DESC NULLS LAST, n DESC, gpu) AS gpu_models
    FROM models
    GROUP BY entity
), activity AS (
    SELECT
        entity,
        bool_and(clustered) AS clustered,
        sum(h100e_hours::DECIMAL(38, 9)) AS h100e_hours,
        sum(h100e_hours_low::DECIMAL(38, 9)) AS h100e_hours_low,
        sum(h100e_hours_high::DECIMAL(38, 9)) AS h100e_hours_high,
        count(*) AS rentals,
        count(*) FILTER (WHERE h100e_hours IS NULL) AS rentals_without_estimate,
        count(DISTINCT buyer) AS active_buyers,
        string_agg(DISTINCT marketplace, ', ' ORDER BY marketplace) AS marketplaces,
        sum(payment_usd::DECIMAL(38, 9)) AS payment_usd
    FROM attributed
    WHERE block_time >= $week_start AND block_time < $week_end
    GROUP BY entity
)
SELECT
    row_number() OVER (ORDER BY a.h100e_hours DESC NULLS LAST, a.rentals DESC, a.entity) AS rank,
    a.entity AS cluster_id,
    a.clustered,
    coalesce(m.addresses, 1) AS addresses,
    coalesce(m.buyer_addresses, 1) AS buyer_addresses,
    coalesce(m.funder_addresses, 0) AS funder_addresses,
    a.active_buyers,
    a.marketplaces,
    a.h100e_hours,
    a.h100e_hours_low,
    a.h100e_hours_high,
    p.prev_h100e_hours,
    CASE WHEN p.prev_h100e_hours IS NULL OR p.prev_h100e_hours = 0 OR a.h100e_hours IS NULL THEN NULL
         ELSE 100 * (a.h100e_hours - p.prev_h100e_hours) / p.prev_h100e_hours END AS change_pct_h100e_hours,
    g.gpu_models,
    a.rentals,
    a.rentals_without_estimate,
    a.payment_usd,
    coalesce(ev.evidence_rows, 0) AS evidence_rows,
    CASE WHEN NOT a.clustered THEN '(not clustered)' ELSE coalesce(ev.heuristics, '(no linking evidence)') END
        AS heuristics,
    CASE
        WHEN NOT a.clustered THEN 'none (not clustered)'
        WHEN coalesce(m.addresses, 1) = 1 THEN 'n/a (one address)'
        WHEN ev.heuristic_count >= 2 THEN 'corroborated (' || ev.heuristic_count || ' heuristics)'
        WHEN ev.evidence_rows > 0 THEN 'single heuristic'
        ELSE 'no linking evidence'
    END AS evidence_strength,
    fs.funding_sources,
    fs.funding_origins,
    en.utc_offset,
    strftime(f.first_rental AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS first_rental,
    f.first_rental >= $week_start AS is_new
FROM activity AS a
JOIN firsts AS f ON f.entity = a.entity
LEFT JOIN members AS m ON a.clustered AND m.cluster_id = a.entity
LEFT JOIN evidence AS ev ON a.clustered AND ev.cluster_id = a.entity
LEFT JOIN funding_sources AS fs ON fs.entity = a.entity
LEFT JOIN entities AS en ON en.cluster_id = a.entity
LEFT JOIN previous AS p ON p.entity = a.entity
LEFT JOIN gpus AS g ON g.entity = a.entity
ORDER BY rank
