-- cluster_heuristic_save: keeps the components of one heuristic's graph.
INSERT INTO _heuristic_parent SELECT getvariable('cluster_heuristic'), node, parent FROM _cluster_parent;
