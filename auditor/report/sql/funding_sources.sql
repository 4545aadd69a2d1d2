-- funding_sources: this week's buyers grouped by where their first native coin came from (as in
-- entity_addresses and address_funding): a service address with its reason, 'unknown/own wallet', 'no funder found (status)' or
-- 'not traced'. Exchange and bridge labels do not exist yet; high fan-out funders are the service addresses.
-- Sums are exact (each value cast to DECIMAL(38, 9) first); H100e-hours are NULL where no rental has an estimate.
-- params: week_start, week_end
WITH buyers AS (
    SELECT
        r.buyer,
        e.cluster_id AS entity,
        count(*) AS rentals,
        sum(r.h100e_hours::DECIMAL(38, 9)) AS h100e_hours
    FROM rentals AS r
    LEFT JOIN address_entities AS e ON e.address = r.buyer
    WHERE r.block_time >= $week_start AND r.block_time < $week_end
    GROUP BY r.buyer, e.cluster_id
), classed AS (
    SELECT b.*, f.funder, f.funding_source
    FROM buyers AS b
    LEFT JOIN address_funding AS f ON f.address = b.buyer
), grouped AS (
    SELECT
        funding_source,
        count(DISTINCT funder) AS funders,
        count(*) AS buyers,
        count(DISTINCT entity) AS entities,
        sum(rentals) AS rentals,
        sum(h100e_hours::DECIMAL(38, 9)) AS h100e_hours
    FROM classed
    GROUP BY funding_source
)
SELECT * FROM grouped
ORDER BY h100e_hours DESC NULLS LAST, rentals DESC, funding_source
