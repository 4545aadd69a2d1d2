-- Transfers and approvals that no watch source of the chain asks for any more. A source key is
-- watch/<in|out>/<address>#<tokens>: out takes logs whose topic1 (from, owner) is the address, in those whose
-- topic2 (to, spender) is. Parameters: $chain, $keys (the wanted watch source keys).
WITH wanted AS (
    SELECT split_part(k, '/', 2) AS direction, split_part(split_part(k, '/', 3), '#', 1) AS address
    FROM (SELECT unnest($keys) AS k)
)
DELETE FROM token_transfer t
WHERE t.chain_id = $chain
  AND t."from" NOT IN (SELECT address FROM wanted WHERE direction = 'out')
  AND t."to" NOT IN (SELECT address FROM wanted WHERE direction = 'in');

WITH wanted AS (
    SELECT split_part(k, '/', 2) AS direction, split_part(split_part(k, '/', 3), '#', 1) AS address
    FROM (SELECT unnest($keys) AS k)
)
DELETE FROM token_approval a
WHERE a.chain_id = $chain
  AND a.owner NOT IN (SELECT address FROM wanted WHERE direction = 'out')
  AND a.spender NOT IN (SELECT address FROM wanted WHERE direction = 'in');
