-- by_gpu: this week's rentals per GPU model with its export-control class; NULL models become 'unknown'.
-- Sums are exact (each value cast to DECIMAL(38, 9) first); H100e-hours are NULL where no rental has an estimate.
-- params: week_start, week_end
WITH specs AS (
    SELECT DISTINCT ON (gpu) gpu, vendor, market_class, eccn_oct2023, h100e
    FROM gpu_specs
    ORDER BY gpu, source
), grouped AS (
    SELECT
        coalesce(r.gpu_model, 'unknown') AS gpu,
        any_value(s.vendor) AS vendor,
        any_value(s.market_class) AS market_class,
        CASE WHEN r.gpu_model IS NULL THEN 'unknown'
             ELSE coalesce(any_value(s.eccn_oct2023), 'not listed') END AS eccn_oct2023,
        any_value(s.h100e) AS h100e_per_gpu,
        count(*) AS rentals,
        coalesce(sum(r.gpu_count), 0) AS gpus,
        sum((r.duration_hours * r.gpu_count)::DECIMAL(38, 9)) AS gpu_hours,
        sum(r.h100e_hours::DECIMAL(38, 9)) AS h100e_hours,
        count(*) FILTER (WHERE r.h100e_hours IS NULL) AS rentals_without_estimate,
        r.gpu_model IS NULL AS is_unknown
    FROM rentals AS r
    LEFT JOIN specs AS s ON s.gpu = r.gpu_model
    WHERE r.block_time >= $week_start AND r.block_time < $week_end
    GROUP BY r.gpu_model
)
SELECT * EXCLUDE (is_unknown) FROM grouped
ORDER BY is_unknown, h100e_hours DESC NULLS LAST, rentals DESC, gpu
