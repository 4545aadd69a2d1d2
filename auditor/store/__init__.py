"""DuckDB storage: connection, migrations, event tables, transactional loads with their coverage."""
