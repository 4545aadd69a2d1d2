-- name: address_funding
-- purpose: where the first native coin of every address in address_entities came from, one row per address.
--          Its first funding is its earliest 'funded' row on any chain (else its first row of another status,
--          ties to the lower chain id); funding_source says what that was: 'service (reason)' when the funder
--          is a service address (an exchange-like funder, a bridge, a contract or a provider), 'unknown/own
--          wallet' for any other funder, 'no funder found (status)' when the lookup found none, and 'not traced'
--          when the address has no funding row (funding is looked up for buyers only). funding_origin is the
--          same in one word: exchange (a labelled exchange wallet), bridge (a labelled bridge or relayer),
--          service (any other service address, e.g. a high fan-out funder without a label), private (an
--          address that is no service: the buyer's own or its entity's funder), unknown (not found or traced).
-- parameters: none
CREATE OR REPLACE TABLE address_funding AS
WITH first_funding AS (
    SELECT DISTINCT ON (address) address, chain_id, status, funder, block_number, block_time, tx_hash, value_eth
    FROM funding
    ORDER BY address, status <> 'funded', block_time NULLS LAST, chain_id
)
SELECT
    e.address,
    f.chain_id,
    f.status,
    f.funder,
    f.block_number,
    f.block_time,
    f.tx_hash,
    f.value_eth,
    s.reason AS funder_service,
    CASE
        WHEN f.address IS NULL THEN 'not traced'
        WHEN f.status <> 'funded' OR f.funder IS NULL THEN 'no funder found (' || f.status || ')'
        WHEN s.address IS NOT NULL THEN 'service (' || s.reason || ')'
        ELSE 'unknown/own wallet'
    END AS funding_source,
    CASE
        WHEN f.address IS NULL OR f.status <> 'funded' OR f.funder IS NULL THEN 'unknown'
        -- a labelled service's reasons include its label as "category: label" (20_service_addresses)
        WHEN regexp_matches(s.reason, '(^|; )cex[a-z_]*: ') THEN 'exchange'
        WHEN regexp_matches(s.reason, '(^|; )(bridge|relayer): ') THEN 'bridge'
        WHEN s.address IS NOT NULL THEN 'service'
        ELSE 'private'
    END AS funding_origin
FROM address_entities e
LEFT JOIN first_funding f ON f.address = e.address
LEFT JOIN service_addresses s ON s.address = f.funder
ORDER BY e.address;
