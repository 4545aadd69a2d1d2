-- unknown_gpu: this week's rentals without a known GPU model, by marketplace and the GPU string posted
-- on-chain, if any.
-- params: week_start, week_end
SELECT
    coalesce(marketplace, 'unknown') AS marketplace,
    CASE WHEN coalesce(gpu_model_raw, '') = '' THEN '(none on-chain)' ELSE gpu_model_raw END AS gpu_model_raw,
    count(*) AS rentals,
    coalesce(sum(gpu_count), 0) AS gpus,
    count(*) FILTER (WHERE h100e_hours IS NULL) AS rentals_without_estimate
FROM rentals
WHERE block_time >= $week_start AND block_time < $week_end AND gpu_model IS NULL
GROUP BY ALL
ORDER BY rentals DESC, marketplace, gpu_model_raw
