package io.phasegrid.coordinator.submit;

/** A submission the coordinator refuses; {@link Reason} maps to the gRPC status code. */
public final class SubmissionRejected extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Why: INVALID (INVALID_ARGUMENT), TOO_LARGE (RESOURCE_EXHAUSTED), EMPTY (no roadmap: neither a bundle nor a
     * structured roadmap, no phases, no ROADMAP.md; also INVALID_ARGUMENT, kept apart for messages and metrics).
     */
    public enum Reason {
        INVALID,
        TOO_LARGE,
        EMPTY
    }

    private final Reason reason;

    public SubmissionRejected(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
