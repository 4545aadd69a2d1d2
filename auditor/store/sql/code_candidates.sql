-- Addresses whose code (contract or EOA) the clustering needs and that were not checked yet: buyers, their first
-- funders, and every counterparty of a watched transfer or approval. Parameters: $chain; {buyers}.
WITH candidates AS (
    SELECT address FROM ({buyers}) b
    UNION SELECT funder FROM funding WHERE chain_id = $chain AND funder IS NOT NULL
    UNION SELECT "from" FROM token_transfer WHERE chain_id = $chain
    UNION SELECT "to" FROM token_transfer WHERE chain_id = $chain
    UNION SELECT spender FROM token_approval WHERE chain_id = $chain
)
SELECT address FROM candidates
WHERE address IS NOT NULL
  AND address NOT IN (SELECT address FROM address_code WHERE chain_id = $chain)
ORDER BY address
