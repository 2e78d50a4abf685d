package io.phasegrid.coordinator.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;

/**
 * Values by string key, changed only by entry processors applied atomically to one entry: on a member an
 * {@link IMap} ({@link #of}), in a test plain entries. A store whose processors need nothing of Hazelcast but the
 * entry (the principals' quotas, the worker records) takes these instead of a map.
 *
 * @param <V> the stored values
 */
public interface KeyedEntries<V> {

    /** The stored value, null when none. */
    V get(String key);

    <R> R execute(String key, EntryProcessor<String, V, R> processor);

    /** The entries of {@code map}. */
    static <V> KeyedEntries<V> of(IMap<String, V> map) {
        return new KeyedEntries<>() {
            @Override
            public V get(String key) {
                return map.get(key);
            }

            @Override
            public <R> R execute(String key, EntryProcessor<String, V, R> processor) {
                return map.executeOnKey(key, processor);
            }
        };
    }
}
