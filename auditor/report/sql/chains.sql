-- chains: per indexed chain, the head and safe (indexed-to) block of the last index run, how far the indexed
-- data trails the head in time, and the chain's newest rental. How much of the report week the marketplace
-- sources cover is in week_coverage (completeness.py).
SELECT
    ch.chain_id,
    ch.name AS chain,
    ch.head_block,
    ch.safe_block,
    strftime(ch.head_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS head_time,
    strftime(ch.safe_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS safe_time,
    date_diff('second', ch.safe_time, ch.head_time) / 3600.0 AS hours_behind_head,
    (SELECT strftime(max(r.block_time) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')
     FROM rentals AS r WHERE r.chain_id = ch.chain_id) AS last_rental_time
FROM chains AS ch
ORDER BY ch.chain_id
