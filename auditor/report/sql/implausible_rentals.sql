-- implausible_rentals: this week's rentals the analysis flagged as too large to be true (rental_flags, made by
-- queries/steps/rental_flags.sql), one row per rental and reason. They count as rentals but are left out of
-- every H100e-hours and USD figure; `flagged_value` and `limit_value` are GPUs, days or USD as the reason says.
-- params: week_start, week_end
SELECT
    f.marketplace,
    strftime(f.block_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS block_time,
    f.tx_hash,
    r.buyer,
    r.gpu_model_raw,
    f.reason,
    f.value AS flagged_value,
    f.limit_value,
    f.withheld_h100e_hours,
    f.withheld_payment_usd
FROM rental_flags AS f
LEFT JOIN rentals AS r
    ON r.chain_id = f.chain_id AND r.tx_hash = f.tx_hash AND r.log_index = f.log_index
   AND r.marketplace = f.marketplace
WHERE f.block_time >= $week_start AND f.block_time < $week_end
ORDER BY f.block_time, f.chain_id, f.block_number, f.log_index, f.tx_hash, f.reason
