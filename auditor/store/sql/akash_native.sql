-- The AKT bank sends of Akash owners $owners (chain $chain), both ways, as native_transfer rows (AKT is the
-- chain's native coin, value in uakt), for the clustering's native-transfer evidence.
INSERT OR IGNORE INTO native_transfer
SELECT chain_id, height, block_time, 'tx:' || tx_hash || ':' || msg_index || ':' || coin_index, tx_hash, "from",
       "to", amount::HUGEINT, 'tx'
FROM akash_transfer
WHERE chain_id = $chain AND kind = 'send' AND denom = 'uakt'
  AND ("from" IN (SELECT unnest($owners)) OR "to" IN (SELECT unnest($owners)));
