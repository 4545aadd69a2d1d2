-- name: cluster_evidence
-- purpose: the merge evidence: one row per linked address pair and heuristic, with what was seen and the tx that
--          shows it, over every value flow the index saw (native coin and watched tokens). No edge touches a
--          service address. Heuristics (after Victor 2020 and the Arbitrum, Hop and Forta sybil work, see README):
--          common_first_funder  an address (a buyer, or a funder the index traced) and the wallet whose plain
--                               native-coin transfer first funded it: funding trees link level by level; when a
--                               service funded it first, also the first private EOA paying it within fresh_days;
--          deposit_reuse        an address and the deposit-like forwarder it paid (service_addresses.sql's
--                               _forwarders: forwards what it receives, soon and almost entirely, to one address),
--                               for forwarders used by two or more addresses;
--          sweep_to_collector   a buyer and a non-buyer EOA, no forwarder, that receives value from at least two
--                               buyers;
--          self_authorization   an ERC-20 owner and the EOA it approved, which then moved the owner's tokens
--                               in a transaction it sent itself;
--          fresh_eoa_transfer   two buyers, one sending value to the other within fresh_days of the receiver's
--                               first funding (the funding itself aside).
--          The strong ones (common_first_funder, deposit_reuse, sweep_to_collector, self_authorization) merge
--          alone in strict mode; auditor/analyze/clustering.py then removes funders and collectors that reach
--          entities other hubs anchor (bridges.py), and builds the entities.
-- parameters: fresh_days
CREATE OR REPLACE TEMP TABLE _eoas AS
SELECT DISTINCT address FROM address_code WHERE NOT is_contract
EXCEPT SELECT address FROM service_addresses;

-- Deposit-like addresses that two or more addresses pay: a forwarder on some chain and asset, whose every payer
-- on every chain and asset counts (one deposit address serves its owner's wallets wherever it is used; a payment
-- in an asset it has not swept yet is still a payment into it). Its destinations' own payments (gas top-ups)
-- are not users.
CREATE OR REPLACE TEMP TABLE _deposits AS
WITH forwarders AS (
    SELECT address, list(DISTINCT destination ORDER BY destination) AS destinations, max(slowest_minutes) AS minutes
    FROM _forwarders GROUP BY address
),
users AS (
    SELECT d.address, count(DISTINCT f.src) AS users
    FROM forwarders d JOIN _flows f ON f.dst = d.address AND NOT list_contains(d.destinations, f.src)
    GROUP BY d.address
)
SELECT d.address AS deposit, d.destinations, u.users, d.minutes AS slowest_minutes
FROM forwarders d JOIN users u ON u.address = d.address
WHERE u.users >= 2 AND d.address NOT IN (SELECT address FROM service_addresses);

CREATE OR REPLACE TABLE cluster_evidence AS
WITH first_funder AS (
    SELECT f.chain_id, f.address AS address_a, f.funder AS address_b, 'common_first_funder' AS heuristic,
           'first funded by ' || f.funder || ' with ' || round(f.value_eth, 6) || ' native coin in block '
               || f.block_number || ' on chain ' || f.chain_id AS detail,
           f.tx_hash, f.block_number
    FROM funding f
    WHERE f.status = 'funded' AND f.funder IS NOT NULL AND f.funder <> f.address
      AND f.funder NOT IN (SELECT address FROM service_addresses)
      AND f.address NOT IN (SELECT address FROM service_addresses)
      AND f.funder NOT IN (SELECT address FROM address_activity WHERE paced)
    UNION ALL
    -- First funded by a service (dust from an airdrop, a withdrawal): the first private EOA that sends it native
    -- coin while it is still fresh funded it as well.
    SELECT t.chain_id, t.dst, t.src, 'common_first_funder',
           'first funded by service ' || f.funder || ', then by ' || t.src || ' with ' || round(t.amount, 6)
               || ' native coin in block ' || t.block_number || ' on chain ' || t.chain_id || ', '
               || date_diff('hour', f.block_time, t.block_time) || ' h later',
           t.tx_hash, t.block_number
    FROM funding f
    JOIN _flows t ON t.chain_id = f.chain_id AND t.dst = f.address AND t.asset = 'native'
    WHERE f.status = 'funded' AND f.funder IN (SELECT address FROM service_addresses)
      AND f.address NOT IN (SELECT address FROM service_addresses)
      AND t.src IN (SELECT address FROM _eoas) AND t.src NOT IN (SELECT address FROM _buyers)
      AND t.src NOT IN (SELECT address FROM address_activity WHERE paced)
      AND t.block_time BETWEEN f.block_time AND f.block_time + to_days(getvariable('fresh_days')::INTEGER)
    QUALIFY row_number() OVER (PARTITION BY t.chain_id, t.dst ORDER BY t.block_number, t.seq) = 1
),
deposit AS (
    SELECT t.chain_id, t.src AS address_a, t.dst AS address_b, 'deposit_reuse' AS heuristic,
           'paid ' || round(t.amount, 6) || ' ' || t.symbol || ' to deposit-like address ' || t.dst || ' in block '
               || t.block_number || ' on chain ' || t.chain_id || ' (it forwards to '
               || array_to_string(d.destinations, ', ') || ', within ' || d.slowest_minutes || ' min; '
               || d.users || ' addresses pay it)' AS detail,
           t.tx_hash, t.block_number
    FROM _flows t
    JOIN _deposits d ON d.deposit = t.dst
    WHERE NOT list_contains(d.destinations, t.src) AND t.src NOT IN (SELECT address FROM service_addresses)
    QUALIFY row_number() OVER (PARTITION BY t.src, t.dst ORDER BY t.block_number, t.seq, t.tx_hash) = 1
),
swept AS (
    SELECT t.* FROM _flows t
    WHERE t.src IN (SELECT address FROM _buyers)
      AND t.src NOT IN (SELECT address FROM service_addresses)
      AND t.dst IN (SELECT address FROM _eoas)
      AND t.dst NOT IN (SELECT address FROM _buyers)
      AND t.dst NOT IN (SELECT address FROM _forwarders)
),
sweep AS (
    SELECT chain_id, src AS address_a, dst AS address_b, 'sweep_to_collector' AS heuristic,
           'sent ' || round(amount, 6) || ' ' || symbol || ' to collector ' || dst || ' (which '
               || count(DISTINCT src) OVER (PARTITION BY dst) || ' buyers pay) in block ' || block_number
               || ' on chain ' || chain_id AS detail,
           tx_hash, block_number
    FROM swept
    WHERE dst IN (SELECT dst FROM swept GROUP BY dst HAVING count(DISTINCT src) >= 2)
    QUALIFY row_number() OVER (PARTITION BY src, dst ORDER BY block_number, seq, tx_hash) = 1
),
self_auth AS (
    SELECT a.chain_id, a.owner AS address_a, a.spender AS address_b, 'self_authorization' AS heuristic,
           'approved EOA ' || a.spender || ' for ' || coalesce(k.symbol, a.contract) || ' in block '
               || a.block_number || ' on chain ' || a.chain_id || '; it moved ' || round(t.amount, 6) || ' '
               || t.symbol || ' of the owner in its own tx ' || t.tx_hash AS detail,
           a.tx_hash, a.block_number
    FROM token_approval a
    JOIN _flows t ON t.chain_id = a.chain_id AND t.asset = 'token:' || a.contract AND t.src = a.owner
                 AND t.block_number >= a.block_number
    JOIN tx_senders x ON x.chain_id = t.chain_id AND x.tx_hash = t.tx_hash AND x.sender = a.spender
    LEFT JOIN tokens k ON k.chain_id = a.chain_id AND k.address = a.contract
    WHERE a.value > 0 AND a.owner <> a.spender
      AND a.spender IN (SELECT address FROM _eoas)
      AND a.owner NOT IN (SELECT address FROM service_addresses)
    QUALIFY row_number() OVER (PARTITION BY a.owner, a.spender ORDER BY a.block_number, a.log_index,
                                            t.block_number, t.seq) = 1
),
fresh AS (
    SELECT t.chain_id, t.src AS address_a, t.dst AS address_b, 'fresh_eoa_transfer' AS heuristic,
           'sent ' || round(t.amount, 6) || ' ' || t.symbol || ' in block ' || t.block_number || ' on chain '
               || t.chain_id || ', ' || date_diff('hour', f.block_time, t.block_time)
               || ' h after the receiver was first funded' AS detail,
           t.tx_hash, t.block_number
    FROM _flows t
    JOIN funding f ON f.chain_id = t.chain_id AND f.address = t.dst AND f.status = 'funded'
    WHERE t.src IN (SELECT address FROM _buyers) AND t.dst IN (SELECT address FROM _buyers) AND t.src <> t.dst
      AND t.tx_hash IS DISTINCT FROM f.tx_hash
      AND t.src NOT IN (SELECT address FROM service_addresses)
      AND t.dst NOT IN (SELECT address FROM service_addresses)
      AND t.block_time BETWEEN f.block_time AND f.block_time + to_days(getvariable('fresh_days')::INTEGER)
    QUALIFY row_number() OVER (PARTITION BY t.src, t.dst ORDER BY t.block_number, t.seq) = 1
)
SELECT chain_id, address_a, address_b, heuristic, detail, tx_hash
FROM (SELECT * FROM first_funder UNION ALL SELECT * FROM deposit UNION ALL SELECT * FROM sweep
      UNION ALL SELECT * FROM self_auth UNION ALL SELECT * FROM fresh)
ORDER BY address_a, address_b, heuristic, chain_id, block_number;
