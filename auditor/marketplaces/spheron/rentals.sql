-- name: rentals_spheron
-- purpose: one rental per Spheron lease. GPU model and count come from the order's specs (spheron_gpu());
--          hours run from the lease's startTime to its LeaseClosed endTime, or for open leases to the time of
--          the chain's last indexed (safe) block. H100e-hours = hours x GPU count x the GPU's h100e; low
--          and high take the weakest and strongest part the GPU name may mean (a bare 'h100': PCIe or SXM).
-- parameters: none
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
           greatest(0.0, epoch(until_ts) - epoch(start_ts)) / 3600.0 AS hours,
           g.gpu AS gpu, g.h100e, g.h100e_low, g.h100e_high
    FROM leases
    LEFT JOIN gpu_lookup g ON g.alias_key = lower(regexp_replace(model_raw, '[^A-Za-z0-9]', '', 'g'))
)
SELECT hours.chain_id, block_number, block_time, tx_hash, log_index,
       tenantAddress AS buyer, providerAddress AS provider,
       gpu AS gpu_model, model_raw AS gpu_model_raw, gpu_count,
       start_ts AS start_time, end_ts AS end_time, hours AS duration_hours, end_ts IS NULL AS is_open,
       coalesce(tk.symbol, hours.token) AS payment_token, acceptedPrice::VARCHAR AS payment_raw,
       hours * gpu_count AS gpu_hours,
       hours * gpu_count * h100e AS h100e_hours,
       hours * gpu_count * h100e_low AS h100e_hours_low,
       hours * gpu_count * h100e_high AS h100e_hours_high
FROM hours
LEFT JOIN tokens tk ON tk.chain_id = hours.chain_id AND tk.address = hours.token;
