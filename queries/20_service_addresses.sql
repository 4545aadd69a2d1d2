-- name: service_addresses
-- purpose: addresses that must never merge entities, each with its reasons: marketplace contracts and providers,
--          token contracts, any address with code, labelled exchange hot wallets and bridges (service_labels),
--          funders whose fan-out (buyers they first funded, all chains) is above max_funder_fanout, collectors
--          that receive token transfers from more than max_funder_fanout buyers, and spenders approved by more
--          than max_spender_owners owners (approval phishers, custodial relayers).
-- parameters: max_funder_fanout, max_spender_owners
CREATE OR REPLACE TABLE service_addresses AS
WITH buyers AS (
    SELECT DISTINCT buyer AS address FROM rentals WHERE buyer IS NOT NULL
),
candidates AS (
    SELECT contract AS address, 'marketplace contract' AS reason FROM sources WHERE kind = 'marketplace'
    UNION ALL
    SELECT DISTINCT provider, 'marketplace provider' FROM rentals
    UNION ALL
    SELECT address, 'token contract' FROM tokens
    UNION ALL
    SELECT DISTINCT address, 'contract (has code)' FROM address_code WHERE is_contract
    UNION ALL
    SELECT address, category || ': ' || label FROM service_labels
    UNION ALL
    SELECT funder, 'first funder of ' || count(DISTINCT address) || ' buyers (more than '
                   || getvariable('max_funder_fanout') || ')'
    FROM funding WHERE status = 'funded'
    GROUP BY funder HAVING count(DISTINCT address) > getvariable('max_funder_fanout')
    UNION ALL
    SELECT "to", 'receives transfers from ' || count(DISTINCT "from") || ' buyers (more than '
                 || getvariable('max_funder_fanout') || ')'
    FROM token_transfer WHERE "from" IN (SELECT address FROM buyers)
    GROUP BY "to" HAVING count(DISTINCT "from") > getvariable('max_funder_fanout')
    UNION ALL
    SELECT spender, 'approved by ' || count(DISTINCT owner) || ' owners (more than '
                    || getvariable('max_spender_owners') || ')'
    FROM token_approval WHERE value > 0
    GROUP BY spender HAVING count(DISTINCT owner) > getvariable('max_spender_owners')
)
SELECT address, string_agg(DISTINCT reason, '; ' ORDER BY reason) AS reason,
       bool_or(reason LIKE 'cex_hot:%' OR reason LIKE 'first funder of %') AS exchange_like
FROM candidates
WHERE address IS NOT NULL
GROUP BY address
ORDER BY address;
