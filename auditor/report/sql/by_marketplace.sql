-- by_marketplace: this week's rentals, buyers, entities and H100e-hours per marketplace.
-- Sums are exact (each value cast to DECIMAL(38, 9) first); H100e-hours are NULL where no rental has an estimate.
-- params: week_start, week_end
WITH grouped AS (
    SELECT
        coalesce(r.marketplace, 'unknown') AS marketplace,
        count(*) AS rentals,
        count(DISTINCT r.buyer) AS buyers,
        count(DISTINCT e.cluster_id) AS entities,
        sum(r.h100e_hours::DECIMAL(38, 9)) AS h100e_hours,
        sum(r.h100e_hours_low::DECIMAL(38, 9)) AS h100e_hours_low,
        sum(r.h100e_hours_high::DECIMAL(38, 9)) AS h100e_hours_high,
        count(*) FILTER (WHERE r.h100e_hours IS NULL) AS rentals_without_estimate,
        sum(r.payment_usd::DECIMAL(38, 9)) AS payment_usd,
        count(*) FILTER (WHERE r.is_open) AS open_leases
    FROM rentals AS r
    LEFT JOIN address_entities AS e ON e.address = r.buyer
    WHERE r.block_time >= $week_start AND r.block_time < $week_end
    GROUP BY ALL
)
SELECT * FROM grouped
ORDER BY h100e_hours DESC NULLS LAST, rentals DESC, marketplace
