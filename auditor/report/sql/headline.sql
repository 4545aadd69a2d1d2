-- headline: this week's totals beside the previous week's, the change, and how fresh the data is.
-- Sums are exact (each value cast to DECIMAL(38, 9) first), whatever the thread count or storage order.
-- params: week_start, week_end, prev_start (TIMESTAMPTZ instants, half-open [start, end)),
--         week_label, week_monday, week_sunday, prev_label (for display only),
--         week_complete, missing_data (from the marketplace sources' coverage, computed in completeness.py)
-- Each buyer's entity is its row of address_entities (a buyer the clustering left out is an entity of its own).
WITH two_weeks AS (
    SELECT r.*, e.cluster_id AS entity, r.block_time >= $week_start AS this_week
    FROM rentals AS r
    LEFT JOIN address_entities AS e ON e.address = r.buyer
    WHERE r.block_time >= $prev_start AND r.block_time < $week_end
), totals AS (
    SELECT
        coalesce(sum(h100e_hours::DECIMAL(38, 9)) FILTER (WHERE this_week AND kyc = 'none'), 0) AS h100e_hours_no_kyc,
        coalesce(sum(h100e_hours_low::DECIMAL(38, 9)) FILTER (WHERE this_week AND kyc = 'none'), 0) AS h100e_hours_no_kyc_low,
        coalesce(sum(h100e_hours_high::DECIMAL(38, 9)) FILTER (WHERE this_week AND kyc = 'none'), 0) AS h100e_hours_no_kyc_high,
        count(*) FILTER (WHERE this_week) AS rentals,
        count(DISTINCT buyer) FILTER (WHERE this_week) AS buyers,
        count(DISTINCT entity) FILTER (WHERE this_week) AS entities,
        coalesce(sum(h100e_hours::DECIMAL(38, 9)) FILTER (WHERE NOT this_week AND kyc = 'none'), 0) AS prev_h100e_hours_no_kyc,
        count(*) FILTER (WHERE NOT this_week) AS prev_rentals,
        count(DISTINCT buyer) FILTER (WHERE NOT this_week) AS prev_buyers,
        count(DISTINCT entity) FILTER (WHERE NOT this_week) AS prev_entities,
        count(*) FILTER (WHERE this_week AND h100e_hours IS NULL) AS rentals_without_estimate,
        count(*) FILTER (WHERE this_week AND kyc IS DISTINCT FROM 'none') AS rentals_kyc_other,
        coalesce(sum(h100e_hours::DECIMAL(38, 9)) FILTER (WHERE this_week AND kyc IS DISTINCT FROM 'none'), 0)
            AS h100e_hours_kyc_other,
        sum(payment_usd::DECIMAL(38, 9)) FILTER (WHERE this_week) AS payment_usd,
        count(*) FILTER (WHERE this_week AND payment_usd IS NULL) AS rentals_without_usd,
        count(*) FILTER (WHERE this_week AND payment_amount IS NULL) AS rentals_without_amount,
        count(*) FILTER (WHERE this_week AND is_open) AS open_leases,
        count(*) FILTER (WHERE this_week AND gpu_model IS NULL) AS rentals_unknown_gpu
    FROM two_weeks
)
SELECT
    $week_label AS week,
    $week_monday AS week_start,
    $week_sunday AS week_end,
    $prev_label AS previous_week,
    (SELECT strftime(max(block_time) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') FROM rentals) AS data_as_of,
    $week_complete AS week_complete,
    $missing_data AS missing_data,
    t.h100e_hours_no_kyc,
    t.h100e_hours_no_kyc_low,
    t.h100e_hours_no_kyc_high,
    t.prev_h100e_hours_no_kyc,
    t.h100e_hours_no_kyc - t.prev_h100e_hours_no_kyc AS change_h100e_hours_no_kyc,
    CASE WHEN t.prev_h100e_hours_no_kyc = 0 THEN NULL
         ELSE 100 * (t.h100e_hours_no_kyc - t.prev_h100e_hours_no_kyc) / t.prev_h100e_hours_no_kyc
    END AS change_pct_h100e_hours_no_kyc,
    t.rentals,
    t.prev_rentals,
    t.rentals - t.prev_rentals AS change_rentals,
    CASE WHEN t.prev_rentals = 0 THEN NULL ELSE 100 * (t.rentals - t.prev_rentals) / t.prev_rentals END
        AS change_pct_rentals,
    t.buyers,
    t.prev_buyers,
    t.buyers - t.prev_buyers AS change_buyers,
    CASE WHEN t.prev_buyers = 0 THEN NULL ELSE 100 * (t.buyers - t.prev_buyers) / t.prev_buyers END
        AS change_pct_buyers,
    t.entities,
    t.prev_entities,
    t.entities - t.prev_entities AS change_entities,
    CASE WHEN t.prev_entities = 0 THEN NULL ELSE 100 * (t.entities - t.prev_entities) / t.prev_entities END
        AS change_pct_entities,
    t.rentals_without_estimate,
    CASE WHEN t.rentals = 0 THEN NULL ELSE 100 * t.rentals_without_estimate / t.rentals END
        AS pct_rentals_without_estimate,
    t.rentals_unknown_gpu,
    t.open_leases,
    t.rentals_kyc_other,
    t.h100e_hours_kyc_other,
    t.payment_usd,
    t.rentals_without_usd,
    t.rentals_without_amount
FROM totals AS t
