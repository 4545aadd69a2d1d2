-- USD prices: the Chainlink aggregators indexed for each feed, and the prices users import from CSV.
CREATE TABLE price_feeds (
    chain_id BIGINT NOT NULL,
    asset VARCHAR NOT NULL,      -- token symbol as rentals.payment_token names it
    proxy VARCHAR NOT NULL,
    phase INTEGER NOT NULL,
    aggregator VARCHAR NOT NULL, -- emits AnswerUpdated into chainlink_answer_updated
    decimals INTEGER NOT NULL,
    PRIMARY KEY (chain_id, proxy, phase)
);

CREATE TABLE price_imports (
    asset VARCHAR NOT NULL,
    time TIMESTAMPTZ NOT NULL,
    usd DOUBLE NOT NULL,
    source VARCHAR NOT NULL,     -- the imported file's name
    PRIMARY KEY (asset, time)
);
