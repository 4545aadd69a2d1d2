-- marketplace_rentals: one marketplace's rentals (_marketplace_rentals, the view of its rentals SQL) added to
-- rentals with what the registry knows of it rather than what its SQL might retype: its name, kyc and H100e
-- method, and its token for the rows that name none. A row with kyc_evidence ('card: ...') takes the KYC it names.
INSERT INTO rentals BY NAME SELECT * FROM _marketplace_rentals;

UPDATE rentals SET marketplace = f.marketplace, h100e_method = f.h100e_method,
                   kyc = coalesce(nullif(split_part(rentals.kyc_evidence, ':', 1), ''), f.kyc),
                   payment_token = coalesce(rentals.payment_token, f.payment_token)
FROM marketplace_facts f
WHERE rentals.marketplace IS NULL AND f.marketplace = getvariable('marketplace');

DROP VIEW _marketplace_rentals;
