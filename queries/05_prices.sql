-- name: prices
-- purpose: USD prices per token symbol over time: Chainlink answers indexed on-chain (every phase aggregator of
--          each feed), then prices users imported (`auditor prices import`). A feed wins over an import at the
--          same instant. Payments take the latest price at or before their block time. An answer above
--          max_usd_price (imports refuse one) is a broken or hostile feed and is left out.
-- parameters: max_usd_price
CREATE OR REPLACE TABLE prices AS
WITH feed AS (
    SELECT f.asset, to_timestamp(a.updatedAt::BIGINT) AS time, a."current"::DOUBLE / 10 ** f.decimals AS usd,
           'chainlink ' || f.proxy AS source, 0 AS preference
    FROM chainlink_answer_updated a
    JOIN price_feeds f ON f.chain_id = a.chain_id AND f.aggregator = a.contract
    WHERE a."current" > 0 AND a."current"::DOUBLE / 10 ** f.decimals <= getvariable('max_usd_price')::DOUBLE
), imported AS (
    SELECT asset, time, usd, 'import ' || source AS source, 1 AS preference FROM price_imports
)
SELECT asset, time, usd, source
FROM (SELECT * FROM feed UNION ALL SELECT * FROM imported)
QUALIFY row_number() OVER (PARTITION BY asset, time ORDER BY preference, source, usd) = 1
ORDER BY asset, time;
