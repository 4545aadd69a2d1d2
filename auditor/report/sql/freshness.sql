-- freshness: per chain, the newest indexed (safe) block and the head seen at the last index run, with their
-- times as naive UTC timestamps, for checking the data's age against the wall clock (outside the report).
SELECT
    chain_id,
    name AS chain,
    head_block,
    head_time AT TIME ZONE 'UTC' AS head_time,
    safe_block,
    safe_time AT TIME ZONE 'UTC' AS safe_time
FROM chains
ORDER BY chain_id
