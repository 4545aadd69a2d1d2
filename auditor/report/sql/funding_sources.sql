-- funding_sources: this week's buyers grouped by where their first native coin came from (as in
-- entity_addresses): a service address with its reason, 'unknown/own wallet', 'no funder found (status)' or
-- 'not traced'. Exchange and bridge labels do not exist yet; high fan-out funders are the service addresses.
-- Sums are exact (each value cast to DECIMAL(38, 9) first); H100e-hours are NULL where no rental has an estimate.
-- params: week_start, week_end
WITH clusters AS (
    SELECT address, min(cluster_id) AS cluster_id FROM address_clusters GROUP BY address
), buyers AS (
    SELECT
        r.buyer,
        coalesce(c.cluster_id, r.buyer) AS entity,
        count(*) AS rentals,
        sum(r.h100e_hours::DECIMAL(38, 9)) AS h100e_hours
    FROM rentals AS r
    LEFT JOIN clusters AS c ON c.address = r.buyer
    WHERE r.block_time >= $week_start AND r.block_time < $week_end
    GROUP BY r.buyer, coalesce(c.cluster_id, r.buyer)
), first_funding AS (
    SELECT DISTINCT ON (address) address, status, funder
    FROM funding
    ORDER BY address, status <> 'funded', block_time NULLS LAST, chain_id
), classed AS (
    SELECT
        b.*,
        f.funder,
        CASE
            WHEN f.address IS NULL THEN 'not traced'
            WHEN f.status <> 'funded' OR f.funder IS NULL THEN 'no funder found (' || f.status || ')'
            WHEN s.address IS NOT NULL THEN 'service (' || s.reason || ')'
            ELSE 'unknown/own wallet'
        END AS funding_source
    FROM buyers AS b
    LEFT JOIN first_funding AS f ON f.address = b.buyer
    LEFT JOIN service_addresses AS s ON s.address = f.funder
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
