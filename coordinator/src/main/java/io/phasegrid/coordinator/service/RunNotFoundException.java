package io.phasegrid.coordinator.service;

/** No run has this id (NOT_FOUND). */
public final class RunNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RunNotFoundException(String runId) {
        super("no run with id '" + runId + "'");
    }
}
