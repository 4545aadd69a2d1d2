-- rental_flags: rentals too large to be true, run right after 19_values. One order can claim any GPU count,
-- lease length or payment; such a rental is kept (it happened on-chain, and its buyer is still an entity) but
-- flagged with the reason, and its gpu_hours, payment_usd and H100e-hours are withheld (NULL), so no sum,
-- headline or entity ranking takes it. rental_flags keeps one row per rental and reason with the value, the limit
-- and the figures withheld; the report lists them. Reasons:
--   gpu_count  more GPUs than max_gpus_per_rental
--   duration   longer than max_rental_days
--   payment    USD paid buys, at the cheapest H100-hour, more than max_gpus_per_rental of the strongest GPU for
--              max_rental_days (or is not a finite number)
-- parameters: max_gpus_per_rental, max_rental_days
CREATE OR REPLACE TABLE rental_flags AS
WITH limits AS (
    SELECT getvariable('max_gpus_per_rental')::BIGINT AS max_gpus,
           getvariable('max_rental_days')::BIGINT * 24.0 AS max_hours,
           (SELECT max(h100e) FROM gpu_specs) AS top_h100e,
           (SELECT usd_per_h100_hour FROM h100_hour_prices WHERE estimate = 'low') AS cheapest_usd
), checks AS (
    SELECT r.chain_id, r.marketplace, r.block_number, r.block_time, r.tx_hash, r.log_index,
           unnest([
               {'reason': 'gpu_count', 'value': r.gpu_count::DOUBLE, 'limit_value': l.max_gpus::DOUBLE,
                'hit': r.gpu_count > l.max_gpus},
               {'reason': 'duration', 'value': r.duration_hours / 24.0, 'limit_value': l.max_hours / 24.0,
                'hit': r.duration_hours > l.max_hours},
               {'reason': 'payment', 'value': r.payment_usd, 'limit_value': l.max_gpus * l.max_hours * l.top_h100e
                                                                            * l.cheapest_usd,
                'hit': isinf(r.payment_usd) OR isnan(r.payment_usd)
                       OR r.payment_usd > l.max_gpus * l.max_hours * l.top_h100e * l.cheapest_usd}
           ]) AS c,
           r.h100e_hours AS withheld_h100e_hours, r.payment_usd AS withheld_payment_usd
    FROM rentals r, limits l
)
SELECT chain_id, marketplace, block_number, block_time, tx_hash, log_index, c.reason AS reason,
       c.value AS value, c.limit_value AS limit_value, withheld_h100e_hours, withheld_payment_usd
FROM checks
WHERE c.hit
ORDER BY chain_id, block_number, log_index, marketplace, tx_hash, reason;

UPDATE rentals SET quality_flag = f.reasons, gpu_hours = NULL, payment_usd = NULL,
                   h100e_hours = NULL, h100e_hours_low = NULL, h100e_hours_high = NULL
FROM (
    SELECT chain_id, tx_hash, log_index, marketplace, string_agg(reason, ', ' ORDER BY reason) AS reasons
    FROM rental_flags GROUP BY ALL
) f
WHERE f.chain_id = rentals.chain_id AND f.tx_hash = rentals.tx_hash AND f.log_index = rentals.log_index
  AND f.marketplace = rentals.marketplace;
