package io.phasegrid.coordinator.run;

/** State of a run. The ordinal + 1 is the {@code phasegrid.v1.RunState} number. */
public enum RunState {
    /** Accepted, no phase leased yet. */
    QUEUED,
    /** At least one phase was leased. */
    RUNNING,
    /** No new leases until {@link RunRecord#resume(long)} (reason {@code token_budget}). */
    PAUSED,
    /** Every phase SUCCEEDED or SKIPPED. */
    SUCCEEDED,
    /** Finished with at least one phase FAILED or BLOCKED. */
    FAILED,
    /** Cancelled by a client. */
    CANCELLED;

    private static final RunState[] VALUES = values();

    static RunState of(int code) {
        return VALUES[code];
    }

    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
