-- The AKT bank sends of Akash owners $owners (chain $chain), both ways, as native_transfer rows (AKT is the
-- chain's native coin), for the clustering's native-transfer evidence. value is in units of 1e-18 AKT (uakt x
-- 10^12), the 18 decimals native_transfer's readers divide by, as for wei.
INSERT OR IGNORE INTO native_transfer
SELECT chain_id, height, block_time, 'tx:' || tx_hash || ':' || msg_index || ':' || coin_index, tx_hash, "from",
       "to", amount::HUGEINT * 1000000000000, 'tx'
FROM akash_transfer
WHERE chain_id = $chain AND kind = 'send' AND denom = 'uakt'
  AND ("from" IN (SELECT unnest($owners)) OR "to" IN (SELECT unnest($owners)));
