-- by_chain: this week's rentals, buyers, entities and H100e-hours per chain.
-- Sums are exact (each value cast to DECIMAL(38, 9) first); H100e-hours are NULL where no rental has an estimate.
-- params: week_start, week_end
WITH grouped AS (
    SELECT
        r.chain_id,
        coalesce(any_value(ch.name), 'chain ' || r.chain_id) AS chain,
        count(*) AS rentals,
        count(DISTINCT r.buyer) AS buyers,
        count(DISTINCT e.cluster_id) AS entities,
        sum(r.h100e_hours::DECIMAL(38, 9)) AS h100e_hours,
        count(*) FILTER (WHERE r.h100e_hours IS NULL) AS rentals_without_estimate,
        sum(r.payment_usd::DECIMAL(38, 9)) AS payment_usd,
        string_agg(DISTINCT r.marketplace, ', ' ORDER BY r.marketplace) AS marketplaces
    FROM rentals AS r
    LEFT JOIN address_entities AS e ON e.address = r.buyer
    LEFT JOIN chains AS ch ON ch.chain_id = r.chain_id
    WHERE r.block_time >= $week_start AND r.block_time < $week_end
    GROUP BY r.chain_id
)
SELECT * FROM grouped
ORDER BY h100e_hours DESC NULLS LAST, rentals DESC, chain_id
