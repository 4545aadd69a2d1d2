-- name: sandbox
-- purpose: lock an `auditor sql` connection down before the analyst's statement runs: no file, network or
--          extension access (the database file itself is already open), bounded memory, threads and spill,
--          and the configuration locked last so that no SET, RESET or PRAGMA can undo any of it.
-- parameters: $memory_limit, $threads, $max_temp_directory_size
SET enable_external_access = false;
SET autoinstall_known_extensions = false;
SET autoload_known_extensions = false;
SET allow_community_extensions = false;
SET python_enable_replacements = false;
SET memory_limit = $memory_limit;
SET threads = $threads;
SET max_temp_directory_size = $max_temp_directory_size;
SET lock_configuration = true;
