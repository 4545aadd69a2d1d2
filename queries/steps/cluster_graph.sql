-- cluster_graph: every buyer and evidence address gets a dense id in address order (_cluster_nodes) and each
-- evidence row its pair of ids (_cluster_edges), which auditor/analyze/clustering.py turns into entities.
CREATE OR REPLACE TEMP TABLE _cluster_nodes AS
SELECT row_number() OVER (ORDER BY address) - 1 AS id, address
FROM (SELECT address FROM _buyers
      UNION SELECT address_a FROM cluster_evidence
      UNION SELECT address_b FROM cluster_evidence);

CREATE OR REPLACE TEMP TABLE _cluster_edges AS
SELECT DISTINCT a.id AS a, b.id AS b, e.heuristic
FROM cluster_evidence e
JOIN _cluster_nodes a ON a.address = e.address_a
JOIN _cluster_nodes b ON b.address = e.address_b
WHERE a.id <> b.id;
