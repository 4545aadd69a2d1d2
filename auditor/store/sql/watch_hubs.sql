-- Hubs: EOAs (checked with eth_getCode) that are not buyers and received watched-token transfers from a buyer of
-- the chain: deposit addresses, collectors, providers. Their outbound transfers tell a deposit address (it
-- forwards to an exchange) from a collector. One buyer on this chain is enough: an exchange gives a customer one
-- deposit address on every EVM chain, so its reuse may only show across chains.
-- Parameters: $chain; {buyers} is the buyers query of store/funding.py.
WITH buyers AS (SELECT DISTINCT address FROM ({buyers}) b)
SELECT DISTINCT t."to" AS address
FROM token_transfer t
JOIN address_code c ON c.chain_id = t.chain_id AND c.address = t."to" AND NOT c.is_contract
WHERE t.chain_id = $chain
  AND t."from" IN (SELECT address FROM buyers)
  AND t."to" NOT IN (SELECT address FROM buyers)
ORDER BY address
