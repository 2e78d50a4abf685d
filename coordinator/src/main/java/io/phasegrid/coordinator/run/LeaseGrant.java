package io.phasegrid.coordinator.run;

import java.util.List;

/**
 * A phase given to a worker by {@link RunRecord#lease}.
 *
 * @param phase index of the phase in the blueprint
 * @param key phase key
 * @param epoch fencing epoch; every later call about this attempt must carry it
 * @param attempt 1 for the first lease of the phase (counts leases, including requeues)
 * @param deadlineMs the lease may expire at this time unless renewed
 * @param estimatedTokens the phase's estimate (what the ledger reserves)
 * @param readyAtMs when the phase became READY (ready -> leased latency)
 */
public record LeaseGrant(int phase, String key, long epoch, int attempt, long deadlineMs, long estimatedTokens,
        long readyAtMs) implements java.io.Serializable {

    /** The grants' estimates, in order. */
    public static long[] estimates(List<LeaseGrant> grants) {
        long[] estimates = new long[grants.size()];
        for (int k = 0; k < estimates.length; k++) {
            estimates[k] = grants.get(k).estimatedTokens();
        }
        return estimates;
    }
}
