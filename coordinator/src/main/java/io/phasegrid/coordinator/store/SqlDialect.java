package io.phasegrid.coordinator.store;

/** What differs between the databases the store runs on: the binary column type and the upserts. */
public enum SqlDialect {
    POSTGRESQL("BYTEA", "INSERT INTO pg_map_entries (map_name, entry_key, entry_value, updated_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (map_name, entry_key) DO UPDATE SET entry_value = EXCLUDED.entry_value,"
            + " updated_at = EXCLUDED.updated_at",
            "INSERT INTO pg_run_parts (run_id, kind, part, bytes, updated_at) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (run_id, kind, part) DO UPDATE SET bytes = EXCLUDED.bytes,"
            + " updated_at = EXCLUDED.updated_at"),
    H2("VARBINARY", "MERGE INTO pg_map_entries (map_name, entry_key, entry_value, updated_at)"
            + " KEY (map_name, entry_key) VALUES (?, ?, ?, ?)",
            "MERGE INTO pg_run_parts (run_id, kind, part, bytes, updated_at) KEY (run_id, kind, part)"
            + " VALUES (?, ?, ?, ?, ?)");

    private final String binaryType;
    private final String upsert;
    private final String upsertRunPart;

    SqlDialect(String binaryType, String upsert, String upsertRunPart) {
        this.binaryType = binaryType;
        this.upsert = upsert;
        this.upsertRunPart = upsertRunPart;
    }

    /** The dialect of a JDBC URL; an IllegalArgumentException naming the URL's scheme for any other database. */
    public static SqlDialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalArgumentException("--store " + jdbcUrl.replaceAll("password=[^&;]*", "password=***")
                + ": expected jdbc:postgresql://HOST:PORT/DB or jdbc:h2:file:PATH");
    }

    public String binaryType() {
        return binaryType;
    }

    /** Insert or replace one entry: map name, key bytes, value bytes, time. */
    public String upsert() {
        return upsert;
    }

    /** Insert or replace one part of a run: run id, kind, part, bytes, time. */
    public String upsertRunPart() {
        return upsertRunPart;
    }
}
