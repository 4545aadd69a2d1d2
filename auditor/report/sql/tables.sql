-- tables: names of the tables and views in the connection's current schema (to detect a missing analysis).
SELECT table_name
FROM information_schema.tables
WHERE table_catalog = current_database() AND table_schema = current_schema()
ORDER BY table_name
