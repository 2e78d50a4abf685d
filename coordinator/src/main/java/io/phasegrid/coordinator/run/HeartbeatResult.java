package io.phasegrid.coordinator.run;

/**
 * What became of a lease in a heartbeat.
 *
 * @param status held, not held, or cancelled
 * @param expiresAtMs the renewed deadline when held, else 0
 */
public record HeartbeatResult(Status status, long expiresAtMs) implements java.io.Serializable {

    public enum Status {
        /** Renewed: go on. */
        HELD,
        /** Expired, superseded by a newer epoch, already reported, or unknown: stop, report nothing. */
        NOT_HELD,
        /** The run was cancelled: stop and report the attempt ABANDONED (its tokens are still charged). */
        CANCELLED
    }

    public static final HeartbeatResult NOT_HELD = new HeartbeatResult(Status.NOT_HELD, 0);
    static final HeartbeatResult CANCELLED = new HeartbeatResult(Status.CANCELLED, 0);

    public boolean held() {
        return status == Status.HELD;
    }
}
