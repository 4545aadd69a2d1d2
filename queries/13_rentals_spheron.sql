-- name: rentals_spheron
-- purpose: one rental per Spheron lease. GPU model and count come from the order's specs (spheron_gpu());
--          hours run from the lease's startTime to its LeaseClosed endTime, or for open leases to the time of
--          the chain's last indexed (safe) block. H100e-hours = hours x GPU count x the GPU's h100e_bf16.
-- parameters: none
INSERT INTO rentals
WITH orders AS (
    SELECT chain_id, orderId, token, spheron_gpu(specs) AS g
    FROM spheron_order_created
    QUALIFY row_number() OVER (PARTITION BY chain_id, orderId ORDER BY block_number, log_index) = 1
), closes AS (
    SELECT chain_id, leaseId, min(endTime) AS end_ts
    FROM spheron_lease_closed GROUP BY chain_id, leaseId
), leases AS (
    SELECT l.*, o.token, o.g.model AS model_raw, o.g.count AS gpu_count,
           to_timestamp(l.startTime) AS start_ts,
           to_timestamp(c.end_ts) AS end_ts,
           coalesce(to_timestamp(c.end_ts), ch.safe_time) AS until_ts
    FROM spheron_lease_created l
    LEFT JOIN orders o ON o.chain_id = l.chain_id AND o.orderId = l.requestId
    LEFT JOIN closes c ON c.chain_id = l.chain_id AND c.leaseId = l.leaseId
    LEFT JOIN chains ch ON ch.chain_id = l.chain_id
), hours AS (
    SELECT leases.*,
           greatest(0.0, epoch(until_ts) - epoch(start_ts)) / 3600.0 AS duration_hours,
           a.gpu AS gpu_model
    FROM leases
    LEFT JOIN gpu_aliases a ON a.alias_key = lower(regexp_replace(model_raw, '[^A-Za-z0-9]', '', 'g'))
)
SELECT h.chain_id, 'spheron', h.block_number, h.block_time, h.tx_hash, h.log_index,
       h.tenantAddress, h.providerAddress,
       h.gpu_model, h.model_raw, h.gpu_count,
       h.start_ts, h.end_ts, h.duration_hours, h.end_ts IS NULL,
       h.token, NULL, h.acceptedPrice::VARCHAR, NULL,
       h.duration_hours * h.gpu_count * s.h100e_bf16, 'duration', 'none'
FROM hours h
LEFT JOIN gpu_specs s ON s.gpu = h.gpu_model;
