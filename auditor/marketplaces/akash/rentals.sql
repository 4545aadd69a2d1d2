-- name: rentals_akash
-- purpose: one rental per Akash lease (akash_lease, read from the chain's list endpoints). The buyer is the
--          deployment's owner, the provider the lease's. The GPU is what the winning bid offered (its
--          resources_offer: every GPU unit naming the same model), else what the deployment's group asked for
--          when its attributes name exactly one model; model, memory and interface map to gpu_specs through
--          gpu_aliases (model-interface-memory, model-interface, model). gpu_count = GPU units x count over the
--          offer's (else the group's) resource units. Hours run from the block the lease opened at to the block
--          it closed at (open leases: to the chain's safe block), times from `blocks`. Payment: what the lease's
--          escrow payment paid (withdrawn + balance at the snapshot), else price per block x blocks, in the
--          price's denom (uakt -> AKT, uact -> ACT, axlUSDC over IBC -> USDC, micro units). H100e-hours =
--          hours x GPU count x the GPU's h100e. CPU-only leases: workload cpu, no H100e. Owners paid for by a
--          card on-ramp (fee grant or deposit authorization from an address labelled card_onramp, e.g. the
--          Akash Console's funding wallet) carry kyc_evidence; the Console's pricing bot is left out.
--          tx_hash holds the lease id (owner/dseq/gseq/oseq/provider/bseq): the list endpoints name no tx.
-- parameters: akash_pricing_bot, akash_usdc_denom
WITH units AS (
    SELECT chain_id, kind, owner, dseq, gseq, oseq, provider, bseq,
           sum(gpu_units * resource_count) AS gpus,
           count(*) FILTER (gpu_units > 0) AS gpu_units_n,
           count(*) FILTER (gpu_units > 0 AND gpu_model IS NOT NULL) AS named_n,
           count(DISTINCT gpu_model) FILTER (gpu_units > 0) AS models_n,
           any_value(gpu_model) FILTER (gpu_units > 0) AS model,
           CASE WHEN count(DISTINCT gpu_memory) FILTER (gpu_units > 0) = 1
                THEN any_value(gpu_memory) FILTER (gpu_units > 0) END AS memory,
           CASE WHEN count(DISTINCT gpu_interface) FILTER (gpu_units > 0) = 1
                THEN any_value(gpu_interface) FILTER (gpu_units > 0) END AS interface
    FROM akash_resource
    GROUP BY ALL
), gpu AS (
    SELECT *, gpu_units_n > 0 AND named_n = gpu_units_n AND models_n = 1 AS exact FROM units
), leases AS (
    SELECT l.*, ch.safe_block, ch.safe_time,
           coalesce(o.gpus, g.gpus, 0) AS gpu_count,
           CASE WHEN o.exact THEN o.model WHEN g.exact THEN g.model END AS model,
           CASE WHEN o.exact THEN o.memory WHEN g.exact THEN g.memory END AS memory,
           CASE WHEN o.exact THEN o.interface WHEN g.exact THEN g.interface END AS interface,
           bo.block_time AS open_time, bc.block_time AS close_time
    FROM akash_lease l
    LEFT JOIN chains ch ON ch.chain_id = l.chain_id
    LEFT JOIN gpu o ON o.kind = 'offer' AND o.chain_id = l.chain_id AND o.owner = l.owner AND o.dseq = l.dseq
                    AND o.gseq = l.gseq AND o.oseq = l.oseq AND o.provider = l.provider AND o.bseq = l.bseq
    LEFT JOIN gpu g ON g.kind = 'group' AND g.chain_id = l.chain_id AND g.owner = l.owner AND g.dseq = l.dseq
                    AND g.gseq = l.gseq
    LEFT JOIN blocks bo ON bo.chain_id = l.chain_id AND bo.block_number = l.created_at
    LEFT JOIN blocks bc ON bc.chain_id = l.chain_id AND bc.block_number = l.closed_on
    WHERE l.owner <> getvariable('akash_pricing_bot')
), card AS (
    SELECT DISTINCT t.chain_id, t."to" AS owner,
           first('card: ' || t.kind || ' from ' || s.label || ' ' || t."from" ORDER BY t.height, t.tx_hash)
               OVER (PARTITION BY t.chain_id, t."to") AS evidence
    FROM akash_transfer t
    JOIN service_labels s ON s.chain_id = t.chain_id AND s.address = t."from" AND s.category = 'card_onramp'
    WHERE t.kind IN ('feegrant', 'authz')
), priced AS (
    SELECT leases.*,
           greatest(0.0, epoch(coalesce(close_time, safe_time)) - epoch(open_time)) / 3600.0 AS hours,
           coalesce(paid_amount, price_amount * greatest(0, coalesce(closed_on, safe_block) - created_at))
               AS paid,
           CASE price_denom WHEN 'uakt' THEN 'AKT' WHEN 'uact' THEN 'ACT'
                WHEN getvariable('akash_usdc_denom') THEN 'USDC' END AS token,
           coalesce(k1.gpu, k2.gpu, k3.gpu) AS gpu_name,
           coalesce(k1.h100e, k2.h100e, k3.h100e) AS h100e,
           coalesce(k1.h100e_low, k2.h100e_low, k3.h100e_low) AS h100e_low,
           coalesce(k1.h100e_high, k2.h100e_high, k3.h100e_high) AS h100e_high
    FROM leases
    LEFT JOIN gpu_lookup k1 ON k1.alias_key = lower(regexp_replace(model || interface || regexp_extract(memory, '^[0-9]+')
                                                                   || 'g', '[^A-Za-z0-9]', '', 'g'))
    LEFT JOIN gpu_lookup k2 ON k2.alias_key = lower(regexp_replace(model || interface, '[^A-Za-z0-9]', '', 'g'))
    LEFT JOIN gpu_lookup k3 ON k3.alias_key = lower(regexp_replace(model, '[^A-Za-z0-9]', '', 'g'))
)
SELECT p.chain_id, created_at AS block_number, open_time AS block_time,
       'lease:' || p.owner || '/' || dseq || '/' || gseq || '/' || oseq || '/' || provider || '/' || bseq AS tx_hash,
       0 AS log_index, p.owner AS buyer, provider,
       CASE WHEN gpu_count > 0 THEN gpu_name END AS gpu_model,
       CASE WHEN gpu_count > 0 THEN concat_ws('/', model, memory, interface) END AS gpu_model_raw,
       gpu_count::INTEGER AS gpu_count,
       open_time AS start_time, close_time AS end_time, hours AS duration_hours, closed_on IS NULL AS is_open,
       token AS payment_token, paid::DOUBLE / 1e6 AS payment_amount, paid::VARCHAR AS payment_raw,
       hours * gpu_count AS gpu_hours,
       CASE WHEN gpu_count > 0 THEN hours * gpu_count * h100e END AS h100e_hours,
       CASE WHEN gpu_count > 0 THEN hours * gpu_count * h100e_low END AS h100e_hours_low,
       CASE WHEN gpu_count > 0 THEN hours * gpu_count * h100e_high END AS h100e_hours_high,
       CASE WHEN gpu_count > 0 THEN 'gpu' ELSE 'cpu' END AS workload,
       c.evidence AS kyc_evidence
FROM priced p
LEFT JOIN card c ON c.chain_id = p.chain_id AND c.owner = p.owner
