-- name: rentals_golem
-- purpose: one rental per Golem payment, a GLM payment from a requestor (an address that approved the payment
--          driver's multi-transfer contract) to a provider. golemfactory/erc20_payment_lib pays batches with
--          golemTransferIndirectPacked, its default on Polygon: the requestor's GLM goes to the contract in one
--          leg, then from the contract to each provider. So a rental is either a direct transfer from a
--          requestor to another address (not the contract), or a contract -> provider leg, paid by the requestor
--          of the latest requestor -> contract leg before it in the same transaction. Agreements and GPUs are
--          off-chain: H100e is payment-based (19_values). Approximate: a requestor's other transfers count too.
-- parameters: golem_multi_transfer (address)
WITH requestors AS (
    SELECT chain_id, owner FROM golem_approval
    WHERE spender = getvariable('golem_multi_transfer') AND value > 0
    GROUP BY ALL
), into_contract AS (
    SELECT t.chain_id, t.tx_hash, t.log_index, t."from" AS requestor
    FROM golem_transfer t
    JOIN requestors r ON r.chain_id = t.chain_id AND r.owner = t."from"
    WHERE t."to" = getvariable('golem_multi_transfer')
), direct AS (
    SELECT t.*, t."from" AS payer
    FROM golem_transfer t
    JOIN requestors r ON r.chain_id = t.chain_id AND r.owner = t."from"
    WHERE t."to" <> t."from" AND t."to" <> getvariable('golem_multi_transfer')
), relayed AS (
    SELECT t.*,
           (SELECT arg_max(i.requestor, i.log_index) FROM into_contract i
             WHERE i.chain_id = t.chain_id AND i.tx_hash = t.tx_hash AND i.log_index < t.log_index) AS payer
    FROM golem_transfer t
    WHERE t."from" = getvariable('golem_multi_transfer') AND t."to" <> getvariable('golem_multi_transfer')
)
SELECT chain_id, block_number, block_time, tx_hash, log_index, payer AS buyer, "to" AS provider,
       token_amount(value) AS payment_amount, value::VARCHAR AS payment_raw, false AS is_open
FROM (SELECT * FROM direct UNION ALL BY NAME SELECT * FROM relayed WHERE payer IS NOT NULL);
