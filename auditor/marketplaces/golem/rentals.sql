-- name: rentals_golem
-- purpose: one rental per Golem payment: a GLM Transfer from a requestor, i.e. an address that approved the
--          payment driver's multi-transfer contract, to another address. Agreements and GPUs are off-chain:
--          H100e is payment-based (19_values). Approximate: a requestor's other transfers count too.
-- parameters: golem_multi_transfer (address)
WITH requestors AS (
    SELECT chain_id, owner FROM golem_approval
    WHERE spender = getvariable('golem_multi_transfer') AND value > 0
    GROUP BY ALL
)
SELECT t.chain_id, t.block_number, t.block_time, t.tx_hash, t.log_index,
       t."from" AS buyer, t."to" AS provider,
       token_amount(t.value) AS payment_amount, t.value::VARCHAR AS payment_raw, false AS is_open
FROM golem_transfer t
JOIN requestors r ON r.chain_id = t.chain_id AND r.owner = t."from"
WHERE t."to" <> t."from";
