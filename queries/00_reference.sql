-- name: reference
-- purpose: load the GPU table (H100-equivalence, export-control class, sources), the alias table that maps
--          GPU names as written on-chain (h100, a100-80g, NVIDIA H100 80GB HBM3) to its rows, and the USD price
--          of one H100-hour (low, central, high) that turns payments into H100-equivalent hours.
--          Also the service-address labels: the shipped, sourced list plus the analyst's own (user_labels).
-- parameters: gpu_specs_csv, gpu_aliases_csv, tokens_csv, service_labels_csv (package data files), h100_usd_low,
--             h100_usd_central, h100_usd_high, h100_usd_source
-- h100e: the factor used, dense BF16 / 989.4 TFLOPS, or for GPUs without BF16 (V100, T4) dense FP16 tensor
-- throughput / 989.4, flagged in h100e_basis. Trainability flags after Whack-a-Chip: no BF16 means inference-grade;
-- neither NVLink nor GPUDirect RDMA means not cluster-scale; AMD parts need RCCL, not NCCL.
CREATE OR REPLACE TABLE gpu_specs AS
SELECT *,
       CASE WHEN bf16_supported = 'yes' THEN h100e_bf16
            ELSE round(dense_fp16_tensor_tflops / 989.4, 3) END AS h100e,
       CASE WHEN bf16_supported = 'yes' THEN 'dense BF16'
            ELSE 'dense FP16 tensor (no BF16)' END AS h100e_basis,
       bf16_supported = 'yes' AS trains_bf16,
       coalesce(nvlink_gbps_per_gpu, 0) > 0 OR gpudirect_rdma = 'yes' AS cluster_scale,
       CASE WHEN vendor = 'AMD' THEN 'RCCL' ELSE 'NCCL' END AS collective_library
FROM read_csv(getvariable('gpu_specs_csv'), header = true, auto_detect = true);

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
       any_value(s.h100e ORDER BY a.alias) AS h100e,
       least(any_value(s.h100e ORDER BY a.alias), min(alt.h100e)) AS h100e_low,
       greatest(any_value(s.h100e ORDER BY a.alias), max(alt.h100e)) AS h100e_high
FROM gpu_aliases a
LEFT JOIN gpu_specs s ON s.gpu = a.gpu
LEFT JOIN gpu_specs alt ON alt.gpu = a.gpu_alt
GROUP BY a.alias_key;

-- Token contracts that payments name by address (a marketplace's orders may), with their symbols; `watch`: the indexer
-- fetches the transfers and approvals of buyers in this token (funding discovery).
CREATE OR REPLACE TABLE tokens AS
SELECT chain_id::BIGINT AS chain_id, lower(address) AS address, symbol, decimals::INTEGER AS decimals,
       watch = 'yes' AS watch, source
FROM read_csv(getvariable('tokens_csv'), header = true, all_varchar = true);

CREATE OR REPLACE TABLE h100_hour_prices AS
SELECT * FROM (VALUES
    ('low', getvariable('h100_usd_low')::DOUBLE),
    ('central', getvariable('h100_usd_central')::DOUBLE),
    ('high', getvariable('h100_usd_high')::DOUBLE)
) AS t(estimate, usd_per_h100_hour), (SELECT getvariable('h100_usd_source')::VARCHAR AS source);

-- Exchange hot wallets, bridges, routers... that never merge entities: auditor/data/service_labels.csv (with its
-- sources) and what `auditor labels import` loaded, which wins where both name an address.
CREATE OR REPLACE TABLE service_labels AS
SELECT chain_id, address, category, label, source, origin FROM (
    SELECT *, row_number() OVER (PARTITION BY chain_id, address ORDER BY origin DESC) AS pick FROM (
        SELECT chain_id::BIGINT AS chain_id, lower(address) AS address, category, label, source, 'shipped' AS origin
        FROM read_csv(getvariable('service_labels_csv'), header = true, all_varchar = true)
        UNION ALL
        SELECT chain_id, address, category, label, source, 'user' FROM user_labels))
WHERE pick = 1
ORDER BY chain_id, address;
