-- missing_estimates: this week's rentals without an H100e estimate, per marketplace, with the facts that
-- usually explain it (unknown GPU, lease still open, no USD price, video transcoding or a CPU task rather than AI GPU work). Reported so nothing is dropped silently.
-- params: week_start, week_end
SELECT
    coalesce(marketplace, 'unknown') AS marketplace,
    count(*) FILTER (WHERE h100e_hours IS NULL) AS rentals_without_estimate,
    count(*) AS rentals,
    count(*) FILTER (WHERE h100e_hours IS NULL AND gpu_model IS NULL) AS unknown_gpu,
    count(*) FILTER (WHERE h100e_hours IS NULL AND is_open) AS open_leases,
    count(*) FILTER (WHERE h100e_hours IS NULL AND payment_usd IS NULL) AS no_usd_price,
    count(*) FILTER (WHERE h100e_hours IS NULL AND workload IN ('transcoding', 'cpu')) AS not_gpu_work
FROM rentals
WHERE block_time >= $week_start AND block_time < $week_end
GROUP BY ALL
HAVING count(*) FILTER (WHERE h100e_hours IS NULL) > 0
ORDER BY rentals_without_estimate DESC, marketplace
