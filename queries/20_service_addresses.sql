-- name: service_addresses
-- purpose: addresses that must never merge entities, each with its reasons (address_activity has the figures
--          behind them). Known services: marketplace contracts and providers, token contracts, any address with
--          code, labelled exchange hot wallets and bridges (service_labels). Services by behaviour (never a buyer),
--          from the value flows the index saw (native coin and watched tokens, all chains): a hub too busy to scan
--          whose transactions are mostly not the fundings it made (busy_tx_ratio), an address paying many
--          addresses it did not first fund or receiving from many non-buyers it did not fund
--          (min_service_degree), the collector of two or more deposit-like forwarders (an exchange), a funder
--          paced like independent customers rather than in sessions (session_minutes, session_ratio,
--          min_paced_fundings), a collector passing what buyers paid it on to several non-buyers (settle_share),
--          spenders approved by more than max_spender_owners owners, and, only if max_funder_fanout is set,
--          funders of more buyers than that. A private funder of many fresh wallets is none of these: it is an
--          entity. The last rule (a funder or collector reaching entities other hubs anchor) needs the evidence
--          and runs after it (auditor/analyze/bridges.py). _flows (every value transfer seen) and _forwarders
--          (deposit-like addresses) are kept for the evidence.
-- parameters: max_funder_fanout, max_spender_owners, min_service_degree, busy_tx_ratio, deposit_window_hours,
--             max_deposit_users, forward_share, fresh_days, settle_share, session_minutes, session_ratio,
--             min_paced_fundings
CREATE OR REPLACE TEMP TABLE _buyers AS
SELECT DISTINCT buyer AS address FROM rentals WHERE buyer IS NOT NULL;

-- Every value transfer the clustering can see: watched ERC-20 transfers and native-coin transfers with a known
-- sender. amount is in whole tokens (or coins), for shares and sums; raw is exact, for equality.
CREATE OR REPLACE TEMP TABLE _flows AS
SELECT t.chain_id, 'token:' || t.contract AS asset, coalesce(k.symbol, t.contract) AS symbol, t."from" AS src,
       t."to" AS dst, t.block_number, t.block_time, t.tx_hash, t.log_index AS seq, t.value::VARCHAR AS raw,
       t.value::DOUBLE / 10 ^ coalesce(k.decimals, 18) AS amount
FROM token_transfer t
LEFT JOIN tokens k ON k.chain_id = t.chain_id AND k.address = t.contract
WHERE t.value > 0
UNION ALL
SELECT n.chain_id, 'native', 'native coin', n."from", n."to", n.block_number, n.block_time, n.tx_hash, -1,
       n.value::VARCHAR, n.value::DOUBLE / 1e18
FROM native_transfer n
WHERE n."from" IS NOT NULL AND n.value > 0 AND n."from" <> n."to";

CREATE OR REPLACE TEMP TABLE _known_services AS
SELECT address, string_agg(DISTINCT reason, '; ' ORDER BY reason) AS reason,
       bool_or(reason LIKE 'cex_hot:%') AS exchange_like
FROM (
    SELECT contract AS address, 'marketplace contract' AS reason FROM sources WHERE kind = 'marketplace'
    UNION ALL SELECT DISTINCT provider, 'marketplace provider' FROM rentals
    UNION ALL SELECT address, 'token contract' FROM tokens
    UNION ALL SELECT DISTINCT address, 'contract (has code)' FROM address_code WHERE is_contract
    UNION ALL SELECT address, category || ': ' || label FROM service_labels
)
WHERE address IS NOT NULL
GROUP BY address;

-- Deposit-like forwarders: a non-buyer EOA whose outgoing transfers of an asset all go to one address, which
-- passes on at least forward_share of what it received before its last forward, each receipt forwarded within
-- deposit_window_hours (several receipts may go at once; native sweeps keep back the gas), and which few
-- senders use. Equal amounts are not required. The destination's own payments into it (gas top-ups) are not
-- receipts.
CREATE OR REPLACE TEMP TABLE _forwarders AS
WITH outs AS (
    SELECT chain_id, asset, src AS address, min(dst) AS destination, count(DISTINCT dst) AS destinations,
           sum(amount) AS sent, max(block_number) AS last_block, count(*) AS forwards
    FROM _flows GROUP BY ALL
),
single AS (
    SELECT o.* FROM outs o
    JOIN address_code c ON c.chain_id = o.chain_id AND c.address = o.address AND NOT c.is_contract
    WHERE o.destinations = 1
      AND o.address NOT IN (SELECT address FROM _buyers)
      AND o.address NOT IN (SELECT address FROM _known_services)
),
receipts AS (
    SELECT f.*, s.destination, s.sent FROM _flows f
    JOIN single s ON s.chain_id = f.chain_id AND s.asset = f.asset AND s.address = f.dst
    WHERE f.src <> s.destination AND f.block_number <= s.last_block
),
delays AS (
    SELECT r.chain_id, r.asset, r.dst AS address, r.src, r.amount, r.destination, r.sent,
           date_diff('minute', r.block_time, o.block_time) AS minutes
    FROM receipts r
    ASOF JOIN _flows o ON o.chain_id = r.chain_id AND o.asset = r.asset AND o.src = r.dst
                      AND o.block_number >= r.block_number
)
SELECT chain_id, asset, address, any_value(destination) AS destination, count(DISTINCT src) AS users,
       sum(amount) AS received, any_value(sent) AS sent, max(minutes) AS slowest_minutes
FROM delays
GROUP BY chain_id, asset, address
HAVING any_value(sent) >= getvariable('forward_share') * sum(amount)
   AND max(minutes) <= 60 * getvariable('deposit_window_hours')
   AND count(DISTINCT src) <= getvariable('max_deposit_users');

-- Per address, over every chain: what it did, from the flows and scans the index stored. Recipients and senders
-- leave out the addresses it funded (first, or while they were fresh) and its own funders (an entity's wallets paying back their
-- funder are not its customers), and senders are non-buyers (a collector of an entity's wallets is not an
-- exchange; an exchange's inflow comes from deposit addresses).
CREATE OR REPLACE TABLE address_activity AS
WITH funded AS (
    SELECT funder AS address, count(DISTINCT address) AS first_funded,
           count(DISTINCT address) FILTER (WHERE address IN (SELECT address FROM _buyers)) AS buyers_funded
    FROM funding WHERE status = 'funded' AND funder IS NOT NULL GROUP BY funder
),
fundings AS (   -- first fundings, and native coin sent to an address still fresh (airdrop dust may come first)
    SELECT funder AS a, address AS b FROM funding WHERE status = 'funded' AND funder IS NOT NULL
    UNION
    SELECT f.src, f.dst FROM _flows f
    JOIN funding g ON g.chain_id = f.chain_id AND g.address = f.dst AND g.status = 'funded'
    WHERE f.asset = 'native'
      AND f.block_time BETWEEN g.block_time AND g.block_time + to_days(getvariable('fresh_days')::INTEGER)
),
own AS (SELECT a, b FROM fundings UNION SELECT b, a FROM fundings),
outs AS (
    SELECT f.src AS address, count(DISTINCT f.dst) AS recipients FROM _flows f
    WHERE NOT EXISTS (SELECT 1 FROM own o WHERE o.a = f.src AND o.b = f.dst)
    GROUP BY f.src
),
ins AS (
    SELECT f.dst AS address, count(DISTINCT f.src) AS senders FROM _flows f
    WHERE f.src NOT IN (SELECT address FROM _buyers)
      AND NOT EXISTS (SELECT 1 FROM own o WHERE o.a = f.dst AND o.b = f.src)
    GROUP BY f.dst
),
collected AS (SELECT destination AS address, count(DISTINCT address) AS forwarders FROM _forwarders GROUP BY ALL),
settles AS (   -- what a collector of buyers' payments passes on, per chain and asset, to non-buyers it did not fund
    SELECT address, max(payers) AS buyer_payers, max(destinations) AS settles_to,
           round(max(passed / received), 6) AS settled_share   -- rounded: the same for any summation order
    FROM (
        SELECT i.chain_id, i.asset, i.address, i.payers, i.received, count(DISTINCT f.dst) AS destinations,
               fsum(f.amount) AS passed
        FROM (SELECT chain_id, asset, dst AS address, count(DISTINCT src) AS payers, fsum(amount) AS received
              FROM _flows WHERE src IN (SELECT address FROM _buyers) GROUP BY ALL) i
        JOIN _flows f ON f.chain_id = i.chain_id AND f.asset = i.asset AND f.src = i.address
        WHERE i.payers >= 2 AND i.received > 0
          AND f.dst NOT IN (SELECT address FROM _buyers)
          AND NOT EXISTS (SELECT 1 FROM own o WHERE o.a = f.src AND o.b = f.dst)
        GROUP BY ALL
    )
    GROUP BY address
),
paced AS (   -- how a funder's first fundings fall in time: in sessions (a fleet set up) or at random (customers)
    SELECT funder AS address, count(*) AS fundings,
           count(*) FILTER (WHERE least(coalesce(epoch(block_time) - epoch(prev), 1e18),
                                       coalesce(epoch(next) - epoch(block_time), 1e18))
                                  <= 60 * getvariable('session_minutes'))::DOUBLE / count(*) AS in_sessions,
           1 - exp(-2 * (count(*) - 1) * 60 * getvariable('session_minutes')
                   / greatest(epoch(max(block_time)) - epoch(min(block_time)), 1)) AS by_chance
    FROM (SELECT funder, block_time, lag(block_time) OVER w AS prev, lead(block_time) OVER w AS next
          FROM funding WHERE status = 'funded' AND funder IS NOT NULL AND block_time IS NOT NULL
          WINDOW w AS (PARTITION BY funder ORDER BY block_time, chain_id, address))
    GROUP BY funder
),
scans AS (
    SELECT address, max(nonce) AS nonce, bool_or(status = 'hub') AS hub FROM native_scan GROUP BY address
),
paid AS (SELECT dst AS address, count(DISTINCT src) AS buyers FROM _flows
         WHERE src IN (SELECT address FROM _buyers) GROUP BY dst),
everyone AS (
    SELECT address FROM funded UNION SELECT address FROM outs UNION SELECT address FROM ins
    UNION SELECT address FROM collected UNION SELECT address FROM scans
)
SELECT e.address, e.address IN (SELECT address FROM _buyers) AS is_buyer,
       coalesce(f.first_funded, 0) AS first_funded, coalesce(f.buyers_funded, 0) AS buyers_funded,
       coalesce(o.recipients, 0) AS other_recipients, coalesce(i.senders, 0) AS independent_senders,
       coalesce(c.forwarders, 0) AS forwarders_in, s.nonce, coalesce(s.hub, false) AS hub,
       coalesce(t.buyer_payers, 0) AS buyer_payers, coalesce(t.settles_to, 0) AS settles_to,
       coalesce(t.settled_share, 0) AS settled_share, p.in_sessions AS fundings_in_sessions,
       p.by_chance AS fundings_by_chance, coalesce(b.buyers, 0) AS paid_by_buyers,
       e.address NOT IN (SELECT address FROM _buyers) AND coalesce(f.first_funded, 0) >= getvariable('min_paced_fundings')
           AND 1 - p.in_sessions >= (1 - p.by_chance) / getvariable('session_ratio') AS paced
FROM everyone e
LEFT JOIN funded f ON f.address = e.address
LEFT JOIN outs o ON o.address = e.address
LEFT JOIN ins i ON i.address = e.address
LEFT JOIN collected c ON c.address = e.address
LEFT JOIN scans s ON s.address = e.address
LEFT JOIN settles t ON t.address = e.address
LEFT JOIN paced p ON p.address = e.address
LEFT JOIN paid b ON b.address = e.address
ORDER BY e.address;

CREATE OR REPLACE TABLE service_addresses AS
WITH behaviour AS (   -- never a buyer: a busy renter pays many providers and is still one customer
    SELECT address, 'busy: ' || nonce || ' transactions, first funder of ' || first_funded || ' addresses' AS reason,
           true AS exchange_like
    FROM address_activity
    WHERE NOT is_buyer AND hub AND nonce >= getvariable('busy_tx_ratio') * greatest(first_funded, 1)
    UNION ALL
    SELECT address, 'pays ' || other_recipients || ' addresses it did not first fund (first funder of '
                    || first_funded || ')', true
    FROM address_activity
    WHERE NOT is_buyer AND other_recipients >= getvariable('min_service_degree')
    UNION ALL
    SELECT address, 'receives from ' || independent_senders || ' non-buyers it did not fund', true
    FROM address_activity WHERE NOT is_buyer AND independent_senders >= getvariable('min_service_degree')
    UNION ALL
    SELECT address, 'collects from ' || forwarders_in || ' deposit-like forwarders', true
    FROM address_activity WHERE NOT is_buyer AND forwarders_in >= 2
    UNION ALL
    SELECT address, 'first funds ' || first_funded || ' addresses at the pace of independent customers: '
                    || round(100 * fundings_in_sessions) || ' % within ' || getvariable('session_minutes')
                    || ' min of another, ' || round(100 * fundings_by_chance) || ' % by chance', true
    FROM address_activity
    WHERE paced AND paid_by_buyers < 2
    UNION ALL
    SELECT address, 'passes on ' || round(100 * settled_share) || ' % of what ' || buyer_payers
                    || ' buyers paid it to ' || settles_to || ' addresses', false
    FROM address_activity
    WHERE NOT is_buyer AND settles_to >= 2 AND settled_share >= getvariable('settle_share')
    UNION ALL
    SELECT address, 'first funder of ' || buyers_funded || ' buyers (more than ' || getvariable('max_funder_fanout')
                    || ', --max-funder-fanout)', true
    FROM address_activity WHERE buyers_funded > getvariable('max_funder_fanout')
    UNION ALL
    SELECT spender, 'approved by ' || count(DISTINCT owner) || ' owners (more than '
                    || getvariable('max_spender_owners') || ')', false
    FROM token_approval WHERE value > 0
    GROUP BY spender HAVING count(DISTINCT owner) > getvariable('max_spender_owners')
),
candidates AS (
    SELECT address, reason, exchange_like FROM _known_services
    UNION ALL SELECT * FROM behaviour
)
SELECT c.address, string_agg(DISTINCT c.reason, '; ' ORDER BY c.reason) AS reason,
       bool_or(c.exchange_like) AS exchange_like,
       bool_or(c.address NOT IN (SELECT address FROM _known_services)) AS by_behaviour
FROM candidates c
WHERE c.address IS NOT NULL
GROUP BY c.address
ORDER BY c.address;
