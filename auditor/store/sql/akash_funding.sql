-- After the transfers of Akash owners $owners (chain $chain) are stored up to height $to: each one's first
-- incoming transfer or grant (bank send, IBC, fee grant, deposit authorization) as its row in `funding`, the
-- first-funder evidence clustering reads (value_wei: the amount in the denom's micro unit, value_eth: in whole
-- tokens, reason: the kind and denom), 'unfunded' when none is found.
INSERT OR REPLACE INTO funding (chain_id, address, status, funder, block_number, block_time, tx_hash, value_wei,
                               value_eth, checked_to_block, reason)
SELECT $chain, o.address, CASE WHEN t.tx_hash IS NULL THEN 'unfunded' ELSE 'funded' END, t."from", t.height,
       t.block_time, t.tx_hash, t.amount::VARCHAR, t.amount::DOUBLE / 1e6, $to,
       CASE WHEN t.tx_hash IS NOT NULL THEN t.kind || coalesce(' ' || t.denom, '') END
FROM (SELECT unnest($owners) AS address) o
LEFT JOIN (SELECT * FROM akash_transfer
           WHERE chain_id = $chain AND "to" IN (SELECT unnest($owners))
           QUALIFY row_number() OVER (PARTITION BY "to" ORDER BY height, tx_hash, msg_index, coin_index) = 1) t
       ON t."to" = o.address;
