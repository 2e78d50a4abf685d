package io.phasegrid.coordinator.store;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import io.phasegrid.coordinator.auth.HazelcastTokenStore;
import io.phasegrid.coordinator.hazelcast.MapNames;
import java.util.List;

/**
 * Which maps a user would miss after losing every member, and how they are stored: each one write-through
 * ({@code write-delay-seconds 0}: an operation is acknowledged only once its row is in the database) and loaded
 * eagerly when a member starts. The worker registry is not among them: workers register again.
 */
public final class DurableMaps {

    /** The durable maps. */
    public static final List<String> NAMES = List.of(MapNames.RUNS, MapNames.RUN_META, MapNames.CHECKPOINTS,
            MapNames.LEDGER, MapNames.SUBMISSIONS, MapNames.RETAINED, MapNames.QUOTAS, HazelcastTokenStore.TOKENS,
            HazelcastTokenStore.DIGESTS);

    private DurableMaps() {
    }

    /**
     * Puts a write-through store on {@code database} behind every durable map of {@code config}: the runs in parts
     * ({@link RunRecordMapStore}: a change writes what it changed), every other map entry by entry
     * ({@link JdbcMapStore}).
     */
    public static Config configure(Config config, Database database, StoreHealth health) {
        for (String name : NAMES) {
            MapConfig map = config.getMapConfigOrNull(name);
            if (map == null) {
                map = new MapConfig(name).setBackupCount(1);
                config.addMapConfig(map);
            }
            map.setMapStoreConfig(new MapStoreConfig()
                    .setEnabled(true)
                    .setImplementation(name.equals(MapNames.RUNS) ? new RunRecordMapStore(database, health)
                            : new JdbcMapStore(database, health))
                    .setWriteDelaySeconds(0)
                    .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER));
        }
        return config;
    }
}
