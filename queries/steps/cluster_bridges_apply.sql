-- cluster_bridges_apply: the bridges auditor/analyze/bridges.py found (_bridges: address, reason) join
-- service_addresses with their figures, and every evidence row through them goes, so nothing merges through them.
INSERT INTO service_addresses
SELECT address, reason, true, true FROM _bridges WHERE address NOT IN (SELECT address FROM service_addresses);

DELETE FROM cluster_evidence
WHERE address_a IN (SELECT address FROM _bridges) OR address_b IN (SELECT address FROM _bridges);
