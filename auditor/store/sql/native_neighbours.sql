-- The next hop of the native-coin scan set from some scanned EOAs: their first funders, the EOAs they paid in
-- watched tokens (deposit candidates, collectors) or native coin, and those that paid them native coin.
-- Parameters: $chain, $addresses.
WITH x AS (SELECT unnest($addresses) AS address)
SELECT funder AS address FROM funding WHERE chain_id = $chain AND address IN (SELECT address FROM x)
                                        AND funder IS NOT NULL
UNION SELECT "to" FROM token_transfer WHERE chain_id = $chain AND "from" IN (SELECT address FROM x)
UNION SELECT "to" FROM native_transfer WHERE chain_id = $chain AND "from" IN (SELECT address FROM x)
UNION SELECT "from" FROM native_transfer WHERE chain_id = $chain AND "to" IN (SELECT address FROM x)
                                           AND "from" IS NOT NULL
ORDER BY address
