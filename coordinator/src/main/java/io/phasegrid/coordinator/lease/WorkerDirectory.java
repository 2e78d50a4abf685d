package io.phasegrid.coordinator.lease;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.phasegrid.coordinator.hazelcast.MapNames;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The registered workers as operators see them (utilisation): read from {@code phasegrid.workers}, which
 * registrations and heartbeats keep up to date. A worker not heard from for {@value #MISSED_HEARTBEATS} heartbeat
 * intervals is disconnected: still listed, but its slots count in no total. One not heard from for
 * {@value WorkerRegistry#RETAINED_HEARTBEATS} intervals is gone: the map's time to live removes its entry, and until
 * Hazelcast has done so the listing leaves it out by its last-seen time on the coordinator's clock.
 */
public final class WorkerDirectory {

    /** Heartbeat intervals a worker may miss before it is shown as disconnected. */
    public static final int MISSED_HEARTBEATS = 3;

    private final IMap<String, WorkerRecord> workers;
    private final Clock clock;
    private final long disconnectedAfterMs;
    private final long retainedForMs;

    public WorkerDirectory(HazelcastInstance hazelcast, Clock clock, LeaseTimings timings) {
        this.workers = hazelcast.getMap(MapNames.WORKERS);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.disconnectedAfterMs = MISSED_HEARTBEATS * timings.heartbeatIntervalMs();
        this.retainedForMs = WorkerRegistry.retentionMs(timings);
    }

    /** One worker as last heard of. */
    public record Worker(String workerId, String name, int slots, int busySlots, Map<String, String> labels,
            long lastSeenMs, boolean connected) {
    }

    /**
     * The workers ordered by name, and the totals over the connected ones.
     *
     * @param disconnectedAfterMs how long a worker may go unheard before it is disconnected
     * @param removedAfterMs how long a worker may go unheard before it leaves the registry
     */
    public record Listing(List<Worker> workers, int slots, int busySlots, long disconnectedAfterMs,
            long removedAfterMs) {
    }

    /** Every registered worker now. */
    public Listing list() {
        long now = clock.millis();
        List<Worker> listed = new ArrayList<>();
        int slots = 0;
        int busy = 0;
        for (WorkerRecord r : workers.values()) {
            if (now - r.lastSeenMs() > retainedForMs) {
                continue; // past its retention: the entry's time to live removes it
            }
            boolean connected = now - r.lastSeenMs() <= disconnectedAfterMs;
            listed.add(new Worker(r.workerId(), r.name(), r.slots(), r.busySlots(), r.labels(), r.lastSeenMs(),
                    connected));
            if (connected) {
                // bounded per worker (10,000 slots), but many workers could still pass an int
                slots = (int) Math.min(Integer.MAX_VALUE, (long) slots + Math.max(0, r.slots()));
                busy = (int) Math.min(Integer.MAX_VALUE, (long) busy + Math.max(0, r.busySlots()));
            }
        }
        listed.sort(Comparator.comparing(Worker::name).thenComparing(Worker::workerId));
        return new Listing(List.copyOf(listed), slots, busy, disconnectedAfterMs, retainedForMs);
    }
}
