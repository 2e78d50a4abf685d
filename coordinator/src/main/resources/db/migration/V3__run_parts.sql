-- The runs map in parts (store/RunRecordMapStore): a run's header, its blueprint, one row per chunk of 256 phases
-- and one per 64 slots of its event ring, so a change rewrites the rows it touched, not the whole record.
CREATE TABLE pg_run_parts (
    run_id     VARCHAR(255) NOT NULL,
    kind       INTEGER NOT NULL,
    part       INTEGER NOT NULL,
    bytes      ${binary} NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (run_id, kind, part)
);
