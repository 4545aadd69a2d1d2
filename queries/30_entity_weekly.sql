-- name: entity_weekly
-- purpose: per entity, ISO week (Monday, UTC, of the rental's block time) and marketplace: rentals, USD paid
--          and H100-equivalent hours (central, low, high).
-- parameters: none
CREATE OR REPLACE TABLE entity_weekly AS
SELECT c.cluster_id,
       CAST(date_trunc('week', r.block_time) AS DATE) AS week_start,
       r.marketplace,
       count(*) AS rentals,
       -- summed in a fixed order: floating-point sums must not depend on how the rows were loaded
       sum(r.payment_usd ORDER BY r.chain_id, r.block_number, r.log_index) AS payment_usd,
       sum(r.h100e_hours ORDER BY r.chain_id, r.block_number, r.log_index) AS h100e_hours,
       sum(r.h100e_hours_low ORDER BY r.chain_id, r.block_number, r.log_index) AS h100e_hours_low,
       sum(r.h100e_hours_high ORDER BY r.chain_id, r.block_number, r.log_index) AS h100e_hours_high
FROM rentals r
JOIN address_clusters c ON c.address = r.buyer
GROUP BY ALL
ORDER BY week_start, cluster_id, marketplace;
