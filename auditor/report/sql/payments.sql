-- payments: this week's payments per chain, marketplace and token, in token units and USD where priced
-- (NULL, not 0, when no amount or price is known).
-- Sums are exact (each value cast to DECIMAL(38, 9) first), whatever the thread count or storage order.
-- params: week_start, week_end
SELECT
    r.chain_id,
    coalesce(any_value(ch.name), 'chain ' || r.chain_id) AS chain,
    coalesce(r.marketplace, 'unknown') AS marketplace,
    coalesce(r.payment_token, 'unknown') AS payment_token,
    count(*) AS rentals,
    sum(r.payment_amount::DECIMAL(38, 9)) AS payment_amount,
    sum(r.payment_usd::DECIMAL(38, 9)) AS payment_usd,
    count(*) FILTER (WHERE r.payment_usd IS NULL) AS rentals_without_usd
FROM rentals AS r
LEFT JOIN chains AS ch ON ch.chain_id = r.chain_id
WHERE r.block_time >= $week_start AND r.block_time < $week_end
GROUP BY r.chain_id, coalesce(r.marketplace, 'unknown'), coalesce(r.payment_token, 'unknown')
ORDER BY r.chain_id, marketplace, payment_token
