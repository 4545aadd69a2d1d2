-- Akash accounts (chain $chain) whose type the clustering needs and that were not looked up yet: the owners and
-- funders in `funding` and both ends of every native transfer, Akash addresses only (an IBC sender belongs to
-- another chain), each with the first height it appears at (a transfer, its funding, a deployment it owns):
-- stored as address_code.seen_block, the same whatever runs the data came in.
WITH candidates AS (
    SELECT address, block_number FROM funding WHERE chain_id = $chain
    UNION ALL SELECT funder, block_number FROM funding WHERE chain_id = $chain AND funder IS NOT NULL
    UNION ALL SELECT "from", block_number FROM native_transfer WHERE chain_id = $chain
    UNION ALL SELECT "to", block_number FROM native_transfer WHERE chain_id = $chain
),
seen AS (
    SELECT c.address, least(min(c.block_number), min(d.created_at)) AS seen_block
    FROM candidates c
    LEFT JOIN akash_deployment d ON d.chain_id = $chain AND d.owner = c.address
    WHERE regexp_full_match(c.address, 'akash1[02-9ac-hj-np-z]{38}([02-9ac-hj-np-z]{20})?')
    GROUP BY c.address
)
SELECT address, coalesce(seen_block, 0) AS seen_block FROM seen
ORDER BY address
