-- name: rentals_iexec
-- purpose: one rental per iExec deal (OrdersMatched). OrdersMatched names no address: the buyer is the deal's
--          requester from viewDeal, else the owner of the deal's first Lock (the payer's escrow, emitted after
--          the transaction's previous OrdersMatched and before this one; with sponsorMatchOrders that is the
--          sponsor, who pays for the requester, and a sponsor such as a voucher contract must not become every
--          requester's buyer), the provider the workerpool of the deal's SchedulerNotice. Payment in
--          RLC (9 decimals). viewDeal (iexec_deals) gives the tag (bit 8 = GPU: workload gpu or cpu) and the
--          category, whose reference time x 10 is a task's deadline. Task ids are keccak256(dealid, index) for
--          index < volume. The deal runs from its first TaskInitialize to its last TaskFinalize (duration_hours
--          is that span, wall-clock, not summed over tasks); an unfinished task runs to the chain's last indexed
--          block, never past its deadline. The payment is locked for all tasks up front: an open deal has
--          earned, per task, all of it once finalized, else the share of its time to the deadline elapsed
--          (accrued_share, the mean over the deal's tasks; 0 for a task not started).
-- parameters: none
WITH categories AS (
    -- workClockTimeRef per category, PoCo config/config.json: XS, S, M, L, XL
    SELECT * FROM (VALUES (0, 300), (1, 1200), (2, 3600), (3, 10800), (4, 36000)) AS t(category, ref_seconds)
), deals AS (
    SELECT d.*, d.start_time + to_seconds(10 * c.ref_seconds) AS deadline,
           CASE WHEN d.status <> 'found' THEN NULL
                WHEN get_bit(from_hex(substr(d.tag, 3))::BIT, 247) = 1 THEN 'gpu' ELSE 'cpu' END AS workload
    FROM iexec_deals d LEFT JOIN categories c ON c.category = d.category
), segments AS (
    -- A transaction may match several deals (a batch contract calling matchOrders in turn): each deal's Locks
    -- are the ones after the previous OrdersMatched of its transaction (PoCo IexecPoco1Facet.matchOrders:
    -- lock(payer) first, then the workerpool owner's stake, then SchedulerNotice and OrdersMatched).
    SELECT *, coalesce(lag(log_index) OVER (PARTITION BY chain_id, tx_hash ORDER BY log_index), -1) AS after
    FROM iexec_orders_matched
), matched AS (
    SELECT m.*,
           (SELECT arg_min(l.owner, l.log_index) FROM iexec_lock l
             WHERE l.chain_id = m.chain_id AND l.tx_hash = m.tx_hash
               AND l.log_index > m.after AND l.log_index < m.log_index) AS requester,
           (SELECT arg_min(l.amount::VARCHAR, l.log_index) FROM iexec_lock l
             WHERE l.chain_id = m.chain_id AND l.tx_hash = m.tx_hash
               AND l.log_index > m.after AND l.log_index < m.log_index) AS locked,
           (SELECT min(s.workerpool) FROM iexec_scheduler_notice s
             WHERE s.chain_id = m.chain_id AND s.tx_hash = m.tx_hash AND s.dealid = m.dealid) AS workerpool
    FROM segments m
), tasks AS (
    SELECT chain_id, tx_hash, log_index, dealid, iexec_task_id(dealid, idx) AS taskid
    FROM (SELECT chain_id, tx_hash, log_index, dealid, unnest(range(least(volume, 10000)::BIGINT)) AS idx
          FROM iexec_orders_matched)
), runs AS (
    SELECT t.chain_id, t.tx_hash, t.log_index, count(*) AS volume,
           min(i.started) AS first_start,
           count(f.finished) = count(*) AS all_finished,
           max(CASE WHEN f.finished IS NOT NULL THEN f.finished
                    WHEN i.started IS NOT NULL THEN least(ch.safe_time, d.deadline) END) AS last_until,
           avg(CASE WHEN f.finished IS NOT NULL THEN 1.0
                    WHEN i.started IS NULL THEN 0.0
                    WHEN d.deadline IS NULL OR d.deadline <= i.started THEN 1.0
                    ELSE least(1.0, greatest(0.0, epoch(least(ch.safe_time, d.deadline)) - epoch(i.started))
                                    / (epoch(d.deadline) - epoch(i.started))) END
               ORDER BY t.taskid) AS task_share
    FROM tasks t
    LEFT JOIN (SELECT chain_id, taskid, min(block_time) AS started FROM iexec_task_initialize GROUP BY ALL) i
           ON i.chain_id = t.chain_id AND i.taskid = t.taskid
    LEFT JOIN (SELECT chain_id, taskid, min(block_time) AS finished FROM iexec_task_finalize GROUP BY ALL) f
           ON f.chain_id = t.chain_id AND f.taskid = t.taskid
    LEFT JOIN deals d ON d.chain_id = t.chain_id AND d.dealid = t.dealid
    LEFT JOIN chains ch ON ch.chain_id = t.chain_id
    GROUP BY ALL
)
SELECT m.chain_id, m.block_number, m.block_time, m.tx_hash, m.log_index,
       coalesce(d.requester, m.requester) AS buyer, coalesce(m.workerpool, d.workerpool) AS provider,
       r.first_start AS start_time, CASE WHEN r.all_finished THEN r.last_until END AS end_time,
       greatest(0.0, coalesce(epoch(r.last_until) - epoch(r.first_start), 0.0)) / 3600.0 AS duration_hours,
       NOT coalesce(r.all_finished, false) AS is_open,
       CASE WHEN NOT coalesce(r.all_finished, false) THEN coalesce(r.task_share, 0.0) END AS accrued_share,
       token_amount(m.locked) AS payment_amount, m.locked AS payment_raw, d.workload
FROM matched m
LEFT JOIN runs r ON r.chain_id = m.chain_id AND r.tx_hash = m.tx_hash AND r.log_index = m.log_index
LEFT JOIN deals d ON d.chain_id = m.chain_id AND d.dealid = m.dealid;
