-- weekly_series: rentals and H100e-hours per ISO week and marketplace over the trailing window,
-- with explicit zero rows so charts and CSV show quiet weeks.
-- Sums are exact (each value cast to DECIMAL(38, 9) first); H100e-hours are NULL where no rental has an estimate.
-- params: series_monday, week_monday (DATE); series_start, week_end (TIMESTAMPTZ)
WITH weeks AS (
    SELECT CAST(unnest(generate_series($series_monday::DATE, $week_monday::DATE, INTERVAL 7 DAY)) AS DATE)
        AS week_start
), windowed AS (
    SELECT
        CAST(date_trunc('week', block_time AT TIME ZONE 'UTC') AS DATE) AS week_start,
        coalesce(marketplace, 'unknown') AS marketplace,
        h100e_hours
    FROM rentals
    WHERE block_time >= $series_start AND block_time < $week_end
), markets AS (
    SELECT DISTINCT marketplace FROM windowed
), counted AS (
    SELECT
        week_start,
        marketplace,
        count(*) AS rentals,
        sum(h100e_hours::DECIMAL(38, 9)) AS h100e_hours,
        count(*) FILTER (WHERE h100e_hours IS NULL) AS rentals_without_estimate
    FROM windowed
    GROUP BY ALL
)
SELECT
    strftime(w.week_start, '%G-W%V') AS week,
    w.week_start,
    m.marketplace,
    coalesce(c.rentals, 0) AS rentals,
    CASE WHEN c.week_start IS NULL THEN 0 ELSE c.h100e_hours END AS h100e_hours,  -- NULL: none estimated
    coalesce(c.rentals_without_estimate, 0) AS rentals_without_estimate
FROM weeks AS w
CROSS JOIN markets AS m
LEFT JOIN counted AS c ON c.week_start = w.week_start AND c.marketplace = m.marketplace
ORDER BY w.week_start, m.marketplace
