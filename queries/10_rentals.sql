-- name: rentals
-- purpose: the normalized rentals table. Then every marketplace in the registry adds its rows (its own rentals SQL,
--          stamped with its facts from marketplace_facts), in registry order, and 19_values values them.
-- parameters: none
CREATE OR REPLACE TABLE rentals (
    chain_id BIGINT,
    marketplace VARCHAR,
    block_number BIGINT,
    block_time TIMESTAMPTZ,
    tx_hash VARCHAR,
    log_index INTEGER,
    buyer VARCHAR,
    provider VARCHAR,
    gpu_model VARCHAR,          -- gpu_specs.gpu, NULL when unknown
    gpu_model_raw VARCHAR,      -- as written on-chain
    gpu_count INTEGER,
    start_time TIMESTAMPTZ,
    end_time TIMESTAMPTZ,       -- NULL while open
    duration_hours DOUBLE,      -- end_time - start_time; open rentals: up to the last indexed (safe) block
    is_open BOOLEAN,
    payment_token VARCHAR,
    payment_amount DOUBLE,      -- token units, decimals applied
    payment_raw VARCHAR,        -- the exact on-chain integer
    payment_usd DOUBLE,         -- payment_amount x the token's latest USD price at block_time
    accrued_share DOUBLE,       -- open rentals paid up front: the share of the paid time elapsed by the safe
                                -- block (0-1), which payment-based H100e-hours are scaled by; NULL: all of it
    h100e_hours DOUBLE,         -- central estimate; NULL when it cannot be estimated
    h100e_method VARCHAR,       -- duration | payment (the marketplace's, from marketplace_facts)
    kyc VARCHAR,                -- none: a bare wallet can rent (the marketplace's, from marketplace_facts); the
                                -- kind of KYC named by kyc_evidence where a rental has some (card)
    kyc_evidence VARCHAR,       -- NULL: the marketplace's kyc; else '<kyc>: why' (e.g. a card on-ramp paid the
                                -- owner's fees or deposits)
    h100e_hours_low DOUBLE,     -- duration: the weakest part the GPU name may mean; payment: the dearest H100-hour
    h100e_hours_high DOUBLE,    -- duration: the strongest part; payment: the cheapest H100-hour
    gpu_hours DOUBLE,           -- duration_hours x gpu_count, where the count is known
    workload VARCHAR,           -- what the rental computes as its marketplace states it (ai-inference, transcoding,
                                -- llm-inference, gpu, cpu); NULL: not stated
    price_usd DOUBLE,           -- the USD price used for payment_usd
    price_time TIMESTAMPTZ,     -- when that price was observed
    price_source VARCHAR,       -- chainlink <proxy> | import <file>
    quality_flag VARCHAR        -- NULL: plausible; else why not (gpu_count, duration, payment; rental_flags has
                                -- the values): the rental is kept, its gpu_hours, payment_usd and H100e are not
);
