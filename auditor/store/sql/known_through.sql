-- The highest block up to which a chain is known: the lowest of its marketplace (or, without any, ad-hoc)
-- sources' coverage ends. A narrower run (a backfill window, a subset of marketplaces, fewer confirmations)
-- never lowers it. A source not covered at all is known up to the block before its deployment.
-- Parameters: $chain. No row when the chain has no such source.
WITH ends AS (
    SELECT s.kind, s.source, coalesce(max(c.to_block), s.start_block - 1) AS last_block
    FROM sources AS s
    LEFT JOIN coverage AS c ON c.chain_id = s.chain_id AND c.source = s.source
    WHERE s.chain_id = $chain AND s.kind IN ('marketplace', 'adhoc')
    GROUP BY s.kind, s.source, s.start_block
), kinds AS (
    SELECT kind, min(last_block) AS known_through FROM ends GROUP BY kind
)
SELECT CASE WHEN known_through >= 0 THEN known_through END
FROM kinds
ORDER BY kind = 'marketplace' DESC
LIMIT 1
