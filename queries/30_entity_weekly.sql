-- name: entity_weekly
-- purpose: per entity, ISO week (Monday, UTC, of the rental's block time) and marketplace: rentals, USD paid
--          and H100-equivalent hours (central, low, high).
-- parameters: none
CREATE OR REPLACE TABLE entity_weekly AS
SELECT c.cluster_id,
       CAST(date_trunc('week', r.block_time) AS DATE) AS week_start,
       r.marketplace,
       count(*) AS rentals,
       -- exact: DECIMAL sums, unlike floating-point ones, do not depend on row order or thread count
       sum(r.payment_usd::DECIMAL(38, 9)) AS payment_usd,
       sum(r.h100e_hours::DECIMAL(38, 9)) AS h100e_hours,
       sum(r.h100e_hours_low::DECIMAL(38, 9)) AS h100e_hours_low,
       sum(r.h100e_hours_high::DECIMAL(38, 9)) AS h100e_hours_high
FROM rentals r
JOIN address_clusters c ON c.address = r.buyer
GROUP BY ALL
ORDER BY week_start, cluster_id, marketplace;
