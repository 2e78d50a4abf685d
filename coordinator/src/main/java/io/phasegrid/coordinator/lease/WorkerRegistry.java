package io.phasegrid.coordinator.lease;

import io.phasegrid.coordinator.hazelcast.KeyedEntries;
import io.phasegrid.coordinator.submit.ClientText;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered workers ({@link KeyedEntries}, on a member {@code phasegrid.workers}), as the gateway uses them:
 * registration, the name and slots of a worker id, and each heartbeat's slots. Every write gives the entry a time to
 * live of {@link #retentionMs}: a worker not heard from for {@value #RETAINED_HEARTBEATS} heartbeat intervals (10
 * minutes by default) leaves the registry, and with it {@code ListWorkers} and the worker gauges. It has held no lease
 * for long (a lease lives one TTL without renewal); if it comes back it registers again and gets the same id.
 */
final class WorkerRegistry {

    /** Heartbeat intervals a worker may go unheard before it leaves the registry. */
    static final int RETAINED_HEARTBEATS = 60;

    /** Entries of the member-local cache of ids; over it the cache starts again (it is only a cache). */
    private static final int CACHED_WORKERS = 10_000;

    private final KeyedEntries<WorkerRecord> workers;
    private final Clock clock;
    private final LeaseTimings timings;
    /** Worker id -> principal, name and slots, for workers seen by this member; phases record the worker's name. */
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    /** A cached registration, trusted for one heartbeat interval after it was last read or written. */
    private record Known(String principal, String name, int slots, long checkedAtMs) {
    }

    WorkerRegistry(KeyedEntries<WorkerRecord> workers, Clock clock, LeaseTimings timings) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timings = Objects.requireNonNull(timings, "timings");
    }

    /** How long a worker stays registered after it was last heard from. */
    static long retentionMs(LeaseTimings timings) {
        return RETAINED_HEARTBEATS * timings.heartbeatIntervalMs();
    }

    /** The worker id of a name: the same name always gets the same id, on every member. */
    static String workerId(String name) {
        return "w-" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Registers (or registers again) the worker {@code name} for {@code principal}. A name is held by the principal
     * that registered it until the registration expires, so phases, which record the worker's name, name one
     * principal's worker.
     *
     * @throws ForeignWorkerException when another principal holds the name
     */
    WorkerRegistration register(String principal, String name, int slots, Map<String, String> labels) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a worker needs a name");
        }
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, was " + slots);
        }
        String id = workerId(name);
        WorkerRecord record = new WorkerRecord(id, principal, name, slots, 0, labels == null ? Map.of() : labels,
                clock.millis());
        String holder = workers.execute(id, new WorkerClaim(record, retentionMs(timings)));
        if (!principal.equals(holder)) {
            throw new ForeignWorkerException("worker name '" + ClientText.quoteForWorker(name)
                    + "' is registered by another principal: choose another name");
        }
        remember(id, new Known(principal, name, slots, clock.millis()));
        return new WorkerRegistration(id, timings.heartbeatIntervalMs(), timings.leaseTtlMs());
    }

    /**
     * Refuses a call of {@code principal} about a worker another principal registered. An id nobody registered
     * passes: the call itself answers for an unknown worker (it holds nothing).
     *
     * @throws ForeignWorkerException for another principal's worker
     */
    void requireOwner(String workerId, String principal) {
        if (workerId == null || workerId.isEmpty()) {
            return;
        }
        Known worker;
        try {
            worker = require(workerId);
        } catch (IllegalArgumentException unknown) {
            return;
        }
        if (!worker.principal().equals(principal)) {
            throw new ForeignWorkerException("worker '" + ClientText.quoteForWorker(workerId)
                    + "' is registered by another principal: a worker uses the id its own registration answered");
        }
    }

    /** The name of a registered worker. @throws IllegalArgumentException for an unknown one */
    String name(String workerId) {
        return require(workerId).name();
    }

    /**
     * The name of a worker that may poll for {@code freeSlots}.
     *
     * @throws IllegalArgumentException for an unknown worker, or more free slots than it registered
     */
    String pollingName(String workerId, int freeSlots) {
        if (freeSlots < 1) {
            throw new IllegalArgumentException("freeSlots must be >= 1, was " + freeSlots);
        }
        Known worker = require(workerId);
        if (freeSlots > worker.slots()) {
            worker = fresh(workerId); // it may have registered again with more slots through another member
            if (freeSlots > worker.slots()) {
                throw new IllegalArgumentException("free_slots (" + freeSlots + ") exceeds the " + worker.slots()
                        + " slots worker " + ClientText.quoteForWorker(workerId) + " registered");
            }
        }
        return worker.name();
    }

    /**
     * Records a heartbeat's slots ({@code slots} 0: the registered ones) and renews the worker's retention.
     *
     * @return the worker's name, or null for a worker not (or no longer) registered, which holds no lease
     * @throws IllegalArgumentException when {@code busySlots} exceeds the slots
     */
    String heartbeat(String workerId, int slots, int busySlots) {
        if (workerId == null || workerId.isEmpty()) {
            return null;
        }
        WorkerRecord record = workers.execute(workerId,
                new WorkerHeartbeat(slots, busySlots, clock.millis(), retentionMs(timings)));
        if (record == null) {
            known.remove(workerId); // gone from the registry: its polls and reports need a new registration
            return null;
        }
        if (busySlots > record.slots()) {
            throw new IllegalArgumentException("busy_slots (" + busySlots + ") must not exceed the worker's "
                    + record.slots() + " slots");
        }
        remember(workerId, new Known(record.principal(), record.name(), record.slots(), clock.millis()));
        return record.name();
    }

    private Known require(String workerId) {
        if (workerId == null) {
            throw new IllegalArgumentException("unknown worker: register first");
        }
        Known worker = known.get(workerId);
        // a cached entry is re-checked after one heartbeat interval, so a worker that left the registry (silent for
        // its retention) cannot go on polling or reporting through a member that still remembers it
        return worker != null && clock.millis() - worker.checkedAtMs() < timings.heartbeatIntervalMs()
                ? worker : fresh(workerId);
    }

    private Known fresh(String workerId) {
        WorkerRecord stored = workers.get(workerId);
        if (stored == null) {
            known.remove(workerId);
            throw new IllegalArgumentException("unknown worker '" + ClientText.quoteForWorker(workerId)
                    + "': register first");
        }
        Known worker = new Known(stored.principal(), stored.name(), stored.slots(), clock.millis());
        remember(workerId, worker);
        return worker;
    }

    private void remember(String workerId, Known worker) {
        if (known.size() >= CACHED_WORKERS && !known.containsKey(workerId)) {
            known.clear();
        }
        known.put(workerId, worker);
    }
}
