package io.phasegrid.coordinator.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunRecordParts;
import io.phasegrid.coordinator.run.WireInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The runs map in the table {@code pg_run_parts}: each record as the parts of {@link RunRecordParts} (a header, the
 * blueprint, a row per chunk of phases and per slice of the event ring), and each store writes the header and only
 * the parts that changed since this member's last store of the run, in one transaction. What was stored is known
 * from a {@link RunRecordParts.Snapshot} kept per run; without one (the first store of a run on this member: a new
 * run, a loaded one, one whose partition moved here) every part is written, after deleting what the run had. A
 * store that fails forgets the snapshot, so the next one writes everything again. Write-through, like
 * {@link JdbcMapStore}: a map operation returns only once its rows are committed.
 */
public final class RunRecordMapStore implements MapStore<String, RunRecord>, MapLoaderLifecycleSupport {

    static final int HEADER = 0;
    static final int BLUEPRINT = 1;
    static final int PHASES = 2;
    static final int EVENTS = 3;

    private final Database database;
    private final StoreCalls calls;
    private final Map<String, RunRecordParts.Snapshot> stored = new ConcurrentHashMap<>();
    private final LongAdder partsWritten = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private String mapName;
    private HazelcastInstance hazelcast;
    private UUID migrations;

    public RunRecordMapStore(Database database, StoreHealth health) {
        this.database = database;
        this.calls = new StoreCalls(database, health);
    }

    @Override
    public void init(HazelcastInstance hazelcast, Properties properties, String name) {
        this.mapName = name;
        this.hazelcast = hazelcast;
        // a partition that moves away leaves its snapshots behind: drop them (the next owner writes everything)
        migrations = hazelcast.getPartitionService().addMigrationListener(new MigrationListener() {
            @Override
            public void migrationStarted(MigrationState state) {
                stored.clear();
            }

            @Override
            public void migrationFinished(MigrationState state) {
                stored.clear();
            }

            @Override
            public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
            }

            @Override
            public void replicaMigrationFailed(ReplicaMigrationEvent event) {
            }
        });
    }

    @Override
    public void destroy() {
        if (migrations != null) {
            hazelcast.getPartitionService().removeMigrationListener(migrations);
        }
    }

    /** Parts written since the member started (each store's header included). */
    public long partsWritten() {
        return partsWritten.sum();
    }

    /** Bytes of the parts written since the member started. */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** One row to write: a part of a run. */
    private record Part(String runId, int kind, int index, byte[] bytes) {
    }

    @Override
    public void store(String key, RunRecord value) {
        storeAll(Map.of(key, value));
    }

    @Override
    public void storeAll(Map<String, RunRecord> entries) {
        List<String> fresh = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        Map<String, RunRecordParts.Snapshot> snapshots = new HashMap<>();
        for (Map.Entry<String, RunRecord> e : entries.entrySet()) {
            RunRecordParts.Snapshot last = stored.remove(e.getKey());
            RunRecordParts.Snapshot now = RunRecordParts.Snapshot.of(e.getValue());
            if (last == null) {
                fresh.add(e.getKey());
            }
            parts(e.getKey(), e.getValue(), now.since(last), parts);
            snapshots.put(e.getKey(), now);
        }
        long now = System.currentTimeMillis();
        calls.inTransaction(mapName, connection -> {
            if (!fresh.isEmpty()) {
                deleteRows(connection, fresh);
            }
            try (PreparedStatement upsert = connection.prepareStatement(database.dialect().upsertRunPart())) {
                for (Part part : parts) {
                    upsert.setString(1, part.runId());
                    upsert.setInt(2, part.kind());
                    upsert.setInt(3, part.index());
                    upsert.setBytes(4, part.bytes());
                    upsert.setLong(5, now);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            return null;
        });
        // only now known to be in the database; a failed store above leaves no snapshot: the next writes all
        stored.putAll(snapshots);
        partsWritten.add(parts.size());
        for (Part part : parts) {
            bytesWritten.add(part.bytes().length);
        }
    }

    private static void parts(String runId, RunRecord r, RunRecordParts.Changes changes, List<Part> out) {
        try {
            CompactWire.Out header = new CompactWire.Out(512);
            RunRecordParts.writeHeader(r, header);
            out.add(new Part(runId, HEADER, 0, header.toByteArray()));
            if (changes.blueprint()) {
                CompactWire.Out blueprint = new CompactWire.Out(64 * r.phaseCount());
                RunRecordParts.writeBlueprint(r, blueprint);
                out.add(new Part(runId, BLUEPRINT, 0, blueprint.toByteArray()));
            }
            for (int k = changes.phases().nextSetBit(0); k >= 0; k = changes.phases().nextSetBit(k + 1)) {
                CompactWire.Out phases = new CompactWire.Out(8192);
                RunRecordParts.writePhases(r, k, phases);
                out.add(new Part(runId, PHASES, k, phases.toByteArray()));
            }
            for (int k = changes.events().nextSetBit(0); k >= 0; k = changes.events().nextSetBit(k + 1)) {
                CompactWire.Out events = new CompactWire.Out(4096);
                RunRecordParts.writeEvents(r, k, events);
                out.add(new Part(runId, EVENTS, k, events.toByteArray()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("run " + runId + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRows(Connection connection, Collection<String> runIds) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM pg_run_parts WHERE run_id = ?")) {
            for (String runId : runIds) {
                delete.setString(1, runId);
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    @Override
    public void delete(String key) {
        deleteAll(List.of(key));
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        keys.forEach(stored::remove);
        calls.inTransaction(mapName, connection -> {
            deleteRows(connection, keys);
            return null;
        });
    }

    @Override
    public RunRecord load(String key) {
        return calls.inTransaction(mapName, connection -> read(connection, key));
    }

    @Override
    public Map<String, RunRecord> loadAll(Collection<String> keys) {
        return calls.inTransaction(mapName, connection -> {
            Map<String, RunRecord> loaded = new HashMap<>();
            for (String key : keys) {
                RunRecord record = read(connection, key);
                if (record != null) {
                    loaded.put(key, record);
                }
            }
            return loaded;
        });
    }

    private static RunRecord read(Connection connection, String runId) throws SQLException {
        Map<Integer, byte[]> phases = new HashMap<>();
        Map<Integer, byte[]> events = new HashMap<>();
        byte[] header = null;
        byte[] blueprint = null;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kind, part, bytes FROM pg_run_parts WHERE run_id = ?")) {
            select.setString(1, runId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    int kind = rows.getInt(1);
                    int part = rows.getInt(2);
                    byte[] bytes = rows.getBytes(3);
                    switch (kind) {
                        case HEADER -> header = bytes;
                        case BLUEPRINT -> blueprint = bytes;
                        case PHASES -> phases.put(part, bytes);
                        case EVENTS -> events.put(part, bytes);
                        default -> throw new IllegalStateException("run " + runId + ": a part of kind " + kind);
                    }
                }
            }
        }
        if (header == null) {
            return null;
        }
        if (blueprint == null) {
            throw new IllegalStateException("run " + runId + ": stored without its blueprint");
        }
        try {
            return RunRecordParts.read(new CompactWire.In(header), new CompactWire.In(blueprint),
                    k -> input(phases.get(k)), k -> input(events.get(k)));
        } catch (IOException e) {
            throw new IllegalStateException("run " + runId + ": stored parts do not make a record: "
                    + e.getMessage(), e);
        }
    }

    private static WireInput input(byte[] bytes) {
        return bytes == null ? null : new CompactWire.In(bytes);
    }

    @Override
    public Iterable<String> loadAllKeys() {
        return calls.inTransaction(mapName, connection -> {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT run_id FROM pg_run_parts WHERE kind = " + HEADER)) {
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        keys.add(rows.getString(1));
                    }
                }
            }
            return keys;
        });
    }
}
