package io.phasegrid.coordinator.run;

/**
 * Answer to {@link RunRecord#retry}.
 *
 * @param accepted false while the run is still active (the gRPC layer answers FAILED_PRECONDITION)
 * @param phasesReset FAILED, BLOCKED and CANCELLED phases reset to PENDING or READY
 * @param message why it was refused, empty when accepted
 * @param invalid refused for the request's content, not the run's state: a resolution naming no FAILED phase, or
 *     any resolution for a run that is not a git run (INVALID_ARGUMENT)
 */
public record RetryResult(boolean accepted, int phasesReset, String message, boolean invalid)
        implements java.io.Serializable {

    public RetryResult(boolean accepted, int phasesReset, String message) {
        this(accepted, phasesReset, message, false);
    }

    static RetryResult invalid(String message) {
        return new RetryResult(false, 0, message, true);
    }
}
