-- name: values
-- purpose: values every rental in USD (payment x the token's latest price at or before its block time, no older
--          than max_price_age_hours), then turns USD into H100-equivalent hours for payment-based rentals:
--          USD / central H100-hour price (low: / the high price, high: / the low price), times the share of
--          the paid time an open rental has run (accrued_share): a payment up front is not credited before the
--          time it pays for has passed. Where GPU-hours are known, no estimate exceeds GPU-hours x the largest
--          H100e factor the GPU could be (its own for a known model, the largest in gpu_specs otherwise).
--          Workloads a marketplace declares not AI compute (marketplace_facts.unestimated_workloads) get no H100e.
-- parameters: max_price_age_hours
UPDATE rentals SET price_usd = v.usd, price_time = v.time, price_source = v.source,
                   payment_usd = rentals.payment_amount * v.usd
FROM (
    SELECT r.chain_id, r.tx_hash, r.log_index, r.marketplace, p.usd, p.time, p.source
    FROM rentals r
    ASOF JOIN prices p ON p.asset = r.payment_token AND r.block_time >= p.time
    WHERE r.payment_amount IS NOT NULL
      AND p.time >= r.block_time - to_hours(getvariable('max_price_age_hours')::BIGINT)
) v
WHERE v.chain_id = rentals.chain_id AND v.tx_hash = rentals.tx_hash AND v.log_index = rentals.log_index
  AND v.marketplace = rentals.marketplace;

UPDATE rentals SET
    h100e_hours = payment_usd * coalesce(accrued_share, 1.0)
                  / (SELECT usd_per_h100_hour FROM h100_hour_prices WHERE estimate = 'central'),
    h100e_hours_low = payment_usd * coalesce(accrued_share, 1.0)
                      / (SELECT usd_per_h100_hour FROM h100_hour_prices WHERE estimate = 'high'),
    h100e_hours_high = payment_usd * coalesce(accrued_share, 1.0)
                       / (SELECT usd_per_h100_hour FROM h100_hour_prices WHERE estimate = 'low')
WHERE h100e_method = 'payment' AND payment_usd IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM marketplace_facts f
                  WHERE f.marketplace = rentals.marketplace AND list_contains(f.unestimated_workloads, rentals.workload));

UPDATE rentals SET
    h100e_hours = least(h100e_hours, c.cap),
    h100e_hours_low = least(h100e_hours_low, c.cap),
    h100e_hours_high = least(h100e_hours_high, c.cap)
FROM (
    SELECT r.chain_id, r.tx_hash, r.log_index, r.marketplace,
           r.gpu_hours * coalesce((SELECT max(s.h100e) FROM gpu_specs s WHERE s.gpu = r.gpu_model),
                                  (SELECT max(s.h100e) FROM gpu_specs s)) AS cap
    FROM rentals r
    WHERE r.h100e_method = 'payment' AND r.gpu_hours IS NOT NULL AND r.h100e_hours IS NOT NULL
) c
WHERE c.chain_id = rentals.chain_id AND c.tx_hash = rentals.tx_hash AND c.log_index = rentals.log_index
  AND c.marketplace = rentals.marketplace;

-- Rows in one canonical order, whatever order the indexer happened to store events in. That does not make
-- floating-point sums reproducible (DuckDB adds in parallel, in a thread-dependent order): whatever sums these
-- columns for a figure casts each value to DECIMAL(38, 9) first, as entity_weekly, entities and the report do.
CREATE OR REPLACE TABLE rentals AS
SELECT * FROM rentals ORDER BY chain_id, block_number, log_index, marketplace, tx_hash;
