-- name: rentals
-- purpose: the normalized rentals table; the next files (11-19) add one marketplace each.
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
    duration_hours DOUBLE,      -- open rentals: up to the last indexed (safe) block of the chain
    is_open BOOLEAN,
    payment_token VARCHAR,
    payment_amount DOUBLE,      -- token units, decimals applied
    payment_raw VARCHAR,        -- the exact on-chain integer
    payment_usd DOUBLE,
    h100e_hours DOUBLE,         -- NULL when it cannot be estimated yet
    h100e_method VARCHAR,       -- duration | payment
    kyc VARCHAR                 -- none: a bare wallet can rent
);
