package io.phasegrid.coordinator.run;

/**
 * The run's dispatch structures over its {@link PhaseTable}: READY phases by rank, phases waiting on a retry backoff
 * by not-before time, open leases by deadline. All three delete lazily: an entry whose phase moved on (another
 * state, another epoch, a closed lease) is dropped when it reaches the head.
 *
 * <p>Not thread-safe, like the record.
 */
final class DispatchQueues {

    private final PhaseTable phases;
    /** READY phases by {@link RunBlueprint#rank(int)}; a phase is in it at most once ({@link PhaseTable#IN_READY}). */
    final LongIntHeap ready;
    /** Retried phases by their not-before time, tag = epoch. */
    final LongIntHeap delayed;
    /** Leases by deadline, tag = epoch; entries of closed leases stay until their deadline passes. */
    final LongIntHeap deadlines;

    DispatchQueues(PhaseTable phases) {
        this(phases, new LongIntHeap(Math.min(phases.size, 1024)), new LongIntHeap(16), new LongIntHeap(16));
    }

    DispatchQueues(PhaseTable phases, LongIntHeap ready, LongIntHeap delayed, LongIntHeap deadlines) {
        this.phases = phases;
        this.ready = ready;
        this.delayed = delayed;
        this.deadlines = deadlines;
    }

    /** A copy over {@code table}, the copy of this one's table. */
    DispatchQueues copy(PhaseTable table) {
        return new DispatchQueues(table, new LongIntHeap(ready), new LongIntHeap(delayed),
                new LongIntHeap(deadlines));
    }

    void enqueueReady(int i, long rank) {
        if (!phases.has(i, PhaseTable.IN_READY)) {
            phases.raise(i, PhaseTable.IN_READY);
            ready.add(rank, i, 0);
        }
    }

    /** The phase, READY again after a failure, becomes leasable at {@code notBefore}. */
    void delay(int i, long notBefore) {
        delayed.add(notBefore, i, phases.epoch.get(i));
    }

    /** Moves the phases whose backoff has passed into the ready queue. */
    void promoteDelayed(long now, RunBlueprint blueprint) {
        while (!delayed.isEmpty() && delayed.peekKey() <= now) {
            int i = delayed.peekValue();
            long tag = delayed.peekTag();
            delayed.remove();
            if (tag == phases.epoch.get(i) && phases.stateOf(i) == PhaseState.READY && phases.notBefore.get(i) <= now) {
                enqueueReady(i, blueprint.rank(i));
            }
        }
    }

    /**
     * Takes the best READY phase off the ready queue, or -1: entries no longer READY are dropped, phases whose
     * backoff has not passed go to the delayed heap, and a head in a wave above {@code waveLimit} stops the walk
     * (ranks are wave-major: everything behind it is in a later wave too).
     */
    int takeLeasable(long now, RunBlueprint blueprint, int waveLimit) {
        while (!ready.isEmpty()) {
            int i = ready.peekValue();
            if (phases.stateOf(i) != PhaseState.READY) {
                takeReadyHead(i);
                continue;
            }
            if (phases.notBefore.get(i) > now) {
                takeReadyHead(i);
                delayed.add(phases.notBefore.get(i), i, phases.epoch.get(i));
                continue;
            }
            if (blueprint.wave(i) > waveLimit) {
                return -1;
            }
            takeReadyHead(i);
            return i;
        }
        return -1;
    }

    private void takeReadyHead(int i) {
        ready.remove();
        phases.clear(i, PhaseTable.IN_READY);
    }

    /** Something READY, or a backoff due: a lease may find a phase. */
    boolean mayHaveLeasable(long now) {
        return !ready.isEmpty() || (!delayed.isEmpty() && delayed.peekKey() <= now);
    }

    /** Adds the lease of phase {@code i} (its current epoch and deadline), first dropping dead entries if many. */
    void trackDeadline(int i, int running) {
        if (deadlines.size() > 2 * running + 64) {
            // entries of closed leases stay until their deadline passes; every record copy would carry them
            deadlines.retain((phase, tag) -> tag == phases.epoch.get(phase)
                    && phases.has(phase, PhaseTable.LEASE_OPEN));
        }
        deadlines.add(phases.deadline.get(i), i, phases.epoch.get(i));
    }

    /**
     * Takes the next open lease whose deadline is at or before {@code now} off the deadline heap, or -1. Entries of
     * older or closed leases are dropped; a lease renewed by heartbeats since its entry was made is re-armed.
     */
    int takeExpired(long now) {
        while (!deadlines.isEmpty() && deadlines.peekKey() <= now) {
            int i = deadlines.peekValue();
            long tag = deadlines.peekTag();
            deadlines.remove();
            if (tag != phases.epoch.get(i) || !phases.has(i, PhaseTable.LEASE_OPEN)) {
                continue; // an older lease, or closed by a report
            }
            if (phases.deadline.get(i) > now) {
                deadlines.add(phases.deadline.get(i), i, tag);
                continue;
            }
            return i;
        }
        return -1;
    }

    long nextDeadline() {
        return deadlines.isEmpty() ? Long.MAX_VALUE : deadlines.peekKey();
    }

    long nextNotBefore() {
        return delayed.isEmpty() ? Long.MAX_VALUE : delayed.peekKey();
    }
}
