-- name: rentals_iexec
-- purpose: one rental per iExec deal (OrdersMatched). OrdersMatched names no address: the requester is the
--          owner of the first Lock emitted before it in the same transaction (the requester's escrow), the
--          provider the workerpool of the deal's SchedulerNotice. Payment in RLC (9 decimals). Task ids are
--          keccak256(dealid, index) for index < volume; run time is TaskInitialize to TaskFinalize, summed
--          over tasks (unfinished tasks up to the chain's last indexed block).
-- parameters: none
INSERT INTO rentals BY NAME
WITH matched AS (
    SELECT m.*,
           (SELECT arg_min(l.owner, l.log_index) FROM iexec_lock l
             WHERE l.chain_id = m.chain_id AND l.tx_hash = m.tx_hash AND l.log_index < m.log_index) AS requester,
           (SELECT arg_min(l.amount::VARCHAR, l.log_index) FROM iexec_lock l
             WHERE l.chain_id = m.chain_id AND l.tx_hash = m.tx_hash AND l.log_index < m.log_index) AS locked,
           (SELECT min(s.workerpool) FROM iexec_scheduler_notice s
             WHERE s.chain_id = m.chain_id AND s.tx_hash = m.tx_hash AND s.dealid = m.dealid) AS workerpool
    FROM iexec_orders_matched m
), tasks AS (
    SELECT chain_id, tx_hash, log_index, iexec_task_id(dealid, idx) AS taskid
    FROM (SELECT chain_id, tx_hash, log_index, dealid, unnest(range(least(volume, 10000)::BIGINT)) AS idx
          FROM iexec_orders_matched)
), runs AS (
    SELECT t.chain_id, t.tx_hash, t.log_index, count(*) AS volume,
           min(i.started) AS first_start,
           count(f.finished) = count(*) AS all_finished,
           max(f.finished) AS last_finish,
           sum(greatest(0.0, epoch(coalesce(f.finished, ch.safe_time)) - epoch(i.started)) / 3600.0
               ORDER BY t.taskid) AS run_hours
    FROM tasks t
    LEFT JOIN (SELECT chain_id, taskid, min(block_time) AS started FROM iexec_task_initialize GROUP BY ALL) i
           ON i.chain_id = t.chain_id AND i.taskid = t.taskid
    LEFT JOIN (SELECT chain_id, taskid, min(block_time) AS finished FROM iexec_task_finalize GROUP BY ALL) f
           ON f.chain_id = t.chain_id AND f.taskid = t.taskid
    LEFT JOIN chains ch ON ch.chain_id = t.chain_id
    GROUP BY ALL
)
SELECT m.chain_id, 'iexec' AS marketplace, m.block_number, m.block_time, m.tx_hash, m.log_index,
       m.requester AS buyer, m.workerpool AS provider,
       r.first_start AS start_time, CASE WHEN r.all_finished THEN r.last_finish END AS end_time,
       r.run_hours AS duration_hours, NOT coalesce(r.all_finished, false) AS is_open,
       'RLC' AS payment_token, m.locked::DOUBLE / 1e9 AS payment_amount, m.locked AS payment_raw,
       'payment' AS h100e_method, 'none' AS kyc
FROM matched m
LEFT JOIN runs r ON r.chain_id = m.chain_id AND r.tx_hash = m.tx_hash AND r.log_index = m.log_index;
