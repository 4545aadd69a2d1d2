-- name: reference
-- purpose: load the GPU table (H100-equivalence, export-control class, sources) and the alias table that maps
--          GPU names as written on-chain (h100, a100-80g, NVIDIA H100 80GB HBM3) to its rows.
-- parameters: gpu_specs_csv, gpu_aliases_csv (paths of the package's data files)
CREATE OR REPLACE TABLE gpu_specs AS
SELECT * FROM read_csv(getvariable('gpu_specs_csv'), header = true, auto_detect = true);

CREATE OR REPLACE TABLE gpu_aliases AS
SELECT alias,
       lower(regexp_replace(alias, '[^A-Za-z0-9]', '', 'g')) AS alias_key,
       gpu,
       note
FROM read_csv(getvariable('gpu_aliases_csv'), header = true, all_varchar = true);
