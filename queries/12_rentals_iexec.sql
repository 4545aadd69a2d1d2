-- name: rentals_iexec
-- purpose: one rental per iExec deal (OrdersMatched). OrdersMatched names no address: the requester is the
--          owner of the first Lock emitted before it in the same transaction (the requester's escrow), the
--          provider the workerpool of the deal's SchedulerNotice. Payment in RLC (9 decimals).
-- parameters: none
INSERT INTO rentals
WITH matched AS (
    SELECT m.*,
           (SELECT arg_min(l.owner, l.log_index) FROM iexec_lock l
             WHERE l.chain_id = m.chain_id AND l.tx_hash = m.tx_hash AND l.log_index < m.log_index) AS requester,
           (SELECT arg_min(l.amount::VARCHAR, l.log_index) FROM iexec_lock l
             WHERE l.chain_id = m.chain_id AND l.tx_hash = m.tx_hash AND l.log_index < m.log_index) AS locked,
           (SELECT min(s.workerpool) FROM iexec_scheduler_notice s
             WHERE s.chain_id = m.chain_id AND s.tx_hash = m.tx_hash AND s.dealid = m.dealid) AS workerpool
    FROM iexec_orders_matched m
)
SELECT chain_id, 'iexec', block_number, block_time, tx_hash, log_index,
       requester, workerpool,
       NULL, NULL, NULL,
       block_time, NULL, NULL, false,
       'RLC', locked::DOUBLE / 1e9, locked, NULL,
       NULL, 'payment', 'none'
FROM matched;
