package io.phasegrid.coordinator.run;

/**
 * Answer to {@link RunRecord#complete}.
 *
 * @param refusal null when accepted; why it was refused otherwise (the gRPC layer answers FAILED_PRECONDITION)
 * @param phaseState the phase's state after the report (unchanged when refused; null for an unknown phase)
 * @param retryAtMs when accepted as a failure that will be retried: the earliest time of the next lease, else 0
 * @param message human-readable detail
 */
public record CompleteResult(Refusal refusal, PhaseState phaseState, long retryAtMs, String message) implements java.io.Serializable {

    /** Why a report was refused. A refused report changes nothing. */
    public enum Refusal {
        /** No phase with that index or key. */
        UNKNOWN_PHASE,
        /** The report carries an older epoch than the phase's latest lease. */
        STALE_EPOCH,
        /** The epoch is current but the lease is closed: it expired, or the attempt was already reported. */
        LEASE_NOT_HELD,
        /** The report does not fit the lease: a git field on a plain lease, a git success without its commit. */
        INVALID_REPORT
    }

    static CompleteResult accepted(PhaseState state, long retryAtMs) {
        return new CompleteResult(null, state, retryAtMs, "");
    }

    /** A report from a worker that does not hold the lease. */
    public static CompleteResult notHolder(PhaseState state, String key) {
        return refused(Refusal.LEASE_NOT_HELD, state, "phase " + key + " is leased to another worker");
    }

    static CompleteResult refused(Refusal refusal, PhaseState state, String message) {
        return new CompleteResult(refusal, state, 0, message);
    }

    public boolean accepted() {
        return refusal == null;
    }
}
