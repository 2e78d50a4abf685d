-- One row per entry of a durable Hazelcast map: key and value in the member's own serialized form.
CREATE TABLE pg_map_entries (
    map_name    VARCHAR(64) NOT NULL,
    entry_key   ${binary} NOT NULL,
    entry_value ${binary} NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (map_name, entry_key)
);
