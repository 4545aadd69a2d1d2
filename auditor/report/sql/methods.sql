-- methods: how this week's H100e-hours were estimated, per method.
-- Sums are exact (each value cast to DECIMAL(38, 9) first); H100e-hours are NULL where no rental has an estimate.
-- params: week_start, week_end
WITH labelled AS (
    SELECT
        CASE WHEN h100e_hours IS NULL THEN 'not estimated' ELSE coalesce(h100e_method, 'unspecified') END
            AS method,
        h100e_hours
    FROM rentals
    WHERE block_time >= $week_start AND block_time < $week_end
)
SELECT method, count(*) AS rentals, sum(h100e_hours::DECIMAL(38, 9)) AS h100e_hours
FROM labelled
GROUP BY method
ORDER BY method = 'not estimated', method
