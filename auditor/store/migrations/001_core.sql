-- Core indexing state: chains, sources, coverage (the cursor), blocks, funding.
-- Coverage is a set of merged, inclusive block intervals per (chain, source); it commits in the same
-- transaction as the rows it covers, so a killed run leaves exactly the intervals whose rows are stored.
CREATE TABLE chains (
    chain_id BIGINT PRIMARY KEY,
    name VARCHAR NOT NULL,
    rpc_host VARCHAR,            -- redacted: scheme://host/… only, never a path or query
    head_block BIGINT,           -- head seen at the last index run
    head_time TIMESTAMPTZ,
    safe_block BIGINT,           -- head minus confirmations at the last index run (indexed up to here)
    safe_time TIMESTAMPTZ,
    safe_hash VARCHAR            -- compared with the node on the next run to detect a reorg below it
);

CREATE TABLE sources (
    chain_id BIGINT NOT NULL,
    source VARCHAR NOT NULL,     -- e.g. livepeer/TicketBroker#1a2b3c4d, evt/0xabc…#ddf252ad, funding
    kind VARCHAR NOT NULL,       -- marketplace | adhoc | funding
    marketplace VARCHAR,
    contract VARCHAR,
    start_block BIGINT NOT NULL DEFAULT 0,
    events VARCHAR[],
    PRIMARY KEY (chain_id, source)
);

CREATE TABLE coverage (
    chain_id BIGINT NOT NULL,
    source VARCHAR NOT NULL,
    from_block BIGINT NOT NULL,
    to_block BIGINT NOT NULL,
    PRIMARY KEY (chain_id, source, from_block)
);

CREATE TABLE blocks (
    chain_id BIGINT NOT NULL,
    block_number BIGINT NOT NULL,
    block_hash VARCHAR NOT NULL,
    block_time TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (chain_id, block_number)
);

-- First native-coin funding of every buyer address (the first funder heuristic's input).
CREATE TABLE funding (
    chain_id BIGINT NOT NULL,
    address VARCHAR NOT NULL,
    status VARCHAR NOT NULL,     -- funded | unfunded | internal (contract call) | genesis | no_archive
    funder VARCHAR,
    block_number BIGINT,
    block_time TIMESTAMPTZ,
    tx_hash VARCHAR,
    value_wei VARCHAR,
    value_eth DOUBLE,
    checked_to_block BIGINT NOT NULL,
    PRIMARY KEY (chain_id, address)
);

-- Facts about the database itself, e.g. ('created_by', 'demo') for databases the demo may replace.
CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
