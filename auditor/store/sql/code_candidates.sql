-- Addresses whose code (contract or EOA) the clustering needs and that were not checked yet: buyers, their first
-- funders (and the funders' own funders), every counterparty of a watched transfer or approval, and of a native
-- transfer, each with the first block it appears in
-- (stored as address_code.seen_block: a reorg below it removes the row, and split runs store the same value).
-- Parameters: $chain; {buyers} (with block_number).
WITH candidates AS (
    SELECT address, block_number FROM ({buyers}) b
    UNION ALL SELECT funder, block_number FROM funding WHERE chain_id = $chain AND funder IS NOT NULL
    UNION ALL SELECT "from", block_number FROM token_transfer WHERE chain_id = $chain
    UNION ALL SELECT "to", block_number FROM token_transfer WHERE chain_id = $chain
    UNION ALL SELECT spender, block_number FROM token_approval WHERE chain_id = $chain
    UNION ALL SELECT "from", block_number FROM native_transfer WHERE chain_id = $chain
    UNION ALL SELECT "to", block_number FROM native_transfer WHERE chain_id = $chain
)
SELECT address, min(block_number) AS seen_block FROM candidates
WHERE address IS NOT NULL
GROUP BY address
ORDER BY address
