-- Transactions whose sender tells whether an approved EOA spent the allowance: transfers out of an owner at or
-- after its approval (value > 0) of a spender without code. Parameters: $chain.
SELECT DISTINCT t.tx_hash, t.block_number
FROM token_transfer t
JOIN token_approval a
  ON a.chain_id = t.chain_id AND a.contract = t.contract AND a.owner = t."from" AND a.block_number <= t.block_number
JOIN address_code c ON c.chain_id = a.chain_id AND c.address = a.spender AND NOT c.is_contract
WHERE t.chain_id = $chain
  AND a.value > 0
  AND t.tx_hash NOT IN (SELECT tx_hash FROM tx_senders WHERE chain_id = $chain)
ORDER BY t.block_number, t.tx_hash
