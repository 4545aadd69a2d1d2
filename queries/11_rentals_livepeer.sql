-- name: rentals_livepeer
-- purpose: one rental per Livepeer winning ticket: the gateway (sender) pays faceValue ETH to the orchestrator.
--          Payment-based: hours need an ETH price and an H100-hour price, not applied yet (h100e_hours NULL).
-- parameters: none
INSERT INTO rentals
SELECT w.chain_id, 'livepeer', w.block_number, w.block_time, w.tx_hash, w.log_index,
       w.sender, w.recipient,
       NULL, NULL, NULL,
       w.block_time, w.block_time, 0.0, false,
       'ETH', w.faceValue::DOUBLE / 1e18, w.faceValue::VARCHAR, NULL,
       NULL, 'payment', 'none'
FROM livepeer_winning_ticket_redeemed w;
