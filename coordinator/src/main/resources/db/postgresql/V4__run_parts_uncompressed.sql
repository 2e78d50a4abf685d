-- The parts are compact already (varints, shared strings): compressing them again costs CPU for little.
ALTER TABLE pg_run_parts ALTER COLUMN bytes SET STORAGE EXTERNAL;
