-- marketplace_coverage: every indexed block interval of every marketplace source, with the span of time it
-- surely covers: the first and the last block time known inside the interval (stored blocks, the safe and
-- head blocks), as naive UTC timestamps. Only blocks with logs are stored, so the true span can be wider.
-- from_source_start: the interval begins at or before the source's first block worth scanning (e.g. its
-- deployment), so no earlier event can be missing. not_started: nothing indexed, and the source's start
-- block lies beyond the chain's safe block, so nothing can be missing yet. A source without coverage has
-- one row with NULL blocks.
WITH known AS (
    SELECT chain_id, block_number, block_time FROM blocks
    UNION ALL
    SELECT chain_id, safe_block, safe_time FROM chains WHERE safe_block IS NOT NULL AND safe_time IS NOT NULL
    UNION ALL
    SELECT chain_id, head_block, head_time FROM chains WHERE head_block IS NOT NULL AND head_time IS NOT NULL
), intervals AS (
    SELECT s.chain_id, s.source, s.start_block, c.from_block, c.to_block
    FROM sources AS s
    LEFT JOIN coverage AS c ON c.chain_id = s.chain_id AND c.source = s.source
    WHERE s.kind = 'marketplace'
), first_known AS (
    SELECT i.chain_id, i.source, i.from_block, k.block_number, k.block_time
    FROM intervals AS i
    ASOF JOIN known AS k ON k.chain_id = i.chain_id AND k.block_number >= i.from_block
), last_known AS (
    SELECT i.chain_id, i.source, i.from_block, k.block_number, k.block_time
    FROM intervals AS i
    ASOF JOIN known AS k ON k.chain_id = i.chain_id AND k.block_number <= i.to_block
)
SELECT
    i.chain_id,
    coalesce(ch.name, 'chain ' || i.chain_id) AS chain,
    i.source,
    i.from_block,
    i.to_block,
    coalesce(i.from_block <= i.start_block, false) AS from_source_start,
    i.from_block IS NULL AND coalesce(i.start_block > ch.safe_block, false) AS not_started,
    CASE WHEN f.block_number <= i.to_block THEN f.block_time AT TIME ZONE 'UTC' END AS first_time,
    CASE WHEN l.block_number >= i.from_block THEN l.block_time AT TIME ZONE 'UTC' END AS last_time
FROM intervals AS i
LEFT JOIN first_known AS f ON f.chain_id = i.chain_id AND f.source = i.source AND f.from_block = i.from_block
LEFT JOIN last_known AS l ON l.chain_id = i.chain_id AND l.source = i.source AND l.from_block = i.from_block
LEFT JOIN chains AS ch ON ch.chain_id = i.chain_id
ORDER BY i.chain_id, i.source, i.from_block
