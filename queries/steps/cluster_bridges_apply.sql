-- cluster_bridges_apply: a funder (or collector, getvariable('bridge_role')) whose funded (or paying) addresses
-- fall into two or more groups that other evidence links, its own group aside, serves unrelated customers: an
-- exchange, a relayer, a processor. It joins service_addresses with the figure, and every evidence row through
-- it goes, so nothing merges through it. A private funder of many fresh wallets funds one group, or none: it
-- stays; one whose entity cashes out through several deposit addresses is taken for a bridge (a known limit: the
-- entity then stays in as many parts, each whole).
CREATE OR REPLACE TEMP TABLE _bridges AS
WITH groups AS (
    SELECT parent FROM _cluster_parent GROUP BY parent HAVING count(*) >= 2
),
member AS (
    SELECT n.address, p.parent FROM _cluster_nodes n JOIN _cluster_parent p ON p.node = n.id
    WHERE p.parent IN (SELECT parent FROM groups)
),
reach AS (
    SELECT e.address_b AS address, e.heuristic, count(DISTINCT m.parent) AS groups
    FROM cluster_evidence e
    JOIN member m ON m.address = e.address_a
    WHERE e.heuristic = getvariable('bridge_role')
      AND m.parent IS DISTINCT FROM (SELECT min(o.parent) FROM member o WHERE o.address = e.address_b)
    GROUP BY ALL
)
SELECT address,
       string_agg(CASE heuristic WHEN 'common_first_funder' THEN 'first funder' ELSE 'collector' END
                  || ' into ' || groups || ' groups that other evidence keeps apart', '; ' ORDER BY heuristic)
           AS reason
FROM reach WHERE groups >= 2
GROUP BY address;

INSERT INTO service_addresses
SELECT address, reason, true, true FROM _bridges WHERE address NOT IN (SELECT address FROM service_addresses);

DELETE FROM cluster_evidence
WHERE address_a IN (SELECT address FROM _bridges) OR address_b IN (SELECT address FROM _bridges);
