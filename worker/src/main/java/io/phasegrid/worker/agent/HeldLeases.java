package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.AgentLog.LOG;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The leases the agent holds: executing, or executed with the completion not yet delivered. A lease leaves when its
 * completion is delivered or given up, or when it is lost (the coordinator no longer holds it for this worker, a
 * report was refused as stale, or it was not renewed within its TTL): a lost phase is stopped and never reported.
 */
final class HeldLeases {

    private final String workerName;
    private final Map<LeaseKey, HeldLease> held = new ConcurrentHashMap<>();
    /** Lease TTL less one heartbeat interval, from the current session; no fencing before the first one. */
    private volatile long fenceAfterNanos = Long.MAX_VALUE;

    HeldLeases(String workerName) {
        this.workerName = workerName;
    }

    /** Adds a lease; false when the agent already holds it (received twice). */
    boolean add(HeldLease lease) {
        return held.putIfAbsent(lease.key, lease) == null;
    }

    HeldLease get(LeaseKey key) {
        return held.get(key);
    }

    /** Removes this holding of the lease (not a newer one with the same key). */
    void remove(HeldLease lease) {
        held.remove(lease.key, lease);
    }

    List<HeldLease> snapshot() {
        return new ArrayList<>(held.values());
    }

    /** The lease is gone: stop the phase, report nothing about it. */
    void lose(HeldLease lease, String why) {
        if (!lease.lost) {
            lease.lost = true;
            held.remove(lease.key, lease);
            LOG.warn("worker {}: lease {} lost ({}); stopping the phase without a report", workerName, lease.key, why);
        }
    }

    /** Self-fencing after {@code leaseTtlMs - heartbeatIntervalMs} without a confirmed renewal (at least 1 ms). */
    void fenceAfter(long leaseTtlMs, long heartbeatIntervalMs) {
        fenceAfterNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, leaseTtlMs - heartbeatIntervalMs));
    }

    long fenceAfterNanos() {
        return fenceAfterNanos;
    }
}
