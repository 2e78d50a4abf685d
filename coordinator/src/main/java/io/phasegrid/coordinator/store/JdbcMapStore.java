package io.phasegrid.coordinator.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One durable map in the table {@code pg_map_entries}: keys and values in the member's own serialized form (the
 * same bytes the cluster moves between members), so every value type the coordinator stores needs no mapping of its
 * own. Write-through: a map operation returns only once its row is written, and fails when the database does.
 */
public final class JdbcMapStore implements MapStore<Object, Object>, MapLoaderLifecycleSupport {

    private final Database database;
    private final StoreCalls calls;
    private String mapName;
    private SerializationService serialization;

    public JdbcMapStore(Database database, StoreHealth health) {
        this.database = database;
        this.calls = new StoreCalls(database, health);
    }

    @Override
    public void init(HazelcastInstance hazelcast, Properties properties, String name) {
        this.mapName = name;
        this.serialization = ((SerializationServiceSupport) hazelcast).getSerializationService();
    }

    @Override
    public void destroy() {
        // the pool belongs to the node, which closes it after the member
    }


    private byte[] bytes(Object o) {
        Data data = serialization.toData(o);
        return data.toByteArray();
    }

    private Object object(byte[] bytes) {
        return serialization.toObject(new HeapData(bytes));
    }

    @Override
    public void store(Object key, Object value) {
        storeAll(Map.of(key, value));
    }

    @Override
    public void storeAll(Map<Object, Object> entries) {
        long now = System.currentTimeMillis();
        calls.call(mapName, connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(database.dialect().upsert())) {
                for (Map.Entry<Object, Object> e : entries.entrySet()) {
                    upsert.setString(1, mapName);
                    upsert.setBytes(2, bytes(e.getKey()));
                    upsert.setBytes(3, bytes(e.getValue()));
                    upsert.setLong(4, now);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void delete(Object key) {
        deleteAll(List.of(key));
    }

    @Override
    public void deleteAll(Collection<Object> keys) {
        calls.call(mapName, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM pg_map_entries WHERE map_name = ? AND entry_key = ?")) {
                for (Object key : keys) {
                    delete.setString(1, mapName);
                    delete.setBytes(2, bytes(key));
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            return null;
        });
    }

    @Override
    public Object load(Object key) {
        return calls.call(mapName, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT entry_value FROM pg_map_entries WHERE map_name = ? AND entry_key = ?")) {
                select.setString(1, mapName);
                select.setBytes(2, bytes(key));
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? object(rows.getBytes(1)) : null;
                }
            }
        });
    }

    @Override
    public Map<Object, Object> loadAll(Collection<Object> keys) {
        Map<Object, Object> loaded = new HashMap<>();
        for (Object key : keys) {
            Object value = load(key);
            if (value != null) {
                loaded.put(key, value);
            }
        }
        return loaded;
    }

    @Override
    public Iterable<Object> loadAllKeys() {
        return calls.call(mapName, connection -> {
            List<Object> keys = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT entry_key FROM pg_map_entries WHERE map_name = ?")) {
                select.setString(1, mapName);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        keys.add(object(rows.getBytes(1)));
                    }
                }
            }
            return keys;
        });
    }
}
