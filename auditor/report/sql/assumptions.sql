-- assumptions: the settings the analysis ran with, as it recorded them.
SELECT key, value FROM analysis_runs ORDER BY key, value
