-- Akash (Cosmos chain akashnet-2, chain_id 418413376360: auditor.chains.AKASH_CHAIN_ID), read from an LCD's v1beta5
-- (or v1beta4) list endpoints, which keep closed objects: each run pages through them at one height (the
-- snapshot: head minus confirmations, x-cosmos-block-height), upserting every object as it is at that height.
-- Heights are Akash block heights; block times are in `blocks` (chain_id = the Akash id). Amounts are DecCoin
-- amounts in the denom's micro unit (uakt, uact, ibc/...), exact. Addresses are bech32 (akash1...), lowercase.

CREATE TABLE akash_deployment (
    chain_id BIGINT NOT NULL,
    owner VARCHAR NOT NULL,
    dseq BIGINT NOT NULL,
    state VARCHAR NOT NULL,          -- active | closed
    created_at BIGINT NOT NULL,      -- height
    escrow_denom VARCHAR,            -- the denom of the deployment's escrow account
    escrow_deposited DECIMAL(38, 18),  -- sum of its deposits (v1beta5 deposits; v1beta4: balance + transferred)
    deposit_sources VARCHAR[],       -- v1beta5 deposit sources: balance | grant (a deposit authorization)
    depositors VARCHAR[],            -- who deposited (an authz granter pays for card-paid Console wallets)
    groups_json JSON NOT NULL,       -- the groups as the node gave them (group specs, resources, prices)
    snapshot_height BIGINT NOT NULL, -- the height this row was read at
    PRIMARY KEY (chain_id, owner, dseq)
);

-- Resource units of deployment groups (kind 'group': oseq 0, provider '', bseq 0) and of bids' resources_offer
-- (kind 'offer'), parsed. gpu_model/memory/interface: set when the GPU attributes name exactly one model
-- (`vendor/<vendor>/model/<model>[/ram/<size>][/interface/<pcie|sxm>]`, value true; `model/*` names none).
CREATE TABLE akash_resource (
    chain_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL,           -- group | offer
    owner VARCHAR NOT NULL,
    dseq BIGINT NOT NULL,
    gseq INTEGER NOT NULL,
    oseq INTEGER NOT NULL,
    provider VARCHAR NOT NULL,
    bseq INTEGER NOT NULL,
    position INTEGER NOT NULL,       -- index in the group's resources / the bid's resources_offer
    group_name VARCHAR,
    resource_count INTEGER NOT NULL, -- replicas of this unit
    cpu_millis BIGINT,
    memory_bytes HUGEINT,
    storage_bytes HUGEINT,
    gpu_units BIGINT NOT NULL,       -- per replica
    gpu_vendor VARCHAR,
    gpu_model VARCHAR,
    gpu_memory VARCHAR,
    gpu_interface VARCHAR,
    gpu_models VARCHAR[],            -- every model the attributes name ('*' dropped), sorted
    gpu_attributes VARCHAR[],        -- the GPU attribute keys whose value is true, as on-chain
    price_denom VARCHAR,             -- the group's price per block for this unit (offers: NULL)
    price_amount DECIMAL(38, 18),
    PRIMARY KEY (chain_id, kind, owner, dseq, gseq, oseq, provider, bseq, position)
);

CREATE TABLE akash_bid (
    chain_id BIGINT NOT NULL,
    owner VARCHAR NOT NULL,
    dseq BIGINT NOT NULL,
    gseq INTEGER NOT NULL,
    oseq INTEGER NOT NULL,
    provider VARCHAR NOT NULL,
    bseq INTEGER NOT NULL,           -- 0 on v1beta4 nodes (no bseq there)
    state VARCHAR NOT NULL,          -- open | active | lost | closed
    price_denom VARCHAR NOT NULL,
    price_amount DECIMAL(38, 18) NOT NULL,   -- per block
    created_at BIGINT NOT NULL,
    resources_offer JSON,            -- as the node gave it
    snapshot_height BIGINT NOT NULL,
    PRIMARY KEY (chain_id, owner, dseq, gseq, oseq, provider, bseq)
);

CREATE TABLE akash_lease (
    chain_id BIGINT NOT NULL,
    owner VARCHAR NOT NULL,
    dseq BIGINT NOT NULL,
    gseq INTEGER NOT NULL,
    oseq INTEGER NOT NULL,
    provider VARCHAR NOT NULL,
    bseq INTEGER NOT NULL,
    state VARCHAR NOT NULL,          -- active | insufficient_funds | closed
    price_denom VARCHAR NOT NULL,
    price_amount DECIMAL(38, 18) NOT NULL,   -- per block
    created_at BIGINT NOT NULL,      -- height the lease opened at
    closed_on BIGINT,                -- height it closed at; NULL while open (the node says 0)
    reason VARCHAR,                  -- LeaseClosedReason name (v1beta5); v1beta4 has none
    reason_code INTEGER,             -- 1 owner, 10000-10003 provider, 20000 insufficient funds; NULL: none given
    paid_amount DECIMAL(38, 18),     -- escrow payment withdrawn + balance at the snapshot: what the lease was paid
    snapshot_height BIGINT NOT NULL,
    PRIMARY KEY (chain_id, owner, dseq, gseq, oseq, provider, bseq)
);

CREATE TABLE akash_provider (
    chain_id BIGINT NOT NULL,
    owner VARCHAR NOT NULL,
    host_uri VARCHAR,
    email VARCHAR,
    website VARCHAR,
    attributes STRUCT("key" VARCHAR, "value" VARCHAR)[],
    gpu_models VARCHAR[],            -- models of capabilities/gpu/vendor/<v>/model/<m> attributes, sorted
    snapshot_height BIGINT NOT NULL,
    PRIMARY KEY (chain_id, owner)
);

-- Transfers, fee grants and deposit authorizations of deployment owners, from tx search (both directions), the
-- evidence for funding and clustering. kind: send (bank MsgSend), ibc (MsgTransfer out), ibc-in (an ICS-20
-- MsgRecvPacket: "from" is the sender on the other chain), feegrant
-- (MsgGrantAllowance), authz (MsgGrant of an escrow DepositAuthorization). Grants carry no amount.
CREATE TABLE akash_transfer (
    chain_id BIGINT NOT NULL,
    tx_hash VARCHAR NOT NULL,
    msg_index INTEGER NOT NULL,
    coin_index INTEGER NOT NULL,
    height BIGINT NOT NULL,
    block_time TIMESTAMPTZ NOT NULL,
    kind VARCHAR NOT NULL,
    "from" VARCHAR NOT NULL,
    "to" VARCHAR NOT NULL,
    denom VARCHAR,
    amount DECIMAL(38, 0),
    PRIMARY KEY (chain_id, tx_hash, msg_index, coin_index)
);

-- Per owner, how far its transfers were searched (rows and this commit together).
CREATE TABLE akash_transfer_scan (
    chain_id BIGINT NOT NULL,
    address VARCHAR NOT NULL,
    scanned_to BIGINT NOT NULL,
    PRIMARY KEY (chain_id, address)
);

-- The paging cursor of each list endpoint: pages up to next_key at `height` are stored (same transaction).
CREATE TABLE akash_cursor (
    chain_id BIGINT NOT NULL,
    list VARCHAR NOT NULL,           -- deployments | bids | leases | providers
    height BIGINT NOT NULL,
    next_key VARCHAR,                -- NULL with done: the list is complete at `height`
    done BOOLEAN NOT NULL,
    PRIMARY KEY (chain_id, list)
);
