-- name: rentals_morpheus
-- purpose: one rental per Morpheus session: user to provider, opened to closed (open sessions: to the chain's
--          last indexed block). LLM inference with no GPU on-chain: payment-based, not estimated yet.
-- parameters: none
INSERT INTO rentals
WITH closes AS (
    SELECT chain_id, sessionId, min(block_time) AS closed_at
    FROM morpheus_session_closed GROUP BY chain_id, sessionId
)
SELECT o.chain_id, 'morpheus', o.block_number, o.block_time, o.tx_hash, o.log_index,
       o."user", o.providerId,
       NULL, NULL, NULL,
       o.block_time, c.closed_at,
       greatest(0.0, epoch(coalesce(c.closed_at, ch.safe_time)) - epoch(o.block_time)) / 3600.0,
       c.closed_at IS NULL,
       'MOR', NULL, NULL, NULL,
       NULL, 'payment', 'none'
FROM morpheus_session_opened o
LEFT JOIN closes c ON c.chain_id = o.chain_id AND c.sessionId = o.sessionId
LEFT JOIN chains ch ON ch.chain_id = o.chain_id;
