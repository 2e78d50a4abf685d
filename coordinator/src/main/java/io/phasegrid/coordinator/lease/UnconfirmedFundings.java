package io.phasegrid.coordinator.lease;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leases this member's polls had funded by the ledger that their runs have not been told of yet. Telling a run costs
 * a processor call, so it rides on the run's next batch of reports through this member (a report of one of these
 * leases comes that way, since a worker reports where it polls). Until then the ledger counts the leases through
 * its fundings, so nothing is missing; if this member dies first, the leases stay unconfirmed and each is settled by
 * its own report or expiry.
 */
final class UnconfirmedFundings {

    /** Phase indexes and lease epochs, in pairs. */
    record Leases(int[] phases, long[] epochs) {
        static final Leases NONE = new Leases(new int[0], new long[0]);
    }

    private static final class Pending {
        private int[] phases = new int[8];
        private long[] epochs = new long[8];
        private int size;
    }

    private final Map<String, Pending> byRun = new ConcurrentHashMap<>();

    void add(String runId, int[] phases, long[] epochs) {
        byRun.compute(runId, (id, pending) -> {
            Pending p = pending != null ? pending : new Pending();
            if (p.size + phases.length > p.phases.length) {
                int capacity = Math.max(p.phases.length * 2, p.size + phases.length);
                p.phases = Arrays.copyOf(p.phases, capacity);
                p.epochs = Arrays.copyOf(p.epochs, capacity);
            }
            System.arraycopy(phases, 0, p.phases, p.size, phases.length);
            System.arraycopy(epochs, 0, p.epochs, p.size, epochs.length);
            p.size += phases.length;
            return p;
        });
    }

    /** Takes every lease waiting for the run ({@link Leases#NONE} when none). */
    Leases drain(String runId) {
        Pending p = byRun.remove(runId);
        return p == null ? Leases.NONE : new Leases(Arrays.copyOf(p.phases, p.size), Arrays.copyOf(p.epochs, p.size));
    }

    /** Forgets a finished run's leases. */
    void forget(String runId) {
        byRun.remove(runId);
    }
}
