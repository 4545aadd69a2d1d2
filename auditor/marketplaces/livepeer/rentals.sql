-- name: rentals_livepeer
-- purpose: one rental per Livepeer winning ticket: the gateway (sender) pays faceValue ETH to the orchestrator.
--          A ticket to an orchestrator registered on the AI service registry at or before it is AI inference;
--          the others are video transcoding, which gets no H100e (19_values).
-- parameters: livepeer_ai_registry (address)
WITH ai AS (
    SELECT chain_id, addr, min(block_number) AS since
    FROM livepeer_service_uri_update
    WHERE contract = getvariable('livepeer_ai_registry') AND serviceURI <> ''
    GROUP BY ALL
)
SELECT w.chain_id, w.block_number, w.block_time, w.tx_hash, w.log_index,
       w.sender AS buyer, w.recipient AS provider,
       w.block_time AS start_time, w.block_time AS end_time, 0.0 AS duration_hours, false AS is_open,
       token_amount(w.faceValue) AS payment_amount, w.faceValue::VARCHAR AS payment_raw,
       CASE WHEN ai.since <= w.block_number THEN 'ai-inference' ELSE 'transcoding' END AS workload
FROM livepeer_winning_ticket_redeemed w
LEFT JOIN ai ON ai.chain_id = w.chain_id AND ai.addr = w.recipient;
