-- services: the addresses the analysis treats as services because of what they do (not a label or code), with
-- the figures that made it so (address_activity), the ones that first funded the most buyers first. Nothing
-- merges through them; an analyst who knows better labels them (`auditor labels import`).
SELECT
    s.address,
    s.reason AS service_reason,
    coalesce(a.buyers_funded, 0) AS buyers_funded,
    coalesce(a.first_funded, 0) AS first_funded,
    coalesce(a.other_recipients, 0) AS other_recipients,
    coalesce(a.independent_senders, 0) AS independent_senders,
    coalesce(a.forwarders_in, 0) AS forwarders_in,
    a.nonce
FROM service_addresses AS s
LEFT JOIN address_activity AS a ON a.address = s.address
WHERE s.by_behaviour
ORDER BY buyers_funded DESC, first_funded DESC, s.address
