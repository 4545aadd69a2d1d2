-- open_leases: leases with no end yet, started this week and in all weeks up to its end, per marketplace.
-- params: week_start, week_end
SELECT
    coalesce(marketplace, 'unknown') AS marketplace,
    count(*) FILTER (WHERE block_time >= $week_start) AS open_this_week,
    count(*) AS open_until_week_end,
    strftime(min(start_time) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS oldest_start
FROM rentals
WHERE is_open AND block_time < $week_end
GROUP BY ALL
ORDER BY open_until_week_end DESC, marketplace
