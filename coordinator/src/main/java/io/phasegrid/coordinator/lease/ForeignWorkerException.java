package io.phasegrid.coordinator.lease;

/**
 * A call about a worker registered by another principal: registering its name, polling, heartbeating or reporting
 * with its id. The API answers PERMISSION_DENIED, and nothing changes.
 */
public final class ForeignWorkerException extends RuntimeException {

    public ForeignWorkerException(String message) {
        super(message);
    }
}
