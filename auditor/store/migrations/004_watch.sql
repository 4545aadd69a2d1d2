-- Funding discovery beyond the first native-coin funder. token_transfer and token_approval (created from their
-- ABIs, like every event table) hold the watched addresses' ERC-20 transfers and approvals; these two tables hold
-- what the clustering needs about the addresses themselves.

-- Whether an address has code (eth_getCode at the run's safe block), with the first block the address appears in
-- the indexed data (a reorg below it removes the row). An EIP-7702 delegated EOA (code 0xef0100…) is an EOA with a
-- delegate, not a contract.
CREATE TABLE address_code (
    chain_id BIGINT NOT NULL,
    address VARCHAR NOT NULL,
    is_contract BOOLEAN NOT NULL,
    delegated BOOLEAN NOT NULL,   -- EIP-7702 delegation designator
    code_size INTEGER NOT NULL,
    seen_block BIGINT NOT NULL,
    PRIMARY KEY (chain_id, address)
);

-- The sender of transactions that moved a watched owner's tokens after it approved an EOA: whether that EOA
-- spent the allowance (the self-authorization heuristic).
CREATE TABLE tx_senders (
    chain_id BIGINT NOT NULL,
    tx_hash VARCHAR NOT NULL,
    block_number BIGINT NOT NULL,
    sender VARCHAR NOT NULL,
    PRIMARY KEY (chain_id, tx_hash)
);

-- The analyst's own service labels (`auditor labels import`), added to the shipped list
-- (auditor/data/service_labels.csv): addresses that never merge entities.
CREATE TABLE user_labels (
    chain_id BIGINT NOT NULL,
    address VARCHAR NOT NULL,
    category VARCHAR NOT NULL,    -- cex_hot | bridge | router | relayer | faucet | mev | other
    label VARCHAR NOT NULL,
    source VARCHAR,
    file VARCHAR NOT NULL,
    PRIMARY KEY (chain_id, address)
);
