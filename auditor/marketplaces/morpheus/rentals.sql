-- name: rentals_morpheus
-- purpose: one rental per Morpheus session: user to provider, opened to closed (open sessions: to the chain's
--          last indexed block). LLM inference with no GPU and no price in the events: not estimated.
-- parameters: none
WITH closes AS (
    SELECT chain_id, sessionId, min(block_time) AS closed_at
    FROM morpheus_session_closed GROUP BY chain_id, sessionId
)
SELECT o.chain_id, o.block_number, o.block_time, o.tx_hash, o.log_index,
       o."user" AS buyer, o.providerId AS provider,
       o.block_time AS start_time, c.closed_at AS end_time,
       greatest(0.0, epoch(coalesce(c.closed_at, ch.safe_time)) - epoch(o.block_time)) / 3600.0 AS duration_hours,
       c.closed_at IS NULL AS is_open,
       'llm-inference' AS workload
FROM morpheus_session_opened o
LEFT JOIN closes c ON c.chain_id = o.chain_id AND c.sessionId = o.sessionId
LEFT JOIN chains ch ON ch.chain_id = o.chain_id;
