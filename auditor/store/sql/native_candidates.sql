-- What a native-coin scan needs to know about each address of one level of the scan set: whether it may be
-- scanned (an EOA by eth_getCode, not a labelled service, not a hub), and how far it was scanned. An address
-- whose code is not known yet (its lookup failed) waits for the next run.
-- Parameters: $chain, $addresses, $labels (the shipped service_labels.csv).
WITH asked AS (SELECT DISTINCT unnest($addresses) AS address),
labelled AS (
    SELECT lower(address) AS address FROM read_csv($labels, header = true, all_varchar = true)
    WHERE chain_id::BIGINT = $chain
    UNION SELECT address FROM user_labels WHERE chain_id = $chain
)
SELECT a.address,
       CASE WHEN c.address IS NULL THEN 'unknown'
            WHEN c.is_contract OR c.delegated THEN 'code'
            WHEN a.address IN (SELECT address FROM labelled) THEN 'service'
            WHEN s.status = 'hub' THEN 'hub'
            ELSE 'eoa' END AS what,
       s.scanned_to_block,
       coalesce(s.change_blocks, []) AS change_blocks
FROM asked a
LEFT JOIN address_code c ON c.chain_id = $chain AND c.address = a.address
LEFT JOIN native_scan s ON s.chain_id = $chain AND s.address = a.address
ORDER BY a.address
