package io.phasegrid.coordinator.run;

/**
 * Answer to {@link RunRecord#retry}.
 *
 * @param accepted false while the run is still active (the gRPC layer answers FAILED_PRECONDITION)
 * @param phasesReset FAILED, BLOCKED and CANCELLED phases reset to PENDING or READY
 * @param message why it was refused, empty when accepted
 */
public record RetryResult(boolean accepted, int phasesReset, String message) implements java.io.Serializable {
}
