-- iExec deal details read with viewDeal (eth_call) for every OrdersMatched: the GPU tag, the category (maximum
-- run time) and the start. Keyed like the OrdersMatched row, so a reorg rollback removes it with the event.
CREATE TABLE iexec_deals (
    chain_id BIGINT NOT NULL,
    contract VARCHAR NOT NULL,
    block_number BIGINT NOT NULL,   -- of the OrdersMatched log
    log_index INTEGER NOT NULL,
    tx_hash VARCHAR NOT NULL,
    dealid VARCHAR NOT NULL,
    status VARCHAR NOT NULL,        -- found | empty (the node knows no such deal) | unreadable
    requester VARCHAR,
    beneficiary VARCHAR,
    workerpool VARCHAR,
    workerpool_owner VARCHAR,
    workerpool_price VARCHAR,       -- nRLC per task, exact
    category BIGINT,
    tag VARCHAR,                    -- bytes32 hex; bit 0 TEE, bit 8 (0x100) GPU
    start_time TIMESTAMPTZ,
    bot_first BIGINT,
    bot_size BIGINT,
    PRIMARY KEY (chain_id, dealid)
);
