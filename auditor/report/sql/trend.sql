-- trend: H100e-hours rented without KYC per ISO week over the trailing window, the headline's measure week by
-- week (zero rows for quiet weeks), for the first screen's trend line and sparkline.
-- Sums are exact (each value cast to DECIMAL(38, 9) first).
-- params: series_monday, week_monday (DATE); series_start, week_end (TIMESTAMPTZ)
WITH weeks AS (
    SELECT CAST(unnest(generate_series($series_monday::DATE, $week_monday::DATE, INTERVAL 7 DAY)) AS DATE)
        AS week_start
), counted AS (
    SELECT
        CAST(date_trunc('week', block_time AT TIME ZONE 'UTC') AS DATE) AS week_start,
        sum(h100e_hours::DECIMAL(38, 9)) AS h100e_hours_no_kyc,
        count(*) AS rentals
    FROM rentals
    WHERE block_time >= $series_start AND block_time < $week_end AND kyc = 'none'
    GROUP BY ALL
)
SELECT
    strftime(w.week_start, '%G-W%V') AS week,
    coalesce(c.h100e_hours_no_kyc, 0) AS h100e_hours_no_kyc,
    coalesce(c.rentals, 0) AS rentals
FROM weeks AS w
LEFT JOIN counted AS c ON c.week_start = w.week_start
ORDER BY w.week_start
