-- name: rentals_swan
-- purpose: one rental per Swan Chain task (TaskCreated): the user pays reward SWAN to the computing providers in
--          cpList for duration seconds. The last TaskExtended sets a new total duration; TaskTerminated ends it
--          early. The end is open while after the chain's last indexed block; an open task has earned the
--          share of its paid duration elapsed by then (accrued_share). GPU-hours assume one GPU per listed
--          provider; the GPU model is off-chain, so H100e is payment-based (19_values).
-- parameters: none
WITH extended AS (
    SELECT chain_id, contract, taskUid, arg_max(totalDuration, (block_number, log_index)) AS total
    FROM swan_task_extended GROUP BY ALL
), terminated AS (
    SELECT chain_id, contract, taskUid, min(terminateTimestamp) AS ts
    FROM swan_task_terminated GROUP BY ALL
), tasks AS (
    SELECT t.*, ch.safe_time, least(coalesce(e.total, t.duration), 10 ** 10)::BIGINT AS paid_seconds,
           least(t.block_time + to_seconds(least(coalesce(e.total, t.duration), 10 ** 10)::BIGINT),
                 to_timestamp(least(x.ts, 10 ** 11)::BIGINT)) AS ends_at
    FROM swan_task_created t
    LEFT JOIN extended e ON e.chain_id = t.chain_id AND e.contract = t.contract AND e.taskUid = t.taskUid
    LEFT JOIN terminated x ON x.chain_id = t.chain_id AND x.contract = t.contract AND x.taskUid = t.taskUid
    LEFT JOIN chains ch ON ch.chain_id = t.chain_id
), hours AS (
    SELECT tasks.*,
           ends_at > coalesce(safe_time, ends_at) AS still_open,
           greatest(0.0, epoch(least(ends_at, coalesce(safe_time, ends_at))) - epoch(block_time)) / 3600.0 AS hours
    FROM tasks
)
SELECT chain_id, block_number, block_time, tx_hash, log_index,
       "user" AS buyer, cpList[1] AS provider,
       len(cpList) AS gpu_count,
       block_time AS start_time, CASE WHEN NOT still_open THEN ends_at END AS end_time,
       hours AS duration_hours, still_open AS is_open, hours * len(cpList) AS gpu_hours,
       CASE WHEN still_open THEN least(1.0, hours * 3600.0 / nullif(paid_seconds, 0)) END AS accrued_share,
       token_amount(reward) AS payment_amount, reward::VARCHAR AS payment_raw
FROM hours;
