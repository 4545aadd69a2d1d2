-- prices_used: this week's payments per token: how many got a USD value, from which price sources, at what
-- prices. A payment without a price is counted here and left unvalued everywhere else.
-- Sums are exact (each value cast to DECIMAL(38, 9) first), whatever the thread count or storage order.
-- params: week_start, week_end
SELECT
    coalesce(payment_token, 'none') AS token,
    count(*) AS rentals,
    count(*) FILTER (WHERE payment_amount IS NOT NULL) AS with_amount,
    count(payment_usd) AS priced,
    coalesce(string_agg(DISTINCT price_source, '; ' ORDER BY price_source), '-') AS price_sources,
    min(price_usd) AS min_price_usd,
    max(price_usd) AS max_price_usd,
    sum(payment_usd::DECIMAL(38, 9)) AS payment_usd
FROM rentals
WHERE block_time >= $week_start AND block_time < $week_end
GROUP BY ALL
ORDER BY token
