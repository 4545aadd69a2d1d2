-- marketplace_facts: the registry's facts, one row per marketplace (auditor/marketplaces/), for shared SQL to
-- join instead of naming marketplaces; the engine inserts the rows. token_amount(raw) is a raw token integer in
-- the token of the marketplace whose rentals SQL is running (the variable `marketplace`).
CREATE OR REPLACE TABLE marketplace_facts (
    marketplace VARCHAR PRIMARY KEY,
    title VARCHAR,
    kyc VARCHAR,                      -- none: a bare wallet can rent
    h100e_method VARCHAR,             -- duration | payment
    payment_token VARCHAR,            -- the token its rentals pay in; NULL: each row names its own
    token_decimals INTEGER,
    buyer_sends BOOLEAN,              -- the buyer sends the rental's transaction, so its time is the buyer's
    unestimated_workloads VARCHAR[],  -- workloads that are not AI compute and get no H100e
    method_note VARCHAR,
    caveats VARCHAR
);

CREATE OR REPLACE TEMP MACRO token_amount(raw) AS
    raw::DOUBLE / 10 ** (SELECT token_decimals FROM marketplace_facts WHERE marketplace = getvariable('marketplace'));
