-- Runs stored before V3 kept their records in pg_map_entries, which members no longer read (pg_run_parts holds the
-- runs now). Their metadata, idempotency keys and retained-bytes account would load without their runs, and the
-- run metadata of that time has another layout (no owner): forget them with the runs.
DELETE FROM pg_map_entries
 WHERE map_name IN ('phasegrid.runs', 'phasegrid.runmeta', 'phasegrid.submissions', 'phasegrid.retained');
