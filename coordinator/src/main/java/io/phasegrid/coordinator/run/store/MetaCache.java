package io.phasegrid.coordinator.run.store;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One member's copies of run metadata with plan contents (what lease offers carry), shared by every
 * {@link RunStore} of the member and bounded by bytes of contents ({@link #DEFAULT_MAX_BYTES}), least recently used
 * first out. Metadata changes once after submission (a finished run releases contents): a listener on
 * {@code phasegrid.runmeta} without values drops the member's copy on every update or removal, so a finished run's
 * full copy does not outlive its release here. A read that raced such an event is not cached.
 */
final class MetaCache {

    /** A tenth of the member's maximum heap, at least 32 MiB. */
    static final long DEFAULT_MAX_BYTES = Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 10);

    private final long maxBytes;
    private final LinkedHashMap<String, RunMeta> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long generation;

    MetaCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The member's cache, created (and its listener registered) by the first store of the member. */
    static MetaCache of(HazelcastInstance hazelcast, IMap<String, RunMeta> metas) {
        return (MetaCache) hazelcast.getUserContext().computeIfAbsent(MetaCache.class.getName(), k -> {
            MetaCache cache = new MetaCache(DEFAULT_MAX_BYTES);
            metas.addEntryListener(cache.new Invalidator(), false);
            return cache;
        });
    }

    synchronized RunMeta get(String runId) {
        return entries.get(runId);
    }

    /** Taken before the map read that {@link #put} caches. */
    synchronized long generation() {
        return generation;
    }

    /** Caches {@code meta} unless an invalidation came after {@code seen} or it alone passes the bound. */
    synchronized void put(String runId, RunMeta meta, long seen) {
        long size = meta.retainedBytes();
        if (seen != generation || size > maxBytes) {
            return;
        }
        RunMeta old = entries.put(runId, meta);
        bytes += size - (old == null ? 0 : old.retainedBytes());
        Iterator<Map.Entry<String, RunMeta>> eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().getValue().retainedBytes();
            eldest.remove();
        }
    }

    synchronized void invalidate(String runId) {
        generation++;
        RunMeta old = entries.remove(runId);
        if (old != null) {
            bytes -= old.retainedBytes();
        }
    }

    synchronized void invalidateAll() {
        generation++;
        entries.clear();
        bytes = 0;
    }

    /** Bytes of contents held now. */
    synchronized long bytes() {
        return bytes;
    }

    private final class Invalidator implements EntryUpdatedListener<String, RunMeta>,
            EntryRemovedListener<String, RunMeta>, EntryEvictedListener<String, RunMeta>, MapClearedListener {
        @Override
        public void entryUpdated(EntryEvent<String, RunMeta> event) {
            invalidate(event.getKey());
        }

        @Override
        public void entryRemoved(EntryEvent<String, RunMeta> event) {
            invalidate(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, RunMeta> event) {
            invalidate(event.getKey());
        }

        @Override
        public void mapCleared(MapEvent event) {
            invalidateAll();
        }
    }
}
