-- cluster_loose_save: keeps the loose components.
CREATE OR REPLACE TEMP TABLE _loose_parent AS SELECT node, parent FROM _cluster_parent;
