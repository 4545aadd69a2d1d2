-- chains: per indexed chain, the head and safe block seen at the last index run and its newest rental.
SELECT
    ch.chain_id,
    ch.name AS chain,
    ch.head_block,
    ch.safe_block,
    strftime(ch.head_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS head_time,
    (SELECT strftime(max(r.block_time) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')
     FROM rentals AS r WHERE r.chain_id = ch.chain_id) AS last_rental_time
FROM chains AS ch
ORDER BY ch.chain_id
