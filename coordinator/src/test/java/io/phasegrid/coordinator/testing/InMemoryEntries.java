package io.phasegrid.coordinator.testing;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import io.phasegrid.coordinator.hazelcast.KeyedEntries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Values changed by entry processors applied one at a time to plain map entries: what an {@code IMap}'s
 * {@code executeOnKey} does for the domain, without a member. The processors are the production ones, so the state
 * they leave is the one a member would store; as {@link KeyedEntries} they are a store's entries without a member
 * (the principals' quotas, the worker records). Listeners hear of every stored change of their key (or of every key),
 * after the call. A time to live a processor gives an entry is ignored: entries stay until removed.
 *
 * @param <V> the stored values
 */
public final class InMemoryEntries<V> implements KeyedEntries<V> {

    /** Hears that a key's value was set or removed. */
    public interface Listener {
        void changed(boolean removed);
    }

    private final Map<String, V> values = new HashMap<>();
    private final Map<String, List<Listener>> listeners = new HashMap<>();
    private final List<BiConsumer<String, Boolean>> allKeys = new CopyOnWriteArrayList<>();

    /** Applies {@code processor} to the entry of {@code key} (a null value when there is none), atomically. */
    @Override
    public <R> R execute(String key, EntryProcessor<String, V, R> processor) {
        Entry entry;
        R result;
        synchronized (this) {
            entry = new Entry(key, values.get(key));
            result = processor.process(entry);
            if (entry.set) {
                if (entry.value == null) {
                    values.remove(key);
                } else {
                    values.put(key, entry.value);
                }
            }
        }
        if (entry.set) {
            tell(key, entry.value == null);
        }
        return result;
    }

    @Override
    public synchronized V get(String key) {
        return values.get(key);
    }

    /** Stores {@code value} unless the key holds one; answers whether it was stored. */
    public boolean putIfAbsent(String key, V value) {
        synchronized (this) {
            if (values.containsKey(key)) {
                return false;
            }
            values.put(key, value);
        }
        tell(key, false);
        return true;
    }

    public void remove(String key) {
        boolean removed;
        synchronized (this) {
            removed = values.remove(key) != null;
        }
        if (removed) {
            tell(key, true);
        }
    }

    /** A copy of every entry. */
    public synchronized Map<String, V> snapshot() {
        return new HashMap<>(values);
    }

    /** Listens to {@code key} until the returned action runs. */
    public synchronized Runnable listen(String key, Listener listener) {
        listeners.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> {
            synchronized (this) {
                List<Listener> of = listeners.get(key);
                if (of != null) {
                    of.remove(listener);
                }
            }
        };
    }

    /** Listens to every key ({@code listener} gets the key and whether it was removed) until the action runs. */
    public Runnable listenAll(BiConsumer<String, Boolean> listener) {
        allKeys.add(listener);
        return () -> allKeys.remove(listener);
    }

    private void tell(String key, boolean removed) {
        List<Listener> of;
        synchronized (this) {
            of = new ArrayList<>(listeners.getOrDefault(key, List.of()));
        }
        of.forEach(l -> l.changed(removed));
        allKeys.forEach(l -> l.accept(key, removed));
    }

    private final class Entry implements ExtendedMapEntry<String, V> {
        private final String key;
        private V value;
        private boolean set;

        Entry(String key, V value) {
            this.key = key;
            this.value = value;
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return value;
        }

        @Override
        public V setValue(V newValue) {
            V old = value;
            value = newValue;
            set = true;
            return old;
        }

        @Override
        public V setValue(V newValue, long ttl, TimeUnit ttlUnit) {
            return setValue(newValue);
        }

        @Override
        public V setValueWithoutChangingExpiryTime(V newValue) {
            return setValue(newValue);
        }
    }
}
