-- name: cluster_evidence
-- purpose: the merge evidence: one row per linked address pair and heuristic, with what was seen and the tx that
--          shows it. No edge touches a service address. Heuristics (after Victor 2020 and the Arbitrum, Hop and
--          Forta sybil work, see README):
--          common_first_funder  a buyer and the wallet whose plain native-coin transfer first funded it;
--          deposit_reuse        an address and the exchange deposit address it paid: a forwarder whose every
--                               outbound transfer goes to an exchange hot wallet, each forward matching an
--                               earlier receipt of the same amount within deposit_window_hours, used by at most
--                               max_deposit_users addresses;
--          sweep_to_collector   a buyer and a non-buyer EOA that receives the watched-token transfers of at
--                               least two buyers and is no deposit address;
--          self_authorization   an ERC-20 owner and the EOA it approved, which then moved the owner's tokens
--                               in a transaction it sent itself;
--          fresh_eoa_transfer   two buyers, one sending tokens to the other within fresh_days of the
--                               receiver's first funding.
--          Then every buyer and evidence address gets a dense id in address order (_cluster_nodes) and each edge
--          its pair of ids (_cluster_edges), which auditor/analyze/clustering.py turns into entities.
-- parameters: deposit_window_hours, max_deposit_users, fresh_days
CREATE OR REPLACE TEMP TABLE _buyers AS
SELECT DISTINCT buyer AS address FROM rentals WHERE buyer IS NOT NULL;

CREATE OR REPLACE TEMP TABLE _eoas AS
SELECT DISTINCT address FROM address_code WHERE NOT is_contract
EXCEPT SELECT address FROM service_addresses;

CREATE OR REPLACE TEMP TABLE _transfers AS
SELECT t.chain_id, t.contract AS token, t."from" AS src, t."to" AS dst, t.block_number, t.block_time, t.tx_hash,
       t.log_index, t.value::VARCHAR AS raw,
       t.value::DOUBLE / 10 ^ coalesce(k.decimals, 18) AS amount, coalesce(k.symbol, t.contract) AS symbol
FROM token_transfer t
LEFT JOIN tokens k ON k.chain_id = t.chain_id AND k.address = t.contract
WHERE t.value > 0;

CREATE OR REPLACE TEMP TABLE _deposits AS
WITH outbound AS (
    SELECT t.chain_id, t.src AS address, bool_and(coalesce(s.exchange_like, false)) AS only_exchange
    FROM _transfers t LEFT JOIN service_addresses s ON s.address = t.dst
    GROUP BY ALL
),
forwards AS (
    SELECT t.* FROM _transfers t
    JOIN outbound o ON o.chain_id = t.chain_id AND o.address = t.src AND o.only_exchange
    WHERE t.src IN (SELECT address FROM _eoas)
),
receipts AS (
    SELECT t.* FROM _transfers t
    WHERE t.dst IN (SELECT src FROM forwards) AND t.src IN (SELECT address FROM _eoas)
),
matched AS (
    SELECT r.chain_id, r.src AS address, f.src AS deposit, f.dst AS exchange, r.tx_hash, r.block_number,
           r.amount, r.symbol, f.tx_hash AS forward_tx,
           date_diff('minute', r.block_time, f.block_time) AS minutes
    FROM forwards f
    ASOF JOIN receipts r
      ON r.chain_id = f.chain_id AND r.dst = f.src AND r.token = f.token AND r.raw = f.raw
     AND f.block_number >= r.block_number
    WHERE f.block_time - r.block_time <= to_hours(getvariable('deposit_window_hours')::BIGINT)
)
SELECT * FROM matched
WHERE deposit IN (SELECT deposit FROM matched GROUP BY deposit
                  HAVING count(DISTINCT address) <= getvariable('max_deposit_users'));

CREATE OR REPLACE TABLE cluster_evidence AS
WITH first_funder AS (
    SELECT f.chain_id, f.address AS address_a, f.funder AS address_b, 'common_first_funder' AS heuristic,
           'first funded by ' || f.funder || ' with ' || round(f.value_eth, 6) || ' native coin in block '
               || f.block_number || ' on chain ' || f.chain_id AS detail,
           f.tx_hash, f.block_number
    FROM funding f
    WHERE f.status = 'funded'
      AND f.funder NOT IN (SELECT address FROM service_addresses)
      AND f.address IN (SELECT address FROM _buyers)
),
deposit AS (
    SELECT chain_id, address AS address_a, deposit AS address_b, 'deposit_reuse' AS heuristic,
           'paid ' || round(amount, 6) || ' ' || symbol || ' to deposit address ' || deposit || ' in block '
               || block_number || ' on chain ' || chain_id || '; forwarded to exchange ' || exchange || ' '
               || minutes || ' min later in tx ' || forward_tx AS detail,
           tx_hash, block_number
    FROM _deposits
    WHERE deposit IN (SELECT deposit FROM _deposits GROUP BY deposit HAVING count(DISTINCT address) >= 2)
    QUALIFY row_number() OVER (PARTITION BY address, deposit ORDER BY block_number, tx_hash) = 1
),
swept AS (
    SELECT t.* FROM _transfers t
    WHERE t.src IN (SELECT address FROM _buyers)
      AND t.src NOT IN (SELECT address FROM service_addresses)
      AND t.dst IN (SELECT address FROM _eoas)
      AND t.dst NOT IN (SELECT address FROM _buyers)
      AND t.dst NOT IN (SELECT deposit FROM _deposits)
),
sweep AS (
    SELECT chain_id, src AS address_a, dst AS address_b, 'sweep_to_collector' AS heuristic,
           'sent ' || round(amount, 6) || ' ' || symbol || ' to collector ' || dst || ' (which '
               || count(DISTINCT src) OVER (PARTITION BY dst) || ' buyers pay) in block ' || block_number
               || ' on chain ' || chain_id AS detail,
           tx_hash, block_number
    FROM swept
    WHERE dst IN (SELECT dst FROM swept GROUP BY dst HAVING count(DISTINCT src) >= 2)
    QUALIFY row_number() OVER (PARTITION BY src, dst ORDER BY block_number, log_index) = 1
),
self_auth AS (
    SELECT a.chain_id, a.owner AS address_a, a.spender AS address_b, 'self_authorization' AS heuristic,
           'approved EOA ' || a.spender || ' for ' || coalesce(k.symbol, a.contract) || ' in block '
               || a.block_number || ' on chain ' || a.chain_id || '; it moved ' || round(t.amount, 6) || ' '
               || t.symbol || ' of the owner in its own tx ' || t.tx_hash AS detail,
           a.tx_hash, a.block_number
    FROM token_approval a
    JOIN _transfers t ON t.chain_id = a.chain_id AND t.token = a.contract AND t.src = a.owner
                     AND t.block_number >= a.block_number
    JOIN tx_senders x ON x.chain_id = t.chain_id AND x.tx_hash = t.tx_hash AND x.sender = a.spender
    LEFT JOIN tokens k ON k.chain_id = a.chain_id AND k.address = a.contract
    WHERE a.value > 0 AND a.owner <> a.spender
      AND a.spender IN (SELECT address FROM _eoas)
      AND a.owner NOT IN (SELECT address FROM service_addresses)
    QUALIFY row_number() OVER (PARTITION BY a.owner, a.spender ORDER BY a.block_number, a.log_index,
                                            t.block_number, t.log_index) = 1
),
fresh AS (
    SELECT t.chain_id, t.src AS address_a, t.dst AS address_b, 'fresh_eoa_transfer' AS heuristic,
           'sent ' || round(t.amount, 6) || ' ' || t.symbol || ' in block ' || t.block_number || ' on chain '
               || t.chain_id || ', ' || date_diff('hour', f.block_time, t.block_time)
               || ' h after the receiver was first funded' AS detail,
           t.tx_hash, t.block_number
    FROM _transfers t
    JOIN funding f ON f.chain_id = t.chain_id AND f.address = t.dst AND f.status = 'funded'
    WHERE t.src IN (SELECT address FROM _buyers) AND t.dst IN (SELECT address FROM _buyers) AND t.src <> t.dst
      AND t.src NOT IN (SELECT address FROM service_addresses)
      AND t.dst NOT IN (SELECT address FROM service_addresses)
      AND t.block_time BETWEEN f.block_time AND f.block_time + to_days(getvariable('fresh_days')::INTEGER)
    QUALIFY row_number() OVER (PARTITION BY t.src, t.dst ORDER BY t.block_number, t.log_index) = 1
)
SELECT chain_id, address_a, address_b, heuristic, detail, tx_hash
FROM (SELECT * FROM first_funder UNION ALL SELECT * FROM deposit UNION ALL SELECT * FROM sweep
      UNION ALL SELECT * FROM self_auth UNION ALL SELECT * FROM fresh)
ORDER BY address_a, address_b, heuristic, chain_id, block_number;

CREATE OR REPLACE TEMP TABLE _cluster_nodes AS
SELECT row_number() OVER (ORDER BY address) - 1 AS id, address
FROM (SELECT address FROM _buyers
      UNION SELECT address_a FROM cluster_evidence
      UNION SELECT address_b FROM cluster_evidence);

CREATE OR REPLACE TEMP TABLE _cluster_edges AS
SELECT DISTINCT a.id AS a, b.id AS b, e.heuristic
FROM cluster_evidence e
JOIN _cluster_nodes a ON a.address = e.address_a
JOIN _cluster_nodes b ON b.address = e.address_b
WHERE a.id <> b.id;
