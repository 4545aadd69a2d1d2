-- name: reference
-- purpose: load the GPU table (H100-equivalence, export-control class, sources), the alias table that maps
--          GPU names as written on-chain (h100, a100-80g, NVIDIA H100 80GB HBM3) to its rows, and the USD price
--          of one H100-hour (low, central, high) that turns payments into H100-equivalent hours.
-- parameters: gpu_specs_csv, gpu_aliases_csv, tokens_csv (package data files), h100_usd_low, h100_usd_central,
--             h100_usd_high, h100_usd_source
CREATE OR REPLACE TABLE gpu_specs AS
SELECT * FROM read_csv(getvariable('gpu_specs_csv'), header = true, auto_detect = true);

CREATE OR REPLACE TABLE gpu_aliases AS
SELECT alias,
       lower(regexp_replace(alias, '[^A-Za-z0-9]', '', 'g')) AS alias_key,
       gpu,
       note,
       nullif(gpu_alt, '') AS gpu_alt   -- another part the name may mean (a bare 'h100' may be a PCIe card)
FROM read_csv(getvariable('gpu_aliases_csv'), header = true, all_varchar = true);

-- One row per alias key with the H100-equivalence of the part assumed and the range over the parts it may mean.
CREATE OR REPLACE TABLE gpu_lookup AS
SELECT a.alias_key,
       any_value(a.gpu ORDER BY a.alias) AS gpu,
       any_value(s.h100e_bf16 ORDER BY a.alias) AS h100e,
       least(any_value(s.h100e_bf16 ORDER BY a.alias), min(alt.h100e_bf16)) AS h100e_low,
       greatest(any_value(s.h100e_bf16 ORDER BY a.alias), max(alt.h100e_bf16)) AS h100e_high
FROM gpu_aliases a
LEFT JOIN gpu_specs s ON s.gpu = a.gpu
LEFT JOIN gpu_specs alt ON alt.gpu = a.gpu_alt
GROUP BY a.alias_key;

-- Token contracts that payments name by address (Spheron orders), with their symbols.
CREATE OR REPLACE TABLE tokens AS
SELECT chain_id::BIGINT AS chain_id, lower(address) AS address, symbol, decimals::INTEGER AS decimals, source
FROM read_csv(getvariable('tokens_csv'), header = true, all_varchar = true);

CREATE OR REPLACE TABLE h100_hour_prices AS
SELECT * FROM (VALUES
    ('low', getvariable('h100_usd_low')::DOUBLE),
    ('central', getvariable('h100_usd_central')::DOUBLE),
    ('high', getvariable('h100_usd_high')::DOUBLE)
) AS t(estimate, usd_per_h100_hour), (SELECT getvariable('h100_usd_source')::VARCHAR AS source);
