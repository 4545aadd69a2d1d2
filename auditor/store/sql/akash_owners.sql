-- The deployment owners of Akash chain $chain whose transfers were not searched up to height $to yet, sorted.
SELECT DISTINCT d.owner
FROM akash_deployment d
LEFT JOIN akash_transfer_scan s ON s.chain_id = d.chain_id AND s.address = d.owner
WHERE d.chain_id = $chain AND (s.scanned_to IS NULL OR s.scanned_to < $to)
ORDER BY d.owner
