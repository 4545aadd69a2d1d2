-- name: service_addresses
-- purpose: addresses that must never merge entities: marketplace contracts, providers, and funders whose
--          fan-out (buyers they first funded, all chains) is above max_funder_fanout (exchange hot wallets,
--          faucets, bridges look like this).
-- parameters: max_funder_fanout
CREATE OR REPLACE TABLE service_addresses AS
WITH candidates AS (
    SELECT contract AS address, 'marketplace contract' AS reason FROM sources WHERE contract IS NOT NULL
    UNION ALL
    SELECT DISTINCT provider, 'marketplace provider' FROM rentals WHERE provider IS NOT NULL
    UNION ALL
    SELECT funder, 'first funder of ' || count(DISTINCT address) || ' buyers (more than '
                   || getvariable('max_funder_fanout') || ')'
    FROM funding WHERE status = 'funded'
    GROUP BY funder HAVING count(DISTINCT address) > getvariable('max_funder_fanout')
)
SELECT address, string_agg(DISTINCT reason, '; ' ORDER BY reason) AS reason
FROM candidates GROUP BY address;
