package io.phasegrid.coordinator.run;

/**
 * State of one phase within a run. The ordinal + 1 is the {@code phasegrid.v1.PhaseState} number, so the gRPC layer
 * maps by {@code forNumber(state.ordinal() + 1)}.
 */
public enum PhaseState {
    /** Waiting for dependencies. */
    PENDING,
    /** Every dependency succeeded; waiting for a slot, the budget or a backoff to pass. */
    READY,
    /** Given to a worker that has not reported it started. */
    LEASED,
    /** The worker reported it started (first heartbeat or checkpoint). */
    RUNNING,
    SUCCEEDED,
    /** Execution failed and no attempt is left. */
    FAILED,
    /** A dependency failed. */
    BLOCKED,
    /** Complete in the roadmap and not included. */
    SKIPPED,
    CANCELLED;

    private static final PhaseState[] VALUES = values();

    static PhaseState of(int code) {
        return VALUES[code];
    }

    /** A state the phase only leaves through {@link RunRecord#retry(long)}. */
    public boolean isFinal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    /** LEASED or RUNNING: counts against the run's max parallel. */
    public boolean isInFlight() {
        return this == LEASED || this == RUNNING;
    }

    /** SUCCEEDED or SKIPPED: satisfies the dependencies of its dependents. */
    public boolean satisfiesDependents() {
        return this == SUCCEEDED || this == SKIPPED;
    }
}
