-- coverage: per source (the cursor), its merged indexed block intervals, internal gaps, and how many blocks
-- it trails the chain's safe block and head as seen at the last index run.
WITH intervals AS (
    SELECT
        chain_id,
        source,
        count(*) AS intervals,
        min(from_block) AS first_block,
        max(to_block) AS last_block,
        sum(to_block - from_block + 1) AS indexed_blocks,
        string_agg(from_block::VARCHAR || '-' || to_block::VARCHAR, ', ' ORDER BY from_block)
            AS indexed_intervals
    FROM coverage
    GROUP BY chain_id, source
), keyed AS (
    SELECT chain_id, source FROM sources
    UNION
    SELECT chain_id, source FROM coverage
)
SELECT
    k.chain_id,
    coalesce(ch.name, 'chain ' || k.chain_id) AS chain,
    k.source,
    s.kind,
    s.marketplace,
    s.contract,
    s.start_block,
    coalesce(i.indexed_intervals, 'not indexed') AS indexed_intervals,
    coalesce(i.indexed_blocks, 0) AS indexed_blocks,
    (i.last_block - i.first_block + 1) - i.indexed_blocks AS gap_blocks,
    ch.safe_block,
    ch.safe_block - i.last_block AS blocks_behind_safe,
    ch.head_block - i.last_block AS blocks_behind_head
FROM keyed AS k
LEFT JOIN sources AS s ON s.chain_id = k.chain_id AND s.source = k.source
LEFT JOIN intervals AS i ON i.chain_id = k.chain_id AND i.source = k.source
LEFT JOIN chains AS ch ON ch.chain_id = k.chain_id
ORDER BY k.chain_id, k.source
