-- Enrichment that could not be done for one item (an address's funding or code, a transaction's sender, an
-- iExec deal): kept with the reason and retried on the next run, which removes the row once it succeeds.
CREATE TABLE enrichment_failures (
    chain_id BIGINT NOT NULL,
    step VARCHAR NOT NULL,       -- funding | code | sender | deal
    item VARCHAR NOT NULL,       -- the address, transaction hash or deal id
    reason VARCHAR NOT NULL,     -- the provider's answer, redacted and cut to 300 characters
    at_block BIGINT NOT NULL,    -- the safe block of the run that failed
    PRIMARY KEY (chain_id, step, item)
);

-- Why a funding answer is not final (no_archive: from which block the node serves state).
ALTER TABLE funding ADD COLUMN reason VARCHAR;

-- The first block whose state the node served at the last run (probed): funding search starts there.
ALTER TABLE chains ADD COLUMN state_from_block BIGINT;
