-- Native-coin value transfers of the addresses the clustering looks at (buyers and the EOAs their evidence pulls
-- in, at most NATIVE_MAX_HOPS from a buyer), and per address how far they were looked for, so "scanned, none"
-- differs from "never looked". Rows and their address's cursor commit in one transaction.

-- One row per value transfer (zero-value and reverted transactions are skipped). kind 'tx': a plain transaction
-- (its top-level call); 'internal': value moved by a contract inside a transaction. Found by trace_filter or the
-- ots API, an internal transfer has its sender and tx; found by state bisection (the balance rose by more than the
-- block's plain transfers explain) both are unknown (NULL). transfer_id makes rows unique: tx:<hash>,
-- trace:<hash>:<trace address>, ots:<hash>:<operation>, balance:<to>.
CREATE TABLE native_transfer (
    chain_id BIGINT NOT NULL,
    block_number BIGINT NOT NULL,
    block_time TIMESTAMPTZ NOT NULL,
    transfer_id VARCHAR NOT NULL,
    tx_hash VARCHAR,              -- NULL for an internal credit found by bisection
    "from" VARCHAR,               -- NULL when unknown (an internal credit found by bisection)
    "to" VARCHAR NOT NULL,
    value HUGEINT NOT NULL,       -- wei
    kind VARCHAR NOT NULL,        -- tx | internal
    PRIMARY KEY (chain_id, block_number, transfer_id)
);

-- Per scanned address: native_transfer holds its transfers in (first block with state, scanned_to_block]. A hub
-- (more than NATIVE_MAX_CHANGES transactions or balance changes: exchange hot wallets, relayers) is not scanned
-- and never expanded from; its figures say why. A reorg lowers scanned_to_block and cuts change_blocks.
CREATE TABLE native_scan (
    chain_id BIGINT NOT NULL,
    address VARCHAR NOT NULL,
    scanned_to_block BIGINT NOT NULL,
    status VARCHAR NOT NULL,      -- scanned | hub
    method VARCHAR NOT NULL,      -- trace (trace_filter) | ots (Otterscan's API) | bisect (eth_getBalance/Count)
    changes INTEGER,              -- blocks where its balance or nonce changed (scanned), or seen before it stopped
    nonce BIGINT,                 -- at scanned_to_block
    reason VARCHAR,               -- why it is a hub
    depth INTEGER NOT NULL,       -- hops from the nearest buyer (0: a buyer) when last scanned
    change_blocks BIGINT[],       -- the blocks counted in changes (scanned)
    PRIMARY KEY (chain_id, address)
);
