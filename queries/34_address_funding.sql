-- name: address_funding
-- purpose: where the first native coin of every address in address_entities came from, one row per address.
--          Its first funding is its earliest 'funded' row on any chain (else its first row of another status,
--          ties to the lower chain id); funding_source says what that was: 'service (reason)' when the funder
--          is a service address (an exchange-like funder, a bridge, a contract or a provider), 'unknown/own
--          wallet' for any other funder, 'no funder found (status)' when the lookup found none, and 'not traced'
--          when the address has no funding row (funding is looked up for buyers only).
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
    END AS funding_source
FROM address_entities e
LEFT JOIN first_funding f ON f.address = e.address
LEFT JOIN service_addresses s ON s.address = f.funder
ORDER BY e.address;
