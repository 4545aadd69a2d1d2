-- rentals: this week's rentals, one row per rental event, with the entity each is attributed to.
-- params: week_start, week_end
SELECT
    r.chain_id,
    r.marketplace,
    r.block_number,
    strftime(r.block_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS block_time,
    r.tx_hash,
    r.log_index,
    r.buyer,
    e.cluster_id,
    r.provider,
    r.gpu_model,
    r.gpu_model_raw,
    r.gpu_count,
    strftime(r.start_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS start_time,
    strftime(r.end_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS end_time,
    r.duration_hours,
    r.is_open,
    r.payment_token,
    r.payment_amount,
    r.payment_raw,
    r.payment_usd,
    r.h100e_hours,
    r.h100e_method,
    r.kyc
FROM rentals AS r
LEFT JOIN address_entities AS e ON e.address = r.buyer
WHERE r.block_time >= $week_start AND r.block_time < $week_end
ORDER BY r.block_time, r.chain_id, r.block_number, r.log_index, r.tx_hash
