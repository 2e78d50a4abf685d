package io.phasegrid.coordinator.lease;

/** A report about a lease the caller no longer holds (stale epoch, expired, unknown phase): FAILED_PRECONDITION. */
public final class StaleLeaseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StaleLeaseException(String message) {
        super(message);
    }
}
