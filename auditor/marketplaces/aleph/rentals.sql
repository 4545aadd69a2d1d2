-- name: rentals_aleph
-- purpose: one rental per Aleph Cloud stream: a Superfluid flow of ALEPH from a user (sender) to a compute node
--          or the community wallet (receiver), from the FlowUpdated that opens it (rate from 0 to above 0) to
--          the one that sets it back to 0. Every FlowUpdated starts a segment at its rate that lasts until the
--          next one (open streams: until the chain's last indexed block); ALEPH paid = sum of rate x seconds,
--          exact in wei. Only flows of the ALEPH super token are indexed (topic1 filter).
-- parameters: aleph_token (address)
WITH flows AS (
    SELECT f.*, f.flowRate::HUGEINT AS rate,
           lag(f.flowRate::HUGEINT, 1, 0) OVER w AS prev_rate,
           lead(f.block_time) OVER w AS next_time
    FROM aleph_flow_updated f
    WHERE f.token = getvariable('aleph_token')
    WINDOW w AS (PARTITION BY f.chain_id, f.contract, f.token, f.sender, f.receiver ORDER BY f.block_number, f.log_index)
), numbered AS (
    SELECT flows.*,
           sum(CASE WHEN prev_rate <= 0 AND rate > 0 THEN 1 ELSE 0 END) OVER (
               PARTITION BY flows.chain_id, contract, token, sender, receiver ORDER BY block_number, log_index
               ROWS UNBOUNDED PRECEDING) AS stream_no,
           ch.safe_time
    FROM flows LEFT JOIN chains ch USING (chain_id)
), segments AS (
    SELECT *,
           greatest(0, epoch(coalesce(next_time, safe_time))::BIGINT - epoch(block_time)::BIGINT) AS seconds
    FROM numbered WHERE stream_no > 0
), streams AS (
    SELECT chain_id, contract, token, sender, receiver, stream_no,
           arg_min(block_number, (block_number, log_index)) AS block_number,
           arg_min(log_index, (block_number, log_index)) AS log_index,
           arg_min(tx_hash, (block_number, log_index)) AS tx_hash,
           min(block_time) AS start_time,
           max(block_time) FILTER (WHERE rate <= 0) AS end_time,
           sum(CASE WHEN rate > 0 THEN rate * seconds ELSE 0 END) AS paid,
           any_value(safe_time) AS safe_time
    FROM segments
    GROUP BY ALL
)
SELECT chain_id, block_number, start_time AS block_time, tx_hash, log_index,
       sender AS buyer, receiver AS provider,
       start_time, end_time,
       greatest(0.0, epoch(coalesce(end_time, safe_time, start_time)) - epoch(start_time)) / 3600.0 AS duration_hours,
       end_time IS NULL AS is_open,
       token_amount(paid) AS payment_amount, paid::VARCHAR AS payment_raw
FROM streams;
