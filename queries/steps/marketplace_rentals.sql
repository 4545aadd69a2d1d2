-- marketplace_rentals: one marketplace's rentals (_marketplace_rentals, the view of its rentals SQL) added to
-- rentals with what the registry knows of it rather than what its SQL might retype: its name, kyc and H100e
-- method, and its token for the rows that name none.
INSERT INTO rentals BY NAME SELECT * FROM _marketplace_rentals;

UPDATE rentals SET marketplace = f.marketplace, kyc = f.kyc, h100e_method = f.h100e_method,
                   payment_token = coalesce(rentals.payment_token, f.payment_token)
FROM marketplace_facts f
WHERE rentals.marketplace IS NULL AND f.marketplace = getvariable('marketplace');

DROP VIEW _marketplace_rentals;
