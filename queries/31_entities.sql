-- name: entities
-- purpose: one row per entity that rents: its addresses, the funders and hubs its evidence names, the
--          heuristics that merged it, its marketplaces, rentals, USD and H100-equivalent hours, and its
--          estimated home UTC offset. The offset is behavioural (the quietest 8 hours of the day are taken as
--          23:00-07:00 local time) and is used to rank merge candidates, never to merge: entity_activity holds
--          the hour-of-day profile. The activity is what the buyers send themselves: the rentals of marketplaces
--          where the buyer sends the transaction (marketplace_facts.buyer_sends) and the buyers' outbound token
--          transfers. An offset needs at least 40 events.
-- parameters: clustering
CREATE OR REPLACE TABLE entity_activity AS
WITH acts AS (
    SELECT c.cluster_id, r.block_time
    FROM rentals r JOIN address_clusters c ON c.address = r.buyer
    JOIN marketplace_facts f ON f.marketplace = r.marketplace AND f.buyer_sends
    UNION ALL
    SELECT c.cluster_id, t.block_time
    FROM token_transfer t JOIN address_clusters c ON c.address = t."from" AND c.role = 'buyer'
)
SELECT cluster_id, extract(hour FROM timezone('UTC', block_time))::INTEGER AS utc_hour, count(*) AS events
FROM acts WHERE block_time IS NOT NULL
GROUP BY ALL ORDER BY cluster_id, utc_hour;

CREATE OR REPLACE TABLE entities AS
WITH quiet AS (
    SELECT a.cluster_id, s.start,
           sum(CASE WHEN (a.utc_hour - s.start + 24) % 24 < 8 THEN a.events ELSE 0 END) AS quiet,
           sum(a.events) AS total
    FROM entity_activity a CROSS JOIN (SELECT range AS start FROM range(24)) s
    GROUP BY ALL
),
offsets AS (
    SELECT cluster_id, arg_min(start, quiet * 24 + start) AS start, min(quiet) AS quiet, max(total) AS total
    FROM quiet GROUP BY cluster_id
),
members AS (
    SELECT cluster_id,
           list(address ORDER BY address) FILTER (WHERE role = 'buyer') AS buyers,
           list(address ORDER BY address) FILTER (WHERE role <> 'buyer') AS linked,
           count(*) AS addresses, any_value(flag) AS flag
    FROM address_clusters GROUP BY cluster_id
),
evidence AS (
    SELECT c.cluster_id, list(DISTINCT e.heuristic ORDER BY e.heuristic) AS heuristics, count(*) AS evidence_rows,
           list(DISTINCT e.address_b ORDER BY e.address_b) FILTER (WHERE e.heuristic = 'common_first_funder')
               AS funders
    FROM cluster_evidence e JOIN address_clusters c ON c.address = e.address_a
    JOIN address_clusters d ON d.address = e.address_b AND d.cluster_id = c.cluster_id
    GROUP BY c.cluster_id
),
usage AS (
    SELECT c.cluster_id, list(DISTINCT r.marketplace ORDER BY r.marketplace) AS marketplaces,
           list(DISTINCT r.chain_id ORDER BY r.chain_id) AS chains, count(*) AS rentals,
           min(r.block_time) AS first_rental, max(r.block_time) AS last_rental,
           sum(r.payment_usd::DECIMAL(38, 9)) AS payment_usd,
           sum(r.h100e_hours::DECIMAL(38, 9)) AS h100e_hours,
           sum(r.h100e_hours_low::DECIMAL(38, 9)) AS h100e_hours_low,
           sum(r.h100e_hours_high::DECIMAL(38, 9)) AS h100e_hours_high
    FROM rentals r JOIN address_clusters c ON c.address = r.buyer
    GROUP BY c.cluster_id
)
SELECT u.cluster_id, getvariable('clustering') AS mode, m.addresses, len(m.buyers) AS buyer_count, m.buyers,
       coalesce(m.linked, []) AS linked, coalesce(ev.funders, []) AS funders,
       coalesce(ev.heuristics, []) AS heuristics, coalesce(ev.evidence_rows, 0) AS evidence_rows,
       u.marketplaces, u.chains, u.rentals, u.first_rental, u.last_rental, u.payment_usd, u.h100e_hours,
       u.h100e_hours_low, u.h100e_hours_high,
       CASE WHEN o.total >= 40 THEN ((23 - o.start + 35) % 24) - 11 END AS utc_offset,
       o.total AS activity_events, round(o.quiet / o.total, 3) AS quiet_share, m.flag
FROM usage u
JOIN members m ON m.cluster_id = u.cluster_id
LEFT JOIN evidence ev ON ev.cluster_id = u.cluster_id
LEFT JOIN offsets o ON o.cluster_id = u.cluster_id
ORDER BY u.h100e_hours DESC NULLS LAST, u.cluster_id;
