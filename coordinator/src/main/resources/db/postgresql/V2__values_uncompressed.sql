-- Run records are rewritten on every change: compressing each new version (pglz, PostgreSQL's default for large
-- values) costs more CPU than the bytes it saves on a local disk.
ALTER TABLE pg_map_entries ALTER COLUMN entry_value SET STORAGE EXTERNAL;
