-- Forget the scans of addresses no longer in the scan set (their buyer went away in a reorg), then the transfers
-- that touch no scanned address (also those an address found before it grew into a hub), so the store equals a
-- run that never saw them. Parameters: $chain, $keep.
DELETE FROM native_scan WHERE chain_id = $chain AND address NOT IN (SELECT unnest($keep));

DELETE FROM native_transfer t
WHERE t.chain_id = $chain
  AND t."to" NOT IN (SELECT address FROM native_scan WHERE chain_id = $chain AND status = 'scanned')
  AND coalesce(t."from", '') NOT IN (SELECT address FROM native_scan WHERE chain_id = $chain AND status = 'scanned')
