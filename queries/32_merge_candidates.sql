-- name: merge_candidates
-- purpose: entity pairs that loose clustering joins and strict does not, for an analyst to review, ranked by
--          behavioural similarity: the cosine of their hour-of-day activity profiles (entity_activity), which
--          separates time zones, not people, and so only orders the list. Computed on strict entities.
-- parameters: none
CREATE OR REPLACE TABLE merge_candidates AS
WITH strict_entities AS (
    SELECT DISTINCT strict_cluster_id, loose_cluster_id FROM address_clusters WHERE role = 'buyer'
),
profiles AS (
    SELECT c.strict_cluster_id AS cluster_id, a.utc_hour, sum(a.events) AS events
    FROM entity_activity a
    JOIN (SELECT DISTINCT cluster_id, strict_cluster_id FROM address_clusters) c ON c.cluster_id = a.cluster_id
    GROUP BY ALL
),
pairs AS (
    SELECT x.loose_cluster_id, x.strict_cluster_id AS cluster_a, y.strict_cluster_id AS cluster_b
    FROM strict_entities x
    JOIN strict_entities y ON y.loose_cluster_id = x.loose_cluster_id AND x.strict_cluster_id < y.strict_cluster_id
),
similarity AS (
    SELECT p.cluster_a, p.cluster_b,
           sum(pa.events * pb.events) / sqrt(any_value(na.norm) * any_value(nb.norm)) AS cosine
    FROM pairs p
    JOIN profiles pa ON pa.cluster_id = p.cluster_a
    JOIN profiles pb ON pb.cluster_id = p.cluster_b AND pb.utc_hour = pa.utc_hour
    JOIN (SELECT cluster_id, sum(events * events) AS norm FROM profiles GROUP BY 1) na ON na.cluster_id = p.cluster_a
    JOIN (SELECT cluster_id, sum(events * events) AS norm FROM profiles GROUP BY 1) nb ON nb.cluster_id = p.cluster_b
    GROUP BY ALL
)
SELECT p.loose_cluster_id, p.cluster_a, p.cluster_b, round(coalesce(s.cosine, 0), 3) AS activity_similarity,
       row_number() OVER (ORDER BY coalesce(s.cosine, 0) DESC, p.cluster_a, p.cluster_b) AS review_rank
FROM pairs p
LEFT JOIN similarity s ON s.cluster_a = p.cluster_a AND s.cluster_b = p.cluster_b
ORDER BY review_rank;
