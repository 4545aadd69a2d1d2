-- by_eccn: this week's rentals per export-control class (ECCN as of the October 2023 rules).
-- Sums are exact (each value cast to DECIMAL(38, 9) first); H100e-hours are NULL where no rental has an estimate.
-- params: week_start, week_end
WITH specs AS (
    SELECT DISTINCT ON (gpu) gpu, eccn_oct2023
    FROM gpu_specs
    ORDER BY gpu, source
), classed AS (
    SELECT
        r.*,
        CASE WHEN r.gpu_model IS NULL THEN 'unknown' ELSE coalesce(s.eccn_oct2023, 'not listed') END AS eccn
    FROM rentals AS r
    LEFT JOIN specs AS s ON s.gpu = r.gpu_model
    WHERE r.block_time >= $week_start AND r.block_time < $week_end
), grouped AS (
    SELECT
        eccn AS eccn_oct2023,
        coalesce(string_agg(DISTINCT gpu_model, ', ' ORDER BY gpu_model), '') AS gpu_models,
        count(*) AS rentals,
        sum(h100e_hours::DECIMAL(38, 9)) AS h100e_hours,
        count(*) FILTER (WHERE h100e_hours IS NULL) AS rentals_without_estimate
    FROM classed
    GROUP BY eccn
)
SELECT * FROM grouped
ORDER BY eccn_oct2023 = 'unknown', h100e_hours DESC NULLS LAST, rentals DESC, eccn_oct2023
