-- analysis_check: compares the analysis' entity_weekly totals for the week with the rentals table,
-- so a report built on a stale analysis says so.
-- Sums are exact (each value cast to DECIMAL(38, 9) first), whatever the thread count or storage order.
-- params: week_monday (DATE); week_start, week_end (TIMESTAMPTZ)
WITH weekly AS (
    SELECT coalesce(sum(rentals), 0) AS rentals, coalesce(sum(h100e_hours::DECIMAL(38, 9)), 0) AS h100e_hours
    FROM entity_weekly
    WHERE week_start = $week_monday
), direct AS (
    SELECT
        count(*) AS rentals,
        coalesce(sum(r.h100e_hours::DECIMAL(38, 9)), 0) AS h100e_hours,
        count(DISTINCT r.buyer) FILTER (WHERE NOT e.clustered) AS unclustered_buyers
    FROM rentals AS r
    LEFT JOIN address_entities AS e ON e.address = r.buyer
    WHERE r.block_time >= $week_start AND r.block_time < $week_end
)
SELECT
    weekly.rentals AS entity_weekly_rentals,
    direct.rentals AS rentals,
    weekly.h100e_hours AS entity_weekly_h100e_hours,
    direct.h100e_hours AS h100e_hours,
    weekly.rentals = direct.rentals
        AND abs(weekly.h100e_hours - direct.h100e_hours) <= 1e-6 * greatest(1, direct.h100e_hours) AS consistent,
    direct.unclustered_buyers
FROM weekly, direct
