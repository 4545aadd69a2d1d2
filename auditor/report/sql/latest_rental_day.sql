-- latest_rental_day: UTC day of the newest rental, to resolve the week 'last'.
SELECT CAST(max(block_time) AT TIME ZONE 'UTC' AS DATE) AS day
FROM rentals
