-- name: rentals_livepeer
-- purpose: one rental per Livepeer winning ticket (WinningTicketRedeemed), the gateway (sender) paying the
--          orchestrator (recipient). The payment is what was transferred, not the face value: TicketBroker pays
--          the face value from the sender's deposit, or, when the deposit cannot cover it, the deposit plus what
--          it claims from the reserve, and emits WinningTicketTransfer(sender, recipient, amount) before
--          WinningTicketRedeemed, only when the amount is above zero (livepeer/protocol
--          contracts/pm/mixins/MixinTicketBrokerCore.sol, MixinReserve.sol). No transfer: nothing was paid.
--          A ticket to an orchestrator registered on the AI service registry at or before it is AI inference;
--          the others are video transcoding, which gets no H100e (19_values).
-- parameters: livepeer_ai_registry (address)
WITH ai AS (
    SELECT chain_id, addr, min(block_number) AS since
    FROM livepeer_service_uri_update
    WHERE contract = getvariable('livepeer_ai_registry') AND serviceURI <> ''
    GROUP BY ALL
), paid AS (
    SELECT w.*,
           (SELECT arg_max(t.amount::VARCHAR, t.log_index) FROM livepeer_winning_ticket_transfer t
             WHERE t.chain_id = w.chain_id AND t.contract = w.contract AND t.tx_hash = w.tx_hash
               AND t.sender = w.sender AND t.recipient = w.recipient AND t.log_index < w.log_index
               AND t.log_index > coalesce(w.previous, -1)) AS transferred
    FROM (SELECT *, lag(log_index) OVER (PARTITION BY chain_id, contract, tx_hash ORDER BY log_index) AS previous
          FROM livepeer_winning_ticket_redeemed) w
)
SELECT w.chain_id, w.block_number, w.block_time, w.tx_hash, w.log_index,
       w.sender AS buyer, w.recipient AS provider,
       w.block_time AS start_time, w.block_time AS end_time, 0.0 AS duration_hours, false AS is_open,
       token_amount(coalesce(w.transferred, '0')) AS payment_amount, coalesce(w.transferred, '0') AS payment_raw,
       CASE WHEN ai.since <= w.block_number THEN 'ai-inference' ELSE 'transcoding' END AS workload
FROM paid w
LEFT JOIN ai ON ai.chain_id = w.chain_id AND ai.addr = w.recipient;
